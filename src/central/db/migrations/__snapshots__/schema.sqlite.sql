---------- 0001-initial

-- table central_migration on central_migration
CREATE TABLE "central_migration" ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null);

-- table central_migration_lock on central_migration_lock
CREATE TABLE "central_migration_lock" ("id" varchar(255) not null primary key, "is_locked" integer default 0 not null);

-- table daily_counts on daily_counts
CREATE TABLE "daily_counts" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "day" integer not null, "messages_in" integer default 0 not null, "messages_out" integer default 0 not null, "errors" integer default 0 not null, constraint "daily_counts_pk" primary key ("workspace_id", "day"));

-- table enrollments on enrollments
CREATE TABLE "enrollments" ("code_hash" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "created_at" bigint not null, "expires_at" bigint not null, "used_at" bigint, "installation_id" text references "installations" ("id"));

-- index enrollments_workspace on enrollments
CREATE INDEX "enrollments_workspace" on "enrollments" ("workspace_id");

-- table events on events
CREATE TABLE "events" ("workspace_id" text not null, "installation_id" text not null, "seq" bigint not null, "ts" bigint not null, "level" text not null check (level in ('debug', 'info', 'warn', 'error')), "type" text not null, "contact_id" text, "message" text not null, "meta" text, "text" text, "received_at" bigint not null, constraint "events_pk" primary key ("workspace_id", "installation_id", "seq"));

-- index events_errors on events
CREATE INDEX "events_errors" on "events" ("ts", "workspace_id") where "level" = 'error';

-- index events_workspace_seq on events
CREATE INDEX "events_workspace_seq" on "events" ("workspace_id", "seq");

-- table installations on installations
CREATE TABLE "installations" ("id" text primary key, "name" text not null, "app_version" text not null, "platform" text not null, "first_seen_at" bigint not null, "last_seen_at" bigint not null);

-- table number_states on number_states
CREATE TABLE "number_states" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "number" text not null, "installation_id" text not null, "provider" text not null, "status" text not null, "updated_at" bigint not null, "reported_at" bigint not null, constraint "number_states_pk" primary key ("workspace_id", "number"));

-- index sqlite_autoindex_central_migration_1 on central_migration
(no sql);

-- index sqlite_autoindex_central_migration_lock_1 on central_migration_lock
(no sql);

-- index sqlite_autoindex_daily_counts_1 on daily_counts
(no sql);

-- index sqlite_autoindex_enrollments_1 on enrollments
(no sql);

-- index sqlite_autoindex_events_1 on events
(no sql);

-- index sqlite_autoindex_installations_1 on installations
(no sql);

-- index sqlite_autoindex_number_states_1 on number_states
(no sql);

-- index sqlite_autoindex_workspace_links_1 on workspace_links
(no sql);

-- index sqlite_autoindex_workspace_links_2 on workspace_links
(no sql);

-- index sqlite_autoindex_workspaces_1 on workspaces
(no sql);

-- table workspace_links on workspace_links
CREATE TABLE "workspace_links" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "installation_id" text not null references "installations" ("id"), "token_hash" text not null unique, "local_workspace_name" text not null, "enrolled_at" bigint not null, "last_seen_at" bigint, "backlog" bigint default 0 not null, constraint "workspace_links_pk" primary key ("workspace_id", "installation_id"));

-- index workspace_links_installation on workspace_links
CREATE INDEX "workspace_links_installation" on "workspace_links" ("installation_id");

-- table workspaces on workspaces
CREATE TABLE "workspaces" ("id" text primary key, "name" text not null check (length(name) between 1 and 200), "created_at" bigint not null);

---------- 0002-webhook-relay

-- table cloud_numbers on cloud_numbers
CREATE TABLE "cloud_numbers" ("phone_number_id" text primary key, "workspace_id" text not null references "workspaces" ("id") on delete cascade, "app_secret_sealed" text not null, "verify_token_hash" text not null, "created_at" bigint not null, "updated_at" bigint not null);

-- index cloud_numbers_verify_token on cloud_numbers
CREATE INDEX "cloud_numbers_verify_token" on "cloud_numbers" ("verify_token_hash");

-- index cloud_numbers_workspace on cloud_numbers
CREATE INDEX "cloud_numbers_workspace" on "cloud_numbers" ("workspace_id");

-- table relay_cursors on relay_cursors
CREATE TABLE "relay_cursors" ("workspace_id" text primary key references "workspaces" ("id") on delete cascade, "last_seq" bigint default 0 not null, "acked_seq" bigint default 0 not null);

-- table relay_notifications on relay_notifications
CREATE TABLE "relay_notifications" ("workspace_id" text not null references "workspaces" ("id") on delete cascade, "seq" bigint not null, "phone_number_id" text not null, "dedupe_key" text not null, "payload" text not null, "received_at" bigint not null, constraint "relay_notifications_pk" primary key ("workspace_id", "seq"), constraint "relay_notifications_dedupe" unique ("workspace_id", "dedupe_key"));

-- table relay_unroutable on relay_unroutable
CREATE TABLE "relay_unroutable" ("dedupe_key" text primary key, "phone_number_id" text not null, "payload" text not null, "received_at" bigint not null);

-- index sqlite_autoindex_cloud_numbers_1 on cloud_numbers
(no sql);

-- index sqlite_autoindex_relay_cursors_1 on relay_cursors
(no sql);

-- index sqlite_autoindex_relay_notifications_1 on relay_notifications
(no sql);

-- index sqlite_autoindex_relay_notifications_2 on relay_notifications
(no sql);

-- index sqlite_autoindex_relay_unroutable_1 on relay_unroutable
(no sql);

---------- 0003-relay-number-index

-- index relay_notifications_number on relay_notifications
CREATE INDEX "relay_notifications_number" on "relay_notifications" ("workspace_id", "phone_number_id", "seq");

---------- 0004-update-releases

-- index sqlite_autoindex_update_release_workspaces_1 on update_release_workspaces
(no sql);

-- index sqlite_autoindex_update_releases_1 on update_releases
(no sql);

-- index sqlite_autoindex_update_releases_2 on update_releases
(no sql);

-- table update_release_workspaces on update_release_workspaces
CREATE TABLE "update_release_workspaces" ("release_id" text not null references "update_releases" ("id") on delete cascade, "workspace_id" text not null references "workspaces" ("id") on delete cascade, constraint "update_release_workspaces_pk" primary key ("release_id", "workspace_id"));

-- table update_releases on update_releases
CREATE TABLE "update_releases" ("id" text primary key, "platform" text not null, "version" text not null, "file_name" text not null, "sha512" text not null, "size" bigint not null, "store_schema" text, "notes" text not null, "state" text not null, "percent" integer not null, "created_at" bigint not null, "updated_at" bigint not null, constraint "update_releases_platform_version" unique ("platform", "version"));

-- index update_releases_file on update_releases
CREATE INDEX "update_releases_file" on "update_releases" ("file_name");
