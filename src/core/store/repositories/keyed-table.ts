import {
  sql,
  type ExpressionOrFactory,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  type UpdateObject,
} from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import { powerOfTwoChunks } from './chunks';

/** The shape every keyed row shares: the queries below name its columns only through a key. */
type AnyRow = Record<string, unknown>;
type AnyDb = Kysely<{ keyed: AnyRow }>;

/**
 * Rows of one workspace named by a key of column values, e.g. `{ workspace_id, chat_id }`: every
 * column of the key must equal its value. The workspace is part of every key, so a query cannot
 * reach another workspace's rows.
 */
export type RowKey<Row> = { workspace_id: WorkspaceId } & Partial<Row>;

/** A column of the row. */
type Column<Row> = keyof Row & string;

/** `where column = value` for each column of the key, in the key's order. */
function whereKey<Q extends { where: (column: string, op: '=', value: unknown) => Q }>(
  query: Q,
  key: AnyRow,
): Q {
  let fenced = query;
  for (const [column, value] of Object.entries(key)) fenced = fenced.where(column, '=', value);
  return fenced;
}

/**
 * The lookups, updates, removals and upserts that repositories repeat for tables keyed by the workspace
 * and other columns than `id` (scopedTable is the `id` case). `only` adds a condition to an update
 * (the state of the row it applies to).
 */
export function keyedTable<DB, T extends keyof DB & string>(db: Kysely<DB>, table: T) {
  type Row = Selectable<DB[T]>;
  type Key = RowKey<Row>;
  // Kysely cannot follow a column through a table name that is itself a type parameter: the queries
  // are written against a table of any columns, and their rows typed back as the table's.
  const keyed = db as unknown as AnyDb;
  const name = table as unknown as 'keyed';

  /** Rows with the key whose `column` is one of `values`, read in power-of-two chunks of the distinct values. */
  async function rowsIn(key: Key, column: string, values: readonly unknown[], columns?: readonly string[]) {
    const rows: unknown[] = [];
    for (const chunk of powerOfTwoChunks([...new Set(values)])) {
      const from = keyed.selectFrom(name);
      const query = columns === undefined ? from.selectAll() : from.select(columns);
      rows.push(...(await whereKey(query, key).where(column, 'in', chunk).execute()));
    }
    return rows;
  }

  return {
    /** The first row with the key, whole. */
    async get(key: Key): Promise<Row | undefined> {
      return (await whereKey(keyed.selectFrom(name).selectAll(), key).executeTakeFirst()) as Row | undefined;
    },

    /** The columns asked for of the first row with the key. */
    async find<C extends Column<Row>>(key: Key, columns: readonly C[]): Promise<Pick<Row, C> | undefined> {
      const query = keyed.selectFrom(name).select(columns as readonly string[]);
      return (await whereKey(query, key).executeTakeFirst()) as Pick<Row, C> | undefined;
    },

    /** The rows with the key whose `column` is one of `values`, whole. */
    async getIn(key: Key, column: Column<Row>, values: readonly unknown[]): Promise<Row[]> {
      return (await rowsIn(key, column, values)) as Row[];
    },

    /** The columns asked for of the rows with the key whose `column` is one of `values`. */
    async findIn<C extends Column<Row>>(
      key: Key,
      column: Column<Row>,
      values: readonly unknown[],
      columns: readonly C[],
    ): Promise<Pick<Row, C>[]> {
      return (await rowsIn(key, column, values, columns)) as Pick<Row, C>[];
    },

    /** The rows with the key in `order` (ascending), at most `limit` of them. */
    async list(key: Key, order: readonly Column<Row>[], limit: number): Promise<Row[]> {
      let query = whereKey(keyed.selectFrom(name).selectAll(), key);
      for (const column of order) query = query.orderBy(column);
      return (await query.limit(limit).execute()) as Row[];
    },

    /** Whether a row has the key. */
    async exists(key: Key): Promise<boolean> {
      const query = keyed
        .selectFrom(name)
        .select(sql<number>`1`.as('found'))
        .limit(1);
      return (await whereKey(query, key).executeTakeFirst()) !== undefined;
    },

    /** Writes `patch` on the rows with the key; how many there were. */
    async update(
      key: Key,
      patch: UpdateObject<DB, T>,
      only?: ExpressionOrFactory<DB, T, SqlBool>,
    ): Promise<number> {
      let query = whereKey(
        keyed.updateTable(name).set(patch as UpdateObject<{ keyed: AnyRow }, 'keyed'>),
        key,
      );
      if (only !== undefined)
        query = query.where(only as ExpressionOrFactory<{ keyed: AnyRow }, 'keyed', SqlBool>);
      return Number((await query.executeTakeFirst()).numUpdatedRows);
    },

    /** Deletes the rows with the key; how many there were. */
    async remove(key: Key): Promise<number> {
      const result = await whereKey(keyed.deleteFrom(name), key).executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    /**
     * Inserts the row, or on a conflict over `conflict` writes the new values of `replace` over the
     * stored row's.
     */
    async upsert(
      values: Insertable<DB[T]>,
      conflict: readonly Column<Row>[],
      replace: readonly Column<Row>[],
    ): Promise<void> {
      await keyed
        .insertInto(name)
        .values(values)
        .onConflict((oc) =>
          oc
            .columns(conflict)
            .doUpdateSet((eb) => Object.fromEntries(replace.map((c) => [c, eb.ref(`excluded.${c}`)]))),
        )
        .execute();
    },
  };
}
