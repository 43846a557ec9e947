import type { Migration, MigrationProvider } from 'kysely';
import { migration0001Initial } from './0001-initial';
import { migration0002FaqPhrasings } from './0002-faq-phrasings';
import { migration0003Pipeline } from './0003-pipeline';
import { migration0004Unanswered } from './0004-unanswered';
import { migration0005Sync } from './0005-sync';
import { migration0006MessageOutcome } from './0006-message-outcome';
import { migration0007Ai } from './0007-ai';
import { migration0008OutboxCancelled } from './0008-outbox-cancelled';
import { migration0009CloudNumbers } from './0009-cloud-numbers';
import { migration0010CloudRelayHeld } from './0010-cloud-relay-held';
import { migration0011ConversationPolicy } from './0011-conversation-policy';
import { migration0012LidMappings } from './0012-lid-mappings';
import { migration0013ChatRead } from './0013-chat-read';
import { migration0015Inbox } from './0015-inbox';
import { migration0016ClarifyAndLearning } from './0016-clarify-and-learning';
import { migration0014MessageMedia } from './0014-message-media';
import { migration0017OutboundMedia } from './0017-outbound-media';
import { migration0018OutboxChoices } from './0018-outbox-choices';

/**
 * Every migration, in order. Listed statically (not read from a folder) so the bundled desktop app
 * carries them. Names sort lexically, which is the order kysely applies them in.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': migration0001Initial,
  '0002-faq-phrasings': migration0002FaqPhrasings,
  '0003-pipeline': migration0003Pipeline,
  '0004-unanswered': migration0004Unanswered,
  '0005-sync': migration0005Sync,
  '0006-message-outcome': migration0006MessageOutcome,
  '0007-ai': migration0007Ai,
  '0008-outbox-cancelled': migration0008OutboxCancelled,
  '0009-cloud-numbers': migration0009CloudNumbers,
  '0010-cloud-relay-held': migration0010CloudRelayHeld,
  '0011-conversation-policy': migration0011ConversationPolicy,
  '0012-lid-mappings': migration0012LidMappings,
  '0013-chat-read': migration0013ChatRead,
  '0015-inbox': migration0015Inbox,
  '0016-clarify-and-learning': migration0016ClarifyAndLearning,
  '0014-message-media': migration0014MessageMedia,
  '0017-outbound-media': migration0017OutboundMedia,
  '0018-outbox-choices': migration0018OutboxChoices,
};

export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();
export const LATEST_MIGRATION: string = MIGRATION_NAMES[MIGRATION_NAMES.length - 1] ?? '';

/** A provider that stops at `upTo` (inclusive): migration tests build a database at an older version. */
export function migrationProvider(upTo?: string): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          MIGRATION_NAMES.filter((n) => upTo === undefined || n <= upTo).map((n) => [n, MIGRATIONS[n]!]),
        ),
      ),
  };
}
