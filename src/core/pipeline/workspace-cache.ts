import type { WorkspaceSettings } from '../../shared/settings';
import type { WorkspaceId } from '../../shared/types';
import type { Store } from '../store/open-database';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import type { BotFactory } from './exact-match-bot';
import type { Bot } from './types';
import type { WorkspaceAi, WorkspaceAiFactory } from '../bot/ai/workspace-ai';

/**
 * Each workspace's settings and bot, kept between messages: parsing settings and indexing 1,000 FAQs
 * per message would cost more than the rest of the pipeline. A change made in this process applies at
 * once through `invalidate`; one made elsewhere within `ttlMs`. For the bot, when a cheap `botVersion`
 * is known, an expired entry is only rebuilt if the version moved (a rebuild blocks the loop ~10 ms).
 */
export interface WorkspaceCache {
  /** Undefined when the workspace no longer exists. */
  settings(workspaceId: WorkspaceId): Promise<WorkspaceSettings | undefined>;
  /** The business's name, for the {business} in the owner's texts; '' when the workspace is gone. */
  name(workspaceId: WorkspaceId): Promise<string>;
  bot(workspaceId: WorkspaceId): Promise<Bot>;
  /** The workspace's AI, or null (FAQ-only mode, no provider set up, or no AI factory given). */
  ai(workspaceId: WorkspaceId): Promise<WorkspaceAi | null>;
  invalidate(workspaceId?: WorkspaceId): void;
}

interface Entry<T> {
  checkedAt: number;
  value: Promise<T>;
}

interface BuiltBot {
  bot: Bot;
  /** What it was built from (botVersion), null when unknown. */
  version: string | null;
}

export function createWorkspaceCache(options: {
  store: Store;
  botFactory: BotFactory;
  botVersion?: (workspaceId: WorkspaceId) => Promise<string>;
  now: () => number;
  ttlMs?: number;
  aiFactory?: WorkspaceAiFactory;
}): WorkspaceCache {
  const ttlMs = options.ttlMs ?? 5000;
  const workspaces = createWorkspaceRepository(options.store.db);
  const records = new Map<WorkspaceId, Entry<{ settings: WorkspaceSettings; name: string } | undefined>>();
  const bots = new Map<WorkspaceId, Entry<BuiltBot>>();
  const ais = new Map<WorkspaceId, Entry<WorkspaceAi | null>>();

  function remember<T>(map: Map<WorkspaceId, Entry<T>>, id: WorkspaceId, entry: Entry<T>): Promise<T> {
    map.set(id, entry);
    // A failed load is not kept: the next message tries again.
    entry.value.catch(() => {
      if (map.get(id) === entry) map.delete(id);
    });
    return entry.value;
  }

  function record(id: WorkspaceId) {
    const now = options.now();
    const hit = records.get(id);
    if (hit !== undefined && now - hit.checkedAt < ttlMs) return hit.value;
    const value = workspaces
      .get(id)
      .then((w) => (w === undefined ? undefined : { settings: w.settings, name: w.name }));
    return remember(records, id, { checkedAt: now, value });
  }

  async function buildBot(id: WorkspaceId, previous: Entry<BuiltBot> | undefined): Promise<BuiltBot> {
    const version = options.botVersion === undefined ? null : await options.botVersion(id);
    if (previous !== undefined && version !== null) {
      const kept = await previous.value.catch(() => null);
      if (kept !== null && kept.version === version) return kept;
    }
    return { bot: await options.botFactory(id), version };
  }

  return {
    settings: (id) => record(id).then((r) => r?.settings),
    name: (id) => record(id).then((r) => r?.name ?? ''),

    async bot(id) {
      const now = options.now();
      const hit = bots.get(id);
      if (hit !== undefined && now - hit.checkedAt < ttlMs) return (await hit.value).bot;
      return (await remember(bots, id, { checkedAt: now, value: buildBot(id, hit) })).bot;
    },

    ai(id) {
      const factory = options.aiFactory;
      if (factory === undefined) return Promise.resolve(null);
      const now = options.now();
      const hit = ais.get(id);
      if (hit !== undefined && now - hit.checkedAt < ttlMs) return hit.value;
      const value = workspaces.get(id).then((w) => (w === undefined ? null : factory(w)));
      return remember(ais, id, { checkedAt: now, value });
    },

    invalidate(id) {
      if (id === undefined) {
        records.clear();
        bots.clear();
        ais.clear();
      } else {
        records.delete(id);
        bots.delete(id);
        ais.delete(id);
      }
    },
  };
}
