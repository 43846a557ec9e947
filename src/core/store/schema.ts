/**
 * The database's tables as kysely sees them. Column names are snake_case as stored; repositories map
 * rows to the camelCase DTOs the rest of the core uses. Times are UTC milliseconds, ids are strings.
 */
import type { Generated } from 'kysely';

export interface WorkspacesTable {
  id: string;
  name: string;
  default_country: string;
  bot_mode: string;
  tier: string;
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface PhoneNumbersTable {
  id: string;
  workspace_id: string;
  e164: string;
  provider: string;
  status: string;
  label: string | null;
  created_at: number;
  updated_at: number;
}

export interface ContactsTable {
  id: string;
  workspace_id: string;
  phone_e164: string | null;
  wa_id: string | null;
  name: string | null;
  created_at: number;
  updated_at: number;
}

export interface FaqsTable {
  id: string;
  workspace_id: string;
  question: string;
  answer: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface FaqPhrasingsTable {
  id: string;
  workspace_id: string;
  faq_id: string;
  text: string;
  position: number;
  created_at: number;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  business_number: string;
  provider_message_id: string;
  chat_id: string;
  contact_id: string | null;
  direction: string;
  author: string;
  text: string | null;
  status: string;
  provider_ts: number | null;
  created_at: number;
  updated_at: number;
  /** 0003: the kind of chat an inbound message came from (ChatKind); null on older rows and outbound. */
  chat_kind: Generated<string | null>;
  /** 0006: what became of an inbound message that needed an answer (MessageOutcome); null otherwise. */
  outcome: Generated<string | null>;
  /** 0011: decide()'s reason code for an inbound message; null before it was decided. */
  decision: Generated<string | null>;
  /** 0011: the decision's outcome: answered, person, left or unanswered (DecisionOutcome). */
  disposition: Generated<string | null>;
}

/** 0014: the file, location or contact card of a message (1:1 with messages). */
/** 0017: the photo or document an FAQ's answer sends with its text. */
export interface FaqAttachmentsTable {
  faq_id: string;
  workspace_id: string;
  kind: string;
  sha256: string;
  mime: string;
  file_name: string;
  size: number;
  created_at: number;
}

export interface MessageMediaTable {
  message_id: string;
  workspace_id: string;
  kind: string;
  mime: string | null;
  size: number | null;
  sha256: string | null;
  file_name: string | null;
  caption: string | null;
  duration_s: number | null;
  thumbnail: Buffer | null;
  extra: string | null;
  ref: string | null;
  state: string;
  error: string | null;
  attempts: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface EventsTable {
  seq: Generated<number>;
  ts: number;
  level: string;
  type: string;
  workspace_id: string | null;
  contact_id: string | null;
  message: string;
  meta: string | null;
}

export interface WaAuthCredsTable {
  phone_number_id: string;
  workspace_id: string;
  creds: string;
  updated_at: number;
}

export interface WaAuthKeysTable {
  phone_number_id: string;
  workspace_id: string;
  type: string;
  key_id: string;
  value: string;
}

/** 0003: replies waiting to be sent, in send order (`seq`); `id` is the WhatsApp message id. */
export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  workspace_id: string;
  business_number: string;
  chat_id: string;
  inbound_message_id: string | null;
  kind: string;
  text: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  provider_message_id: string | null;
  /** 0017: a file sent with the row, and its caption. */
  media_kind: string | null;
  media_sha256: string | null;
  media_mime: string | null;
  media_file_name: string | null;
  media_caption: string | null;
  /** JSON array of a clarifying question's options (0018). */
  choices: string | null;
}

/** 0003: what the pipeline remembers about a chat on one receiving number. */
export interface ConversationsTable {
  workspace_id: string;
  business_number: string;
  chat_id: string;
  contact_id: string | null;
  first_seen_at: number;
  last_inbound_at: number | null;
  greeted_at: number | null;
  handoff_since: number | null;
  handoff_reason: string | null;
  bot_paused_until: number | null;
  last_away_period: string | null;
  flood_window_start: number | null;
  flood_count: number;
  updated_at: number;
  /** 0011: a person owes the customer an answer since then (the "Needs you" list); null otherwise. */
  waiting_since: number | null;
  waiting_reason: string | null;
  /** 0011: when the owner last gave the chat back to the bot. */
  released_at: number | null;
  /** 0011: the FAQ the bot answered last, for the flood guard's "same question again". */
  last_answer_faq_id: string | null;
  /** 0016: the FAQs a pending clarifying question offered (JSON array of ids, in order); null if none. */
  clarify_faq_ids: string | null;
  clarify_asked_at: number | null;
  clarify_expires_at: number | null;
}

/** 0016: a phrasing or FAQ the owner added from a conversation or Unanswered (Home's "learned this week"). */
export interface BotLearnedTable {
  id: string;
  workspace_id: string;
  faq_id: string | null;
  kind: 'phrasing' | 'faq';
  text: string;
  chat_id: string | null;
  created_at: number;
}

/** 0016: a new FAQ's answer sent to a chat that had asked it (once per FAQ and chat). */
export interface FaqAnswerSendsTable {
  workspace_id: string;
  faq_id: string;
  chat_id: string;
  business_number: string;
  outbox_id: string;
  created_at: number;
}

/** 0003: inbound messages for a number that belongs to no workspace: kept, never answered. */
export interface UnroutableMessagesTable {
  id: string;
  business_number: string;
  provider_message_id: string;
  chat_id: string;
  sender_wa_id: string | null;
  sender_phone: string | null;
  sender_name: string | null;
  text: string | null;
  provider_ts: number | null;
  received_at: number;
}

/** 0005: this data folder's identity for the central server (one row, made by the migration). */
export interface InstallationTable {
  singleton: Generated<number>;
  id: string;
  created_at: number;
}

/** 0005: one row per workspace enrolled with a central server. */
export interface SyncStateTable {
  workspace_id: string;
  server_url: string;
  central_workspace_id: string;
  central_workspace_name: string;
  token_sealed: string;
  last_acked_seq: number;
  share_message_text: number;
  state: string;
  enrolled_at: number;
  last_success_at: number | null;
  last_error: string | null;
  last_error_at: number | null;
  updated_at: number;
}

/** 0012: the phone number a LID stands for, per workspace (see lid-mappings.ts). */
export interface LidMappingsTable {
  workspace_id: string;
  /** `<digits>@lid`, no device. */
  lid: string;
  /** `<digits>@s.whatsapp.net`, no device: the chat id the rest of the app uses. */
  phone_jid: string;
  /** The receiving number that learnt it ('' when seeded from older rows that do not say). */
  business_number: string;
  source: string;
  created_at: number;
  updated_at: number;
}

/** 0015: the owner's labels per workspace (the WhatsApp Business app's five defaults seeded). */
export interface LabelsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** '#rrggbb', lower case. */
  color: string;
  position: number;
  created_at: number;
  updated_at: number;
}

/** 0015: which chats carry which labels. */
export interface ChatLabelsTable {
  workspace_id: string;
  chat_id: string;
  label_id: string;
  created_at: number;
}

/** 0015: the owner's saved quick replies. */
export interface SavedRepliesTable {
  id: string;
  workspace_id: string;
  title: string;
  text: string;
  created_at: number;
  updated_at: number;
}

/** 0015: what the owner keeps about a customer, per chat: a chosen name and private notes. */
export interface ChatProfilesTable {
  workspace_id: string;
  chat_id: string;
  name: string | null;
  notes: string;
  updated_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  phone_numbers: PhoneNumbersTable;
  contacts: ContactsTable;
  faqs: FaqsTable;
  faq_phrasings: FaqPhrasingsTable;
  messages: MessagesTable;
  message_media: MessageMediaTable;
  faq_attachments: FaqAttachmentsTable;
  events: EventsTable;
  wa_auth_creds: WaAuthCredsTable;
  wa_auth_keys: WaAuthKeysTable;
  outbox: OutboxTable;
  conversations: ConversationsTable;
  unroutable_messages: UnroutableMessagesTable;
  installation: InstallationTable;
  sync_state: SyncStateTable;
  lid_mappings: LidMappingsTable;
  labels: LabelsTable;
  chat_labels: ChatLabelsTable;
  saved_replies: SavedRepliesTable;
  chat_profiles: ChatProfilesTable;
  bot_learned: BotLearnedTable;
  faq_answer_sends: FaqAnswerSendsTable;
}
