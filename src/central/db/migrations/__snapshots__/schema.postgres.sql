---------- 0001-initial

column central_migration.name #1 character varying not null
column central_migration.timestamp #2 character varying not null
column central_migration_lock.id #1 character varying not null
column central_migration_lock.is_locked #2 integer not null default 0
column daily_counts.workspace_id #1 text not null
column daily_counts.day #2 integer not null
column daily_counts.messages_in #3 integer not null default 0
column daily_counts.messages_out #4 integer not null default 0
column daily_counts.errors #5 integer not null default 0
column enrollments.code_hash #1 text not null
column enrollments.workspace_id #2 text not null
column enrollments.created_at #3 bigint not null
column enrollments.expires_at #4 bigint not null
column enrollments.used_at #5 bigint
column enrollments.installation_id #6 text
column events.workspace_id #1 text not null
column events.installation_id #2 text not null
column events.seq #3 bigint not null
column events.ts #4 bigint not null
column events.level #5 text not null
column events.type #6 text not null
column events.contact_id #7 text
column events.message #8 text not null
column events.meta #9 text
column events.text #10 text
column events.received_at #11 bigint not null
column installations.id #1 text not null
column installations.name #2 text not null
column installations.app_version #3 text not null
column installations.platform #4 text not null
column installations.first_seen_at #5 bigint not null
column installations.last_seen_at #6 bigint not null
column number_states.workspace_id #1 text not null
column number_states.number #2 text not null
column number_states.installation_id #3 text not null
column number_states.provider #4 text not null
column number_states.status #5 text not null
column number_states.updated_at #6 bigint not null
column number_states.reported_at #7 bigint not null
column workspace_links.workspace_id #1 text not null
column workspace_links.installation_id #2 text not null
column workspace_links.token_hash #3 text not null
column workspace_links.local_workspace_name #4 text not null
column workspace_links.enrolled_at #5 bigint not null
column workspace_links.last_seen_at #6 bigint
column workspace_links.backlog #7 bigint not null default 0
column workspaces.id #1 text not null
column workspaces.name #2 text not null
column workspaces.created_at #3 bigint not null
constraint central_migration_pkey on central_migration PRIMARY KEY (name)
constraint central_migration_lock_pkey on central_migration_lock PRIMARY KEY (id)
constraint daily_counts_pk on daily_counts PRIMARY KEY (workspace_id, day)
constraint daily_counts_workspace_id_fkey on daily_counts FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint enrollments_installation_id_fkey on enrollments FOREIGN KEY (installation_id) REFERENCES installations(id)
constraint enrollments_pkey on enrollments PRIMARY KEY (code_hash)
constraint enrollments_workspace_id_fkey on enrollments FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint events_level_check on events CHECK ((level = ANY (ARRAY['debug'::text, 'info'::text, 'warn'::text, 'error'::text])))
constraint events_pk on events PRIMARY KEY (workspace_id, installation_id, seq)
constraint installations_pkey on installations PRIMARY KEY (id)
constraint number_states_pk on number_states PRIMARY KEY (workspace_id, number)
constraint number_states_workspace_id_fkey on number_states FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint workspace_links_installation_id_fkey on workspace_links FOREIGN KEY (installation_id) REFERENCES installations(id)
constraint workspace_links_pk on workspace_links PRIMARY KEY (workspace_id, installation_id)
constraint workspace_links_token_hash_key on workspace_links UNIQUE (token_hash)
constraint workspace_links_workspace_id_fkey on workspace_links FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint workspaces_name_check on workspaces CHECK (((length(name) >= 1) AND (length(name) <= 200)))
constraint workspaces_pkey on workspaces PRIMARY KEY (id)
index central_migration_pkey CREATE UNIQUE INDEX central_migration_pkey ON central_migration USING btree (name)
index central_migration_lock_pkey CREATE UNIQUE INDEX central_migration_lock_pkey ON central_migration_lock USING btree (id)
index daily_counts_pk CREATE UNIQUE INDEX daily_counts_pk ON daily_counts USING btree (workspace_id, day)
index enrollments_pkey CREATE UNIQUE INDEX enrollments_pkey ON enrollments USING btree (code_hash)
index enrollments_workspace CREATE INDEX enrollments_workspace ON enrollments USING btree (workspace_id)
index events_errors CREATE INDEX events_errors ON events USING btree (ts, workspace_id) WHERE (level = 'error'::text)
index events_pk CREATE UNIQUE INDEX events_pk ON events USING btree (workspace_id, installation_id, seq)
index events_workspace_seq CREATE INDEX events_workspace_seq ON events USING btree (workspace_id, seq)
index installations_pkey CREATE UNIQUE INDEX installations_pkey ON installations USING btree (id)
index number_states_pk CREATE UNIQUE INDEX number_states_pk ON number_states USING btree (workspace_id, number)
index workspace_links_installation CREATE INDEX workspace_links_installation ON workspace_links USING btree (installation_id)
index workspace_links_pk CREATE UNIQUE INDEX workspace_links_pk ON workspace_links USING btree (workspace_id, installation_id)
index workspace_links_token_hash_key CREATE UNIQUE INDEX workspace_links_token_hash_key ON workspace_links USING btree (token_hash)
index workspaces_pkey CREATE UNIQUE INDEX workspaces_pkey ON workspaces USING btree (id)

---------- 0002-webhook-relay

column cloud_numbers.phone_number_id #1 text not null
column cloud_numbers.workspace_id #2 text not null
column cloud_numbers.app_secret_sealed #3 text not null
column cloud_numbers.verify_token_hash #4 text not null
column cloud_numbers.created_at #5 bigint not null
column cloud_numbers.updated_at #6 bigint not null
column relay_cursors.workspace_id #1 text not null
column relay_cursors.last_seq #2 bigint not null default 0
column relay_cursors.acked_seq #3 bigint not null default 0
column relay_notifications.workspace_id #1 text not null
column relay_notifications.seq #2 bigint not null
column relay_notifications.phone_number_id #3 text not null
column relay_notifications.dedupe_key #4 text not null
column relay_notifications.payload #5 text not null
column relay_notifications.received_at #6 bigint not null
column relay_unroutable.dedupe_key #1 text not null
column relay_unroutable.phone_number_id #2 text not null
column relay_unroutable.payload #3 text not null
column relay_unroutable.received_at #4 bigint not null
constraint cloud_numbers_pkey on cloud_numbers PRIMARY KEY (phone_number_id)
constraint cloud_numbers_workspace_id_fkey on cloud_numbers FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint relay_cursors_pkey on relay_cursors PRIMARY KEY (workspace_id)
constraint relay_cursors_workspace_id_fkey on relay_cursors FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint relay_notifications_dedupe on relay_notifications UNIQUE (workspace_id, dedupe_key)
constraint relay_notifications_pk on relay_notifications PRIMARY KEY (workspace_id, seq)
constraint relay_notifications_workspace_id_fkey on relay_notifications FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint relay_unroutable_pkey on relay_unroutable PRIMARY KEY (dedupe_key)
index cloud_numbers_pkey CREATE UNIQUE INDEX cloud_numbers_pkey ON cloud_numbers USING btree (phone_number_id)
index cloud_numbers_verify_token CREATE INDEX cloud_numbers_verify_token ON cloud_numbers USING btree (verify_token_hash)
index cloud_numbers_workspace CREATE INDEX cloud_numbers_workspace ON cloud_numbers USING btree (workspace_id)
index relay_cursors_pkey CREATE UNIQUE INDEX relay_cursors_pkey ON relay_cursors USING btree (workspace_id)
index relay_notifications_dedupe CREATE UNIQUE INDEX relay_notifications_dedupe ON relay_notifications USING btree (workspace_id, dedupe_key)
index relay_notifications_pk CREATE UNIQUE INDEX relay_notifications_pk ON relay_notifications USING btree (workspace_id, seq)
index relay_unroutable_pkey CREATE UNIQUE INDEX relay_unroutable_pkey ON relay_unroutable USING btree (dedupe_key)

---------- 0003-relay-number-index

index relay_notifications_number CREATE INDEX relay_notifications_number ON relay_notifications USING btree (workspace_id, phone_number_id, seq)

---------- 0004-update-releases

column update_release_workspaces.release_id #1 text not null
column update_release_workspaces.workspace_id #2 text not null
column update_releases.id #1 text not null
column update_releases.platform #2 text not null
column update_releases.version #3 text not null
column update_releases.file_name #4 text not null
column update_releases.sha512 #5 text not null
column update_releases.size #6 bigint not null
column update_releases.store_schema #7 text
column update_releases.notes #8 text not null
column update_releases.state #9 text not null
column update_releases.percent #10 integer not null
column update_releases.created_at #11 bigint not null
column update_releases.updated_at #12 bigint not null
constraint update_release_workspaces_pk on update_release_workspaces PRIMARY KEY (release_id, workspace_id)
constraint update_release_workspaces_release_id_fkey on update_release_workspaces FOREIGN KEY (release_id) REFERENCES update_releases(id) ON DELETE CASCADE
constraint update_release_workspaces_workspace_id_fkey on update_release_workspaces FOREIGN KEY (workspace_id) REFERENCES workspaces(id) ON DELETE CASCADE
constraint update_releases_pkey on update_releases PRIMARY KEY (id)
constraint update_releases_platform_version on update_releases UNIQUE (platform, version)
index update_release_workspaces_pk CREATE UNIQUE INDEX update_release_workspaces_pk ON update_release_workspaces USING btree (release_id, workspace_id)
index update_releases_file CREATE INDEX update_releases_file ON update_releases USING btree (file_name)
index update_releases_pkey CREATE UNIQUE INDEX update_releases_pkey ON update_releases USING btree (id)
index update_releases_platform_version CREATE UNIQUE INDEX update_releases_platform_version ON update_releases USING btree (platform, version)
