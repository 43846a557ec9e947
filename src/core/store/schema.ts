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

export interface Database {
  workspaces: WorkspacesTable;
  phone_numbers: PhoneNumbersTable;
  contacts: ContactsTable;
  faqs: FaqsTable;
  faq_phrasings: FaqPhrasingsTable;
  messages: MessagesTable;
  events: EventsTable;
  wa_auth_creds: WaAuthCredsTable;
  wa_auth_keys: WaAuthKeysTable;
}
