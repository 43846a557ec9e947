import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabasePath } from '../../testing/temp-files';
import { openDatabase } from '../open-database';
import { MIGRATION_NAMES } from './index';

// Migrations are history: their code may be tidied, but what they build must stay byte for byte what
// shipped. The snapshot was written from the migrations as they stood before any refactoring; a
// change to it is a schema change and needs a new migration, not an edit to an old one. It records
// every version (what each migration added, changed or dropped), not only the last: a table rebuilt
// later (the outbox in 0008) no longer shows the first migration's code in the final schema.

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const describeRow = (r: MasterRow) => `-- ${r.type} ${r.name} on ${r.tbl_name}\n${r.sql ?? '(no sql)'};\n`;

describe('schema built by the migrations', () => {
  it('is, version by version, exactly the committed sqlite_master', async () => {
    const path = tempDatabasePath(cleanups);
    const sections: string[] = [];
    let before = new Map<string, string>();
    for (const name of MIGRATION_NAMES) {
      const store = await openDatabase({ path, migrateTo: name });
      const rows = await store.exclusive(
        (s) =>
          s.prepare('select type, name, tbl_name, sql from sqlite_master order by name').all() as MasterRow[],
      );
      await store.close();
      const now = new Map(rows.map((r) => [r.name, describeRow(r)]));
      const changed = [...now].filter(([n, text]) => before.get(n) !== text).map(([, text]) => text);
      const dropped = [...before.keys()].filter((n) => !now.has(n)).map((n) => `-- dropped ${n}\n`);
      sections.push(`---------- ${name}\n\n${[...changed, ...dropped].join('\n')}`);
      before = now;
    }
    await expect(sections.join('\n')).toMatchFileSnapshot('./__snapshots__/schema.sqlite.txt');
  });
});
