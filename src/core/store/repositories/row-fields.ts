/** `first_seen_at` as `firstSeenAt`. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/** A row with its columns under the names the domain types give them. */
export type CamelRow<R> = { [C in keyof R & string as CamelCase<C>]: R[C] };

/**
 * The row's columns under their camelCase names, values as they are: for the domain types whose
 * fields are the columns one to one (the mapper then spells out only the fields it converts).
 */
export function camelRow<R extends object>(row: R): CamelRow<R> {
  const fields = Object.entries(row).map(([column, value]: [string, unknown]) => [
    column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
    value,
  ]);
  return Object.fromEntries(fields) as CamelRow<R>;
}
