/**
 * The central database's tables as kysely sees them (snake_case as stored). Times are UTC milliseconds
 * (`bigint` in PostgreSQL, read back as JS numbers by open-postgres.ts), ids are strings, and secrets are
 * stored only as SHA-256 hashes.
 */

/** A workspace as the central team sees it; made together with its enrollment code. */
export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: number;
}

/** One installation (one PC's data folder); it can push several workspaces. */
export interface InstallationsTable {
  id: string;
  name: string;
  app_version: string;
  platform: string;
  first_seen_at: number;
  last_seen_at: number;
}

/** A one-time code that links one installation's workspace to a central workspace. */
export interface EnrollmentsTable {
  code_hash: string;
  workspace_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  installation_id: string | null;
}

/**
 * What an enrollment made: this installation pushes into this workspace with the token whose hash is
 * here. The token is the only proof the ingest endpoint accepts, and it names the workspace.
 */
export interface WorkspaceLinksTable {
  workspace_id: string;
  installation_id: string;
  token_hash: string;
  local_workspace_name: string;
  enrolled_at: number;
  last_seen_at: number | null;
  /** Events the installation still had waiting after its latest push. */
  backlog: number;
}

export interface EventsTable {
  workspace_id: string;
  installation_id: string;
  seq: number;
  ts: number;
  level: string;
  type: string;
  contact_id: string | null;
  message: string;
  meta: string | null;
  text: string | null;
  received_at: number;
}

/** Each number's latest reported connection state. */
export interface NumberStatesTable {
  workspace_id: string;
  number: string;
  installation_id: string;
  provider: string;
  status: string;
  updated_at: number;
  reported_at: number;
}

/** Counters kept in the ingest transaction, so the dashboard never scans the events table for them. */
export interface DailyCountsTable {
  workspace_id: string;
  /** Days since 1970-01-01 (UTC) of the events' own timestamps. */
  day: number;
  messages_in: number;
  messages_out: number;
  errors: number;
}

/** A Cloud API number whose webhooks this server relays, and the workspace they go to. */
export interface CloudNumbersTable {
  phone_number_id: string;
  workspace_id: string;
  /** The Meta app's App Secret, sealed with the server's key (secret-key.ts): HMAC needs it back. */
  app_secret_sealed: string;
  /** SHA-256 of the verify token (only ever compared). */
  verify_token_hash: string;
  created_at: number;
  updated_at: number;
}

export interface RelayCursorsTable {
  workspace_id: string;
  /** The last seq given to a notification of this workspace. */
  last_seq: number;
  /** Everything up to here was handed to the desktop's pipeline. */
  acked_seq: number;
}

/** One change of a webhook POST, waiting for (or already taken by) its workspace's desktop. */
export interface RelayNotificationsTable {
  workspace_id: string;
  seq: number;
  phone_number_id: string;
  dedupe_key: string;
  /** JSON: `{object, entry: [{id, changes: [change]}]}`. */
  payload: string;
  received_at: number;
}

/** A change for a phone_number_id no workspace registered: kept for the admin, never delivered. */
export interface RelayUnroutableTable {
  dedupe_key: string;
  phone_number_id: string;
  payload: string;
  received_at: number;
}

/** A release of the desktop app for one platform: its installer file and its rollout. */
export interface UpdateReleasesTable {
  id: string;
  /** A key of CHANNEL_FILES (core/updates/feed.ts): win, mac, linux, linux-arm64. */
  platform: string;
  version: string;
  /** The installer's name in the feed; the file is `<data-dir>/updates/<id>/<file_name>`. */
  file_name: string;
  /** Base64 SHA-512 of the installer, computed while it was uploaded. */
  sha512: string;
  size: number;
  /** The newest core store migration this version knows: decides whether going back to it is safe. */
  store_schema: string | null;
  notes: string;
  /** 'live' | 'paused' | 'rolled-back' */
  state: string;
  /** 0-100 */
  percent: number;
  created_at: number;
  updated_at: number;
}

/** Workspaces whose installations get a release whatever its percentage. */
export interface UpdateReleaseWorkspacesTable {
  release_id: string;
  workspace_id: string;
}

export interface CentralSchema {
  workspaces: WorkspacesTable;
  installations: InstallationsTable;
  enrollments: EnrollmentsTable;
  workspace_links: WorkspaceLinksTable;
  events: EventsTable;
  number_states: NumberStatesTable;
  daily_counts: DailyCountsTable;
  cloud_numbers: CloudNumbersTable;
  relay_cursors: RelayCursorsTable;
  relay_notifications: RelayNotificationsTable;
  relay_unroutable: RelayUnroutableTable;
  update_releases: UpdateReleasesTable;
  update_release_workspaces: UpdateReleaseWorkspacesTable;
}
