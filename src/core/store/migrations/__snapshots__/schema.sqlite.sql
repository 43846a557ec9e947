---------- 0001-initial

-- table contacts on contacts
CREATE TABLE "contacts" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "phone_e164" text, "wa_id" text, "name" text check (name is null or length(name) <= 200), "created_at" integer not null, "updated_at" integer not null, constraint "contacts_workspace_phone" unique ("workspace_id", "phone_e164"), constraint "contacts_workspace_wa_id" unique ("workspace_id", "wa_id"));

-- table events on events
CREATE TABLE events (
      seq integer primary key autoincrement,
      ts integer not null,
      level text not null check (level in ('debug', 'info', 'warn', 'error')),
      type text not null check (length(type) between 1 and 100),
      workspace_id text,
      contact_id text,
      message text not null,
      meta text
    );

-- trigger events_append_only on events
CREATE TRIGGER events_append_only before update on events
      begin select raise(abort, 'the event log is append-only'); end;

-- index events_level_ts on events
CREATE INDEX "events_level_ts" on "events" ("level", "ts");

-- index events_ts on events
CREATE INDEX "events_ts" on "events" ("ts");

-- index events_type_ts on events
CREATE INDEX "events_type_ts" on "events" ("type", "ts");

-- index events_workspace_ts on events
CREATE INDEX "events_workspace_ts" on "events" ("workspace_id", "ts");

-- table faqs on faqs
CREATE TABLE "faqs" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "question" text not null check (length(question) between 1 and 1000), "answer" text not null check (length(answer) between 1 and 4096), "enabled" integer default 1 not null check (enabled in (0, 1)), "created_at" integer not null, "updated_at" integer not null);

-- index faqs_workspace on faqs
CREATE INDEX "faqs_workspace" on "faqs" ("workspace_id");

-- table kysely_migration on kysely_migration
CREATE TABLE "kysely_migration" ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null);

-- table kysely_migration_lock on kysely_migration_lock
CREATE TABLE "kysely_migration_lock" ("id" varchar(255) not null primary key, "is_locked" integer default 0 not null);

-- table messages on messages
CREATE TABLE "messages" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "provider_message_id" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "direction" text not null check (direction in ('in', 'out')), "author" text not null check (author in ('contact', 'bot', 'owner')), "text" text check (text is null or length(text) <= 65536), "status" text not null, "provider_ts" integer, "created_at" integer not null, "updated_at" integer not null, constraint "messages_provider_id" unique ("workspace_id", "business_number", "provider_message_id"));

-- index messages_workspace_chat on messages
CREATE INDEX "messages_workspace_chat" on "messages" ("workspace_id", "chat_id", "created_at");

-- index messages_workspace_time on messages
CREATE INDEX "messages_workspace_time" on "messages" ("workspace_id", "created_at");

-- table phone_numbers on phone_numbers
CREATE TABLE "phone_numbers" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "e164" text not null unique check (e164 glob '+[1-9]*' and length(e164) <= 16), "provider" text not null check (provider in ('baileys', 'cloud-api')), "status" text not null, "label" text check (label is null or length(label) <= 100), "created_at" integer not null, "updated_at" integer not null);

-- index phone_numbers_workspace on phone_numbers
CREATE INDEX "phone_numbers_workspace" on "phone_numbers" ("workspace_id");

-- index sqlite_autoindex_contacts_1 on contacts
(no sql);

-- index sqlite_autoindex_contacts_2 on contacts
(no sql);

-- index sqlite_autoindex_contacts_3 on contacts
(no sql);

-- index sqlite_autoindex_faqs_1 on faqs
(no sql);

-- index sqlite_autoindex_kysely_migration_1 on kysely_migration
(no sql);

-- index sqlite_autoindex_kysely_migration_lock_1 on kysely_migration_lock
(no sql);

-- index sqlite_autoindex_messages_1 on messages
(no sql);

-- index sqlite_autoindex_messages_2 on messages
(no sql);

-- index sqlite_autoindex_phone_numbers_1 on phone_numbers
(no sql);

-- index sqlite_autoindex_phone_numbers_2 on phone_numbers
(no sql);

-- index sqlite_autoindex_wa_auth_creds_1 on wa_auth_creds
(no sql);

-- index sqlite_autoindex_wa_auth_keys_1 on wa_auth_keys
(no sql);

-- index sqlite_autoindex_workspaces_1 on workspaces
(no sql);

-- table sqlite_sequence on sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);

-- table wa_auth_creds on wa_auth_creds
CREATE TABLE "wa_auth_creds" ("phone_number_id" text primary key references "phone_numbers" ("id") on delete cascade, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "creds" text not null, "updated_at" integer not null);

-- table wa_auth_keys on wa_auth_keys
CREATE TABLE "wa_auth_keys" ("phone_number_id" text not null references "phone_numbers" ("id") on delete cascade, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "type" text not null, "key_id" text not null, "value" text not null, constraint "wa_auth_keys_pk" primary key ("phone_number_id", "type", "key_id"));

-- table workspaces on workspaces
CREATE TABLE "workspaces" ("id" text primary key, "name" text not null check (length(name) between 1 and 200), "default_country" text not null check (length(default_country) = 2), "bot_mode" text not null check (bot_mode in ('faq', 'ai', 'hybrid')), "tier" text not null check (tier in ('free', 'standard', 'pro')), "settings" text default '{}' not null, "created_at" integer not null, "updated_at" integer not null);

---------- 0002-faq-phrasings

-- table faq_phrasings on faq_phrasings
CREATE TABLE "faq_phrasings" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "faq_id" text not null references "faqs" ("id") on delete cascade, "text" text not null check (length(text) between 1 and 1000), "position" integer not null, "created_at" integer not null);

-- index faq_phrasings_workspace_faq on faq_phrasings
CREATE INDEX "faq_phrasings_workspace_faq" on "faq_phrasings" ("workspace_id", "faq_id", "position");

-- index sqlite_autoindex_faq_phrasings_1 on faq_phrasings
(no sql);

---------- 0003-pipeline

-- table conversations on conversations
CREATE TABLE "conversations" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "first_seen_at" integer not null, "last_inbound_at" integer, "greeted_at" integer, "handoff_since" integer, "handoff_reason" text, "bot_paused_until" integer, "last_away_period" text, "flood_window_start" integer, "flood_count" integer default 0 not null, "updated_at" integer not null, constraint "conversations_pk" primary key ("workspace_id", "business_number", "chat_id"), constraint "conversations_handoff_pair" check ((handoff_since is null) = (handoff_reason is null)));

-- index conversations_handoffs on conversations
CREATE INDEX "conversations_handoffs" on "conversations" ("workspace_id", "handoff_since") where "handoff_since" is not null;

-- index conversations_workspace_chat on conversations
CREATE INDEX "conversations_workspace_chat" on "conversations" ("workspace_id", "chat_id");

-- table messages on messages
CREATE TABLE "messages" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "provider_message_id" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "direction" text not null check (direction in ('in', 'out')), "author" text not null check (author in ('contact', 'bot', 'owner')), "text" text check (text is null or length(text) <= 65536), "status" text not null, "provider_ts" integer, "created_at" integer not null, "updated_at" integer not null, "chat_kind" text, constraint "messages_provider_id" unique ("workspace_id", "business_number", "provider_message_id"));

-- index messages_undecided on messages
CREATE INDEX "messages_undecided" on "messages" ("workspace_id", "created_at") where "status" = 'received';

-- table outbox on outbox
CREATE TABLE outbox (
      seq integer primary key autoincrement,
      id text not null unique,
      workspace_id text not null references workspaces(id) on delete cascade,
      business_number text not null,
      chat_id text not null,
      inbound_message_id text,
      kind text not null check (kind in ('faq', 'ai', 'greeting', 'away', 'handoff', 'owner')),
      text text not null check (length(text) between 1 and 65536),
      status text not null check (status in ('queued', 'sending', 'sent', 'failed')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at integer not null,
      last_error text,
      created_at integer not null,
      updated_at integer not null,
      sent_at integer,
      provider_message_id text
    );

-- index outbox_pending on outbox
CREATE INDEX "outbox_pending" on "outbox" ("workspace_id", "business_number", "seq") where "status" in ('queued', 'sending');

-- index outbox_workspace_chat on outbox
CREATE INDEX "outbox_workspace_chat" on "outbox" ("workspace_id", "chat_id", "seq");

-- index sqlite_autoindex_conversations_1 on conversations
(no sql);

-- index sqlite_autoindex_outbox_1 on outbox
(no sql);

-- index sqlite_autoindex_unroutable_messages_1 on unroutable_messages
(no sql);

-- index sqlite_autoindex_unroutable_messages_2 on unroutable_messages
(no sql);

-- table unroutable_messages on unroutable_messages
CREATE TABLE "unroutable_messages" ("id" text primary key, "business_number" text not null, "provider_message_id" text not null, "chat_id" text not null, "sender_wa_id" text, "sender_phone" text, "sender_name" text, "text" text check (text is null or length(text) <= 65536), "provider_ts" integer, "received_at" integer not null, constraint "unroutable_provider_id" unique ("business_number", "provider_message_id"));

---------- 0004-unanswered

-- index sqlite_autoindex_unanswered_questions_1 on unanswered_questions
(no sql);

-- index sqlite_autoindex_unanswered_questions_2 on unanswered_questions
(no sql);

-- table unanswered_questions on unanswered_questions
CREATE TABLE "unanswered_questions" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "text" text not null check (length(text) between 1 and 2000), "normalized" text not null check (length(normalized) between 1 and 2000), "count" integer default 1 not null check (count >= 1), "first_seen_at" integer not null, "last_seen_at" integer not null, "group_key" text not null, "resolved" integer default 0 not null check (resolved in (0, 1)), constraint "unanswered_questions_workspace_normalized" unique ("workspace_id", "normalized"));

-- index unanswered_questions_workspace_group on unanswered_questions
CREATE INDEX "unanswered_questions_workspace_group" on "unanswered_questions" ("workspace_id", "group_key");

-- index unanswered_questions_workspace_open on unanswered_questions
CREATE INDEX "unanswered_questions_workspace_open" on "unanswered_questions" ("workspace_id", "resolved", "last_seen_at");

---------- 0005-sync

-- table installation on installation
CREATE TABLE "installation" ("singleton" integer default 1 primary key check (singleton = 1), "id" text not null check (length(id) between 8 and 64), "created_at" integer not null);

-- index sqlite_autoindex_sync_state_1 on sync_state
(no sql);

-- table sync_state on sync_state
CREATE TABLE "sync_state" ("workspace_id" text primary key references "workspaces" ("id") on delete cascade, "server_url" text not null check ((server_url like 'http://%' or server_url like 'https://%') and length(server_url) <= 500), "central_workspace_id" text not null check (length(central_workspace_id) between 1 and 200), "central_workspace_name" text not null check (length(central_workspace_name) <= 200), "token_sealed" text not null, "last_acked_seq" integer default 0 not null check (last_acked_seq >= 0), "share_message_text" integer default 0 not null check (share_message_text in (0, 1)), "state" text default 'active' not null check (state in ('active', 'needs-attention')), "enrolled_at" integer not null, "last_success_at" integer, "last_error" text check (last_error is null or length(last_error) <= 2000), "last_error_at" integer, "updated_at" integer not null, constraint "sync_state_error_pair" check ((last_error is null) = (last_error_at is null)));

---------- 0006-message-outcome

-- table messages on messages
CREATE TABLE "messages" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "provider_message_id" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "direction" text not null check (direction in ('in', 'out')), "author" text not null check (author in ('contact', 'bot', 'owner')), "text" text check (text is null or length(text) <= 65536), "status" text not null, "provider_ts" integer, "created_at" integer not null, "updated_at" integer not null, "chat_kind" text, outcome text
      check (outcome is null or outcome in ('bot', 'handoff', 'unanswered')), constraint "messages_provider_id" unique ("workspace_id", "business_number", "provider_message_id"));

---------- 0007-ai

-- table ai_keys on ai_keys
CREATE TABLE "ai_keys" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "provider_id" text not null check (length(provider_id) between 1 and 40), "key_sealed" text not null, "hint" text not null check (length(hint) <= 8), "updated_at" integer not null, constraint "ai_keys_pk" primary key ("workspace_id", "provider_id"));

-- table ai_spend on ai_spend
CREATE TABLE "ai_spend" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "period" text not null check (period in ('day', 'month')), "period_key" text not null check (length(period_key) between 7 and 10), "nano_usd" integer default 0 not null check (nano_usd >= 0), "calls" integer default 0 not null check (calls >= 0), "noticed" integer default 0 not null check (noticed in (0, 1)), "updated_at" integer not null, constraint "ai_spend_pk" primary key ("workspace_id", "period", "period_key"));

-- index sqlite_autoindex_ai_keys_1 on ai_keys
(no sql);

-- index sqlite_autoindex_ai_spend_1 on ai_spend
(no sql);

---------- 0008-outbox-cancelled

-- table outbox on outbox
CREATE TABLE "outbox" (
      seq integer primary key autoincrement,
      id text not null unique,
      workspace_id text not null references workspaces(id) on delete cascade,
      business_number text not null,
      chat_id text not null,
      inbound_message_id text,
      kind text not null check (kind in ('faq', 'ai', 'greeting', 'away', 'handoff', 'owner')),
      text text not null check (length(text) between 1 and 65536),
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at integer not null,
      last_error text,
      created_at integer not null,
      updated_at integer not null,
      sent_at integer,
      provider_message_id text
    );

---------- 0009-cloud-numbers

-- table cloud_message_pricing on cloud_message_pricing
CREATE TABLE "cloud_message_pricing" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "provider_message_id" text not null, "billable" integer not null check (billable in (0, 1)), "pricing_model" text, "category" text, "type" text, "recorded_at" integer not null, constraint "cloud_message_pricing_pk" primary key ("workspace_id", "business_number", "provider_message_id"));

-- index cloud_message_pricing_time on cloud_message_pricing
CREATE INDEX "cloud_message_pricing_time" on "cloud_message_pricing" ("workspace_id", "recorded_at");

-- table cloud_numbers on cloud_numbers
CREATE TABLE "cloud_numbers" ("number_id" text primary key references "phone_numbers" ("id") on delete cascade, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "phone_number_id" text not null unique check (length(phone_number_id) between 1 and 40), "waba_id" text not null check (length(waba_id) between 1 and 40), "graph_base_url" text check (graph_base_url is null or length(graph_base_url) <= 300), "graph_version" text check (graph_version is null or length(graph_version) <= 10), "token_sealed" text not null, "token_hint" text not null check (length(token_hint) <= 8), "app_secret_sealed" text, "verify_token_sealed" text, "display_phone_number" text, "verified_name" text, "quality_rating" text, "last_checked_at" integer, "created_at" integer not null, "updated_at" integer not null);

-- index cloud_numbers_workspace on cloud_numbers
CREATE INDEX "cloud_numbers_workspace" on "cloud_numbers" ("workspace_id");

-- index sqlite_autoindex_cloud_message_pricing_1 on cloud_message_pricing
(no sql);

-- index sqlite_autoindex_cloud_numbers_1 on cloud_numbers
(no sql);

-- index sqlite_autoindex_cloud_numbers_2 on cloud_numbers
(no sql);

---------- 0010-cloud-relay-held

-- table cloud_relay_held on cloud_relay_held
CREATE TABLE cloud_relay_held (
      id integer primary key autoincrement,
      workspace_id text not null references workspaces (id) on delete cascade,
      phone_number_id text not null check (length(phone_number_id) between 1 and 40),
      relay_key text not null check (length(relay_key) between 1 and 400),
      seq integer not null check (seq > 0),
      notification text not null,
      messages integer not null check (messages >= 0),
      statuses integer not null check (statuses >= 0),
      received_at integer not null,
      held_at integer not null,
      unique (workspace_id, relay_key, seq)
    );

-- index cloud_relay_held_number on cloud_relay_held
CREATE INDEX "cloud_relay_held_number" on "cloud_relay_held" ("workspace_id", "phone_number_id", "id");

-- index sqlite_autoindex_cloud_relay_held_1 on cloud_relay_held
(no sql);

---------- 0011-conversation-policy

-- table conversations on conversations
CREATE TABLE "conversations" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "first_seen_at" integer not null, "last_inbound_at" integer, "greeted_at" integer, "handoff_since" integer, "handoff_reason" text, "bot_paused_until" integer, "last_away_period" text, "flood_window_start" integer, "flood_count" integer default 0 not null, "updated_at" integer not null, waiting_since integer, waiting_reason text, released_at integer, last_answer_faq_id text, constraint "conversations_pk" primary key ("workspace_id", "business_number", "chat_id"), constraint "conversations_handoff_pair" check ((handoff_since is null) = (handoff_reason is null)));

-- index conversations_waiting on conversations
CREATE INDEX conversations_waiting on conversations (workspace_id, waiting_since)
      where waiting_since is not null;

-- table messages on messages
CREATE TABLE "messages" ("id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "provider_message_id" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "direction" text not null check (direction in ('in', 'out')), "author" text not null check (author in ('contact', 'bot', 'owner')), "text" text check (text is null or length(text) <= 65536), "status" text not null, "provider_ts" integer, "created_at" integer not null, "updated_at" integer not null, "chat_kind" text, outcome text
      check (outcome is null or outcome in ('bot', 'handoff', 'unanswered')), decision text, disposition text
      check (disposition is null or disposition in ('answered', 'person', 'left', 'unanswered')), constraint "messages_provider_id" unique ("workspace_id", "business_number", "provider_message_id"));

---------- 0012-lid-mappings

-- table lid_mappings on lid_mappings
CREATE TABLE lid_mappings (
      workspace_id text not null references workspaces (id) on delete cascade,
      lid text not null check (lid like '%@lid' and length(lid) <= 64),
      phone_jid text not null check (phone_jid like '%@s.whatsapp.net' and length(phone_jid) <= 64),
      business_number text not null,
      source text not null check (source in ('message', 'lid-mapping.update', 'key-store', 'upgrade')),
      created_at integer not null,
      updated_at integer not null,
      primary key (workspace_id, lid)
    );

-- index sqlite_autoindex_lid_mappings_1 on lid_mappings
(no sql);

---------- 0013-chat-read

-- table chat_reads on chat_reads
CREATE TABLE chat_reads (
      workspace_id text not null references workspaces (id) on delete cascade,
      chat_id text not null check (length(chat_id) between 1 and 200),
      read_at integer not null,
      updated_at integer not null,
      primary key (workspace_id, chat_id)
    );

-- index sqlite_autoindex_chat_reads_1 on chat_reads
(no sql);

---------- 0014-message-media

-- table message_media on message_media
CREATE TABLE message_media (
      message_id text primary key references messages (id) on delete cascade,
      workspace_id text not null references workspaces (id) on delete cascade,
      kind text not null check (kind in
        ('image', 'video', 'voice', 'audio', 'document', 'sticker', 'location', 'contact')),
      mime text,
      size integer check (size is null or size >= 0),
      sha256 text check (sha256 is null or length(sha256) = 64),
      file_name text,
      caption text,
      duration_s integer,
      thumbnail blob,
      extra text,
      ref text,
      state text not null check (state in ('pending', 'stored', 'failed', 'too-large', 'deleted', 'none')),
      error text,
      attempts integer not null default 0,
      created_at integer not null,
      updated_at integer not null
    );

-- index message_media_sha256 on message_media
CREATE INDEX message_media_sha256 on message_media (sha256) where sha256 is not null;

-- index message_media_workspace_state on message_media
CREATE INDEX message_media_workspace_state on message_media (workspace_id, state, created_at);

-- index sqlite_autoindex_message_media_1 on message_media
(no sql);

---------- 0015-inbox

-- table chat_labels on chat_labels
CREATE TABLE chat_labels (
      workspace_id text not null references workspaces (id) on delete cascade,
      chat_id text not null check (length(chat_id) between 1 and 200),
      label_id text not null references labels (id) on delete cascade,
      created_at integer not null,
      primary key (workspace_id, chat_id, label_id)
    );

-- index chat_labels_label on chat_labels
CREATE INDEX chat_labels_label on chat_labels (label_id);

-- table chat_profiles on chat_profiles
CREATE TABLE chat_profiles (
      workspace_id text not null references workspaces (id) on delete cascade,
      chat_id text not null check (length(chat_id) between 1 and 200),
      name text check (name is null or length(name) between 1 and 100),
      notes text not null default '' check (length(notes) <= 4000),
      updated_at integer not null,
      primary key (workspace_id, chat_id)
    );

-- table labels on labels
CREATE TABLE labels (
      id text primary key,
      workspace_id text not null references workspaces (id) on delete cascade,
      name text not null check (length(name) between 1 and 40),
      color text not null check (color glob '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
      position integer not null,
      created_at integer not null,
      updated_at integer not null
    );

-- trigger labels_seed on workspaces
CREATE TRIGGER labels_seed after insert on workspaces begin insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
   select 'lbl-' || lower(hex(randomblob(12))), w.id, 'New customer', '#2f8fe0', 0, w.created_at, w.created_at
   from (select new.id as id, new.created_at as created_at) w;
insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
   select 'lbl-' || lower(hex(randomblob(12))), w.id, 'New order', '#e6a817', 1, w.created_at, w.created_at
   from (select new.id as id, new.created_at as created_at) w;
insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
   select 'lbl-' || lower(hex(randomblob(12))), w.id, 'Pending payment', '#e8663d', 2, w.created_at, w.created_at
   from (select new.id as id, new.created_at as created_at) w;
insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
   select 'lbl-' || lower(hex(randomblob(12))), w.id, 'Paid', '#2e9e5b', 3, w.created_at, w.created_at
   from (select new.id as id, new.created_at as created_at) w;
insert into labels (id, workspace_id, name, color, position, created_at, updated_at)
   select 'lbl-' || lower(hex(randomblob(12))), w.id, 'Order complete', '#8a5cc7', 4, w.created_at, w.created_at
   from (select new.id as id, new.created_at as created_at) w; end;

-- index labels_workspace_name on labels
CREATE UNIQUE INDEX labels_workspace_name on labels (workspace_id, name collate nocase);

-- table message_search on message_search
CREATE VIRTUAL TABLE message_search using fts5(
      text, content = 'messages', tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4'
    );

-- table message_search_config on message_search_config
CREATE TABLE 'message_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table message_search_data on message_search_data
CREATE TABLE 'message_search_data'(id INTEGER PRIMARY KEY, block BLOB);

-- trigger message_search_delete on messages
CREATE TRIGGER message_search_delete after delete on messages when old.text is not null begin
      insert into message_search (message_search, rowid, text) values ('delete', old.rowid, old.text);
    end;

-- table message_search_docsize on message_search_docsize
CREATE TABLE 'message_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table message_search_idx on message_search_idx
CREATE TABLE 'message_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- trigger message_search_insert on messages
CREATE TRIGGER message_search_insert after insert on messages when new.text is not null begin
      insert into message_search (rowid, text) values (new.rowid, new.text);
    end;

-- trigger message_search_update on messages
CREATE TRIGGER message_search_update after update of text on messages begin
      insert into message_search (message_search, rowid, text)
        select 'delete', old.rowid, old.text where old.text is not null;
      insert into message_search (rowid, text) select new.rowid, new.text where new.text is not null;
    end;

-- table saved_replies on saved_replies
CREATE TABLE saved_replies (
      id text primary key,
      workspace_id text not null references workspaces (id) on delete cascade,
      title text not null check (length(title) between 1 and 60),
      text text not null check (length(text) between 1 and 4096),
      created_at integer not null,
      updated_at integer not null
    );

-- index saved_replies_workspace on saved_replies
CREATE INDEX saved_replies_workspace on saved_replies (workspace_id, title);

-- index sqlite_autoindex_chat_labels_1 on chat_labels
(no sql);

-- index sqlite_autoindex_chat_profiles_1 on chat_profiles
(no sql);

-- index sqlite_autoindex_labels_1 on labels
(no sql);

-- index sqlite_autoindex_saved_replies_1 on saved_replies
(no sql);

---------- 0016-clarify-and-learning

-- table bot_learned on bot_learned
CREATE TABLE bot_learned (
      id text primary key,
      workspace_id text not null references workspaces (id) on delete cascade,
      faq_id text references faqs (id) on delete set null,
      kind text not null check (kind in ('phrasing', 'faq')),
      text text not null check (length(text) between 1 and 1000),
      chat_id text,
      created_at integer not null
    );

-- index bot_learned_workspace_time on bot_learned
CREATE INDEX bot_learned_workspace_time on bot_learned (workspace_id, created_at);

-- table conversations on conversations
CREATE TABLE "conversations" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "business_number" text not null, "chat_id" text not null, "contact_id" text references "contacts" ("id") on delete set null, "first_seen_at" integer not null, "last_inbound_at" integer, "greeted_at" integer, "handoff_since" integer, "handoff_reason" text, "bot_paused_until" integer, "last_away_period" text, "flood_window_start" integer, "flood_count" integer default 0 not null, "updated_at" integer not null, waiting_since integer, waiting_reason text, released_at integer, last_answer_faq_id text, clarify_faq_ids text, clarify_asked_at integer, clarify_expires_at integer, constraint "conversations_pk" primary key ("workspace_id", "business_number", "chat_id"), constraint "conversations_handoff_pair" check ((handoff_since is null) = (handoff_reason is null)));

-- index conversations_clarify_due on conversations
CREATE INDEX conversations_clarify_due on conversations (clarify_expires_at)
      where clarify_expires_at is not null;

-- table faq_answer_sends on faq_answer_sends
CREATE TABLE faq_answer_sends (
      workspace_id text not null references workspaces (id) on delete cascade,
      faq_id text not null,
      chat_id text not null,
      business_number text not null,
      outbox_id text not null,
      created_at integer not null,
      primary key (workspace_id, faq_id, chat_id)
    );

-- index sqlite_autoindex_bot_learned_1 on bot_learned
(no sql);

-- index sqlite_autoindex_faq_answer_sends_1 on faq_answer_sends
(no sql);

---------- 0017-outbound-media

-- table faq_attachments on faq_attachments
CREATE TABLE faq_attachments (
      faq_id text primary key references faqs (id) on delete cascade,
      workspace_id text not null references workspaces (id) on delete cascade,
      kind text not null check (kind in ('image', 'document')),
      sha256 text not null check (length(sha256) = 64),
      mime text not null,
      file_name text not null,
      size integer not null check (size > 0),
      created_at integer not null
    );

-- index faq_attachments_workspace on faq_attachments
CREATE INDEX faq_attachments_workspace on faq_attachments (workspace_id);

-- table outbox on outbox
CREATE TABLE "outbox" (
      seq integer primary key autoincrement,
      id text not null unique,
      workspace_id text not null references workspaces(id) on delete cascade,
      business_number text not null,
      chat_id text not null,
      inbound_message_id text,
      kind text not null check (kind in ('faq', 'ai', 'greeting', 'away', 'handoff', 'owner')),
      text text not null check (length(text) between 1 and 65536),
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at integer not null,
      last_error text,
      created_at integer not null,
      updated_at integer not null,
      sent_at integer,
      provider_message_id text
    , media_kind text
      check (media_kind is null or media_kind in ('image', 'voice', 'audio', 'document')), media_sha256 text
      check (media_sha256 is null or length(media_sha256) = 64), media_mime text, media_file_name text, media_caption text);

-- index sqlite_autoindex_faq_attachments_1 on faq_attachments
(no sql);

---------- 0018-outbox-choices

-- table outbox on outbox
CREATE TABLE "outbox" (
      seq integer primary key autoincrement,
      id text not null unique,
      workspace_id text not null references workspaces(id) on delete cascade,
      business_number text not null,
      chat_id text not null,
      inbound_message_id text,
      kind text not null check (kind in ('faq', 'ai', 'greeting', 'away', 'handoff', 'owner')),
      text text not null check (length(text) between 1 and 65536),
      status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'cancelled')),
      attempts integer not null default 0 check (attempts >= 0),
      next_attempt_at integer not null,
      last_error text,
      created_at integer not null,
      updated_at integer not null,
      sent_at integer,
      provider_message_id text
    , media_kind text
      check (media_kind is null or media_kind in ('image', 'voice', 'audio', 'document')), media_sha256 text
      check (media_sha256 is null or length(media_sha256) = 64), media_mime text, media_file_name text, media_caption text, choices text
      check (choices is null or json_valid(choices)));
