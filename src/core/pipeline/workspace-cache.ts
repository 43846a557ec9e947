import type { WorkspaceSettings } from '../../shared/settings';
import type { WorkspaceId } from '../../shared/types';
import type { Store } from '../store/open-database';
import { createWorkspaceRepository } from '../store/repositories/workspaces';
import type { BotFactory } from './faq-bot';
import type { Bot } from './types';
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

interface Entry<T> {
  checkedAt: number;
  value: Promise<T>;
}

interface BuiltBot {
  readonly bot: Bot;
  /** What it was built from (botVersion), null when unknown. */
  version: string | null;
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
  const bots = new Map<WorkspaceId, Entry<BuiltBot>>();
  const ais = new Map<WorkspaceId, Entry<WorkspaceAi | null>>();
  /** Per workspace, the refresh in flight: refreshes run one after another. */
  const refreshing = new Map<WorkspaceId, Promise<void>>();

  /** Refreshes the built bot in place; when it cannot be, forgets it so the next message rebuilds. */
  function refresh(id: WorkspaceId, entry: Entry<BuiltBot>, force: boolean): void {
    const botRefresh = options.botRefresh!;
    const previous = refreshing.get(id) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const built = await entry.value;
        const version = options.botVersion === undefined ? null : await options.botVersion(id);
        // An expiry checks the cheap fingerprint first; a change made here (settings too) always refreshes.
        if (!force && version !== null && version === built.version) return;
        if (!(await botRefresh(id, built.bot))) {
          if (bots.get(id) === entry) bots.delete(id);
          return;
        }
        built.version = version;
      })
      .catch(() => {
        if (bots.get(id) === entry) bots.delete(id); // rebuilt from scratch by the next message
      })
      .finally(() => {
        if (refreshing.get(id) === next) refreshing.delete(id);
      });
    refreshing.set(id, next);
  }

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
      if (hit !== undefined && options.botRefresh !== undefined) {
        // Expired: checked (and updated) in the background; this message gets the bot as it is.
        hit.checkedAt = now;
        refresh(id, hit, false);
        return (await hit.value).bot;
      }
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

    async refreshed(id) {
      while (refreshing.has(id)) await refreshing.get(id);
    },

    invalidate(id) {
      if (id === undefined) {
        records.clear();
        bots.clear();
        ais.clear();
      } else {
        records.delete(id);
        ais.delete(id);
        const hit = bots.get(id);
        if (hit !== undefined && options.botRefresh !== undefined) refresh(id, hit, true);
        else bots.delete(id);
      }
    },
  };
}
