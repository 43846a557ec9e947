import type { Kysely, Selectable, Updateable } from 'kysely';
import type { WorkspaceId } from '../../../shared/types';
import type { Database } from '../schema';

/** The tables whose rows belong to one workspace and are named by an `id` column. */
export type ScopedTableName = {
  [T in keyof Database]: Database[T] extends { id: string; workspace_id: string } ? T : never;
}[keyof Database];

/** A column of the table, for ordering and lookups. */
type Column<T extends ScopedTableName> = keyof Database[T] & string;

/** `column` ascending, or `[column, 'desc']`. */
export type OrderBy<T extends ScopedTableName> = Column<T> | readonly [Column<T>, 'asc' | 'desc'];

/** The shape every scoped row shares: the queries below only name these columns. */
interface ScopedRow {
  id: string;
  workspace_id: string;
  [column: string]: unknown;
}

/**
 * The get/find/list/update/remove that every workspace-scoped repository repeats: each query is fenced
 * to one workspace by `workspace_id`, so a caller cannot reach another workspace's row by its id.
 */
export function scopedTable<T extends ScopedTableName>(db: Kysely<Database>, table: T) {
  type Row = Selectable<Database[T]>;
  // Kysely cannot follow a column through a table name that is itself a type parameter; every scoped
  // table has the columns these queries name, so they are written against that shared shape.
  const scoped = db as unknown as Kysely<{ scoped: ScopedRow }>;
  const name = table as unknown as 'scoped';
  const select = (workspaceId: WorkspaceId) =>
    scoped.selectFrom(name).selectAll().where('workspace_id', '=', workspaceId);

  return {
    async get(workspaceId: WorkspaceId, id: string): Promise<Row | undefined> {
      return (await select(workspaceId).where('id', '=', id).executeTakeFirst()) as Row | undefined;
    },

    /** The first row whose `column` equals `value` (columns with a unique index per workspace). */
    async findBy(workspaceId: WorkspaceId, column: Column<T>, value: string): Promise<Row | undefined> {
      const key: string = column;
      return (await select(workspaceId).where(key, '=', value).executeTakeFirst()) as Row | undefined;
    },

    async list(
      workspaceId: WorkspaceId,
      order: readonly OrderBy<T>[],
      page: { limit?: number; offset?: number } = {},
    ): Promise<Row[]> {
      let query = select(workspaceId);
      for (const by of order)
        query = typeof by === 'string' ? query.orderBy(by) : query.orderBy(by[0], by[1]);
      if (page.limit !== undefined) query = query.limit(page.limit);
      if (page.offset !== undefined) query = query.offset(page.offset);
      return (await query.execute()) as Row[];
    },

    /** Writes `patch` on the row; false when the workspace has no such row. */
    async update(workspaceId: WorkspaceId, id: string, patch: Updateable<Database[T]>): Promise<boolean> {
      const result = await scoped
        .updateTable(name)
        .set(patch as Updateable<ScopedRow>)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /** Like `update`, returning the row as written (undefined when there is none). */
    async updateReturning(
      workspaceId: WorkspaceId,
      id: string,
      patch: Updateable<Database[T]>,
    ): Promise<Row | undefined> {
      const row = await scoped
        .updateTable(name)
        .set(patch as Updateable<ScopedRow>)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row as Row | undefined;
    },

    /** Deletes the row; false when the workspace has no such row. */
    async remove(workspaceId: WorkspaceId, id: string): Promise<boolean> {
      const result = await scoped
        .deleteFrom(name)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
