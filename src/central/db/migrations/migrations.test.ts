import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestTarget, TEST_DIALECTS, type TestTarget } from '../../testing/databases';
import { openCentralDatabase, type CentralDb, type DatabaseKind } from '../open';
import { createPostgresKysely } from '../open-postgres';
import { createSqliteKysely } from '../open-sqlite';
import { CENTRAL_MIGRATION_NAMES, CENTRAL_MIGRATION_TABLE } from './index';

/** Every migration file has a test below; this keeps a new migration from shipping without one. */
const TESTED = ['0001-initial', '0002-webhook-relay', '0003-relay-number-index', '0004-update-releases'];

const LATEST = TESTED.at(-1);

const TABLES = [
  'cloud_numbers',
  'daily_counts',
  'enrollments',
  'events',
  'installations',
  'number_states',
  'relay_cursors',
  'relay_notifications',
  'relay_unroutable',
  'update_release_workspaces',
  'update_releases',
  'workspace_links',
  'workspaces',
];

/** The database at `version` with workspace w1 (Chidi Pharmacy) and what `seed` adds, closed again. */
async function atVersion(
  target: TestTarget,
  version: string,
  seed: (db: CentralDb) => Promise<unknown> = () => Promise.resolve(),
): Promise<void> {
  const old = await openCentralDatabase(target.config, { migrateTo: version });
  expect(old.schemaVersion).toBe(version);
  await old.db.insertInto('workspaces').values({ id: 'w1', name: 'Chidi Pharmacy', created_at: 1 }).execute();
  await seed(old.db);
  await old.close();
}

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

describe('central migrations', () => {
  it('every migration has an upgrade test', () => {
    expect(CENTRAL_MIGRATION_NAMES).toEqual(TESTED);
  });
});

describe.each(TEST_DIALECTS)('central migrations (%s)', (kind) => {
  let target: TestTarget | undefined;
  afterEach(async () => {
    await target?.cleanup();
    target = undefined;
  });

  it('0001-initial: an empty database gets every table; reopening changes nothing; int8 reads as number', async () => {
    target = await createTestTarget(kind);
    const first = await openCentralDatabase(target.config);
    expect(first.schemaVersion).toBe(LATEST);
    const tables = (await first.db.introspection.getTables())
      .filter(
        (t) => target!.config.kind === 'sqlite' || t.schema === (target!.config as { schema: string }).schema,
      )
      .map((t) => t.name)
      .filter((name) => !name.startsWith(CENTRAL_MIGRATION_TABLE))
      .sort();
    expect(tables).toEqual(TABLES);
    await first.db
      .insertInto('workspaces')
      .values({ id: 'w1', name: 'Chidi Pharmacy', created_at: 2 ** 52 + 1 })
      .execute();
    await first.close();

    const again = await openCentralDatabase(target.config);
    expect(again.schemaVersion).toBe(LATEST);
    const row = await again.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 'w1', name: 'Chidi Pharmacy', created_at: 2 ** 52 + 1 });
    await again.close();
  });

  it('0002-webhook-relay: a 0001 database keeps its rows and gains the relay tables', async () => {
    target = await createTestTarget(kind);
    await atVersion(target, '0001-initial');

    const upgraded = await openCentralDatabase(target.config, { migrateTo: '0002-webhook-relay' });
    expect(upgraded.schemaVersion).toBe('0002-webhook-relay');
    expect(await upgraded.db.selectFrom('workspaces').selectAll().execute()).toEqual([
      { id: 'w1', name: 'Chidi Pharmacy', created_at: 1 },
    ]);
    await upgraded.db
      .insertInto('relay_cursors')
      .values({ workspace_id: 'w1', last_seq: 0, acked_seq: 0 })
      .execute();
    const row = { workspace_id: 'w1', phone_number_id: '1065', payload: '{}', received_at: 1 };
    await upgraded.db
      .insertInto('relay_notifications')
      .values({ ...row, seq: 1, dedupe_key: 'k' })
      .execute();
    // The same change twice in one workspace is refused by the unique key.
    await expect(
      upgraded.db
        .insertInto('relay_notifications')
        .values({ ...row, seq: 2, dedupe_key: 'k' })
        .execute(),
    ).rejects.toThrow();
    await upgraded.close();
  });

  it('0003-relay-number-index: a 0002 database keeps its notifications and gains the per-number index', async () => {
    target = await createTestTarget(kind);
    const rows = [1, 2].map((seq) => ({
      workspace_id: 'w1',
      seq,
      phone_number_id: '1065',
      dedupe_key: `k${seq}`,
      payload: '{}',
      received_at: seq * 1000,
    }));
    await atVersion(target, '0002-webhook-relay', async (db) => {
      await db
        .insertInto('relay_cursors')
        .values({ workspace_id: 'w1', last_seq: 2, acked_seq: 1 })
        .execute();
      await db.insertInto('relay_notifications').values(rows).execute();
    });

    const upgraded = await openCentralDatabase(target.config, { migrateTo: '0003-relay-number-index' });
    expect(upgraded.schemaVersion).toBe('0003-relay-number-index');
    expect(await upgraded.db.selectFrom('relay_notifications').selectAll().orderBy('seq').execute()).toEqual(
      rows,
    );
    const indexes =
      target.config.kind === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(
            upgraded.db,
          )
        : await sql<{
            name: string;
          }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(
            upgraded.db,
          );
    expect(indexes.rows.map((r) => r.name)).toContain('relay_notifications_number');
    await upgraded.close();
  });

  it('0004-update-releases: a 0003 database keeps its workspaces and gains the release tables', async () => {
    target = await createTestTarget(kind);
    await atVersion(target, '0003-relay-number-index');

    const upgraded = await openCentralDatabase(target.config);
    expect(upgraded.schemaVersion).toBe('0004-update-releases');
    const release = {
      id: 'r1',
      platform: 'win',
      version: '1.4.0',
      file_name: 'Switchboard-Setup-1.4.0.exe',
      sha512: 'x',
      size: 2 ** 31 + 1,
      store_schema: null,
      notes: '',
      state: 'live',
      percent: 30,
      created_at: 1,
      updated_at: 1,
    };
    await upgraded.db.insertInto('update_releases').values(release).execute();
    await upgraded.db
      .insertInto('update_release_workspaces')
      .values({ release_id: 'r1', workspace_id: 'w1' })
      .execute();
    expect(await upgraded.db.selectFrom('update_releases').selectAll().execute()).toEqual([release]);
    // One release per platform and version.
    await expect(
      upgraded.db
        .insertInto('update_releases')
        .values({ ...release, id: 'r2' })
        .execute(),
    ).rejects.toThrow();
    // Removing a workspace removes it from allow lists.
    await upgraded.db.deleteFrom('workspaces').execute();
    expect(await upgraded.db.selectFrom('update_release_workspaces').selectAll().execute()).toEqual([]);
    await upgraded.close();
  });

  it('builds, version by version, exactly the committed schema snapshot', async () => {
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

  it('refuses, untouched, a database written by a newer central server', async () => {
    target = await createTestTarget(kind);
    const current = await openCentralDatabase(target.config);
    await current.db
      .insertInto(CENTRAL_MIGRATION_TABLE as 'workspaces')
      .values({ name: '9999-from-the-future', timestamp: new Date().toISOString() } as never)
      .execute();
    await current.close();
    await expect(openCentralDatabase(target.config)).rejects.toThrow(
      /written by a newer version of the central server \(migration 9999-from-the-future\)/,
    );
    const raw =
      target.config.kind === 'sqlite'
        ? createSqliteKysely(target.config).db
        : createPostgresKysely(target.config, () => undefined).db;
    const applied = await raw
      .selectFrom(CENTRAL_MIGRATION_TABLE as 'workspaces')
      .select('name')
      .orderBy('name')
      .execute();
    await raw.destroy();
    expect(applied.map((r) => r.name)).toEqual([
      '0001-initial',
      '0002-webhook-relay',
      '0003-relay-number-index',
      '0004-update-releases',
      '9999-from-the-future',
    ]);
  });

  it('reports an unreachable database with what to check', async () => {
    if (kind !== 'postgres') {
      await expect(
        openCentralDatabase({ kind: 'sqlite', path: '/nonexistent/dir/central.db' }),
      ).rejects.toThrow(/Could not open the SQLite database at \/nonexistent\/dir\/central\.db/);
      return;
    }
    await expect(
      openCentralDatabase({ kind: 'postgres', url: 'postgres://nobody:secret@127.0.0.1:1/none' }),
    ).rejects.toThrow(/Could not connect to PostgreSQL at postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/);
  });
});
