import { afterEach, beforeEach } from 'vitest';
import type { WorkspaceId } from '../../../../shared/types';
import { insertTestWorkspace } from '../../../testing/fixtures';
import { openTempStore } from '../../../testing/temp-files';
import type { Store } from '../../open-database';

/**
 * For a repository's test file: before each test a new temporary store holding the test workspaces
 * `workspaces`, closed and removed after it. Call at the top level; read `.store` inside a test.
 */
export function storePerTest(...workspaces: WorkspaceId[]): { readonly store: Store } {
  let current: { store: Store; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    current = await openTempStore();
    for (const id of workspaces) await insertTestWorkspace(current.store.db, id);
  });
  afterEach(() => current?.cleanup());
  return {
    get store(): Store {
      if (current === undefined) throw new Error('storePerTest: the store exists only inside a test');
      return current.store;
    },
  };
}
