import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkspaceId } from '../../shared/types';
import { insertTestWorkspace } from '../testing/fixtures';
import { openTempStore } from '../testing/temp-files';
import type { Store } from '../store/open-database';
import { createExactMatchBot } from './faq-bot';
import { createWorkspaceCache } from './workspace-cache';

const WS = 'ws' as WorkspaceId;
let store: Store;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, cleanup } = await openTempStore());
  await insertTestWorkspace(store.db, WS);
});
afterEach(() => cleanup());

function setup() {
  let now = 0;
  let version = 'v1';
  let builds = 0;
  const cache = createWorkspaceCache({
    store,
    botFactory: () => {
      builds += 1;
      return createExactMatchBot([]);
    },
    botVersion: () => Promise.resolve(version),
    now: () => now,
    ttlMs: 1000,
  });
  return {
    cache,
    builds: () => builds,
    tick: (ms: number) => void (now += ms),
    bump: (v: string) => void (version = v),
  };
}

describe('workspace cache', () => {
  it('builds a bot once, and after expiry rebuilds it only if its version moved', async () => {
    const c = setup();
    const first = await c.cache.bot(WS);
    expect(await c.cache.bot(WS)).toBe(first);
    c.tick(5000);
    expect(await c.cache.bot(WS)).toBe(first);
    expect(c.builds()).toBe(1);
    c.bump('v2');
    c.tick(5000);
    expect(await c.cache.bot(WS)).not.toBe(first);
    expect(c.builds()).toBe(2);
  });

  it('invalidate drops the bot and the settings at once', async () => {
    const c = setup();
    await c.cache.bot(WS);
    expect((await c.cache.settings(WS))?.timezone).toBe('Africa/Lagos');
    c.cache.invalidate(WS);
    await c.cache.bot(WS);
    expect(c.builds()).toBe(2);
  });

  it('a workspace that does not exist has no settings', async () => {
    const c = setup();
    expect(await c.cache.settings('nope' as WorkspaceId)).toBeUndefined();
  });
});
