import type { WorkspaceId } from '../../shared/types';
import type { BotFactory } from './faq-bot';
import type { Bot } from './types';
import { remember, type Entry } from './cache-entry';

interface BuiltBot {
  readonly bot: Bot;
  /** What it was built from (botVersion), null when unknown. */
  version: string | null;
}

export interface BotCacheOptions {
  botFactory: BotFactory;
  botVersion?: (workspaceId: WorkspaceId) => Promise<string>;
  botRefresh?: (workspaceId: WorkspaceId, bot: Bot) => Promise<boolean>;
  now: () => number;
}

/** The bot part of the workspace cache: built bots, kept fresh in place when a `botRefresh` is given. */
export interface BotCache {
  get(workspaceId: WorkspaceId): Promise<Bot>;
  refreshed(workspaceId: WorkspaceId): Promise<void>;
  /** Forgets every bot (no id) or refreshes (or forgets) one workspace's bot. */
  invalidate(workspaceId?: WorkspaceId): void;
}

export function createBotCache(options: BotCacheOptions, ttlMs: number): BotCache {
  const bots = new Map<WorkspaceId, Entry<BuiltBot>>();
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

  async function buildBot(id: WorkspaceId, previous: Entry<BuiltBot> | undefined): Promise<BuiltBot> {
    const version = options.botVersion === undefined ? null : await options.botVersion(id);
    if (previous !== undefined && version !== null) {
      const kept = await previous.value.catch(() => null);
      if (kept !== null && kept.version === version) return kept;
    }
    return { bot: await options.botFactory(id), version };
  }

  return {
    async get(id) {
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

    async refreshed(id) {
      while (refreshing.has(id)) await refreshing.get(id);
    },

    invalidate(id) {
      if (id === undefined) {
        bots.clear();
        return;
      }
      const hit = bots.get(id);
      if (hit !== undefined && options.botRefresh !== undefined) refresh(id, hit, true);
      else bots.delete(id);
    },
  };
}
