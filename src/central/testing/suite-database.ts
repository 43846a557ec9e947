import { afterAll, beforeAll } from 'vitest';
import type { CentralDatabase, DatabaseKind } from '../db/open';
import { openTestDatabase, type TestDatabase } from './databases';

/**
 * For a suite: opens a database of this dialect before its tests, hands it to `opened` (which keeps it
 * and may fill it), and closes and removes it after them.
 */
export function useTestDatabase(
  kind: DatabaseKind,
  opened: (database: CentralDatabase) => void | Promise<void>,
  timeoutMs?: number,
): void {
  let test: TestDatabase | undefined;
  beforeAll(async () => {
    test = await openTestDatabase(kind);
    await opened(test.database);
  }, timeoutMs);
  afterAll(() => test?.cleanup());
}
