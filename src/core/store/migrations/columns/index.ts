import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * Column sets the migrations' tables repeat, for kysely's schema builder (`.$call(workspaceId)`). Each
 * adds exactly the column definitions the migrations wrote out by hand, so the SQL they build is the
 * same byte for byte (the schema snapshot tests prove it). Shared with the central server's migrations,
 * whose times are `bigint` where the desktop's are `integer`.
 */

type Table<C extends string> = CreateTableBuilder<string, C>;
type TimeType = 'integer' | 'bigint';

/** `id`, the text primary key. */
export const textId = <C extends string>(table: Table<C>) =>
  table.addColumn('id', 'text', (c) => c.primaryKey());

/** `workspace_id`: required, and the row goes when its workspace does. */
export const workspaceId = <C extends string>(table: Table<C>) =>
  table.addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'));

/** A required time (milliseconds since the epoch). */
export const requiredTime =
  (name: string, type: TimeType = 'integer') =>
  <C extends string>(table: Table<C>) =>
    table.addColumn(name, type, (c) => c.notNull());

/** `created_at` then `updated_at`, both required. */
export const timestamps =
  (type: TimeType = 'integer') =>
  <C extends string>(table: Table<C>) =>
    table.$call(requiredTime('created_at', type)).$call(requiredTime('updated_at', type));

/** A required 0/1 integer with its default. */
export const flag =
  (name: string, defaultValue?: 0 | 1) =>
  <C extends string>(table: Table<C>) =>
    table.addColumn(name, 'integer', (c) =>
      (defaultValue === undefined ? c.notNull() : c.notNull().defaultTo(defaultValue)).check(
        sql`${sql.raw(name)} in (0, 1)`,
      ),
    );

/** A required count that starts at 0 and never goes below it. */
export const counter =
  (name: string) =>
  <C extends string>(table: Table<C>) =>
    table.addColumn(name, 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`${sql.raw(name)} >= 0`),
    );

/** The index `<table>_workspace` on a table's `workspace_id`: listing one workspace's rows. */
export const createWorkspaceIndex = (db: Kysely<unknown>, table: string) =>
  db.schema.createIndex(`${table}_workspace`).on(table).column('workspace_id').execute();

/** A plain index `name` on `table`'s `columns`, in that order. */
export const createIndex = (db: Kysely<unknown>, name: string, table: string, columns: string[]) =>
  db.schema.createIndex(name).on(table).columns(columns).execute();

/** A workspace's `name`, shown to people: 1 to 200 characters. */
export const workspaceName = <C extends string>(table: Table<C>) =>
  table.addColumn('name', 'text', (c) => c.notNull().check(sql`length(name) between 1 and 200`));

/** Plain required columns of one type, in the order named. */
export const requiredColumns =
  (type: 'text' | 'integer' | 'bigint', ...names: string[]) =>
  <C extends string>(table: Table<C>): Table<string> =>
    names.reduce<Table<string>>((t, name) => t.addColumn(name, type, (c) => c.notNull()), table);

/** `id` then `workspace_id`: how a row that belongs to one workspace starts. */
export const idAndWorkspace = <C extends string>(table: Table<C>) => table.$call(textId).$call(workspaceId);
