import { isLidUser, isPnUser, jidNormalizedUser, type WAMessageKey } from '@whiskeysockets/baileys';
import type { E164, WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { Store } from '../../store/open-database';
import {
  createLidMappingRepository,
  type LidMapping,
  type LidMappingSource,
} from '../../store/repositories/lid-mappings';

/** Where a directory keeps what it learns: the workspace's `lid_mappings` rows. */
export interface LidMappingStore {
  /** Every mapping the workspace knows. */
  load(): Promise<readonly LidMapping[]>;
  /** Stores new mappings (and merges the chats they split) in one transaction. */
  learn(businessNumber: E164, mappings: readonly LidMapping[], source: LidMappingSource): Promise<void>;
}

/**
 * A workspace's LID -> phone-number map, in memory. Lookups are synchronous because a message is
 * mapped, and journaled, in the tick Baileys decrypts it (before-receipt.ts): there is no time to ask
 * the database. Shared by the workspace's Baileys numbers, since a LID names the customer's account
 * whichever number they write to. About 100 bytes per LID customer; loaded at each connect.
 */
export interface LidDirectory {
  /** Reads the stored mappings (again); what was learnt meanwhile is kept. */
  load(): Promise<void>;
  /** The phone-number JID a LID stands for, when known. */
  phoneJidOf(lid: string): string | undefined;
  /**
   * Takes mappings from any source: known at once for lookups, stored in the background (in order,
   * one transaction each). Returns how many were new.
   */
  learn(businessNumber: E164, pairs: Iterable<{ lid: string; pn: string }>, source: LidMappingSource): number;
  /** Resolves once everything learnt so far is stored (or its failure logged). */
  idle(): Promise<void>;
}

export function createLidDirectory(deps: { store: LidMappingStore; logger: Logger }): LidDirectory {
  const phoneOf = new Map<string, string>();
  let writing: Promise<void> = Promise.resolve();
  return {
    async load() {
      for (const m of await deps.store.load()) phoneOf.set(m.lid, m.phoneJid);
    },
    phoneJidOf: (lid) => phoneOf.get(jidNormalizedUser(lid)),
    learn(businessNumber, pairs, source) {
      const fresh: LidMapping[] = [];
      for (const pair of pairs) {
        const m = normalizePair(pair);
        if (m === null || phoneOf.get(m.lid) === m.phoneJid) continue;
        phoneOf.set(m.lid, m.phoneJid);
        fresh.push(m);
      }
      if (fresh.length === 0) return 0;
      writing = writing
        .then(() => deps.store.learn(businessNumber, fresh, source))
        .catch((error: unknown) =>
          // Still known in memory for this run; the next message revealing it stores it again.
          deps.logger.warn('lid.store_failed', `Could not store ${fresh.length} LID mapping(s)`, {
            error,
            number: businessNumber,
            source,
          }),
        );
      return fresh.length;
    },
    idle: () => writing,
  };
}

/** One directory per workspace, stored in its `lid_mappings` rows; the workspace's numbers share it. */
export function createWorkspaceLidDirectories(deps: {
  store: Store;
  logger: Logger;
  now: () => number;
}): (workspaceId: WorkspaceId) => LidDirectory {
  const directories = new Map<WorkspaceId, LidDirectory>();
  return (workspaceId) => {
    let directory = directories.get(workspaceId);
    if (directory === undefined) {
      const logger = deps.logger.child({ workspaceId });
      directory = createLidDirectory({
        logger,
        store: {
          load: () => createLidMappingRepository(deps.store.db).list(workspaceId),
          async learn(businessNumber, mappings, source) {
            const { learnt, mergedChats } = await deps.store.transaction((trx) =>
              createLidMappingRepository(trx).learn(
                workspaceId,
                businessNumber,
                mappings,
                source,
                deps.now(),
              ),
            );
            if (learnt.length > 0)
              logger.debug('lid.learnt', `${learnt.length} LID mapping(s) learnt (${source})`, {
                number: businessNumber,
                source,
                mergedChats,
              });
            if (mergedChats > 0)
              logger.info(
                'lid.chats_merged',
                `${mergedChats} chat(s) kept under a LID merged into the customer's phone chat`,
                {
                  number: businessNumber,
                  source,
                },
              );
          },
        },
      });
      directories.set(workspaceId, directory);
    }
    return directory;
  };
}

/** A LID and a phone-number JID in either order, without devices; anything else is null. */
function normalizePair(pair: { lid: string; pn: string }): LidMapping | null {
  const [a, b] = [pair.lid, pair.pn].map((j) => (typeof j === 'string' ? jidNormalizedUser(j) : ''));
  if (isLidUser(a) === true && isPnUser(b) === true) return { lid: a!, phoneJid: b! };
  if (isLidUser(b) === true && isPnUser(a) === true) return { lid: b!, phoneJid: a! };
  return null;
}

/**
 * The LID <-> phone pairs a message key reveals: a LID-addressed message carries the phone number in
 * `remoteJidAlt` / `participantAlt` (from the stanza's sender_pn / participant_pn / peer_recipient_pn),
 * a phone-addressed one the LID (sender_lid / participant_lid).
 */
export function lidPairsOfKey(key: WAMessageKey | null | undefined): { lid: string; pn: string }[] {
  if (key === null || key === undefined) return [];
  const pairs: { lid: string; pn: string }[] = [];
  for (const [jid, alt] of [
    [key.remoteJid, key.remoteJidAlt],
    [key.participant, key.participantAlt],
  ] as const) {
    if (typeof jid === 'string' && typeof alt === 'string') pairs.push({ lid: jid, pn: alt });
  }
  return pairs;
}
