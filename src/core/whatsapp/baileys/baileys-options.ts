import type { E164, WorkspaceId } from '../../../shared/types';
import type { Logger } from '../../log/logger';
import type { WaAuthRepository } from '../../store/repositories/wa-auth';
import type { LidDirectory } from './lid-directory';
import type { MediaTransportOptions } from './media-transfer';

export interface BaileysProviderOptions {
  businessNumber: E164;
  workspaceId: WorkspaceId;
  phoneNumberId: string;
  authRepo: WaAuthRepository;
  logger: Logger;
  /** Text of a message this number sent, for re-encrypting it when a recipient asks for a retry. */
  getMessageText: (providerMessageId: string) => Promise<string | undefined>;
  /**
   * The workspace's LID -> phone-number map: fed by what this socket learns, used to key a customer's
   * chat by phone number whichever address they write from. Without it chats are keyed as addressed.
   */
  lidDirectory?: LidDirectory;
  now?: () => number;
  /** Socket overrides: tests and demo mode point `waWebSocketUrl` at the local WhatsApp server. */
  socket?: { waWebSocketUrl?: string; connectTimeoutMs?: number; keepAliveIntervalMs?: number };
  /** Media host and its certificate authority: tests and demo mode name the local server's. */
  media?: MediaTransportOptions;
  baileysLogLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}
