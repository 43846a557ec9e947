/**
 * The core's public API: what the Electron shell, the headless host, the central server and the
 * end-to-end tests use. Anything not exported here is an implementation detail of the core.
 */

// Errors and shared shapes
export { SwitchboardError, isSwitchboardError, assertNever } from './errors';
export type { AppError, ErrorCode, Result } from '../shared/errors';
export type { Workspace, PhoneNumber, Contact, Faq, Message } from '../shared/dto';
export type { WorkspaceSettings } from '../shared/settings';
export type * from '../shared/types';
export { createId, systemClock, type Clock, type IdGenerator } from './ids';

// Phone numbers
export {
  normalizePhoneNumber,
  normalizePhoneNumberOrThrow,
  isE164,
  phoneNumberToJidUser,
  type PhoneNumberError,
  type PhoneErrorReason,
} from './phone/normalize-phone-number';

// Store
export { openDatabase, type Store, type OpenDatabaseOptions } from './store/open-database';
export { backupDatabase, restoreDatabase, type BackupProgress, type BackupResult } from './store/backup';
export { LATEST_MIGRATION } from './store/migrations/index';

// Structured log
export * from './log/index';

// Secrets (the central server's tokens are sealed before they are stored)
export { createFileKeySecretBox, SecretBoxError, SECRETS_KEY_FILE, type SecretBox } from './secrets/index';

// Workspaces
export { createWorkspaceService, type WorkspaceService } from './workspace/workspace-service';
export { createSwitchboard, DATABASE_FILE, type Switchboard, type SwitchboardOptions } from './app';
export { makeNewFilesPrivate, securePrivateFolder } from './files/private-folder';

// Cloud API webhooks taken by the host itself
export {
  DIRECT_WEBHOOK_MAX_BYTES,
  type DeliveryAnswer,
  type DirectWebhooks,
  type HandshakeAnswer,
} from './cloud/direct-webhooks';

// Desktop updates: what the feed offers, when to check, download and install
export {
  CHECK_INTERVAL_MS,
  downloadDecision,
  installDecision,
  nextCheckAt,
  pendingReplies,
  shopClosed,
  type OfferedUpdate,
} from './updates/index';
// Backups, restore, moving to another computer; one process per data folder
export { createBackupService, type BackupService } from './backup/backup-service';
export { applyPendingRestore, type StagedRestore } from './backup/restore-staging';
export type { BackupEntry } from '../shared/backup-contract';
export { acquireInstanceLock, LOCK_FILE, type InstanceLock } from './files/instance-lock';
