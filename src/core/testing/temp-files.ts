import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabaseOptions, type Store } from '../store/open-database';

/** Test support: a fresh folder per test, removed by the returned cleanup. */
export function makeTempDir(prefix = 'switchboard-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real SQLite file in a temp folder, as the app uses it (WAL, foreign keys, migrations). */
export async function openTempStore(
  options: Partial<OpenDatabaseOptions> = {},
): Promise<{ store: Store; dir: string; path: string; cleanup: () => Promise<void> }> {
  const { dir, cleanup } = makeTempDir();
  const path = join(dir, 'switchboard.db');
  const store = await openDatabase({ path, ...options });
  return {
    store,
    dir,
    path,
    cleanup: async () => {
      await store.close();
      cleanup();
    },
  };
}
