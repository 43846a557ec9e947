import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTarget, TEST_DIALECTS, type TestTarget } from '../../testing/databases';
import { openCentralDatabase, type DatabaseKind } from '../open';
import { CENTRAL_MIGRATION_NAMES } from './index';

// Migrations are history: their code may be tidied, but what they build must stay byte for byte what
// shipped, on both dialects. The snapshots were written from the migrations as they stood before any
// refactoring; a change to one is a schema change and needs a new migration, not an edit to an old
// one. Each records every version: what each migration added, changed or dropped.

/** One line per schema object (columns, constraints and indexes on PostgreSQL), keyed by name. */
async function schemaObjects(kind: DatabaseKind, db: Kysely<unknown>): Promise<Map<string, string>> {
  if (kind === 'sqlite') {
    const rows = await sql<{ type: string; name: string; tbl_name: string; sql: string | null }>`
      select type, name, tbl_name, sql from sqlite_master order by name`.execute(db);
    return new Map(
      rows.rows.map((r) => [r.name, `-- ${r.type} ${r.name} on ${r.tbl_name}\n${r.sql ?? '(no sql)'};\n`]),
    );
  }
  const columns = await sql<{ key: string; text: string }>`
    select table_name || '.' || column_name as key,
      'column ' || table_name || '.' || column_name || ' #' || ordinal_position || ' ' || data_type ||
        case when is_nullable = 'NO' then ' not null' else '' end ||
        coalesce(' default ' || column_default, '') as text
    from information_schema.columns where table_schema = current_schema()
    order by table_name, ordinal_position`.execute(db);
  const constraints = await sql<{ key: string; text: string }>`
    select t.relname || ':' || c.conname as key,
      'constraint ' || c.conname || ' on ' || t.relname || ' ' || pg_get_constraintdef(c.oid) as text
    from pg_constraint c join pg_class t on t.oid = c.conrelid
    where c.connamespace = current_schema()::regnamespace
    order by t.relname, c.conname`.execute(db);
  const indexes = await sql<{ key: string; text: string }>`
    select 'index ' || indexname as key,
      'index ' || indexname || ' ' || replace(indexdef, current_schema() || '.', '') as text
    from pg_indexes where schemaname = current_schema()
    order by tablename, indexname`.execute(db);
  return new Map([...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => [r.key, `${r.text}\n`]));
}

describe.each(TEST_DIALECTS)('central schema built by the migrations (%s)', (kind) => {
  let target: TestTarget | undefined;
  afterEach(async () => {
    await target?.cleanup();
    target = undefined;
  });

  it('is, version by version, exactly the committed snapshot', async () => {
    target = await createTestTarget(kind);
    const sections: string[] = [];
    let before = new Map<string, string>();
    for (const name of CENTRAL_MIGRATION_NAMES) {
      const database = await openCentralDatabase(target.config, { migrateTo: name });
      const now = await schemaObjects(kind, database.db as Kysely<unknown>);
      await database.close();
      const changed = [...now].filter(([key, text]) => before.get(key) !== text).map(([, text]) => text);
      const dropped = [...before.keys()].filter((key) => !now.has(key)).map((key) => `-- dropped ${key}\n`);
      sections.push(`---------- ${name}\n\n${[...changed, ...dropped].join(kind === 'sqlite' ? '\n' : '')}`);
      before = now;
    }
    await expect(sections.join('\n')).toMatchFileSnapshot(`./__snapshots__/schema.${kind}.txt`);
  });
});
