/** Items grouped by a key, in first-seen order (a batch by workspace, by chat...). */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    let group = groups.get(k);
    if (group === undefined) groups.set(k, (group = []));
    group.push(item);
  }
  return groups;
}
