-- Back to primary keys on id alone, with UNIQUE (tenant_id, id) for the foreign keys.
ALTER TABLE users DROP CONSTRAINT users_household_fk;
ALTER TABLE sessions DROP CONSTRAINT sessions_tenant_id_user_id_fkey;
ALTER TABLE refresh_tokens DROP CONSTRAINT refresh_tokens_tenant_id_session_id_fkey;
ALTER TABLE password_reset_codes DROP CONSTRAINT password_reset_codes_tenant_id_created_by_fkey;
ALTER TABLE password_reset_codes DROP CONSTRAINT password_reset_codes_tenant_id_user_id_fkey;
ALTER TABLE audit_events DROP CONSTRAINT audit_events_tenant_id_actor_id_fkey;
ALTER TABLE point_entries DROP CONSTRAINT point_entries_tenant_id_actor_id_fkey;
ALTER TABLE point_entries DROP CONSTRAINT point_entries_tenant_id_household_id_fkey;
ALTER TABLE point_entries DROP CONSTRAINT point_entries_tenant_id_reverses_id_fkey;
ALTER TABLE point_entries DROP CONSTRAINT point_entries_tenant_id_rule_id_fkey;
ALTER TABLE point_entries DROP CONSTRAINT point_entries_tenant_id_user_id_fkey;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_tenant_id_closed_by_fkey;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_tenant_id_debit_entry_id_fkey;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_tenant_id_household_id_fkey;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_tenant_id_refund_entry_id_fkey;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_tenant_id_reward_id_fkey;
ALTER TABLE redemptions DROP CONSTRAINT redemptions_tenant_id_user_id_fkey;
ALTER TABLE attendance_records DROP CONSTRAINT attendance_records_tenant_id_event_id_fkey;
ALTER TABLE attendance_records DROP CONSTRAINT attendance_records_tenant_id_household_id_fkey;
ALTER TABLE attendance_records DROP CONSTRAINT attendance_records_tenant_id_points_entry_id_fkey;
ALTER TABLE attendance_records DROP CONSTRAINT attendance_records_tenant_id_recorded_by_fkey;
ALTER TABLE attendance_records DROP CONSTRAINT attendance_records_tenant_id_user_id_fkey;
ALTER TABLE charges DROP CONSTRAINT charges_tenant_id_created_by_fkey;
ALTER TABLE charges DROP CONSTRAINT charges_tenant_id_household_id_fkey;
ALTER TABLE charges DROP CONSTRAINT charges_tenant_id_voided_by_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_tenant_id_household_id_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_tenant_id_recorded_by_fkey;
ALTER TABLE payments DROP CONSTRAINT payments_tenant_id_voided_by_fkey;
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_tenant_id_charge_id_fkey;
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_tenant_id_household_id_fkey;
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_tenant_id_payment_id_fkey;
DROP INDEX idempotency_keys_expiry;
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
ALTER TABLE refresh_tokens
    DROP CONSTRAINT refresh_tokens_tenant_id_token_hash_key,
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);
ALTER TABLE password_reset_codes
    DROP CONSTRAINT password_reset_codes_tenant_id_code_hash_key,
    ADD CONSTRAINT password_reset_codes_code_hash_key UNIQUE (code_hash);
ALTER TABLE users
    DROP CONSTRAINT users_pkey,
    ADD CONSTRAINT users_pkey PRIMARY KEY (id),
    ADD CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE sessions
    DROP CONSTRAINT sessions_pkey,
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id),
    ADD CONSTRAINT sessions_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE refresh_tokens
    DROP CONSTRAINT refresh_tokens_pkey,
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);
ALTER TABLE login_attempts
    DROP CONSTRAINT login_attempts_pkey,
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (id);
ALTER TABLE password_reset_codes
    DROP CONSTRAINT password_reset_codes_pkey,
    ADD CONSTRAINT password_reset_codes_pkey PRIMARY KEY (id);
ALTER TABLE audit_events
    DROP CONSTRAINT audit_events_pkey,
    ADD CONSTRAINT audit_events_pkey PRIMARY KEY (id),
    ADD CONSTRAINT audit_events_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE households
    DROP CONSTRAINT households_pkey,
    ADD CONSTRAINT households_pkey PRIMARY KEY (id),
    ADD CONSTRAINT households_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE point_rules
    DROP CONSTRAINT point_rules_pkey,
    ADD CONSTRAINT point_rules_pkey PRIMARY KEY (id),
    ADD CONSTRAINT point_rules_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE point_entries
    DROP CONSTRAINT point_entries_pkey,
    ADD CONSTRAINT point_entries_pkey PRIMARY KEY (id),
    ADD CONSTRAINT point_entries_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE idempotency_keys
    DROP CONSTRAINT idempotency_keys_pkey,
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (id);
ALTER TABLE rewards
    DROP CONSTRAINT rewards_pkey,
    ADD CONSTRAINT rewards_pkey PRIMARY KEY (id),
    ADD CONSTRAINT rewards_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE redemptions
    DROP CONSTRAINT redemptions_pkey,
    ADD CONSTRAINT redemptions_pkey PRIMARY KEY (id),
    ADD CONSTRAINT redemptions_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE events
    DROP CONSTRAINT events_pkey,
    ADD CONSTRAINT events_pkey PRIMARY KEY (id),
    ADD CONSTRAINT events_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE attendance_records
    DROP CONSTRAINT attendance_records_pkey,
    ADD CONSTRAINT attendance_records_pkey PRIMARY KEY (id),
    ADD CONSTRAINT attendance_records_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE charges
    DROP CONSTRAINT charges_pkey,
    ADD CONSTRAINT charges_pkey PRIMARY KEY (id),
    ADD CONSTRAINT charges_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE payments
    DROP CONSTRAINT payments_pkey,
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id),
    ADD CONSTRAINT payments_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE payment_allocations
    DROP CONSTRAINT payment_allocations_pkey,
    ADD CONSTRAINT payment_allocations_pkey PRIMARY KEY (id),
    ADD CONSTRAINT payment_allocations_tenant_id_id_key UNIQUE (tenant_id, id);
ALTER TABLE users ADD CONSTRAINT users_household_fk
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE sessions ADD CONSTRAINT sessions_tenant_id_user_id_fkey
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id);
ALTER TABLE refresh_tokens ADD CONSTRAINT refresh_tokens_tenant_id_session_id_fkey
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions(tenant_id, id);
ALTER TABLE password_reset_codes ADD CONSTRAINT password_reset_codes_tenant_id_created_by_fkey
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id);
ALTER TABLE password_reset_codes ADD CONSTRAINT password_reset_codes_tenant_id_user_id_fkey
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id);
ALTER TABLE audit_events ADD CONSTRAINT audit_events_tenant_id_actor_id_fkey
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users(tenant_id, id);
ALTER TABLE point_entries ADD CONSTRAINT point_entries_tenant_id_actor_id_fkey
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users(tenant_id, id);
ALTER TABLE point_entries ADD CONSTRAINT point_entries_tenant_id_household_id_fkey
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE point_entries ADD CONSTRAINT point_entries_tenant_id_reverses_id_fkey
    FOREIGN KEY (tenant_id, reverses_id) REFERENCES point_entries(tenant_id, id);
ALTER TABLE point_entries ADD CONSTRAINT point_entries_tenant_id_rule_id_fkey
    FOREIGN KEY (tenant_id, rule_id) REFERENCES point_rules(tenant_id, id);
ALTER TABLE point_entries ADD CONSTRAINT point_entries_tenant_id_user_id_fkey
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id);
ALTER TABLE redemptions ADD CONSTRAINT redemptions_tenant_id_closed_by_fkey
    FOREIGN KEY (tenant_id, closed_by) REFERENCES users(tenant_id, id);
ALTER TABLE redemptions ADD CONSTRAINT redemptions_tenant_id_debit_entry_id_fkey
    FOREIGN KEY (tenant_id, debit_entry_id) REFERENCES point_entries(tenant_id, id);
ALTER TABLE redemptions ADD CONSTRAINT redemptions_tenant_id_household_id_fkey
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE redemptions ADD CONSTRAINT redemptions_tenant_id_refund_entry_id_fkey
    FOREIGN KEY (tenant_id, refund_entry_id) REFERENCES point_entries(tenant_id, id);
ALTER TABLE redemptions ADD CONSTRAINT redemptions_tenant_id_reward_id_fkey
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards(tenant_id, id);
ALTER TABLE redemptions ADD CONSTRAINT redemptions_tenant_id_user_id_fkey
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id);
ALTER TABLE attendance_records ADD CONSTRAINT attendance_records_tenant_id_event_id_fkey
    FOREIGN KEY (tenant_id, event_id) REFERENCES events(tenant_id, id);
ALTER TABLE attendance_records ADD CONSTRAINT attendance_records_tenant_id_household_id_fkey
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE attendance_records ADD CONSTRAINT attendance_records_tenant_id_points_entry_id_fkey
    FOREIGN KEY (tenant_id, points_entry_id) REFERENCES point_entries(tenant_id, id);
ALTER TABLE attendance_records ADD CONSTRAINT attendance_records_tenant_id_recorded_by_fkey
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users(tenant_id, id);
ALTER TABLE attendance_records ADD CONSTRAINT attendance_records_tenant_id_user_id_fkey
    FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id);
ALTER TABLE charges ADD CONSTRAINT charges_tenant_id_created_by_fkey
    FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id);
ALTER TABLE charges ADD CONSTRAINT charges_tenant_id_household_id_fkey
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE charges ADD CONSTRAINT charges_tenant_id_voided_by_fkey
    FOREIGN KEY (tenant_id, voided_by) REFERENCES users(tenant_id, id);
ALTER TABLE payments ADD CONSTRAINT payments_tenant_id_household_id_fkey
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE payments ADD CONSTRAINT payments_tenant_id_recorded_by_fkey
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users(tenant_id, id);
ALTER TABLE payments ADD CONSTRAINT payments_tenant_id_voided_by_fkey
    FOREIGN KEY (tenant_id, voided_by) REFERENCES users(tenant_id, id);
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_tenant_id_charge_id_fkey
    FOREIGN KEY (tenant_id, charge_id) REFERENCES charges(tenant_id, id);
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_tenant_id_household_id_fkey
    FOREIGN KEY (tenant_id, household_id) REFERENCES households(tenant_id, id);
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_tenant_id_payment_id_fkey
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments(tenant_id, id);
