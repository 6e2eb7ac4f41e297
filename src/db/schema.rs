//! The schema, kept by hand (never regenerated from PostgreSQL, which would emit
//! types SQLite lacks). Only the common subset: TEXT ids, TIMESTAMP (UTC
//! `NaiveDateTime`), BIGINT minor units and points, TEXT enums with CHECK.
//! Tenant-owned tables are keyed `(tenant_id, id)`, as in the database: a row
//! lives with its tenant (see `db::join` and docs/SCALING.md).

diesel::table! {
    tenants (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        currency -> Text,
        timezone -> Text,
        registration -> Text,
        created_at -> Timestamp,
        week_starts_on -> Text,
        term_starts -> Text,
        leaderboards_show_dependants -> Bool,
        remind_days_before_due -> Nullable<Integer>,
        remind_days_after_due -> Nullable<Integer>,
    }
}

diesel::table! {
    users (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        email -> Nullable<Text>,
        display_name -> Text,
        phone -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        role -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        household_id -> Nullable<Text>,
        points_balance -> BigInt,
        points_earned -> BigInt,
        kind -> Text,
        scopes -> Text,
        birth_year -> Nullable<Integer>,
        notify_dues -> Bool,
        notify_rewards -> Bool,
    }
}

diesel::table! {
    households (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        address -> Nullable<Text>,
        zone -> Nullable<Text>,
        join_code -> Text,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Text,
        device -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        session_id -> Text,
        token_hash -> Text,
        parent_id -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        email -> Text,
        succeeded -> Bool,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    password_reset_codes (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Text,
        code_hash -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_events (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_events (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        #[sql_name = "type"]
        event_type -> Text,
        data -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    point_rules (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        unit -> Text,
        points_per_unit -> BigInt,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    point_entries (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Text,
        household_id -> Nullable<Text>,
        amount -> BigInt,
        balance_after -> BigInt,
        earned -> BigInt,
        kind -> Text,
        reason -> Nullable<Text>,
        rule_id -> Nullable<Text>,
        quantity_milli -> Nullable<BigInt>,
        source_type -> Nullable<Text>,
        source_id -> Nullable<Text>,
        reverses_id -> Nullable<Text>,
        actor_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Text,
        route -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        response_status -> Nullable<Integer>,
        response_body -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    rewards (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        cost_points -> BigInt,
        stock -> Nullable<BigInt>,
        limit_per_member -> Nullable<BigInt>,
        limit_per_household -> Nullable<BigInt>,
        limit_period -> Text,
        available_from -> Nullable<Timestamp>,
        available_until -> Nullable<Timestamp>,
        active -> Bool,
        archived_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    redemptions (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        reward_id -> Text,
        user_id -> Text,
        household_id -> Nullable<Text>,
        cost_points -> BigInt,
        status -> Text,
        claim_code -> Text,
        debit_entry_id -> Text,
        refund_entry_id -> Nullable<Text>,
        closed_by -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    events (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        location -> Nullable<Text>,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        check_in_opens_at -> Timestamp,
        check_in_closes_at -> Timestamp,
        late_after -> Timestamp,
        points_on_time -> BigInt,
        points_late -> BigInt,
        self_check_in -> Bool,
        capacity -> Nullable<BigInt>,
        attendees -> BigInt,
        cancelled -> Bool,
        code_secret -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    attendance_records (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        event_id -> Text,
        user_id -> Text,
        household_id -> Nullable<Text>,
        status -> Text,
        checked_in_at -> Nullable<Timestamp>,
        method -> Text,
        recorded_by -> Nullable<Text>,
        nonce -> Nullable<Text>,
        points -> BigInt,
        points_entry_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    charges (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        household_id -> Text,
        description -> Text,
        amount -> BigInt,
        amount_paid -> BigInt,
        currency -> Text,
        due_date -> Date,
        status -> Text,
        void_reason -> Nullable<Text>,
        voided_by -> Nullable<Text>,
        voided_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        due_soon_reminded_at -> Nullable<Timestamp>,
        overdue_reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payments (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        household_id -> Text,
        amount -> BigInt,
        currency -> Text,
        method -> Text,
        reference -> Nullable<Text>,
        received_at -> Timestamp,
        receipt_number -> BigInt,
        status -> Text,
        void_reason -> Nullable<Text>,
        voided_by -> Nullable<Text>,
        voided_at -> Nullable<Timestamp>,
        recorded_by -> Nullable<Text>,
        created_at -> Timestamp,
        receipt -> Nullable<Text>,
    }
}

diesel::table! {
    payment_allocations (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        household_id -> Text,
        payment_id -> Text,
        charge_id -> Nullable<Text>,
        amount -> BigInt,
        kind -> Text,
        created_at -> Timestamp,
        refund_id -> Nullable<Text>,
    }
}

diesel::table! {
    refunds (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        household_id -> Text,
        amount -> BigInt,
        currency -> Text,
        method -> Text,
        reference -> Nullable<Text>,
        reason -> Text,
        receipt_number -> BigInt,
        status -> Text,
        void_reason -> Nullable<Text>,
        voided_by -> Nullable<Text>,
        voided_at -> Nullable<Timestamp>,
        issued_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    charge_schedules (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        description -> Text,
        amount -> BigInt,
        all_active -> Bool,
        frequency -> Text,
        anchor_date -> Date,
        ends_on -> Nullable<Date>,
        due_after_days -> Integer,
        next_period -> Nullable<Date>,
        stopped_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    charge_schedule_households (tenant_id, schedule_id, household_id) {
        tenant_id -> Text,
        schedule_id -> Text,
        household_id -> Text,
        eligible_from -> Date,
    }
}

diesel::table! {
    scheduled_charges (tenant_id, schedule_id, household_id, period_start) {
        tenant_id -> Text,
        schedule_id -> Text,
        household_id -> Text,
        period_start -> Date,
        charge_id -> Text,
    }
}

diesel::table! {
    receipt_counters (tenant_id) {
        tenant_id -> Text,
        last_number -> BigInt,
    }
}

diesel::table! {
    badges (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Text,
        issued_by -> Text,
        issued_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    groups (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        name -> Text,
        description -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    group_members (tenant_id, group_id, user_id) {
        tenant_id -> Text,
        group_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    event_groups (tenant_id, event_id, group_id) {
        tenant_id -> Text,
        event_id -> Text,
        group_id -> Text,
    }
}

diesel::table! {
    webhook_endpoints (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        url -> Text,
        description -> Nullable<Text>,
        event_types -> Text,
        secret -> Text,
        previous_secret -> Nullable<Text>,
        previous_secret_until -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        endpoint_id -> Text,
        event_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claim -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        delivery_id -> Text,
        attempted_at -> Timestamp,
        status_code -> Nullable<Integer>,
        latency_ms -> BigInt,
        error -> Nullable<Text>,
    }
}

// Tenant-owned tables join only through `same_tenant!` (db/join.rs): no
// `joinable!` between them, so a join on the id alone does not compile.
diesel::table! {
    mail_messages (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        kind -> Text,
        user_id -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claim -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    password_reset_requests (tenant_id, id) {
        id -> Text,
        tenant_id -> Text,
        user_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(users -> tenants (tenant_id));
diesel::allow_tables_to_appear_in_same_query!(
    tenants,
    users,
    households,
    point_rules,
    point_entries,
    idempotency_keys,
    rewards,
    redemptions,
    events,
    attendance_records,
    charges,
    payments,
    payment_allocations,
    refunds,
    charge_schedules,
    charge_schedule_households,
    scheduled_charges,
    receipt_counters,
    badges,
    groups,
    group_members,
    event_groups,
    webhook_events,
    webhook_endpoints,
    webhook_deliveries,
    webhook_attempts,
    mail_messages,
    password_reset_requests,
    sessions,
    refresh_tokens,
    login_attempts,
    password_reset_codes,
    audit_events,
);
