import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type OpenDatabaseOptions, type Store } from '../store/open-database';

/** Test support: a fresh folder per test, removed by the returned cleanup. */
export function makeTempDir(prefix = 'switchboard-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A path for a new database file in a fresh temp folder; the folder's removal goes onto `cleanups`. */
export function tempDatabasePath(cleanups: (() => void)[]): string {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  return join(dir, 'switchboard.db');
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
