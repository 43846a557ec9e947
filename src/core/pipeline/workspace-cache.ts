import type { WorkspaceSettings } from '../../shared/settings';
import type { WorkspaceId } from '../../shared/types';
import type { Store } from '../store/open-database';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import type { BotFactory } from './faq-bot';
import type { Bot } from './types';
import { remember, type Entry } from './cache-entry';
import { createBotCache } from './workspace-bot-cache';
import type { WorkspaceAi, WorkspaceAiFactory } from '../bot/ai/workspace-ai';

/**
 * Each workspace's settings and bot, kept between messages: parsing settings and indexing 1,000 FAQs
 * per message would cost more than the rest of the pipeline. A change made in this process applies at
 * once through `invalidate`; one made elsewhere within `ttlMs`. For the bot, when a cheap `botVersion`
 * is known, an expired entry is only rebuilt if the version moved (a rebuild blocks the loop ~10 ms).
 */
export interface WorkspaceCache {
  /** Resolves once the bot refreshes started so far have landed (tests, benchmarks). */
  refreshed(workspaceId: WorkspaceId): Promise<void>;
  /** Undefined when the workspace no longer exists. */
  settings(workspaceId: WorkspaceId): Promise<WorkspaceSettings | undefined>;
  /** The business's name, for the {business} in the owner's texts; '' when the workspace is gone. */
  name(workspaceId: WorkspaceId): Promise<string>;
  bot(workspaceId: WorkspaceId): Promise<Bot>;
  /** The workspace's AI, or null (FAQ-only mode, no provider set up, or no AI factory given). */
  ai(workspaceId: WorkspaceId): Promise<WorkspaceAi | null>;
  invalidate(workspaceId?: WorkspaceId): void;
}

export function createWorkspaceCache(options: {
  store: Store;
  botFactory: BotFactory;
  botVersion?: (workspaceId: WorkspaceId) => Promise<string>;
  /**
   * Updates a built bot in place after a change (an FAQ edited): the next messages are answered by the
   * bot as it is until the update lands, instead of waiting for a whole new bot to be built and
   * trained (seconds at 1,000 FAQs). Resolves false when this bot cannot be updated: it is rebuilt.
   */
  botRefresh?: (workspaceId: WorkspaceId, bot: Bot) => Promise<boolean>;
  now: () => number;
  ttlMs?: number;
  aiFactory?: WorkspaceAiFactory;
}): WorkspaceCache {
  const ttlMs = options.ttlMs ?? 5000;
  const workspaces = createWorkspaceRepository(options.store.db);
  const records = new Map<WorkspaceId, Entry<{ settings: WorkspaceSettings; name: string } | undefined>>();
  const ais = new Map<WorkspaceId, Entry<WorkspaceAi | null>>();
  const bots = createBotCache(options, ttlMs);

  function record(id: WorkspaceId) {
    const now = options.now();
    const hit = records.get(id);
    if (hit !== undefined && now - hit.checkedAt < ttlMs) return hit.value;
    const value = workspaces
      .get(id)
      .then((w) => (w === undefined ? undefined : { settings: w.settings, name: w.name }));
    return remember(records, id, { checkedAt: now, value });
  }

  return {
    settings: (id) => record(id).then((r) => r?.settings),
    name: (id) => record(id).then((r) => r?.name ?? ''),

    bot: (id) => bots.get(id),

    ai(id) {
      const factory = options.aiFactory;
      if (factory === undefined) return Promise.resolve(null);
      const now = options.now();
      const hit = ais.get(id);
      if (hit !== undefined && now - hit.checkedAt < ttlMs) return hit.value;
      const value = workspaces.get(id).then((w) => (w === undefined ? null : factory(w)));
      return remember(ais, id, { checkedAt: now, value });
    },

    refreshed: (id) => bots.refreshed(id),

    invalidate(id) {
      if (id === undefined) {
        records.clear();
        ais.clear();
      } else {
        records.delete(id);
        ais.delete(id);
      }
      bots.invalidate(id);
    },
  };
}
