import type { WorkspaceId } from '../../shared/types';

/** A cached value and when it was last checked against the store. */
export interface Entry<T> {
  checkedAt: number;
  value: Promise<T>;
}

/** Keeps the entry and returns its value; a failed load is not kept: the next message tries again. */
export function remember<T>(map: Map<WorkspaceId, Entry<T>>, id: WorkspaceId, entry: Entry<T>): Promise<T> {
  map.set(id, entry);
  entry.value.catch(() => {
    if (map.get(id) === entry) map.delete(id);
  });
  return entry.value;
}
