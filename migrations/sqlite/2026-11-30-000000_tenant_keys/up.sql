-- Keys a database distributed by tenant accepts (see the PostgreSQL twin):
-- primary keys (tenant_id, id), per-tenant unique token and code hashes, and
-- the idempotency purge's index by tenant. SQLite cannot change a primary key,
-- so each table is rebuilt (https://sqlite.org/lang_altertable.html#otheralter)
-- with foreign keys off, which SQLite ignores inside a transaction: the
-- migration manages its own (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id            TEXT NOT NULL,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    phone         TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    household_id  TEXT, points_balance BIGINT NOT NULL DEFAULT 0 CHECK (points_balance >= 0), points_earned BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id)
);
INSERT INTO users_new SELECT * FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_household ON users (tenant_id, household_id);
CREATE INDEX users_points_earned ON users (tenant_id, points_earned DESC, id);

CREATE TABLE sessions_new (
    id             TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    device         TEXT,
    ip             TEXT,
    created_at     DATETIME NOT NULL,
    last_used_at   DATETIME NOT NULL,
    revoked_at     DATETIME,
    revoked_reason TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
INSERT INTO sessions_new SELECT * FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_user ON sessions (tenant_id, user_id, created_at);

CREATE TABLE refresh_tokens_new (
    id         TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    session_id TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    parent_id  TEXT,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id)
);
INSERT INTO refresh_tokens_new SELECT * FROM refresh_tokens;
DROP TABLE refresh_tokens;
ALTER TABLE refresh_tokens_new RENAME TO refresh_tokens;
CREATE INDEX refresh_tokens_session ON refresh_tokens (tenant_id, session_id);

CREATE TABLE login_attempts_new (
    id         TEXT NOT NULL,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    email      TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    ip         TEXT,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
INSERT INTO login_attempts_new SELECT * FROM login_attempts;
DROP TABLE login_attempts;
ALTER TABLE login_attempts_new RENAME TO login_attempts;
CREATE INDEX login_attempts_lookup ON login_attempts (tenant_id, email, created_at);

CREATE TABLE password_reset_codes_new (
    id         TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, code_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
INSERT INTO password_reset_codes_new SELECT * FROM password_reset_codes;
DROP TABLE password_reset_codes;
ALTER TABLE password_reset_codes_new RENAME TO password_reset_codes;
CREATE INDEX password_reset_codes_user ON password_reset_codes (tenant_id, user_id);

CREATE TABLE audit_events_new (
    id          TEXT NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    reason      TEXT,
    request_id  TEXT,
    ip          TEXT,
    created_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users (tenant_id, id)
);
INSERT INTO audit_events_new SELECT * FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_new RENAME TO audit_events;
CREATE INDEX audit_events_tenant_created ON audit_events (tenant_id, created_at, id);
CREATE INDEX audit_events_tenant_target ON audit_events (tenant_id, target_id);

CREATE TABLE households_new (
    id          TEXT NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    address     TEXT,
    zone        TEXT,
    join_code   TEXT NOT NULL,
    archived_at DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, join_code)
);
INSERT INTO households_new SELECT * FROM households;
DROP TABLE households;
ALTER TABLE households_new RENAME TO households;
CREATE INDEX households_tenant_created ON households (tenant_id, created_at, id);

CREATE TABLE point_rules_new (
    id              TEXT NOT NULL,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    name            TEXT NOT NULL,
    unit            TEXT NOT NULL,
    points_per_unit BIGINT NOT NULL CHECK (points_per_unit > 0),
    archived_at     DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
INSERT INTO point_rules_new SELECT * FROM point_rules;
DROP TABLE point_rules;
ALTER TABLE point_rules_new RENAME TO point_rules;
CREATE INDEX point_rules_tenant_created ON point_rules (tenant_id, created_at, id);

CREATE TABLE point_entries_new (
    id             TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    household_id   TEXT,
    amount         BIGINT NOT NULL CHECK (amount <> 0),
    balance_after  BIGINT NOT NULL CHECK (balance_after >= 0),
    earned         BIGINT NOT NULL,
    kind           TEXT NOT NULL
                   CHECK (kind IN ('award', 'adjustment', 'redemption', 'refund', 'attendance', 'reversal')),
    reason         TEXT,
    rule_id        TEXT,
    quantity_milli BIGINT,
    source_type    TEXT,
    source_id      TEXT,
    reverses_id    TEXT,
    actor_id       TEXT,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, reverses_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES point_rules (tenant_id, id),
    FOREIGN KEY (tenant_id, reverses_id) REFERENCES point_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users (tenant_id, id)
);
INSERT INTO point_entries_new SELECT * FROM point_entries;
DROP TABLE point_entries;
ALTER TABLE point_entries_new RENAME TO point_entries;
CREATE INDEX point_entries_user ON point_entries (tenant_id, user_id, created_at, id);
CREATE INDEX point_entries_tenant ON point_entries (tenant_id, created_at, id);
CREATE TRIGGER point_entries_no_update BEFORE UPDATE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: write a correcting entry instead');
END;
CREATE TRIGGER point_entries_no_delete BEFORE DELETE ON point_entries
BEGIN
    SELECT RAISE(ABORT, 'point_entries is append-only: write a correcting entry instead');
END;
CREATE INDEX point_entries_earned ON point_entries (tenant_id, created_at, user_id, earned);

CREATE TABLE idempotency_keys_new (
    id              TEXT NOT NULL,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    user_id         TEXT NOT NULL,
    route           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    created_at      DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id, route, idempotency_key)
);
INSERT INTO idempotency_keys_new SELECT * FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (tenant_id, expires_at);

CREATE TABLE rewards_new (
    id                  TEXT NOT NULL,
    tenant_id           TEXT NOT NULL REFERENCES tenants (id),
    name                TEXT NOT NULL,
    description         TEXT,
    cost_points         BIGINT NOT NULL CHECK (cost_points > 0),
    -- NULL is unlimited. Redemptions take one with a conditional update
    -- (`stock - 1 WHERE stock > 0`), so the CHECK is a second line of defence.
    stock               BIGINT CHECK (stock >= 0),
    limit_per_member    BIGINT CHECK (limit_per_member > 0),
    limit_per_household BIGINT CHECK (limit_per_household > 0),
    limit_period        TEXT NOT NULL DEFAULT 'none'
                        CHECK (limit_period IN ('none', 'day', 'week', 'month')),
    available_from      DATETIME,
    available_until     DATETIME,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    archived_at         DATETIME,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (available_until IS NULL OR available_from IS NULL OR available_until > available_from)
);
INSERT INTO rewards_new SELECT * FROM rewards;
DROP TABLE rewards;
ALTER TABLE rewards_new RENAME TO rewards;
CREATE INDEX rewards_tenant_created ON rewards (tenant_id, created_at, id);

CREATE TABLE redemptions_new (
    id              TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    reward_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    household_id    TEXT,
    cost_points     BIGINT NOT NULL CHECK (cost_points > 0),
    status          TEXT NOT NULL
                    CHECK (status IN ('pending', 'fulfilled', 'cancelled', 'rejected')),
    claim_code      TEXT NOT NULL,
    debit_entry_id  TEXT NOT NULL,
    refund_entry_id TEXT,
    closed_by       TEXT,
    closed_at       DATETIME,
    reason          TEXT,
    created_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, claim_code),
    UNIQUE (tenant_id, debit_entry_id),
    UNIQUE (tenant_id, refund_entry_id),
    FOREIGN KEY (tenant_id, reward_id) REFERENCES rewards (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, debit_entry_id) REFERENCES point_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, refund_entry_id) REFERENCES point_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, closed_by) REFERENCES users (tenant_id, id),
    CHECK ((status = 'pending') = (closed_at IS NULL))
);
INSERT INTO redemptions_new SELECT * FROM redemptions;
DROP TABLE redemptions;
ALTER TABLE redemptions_new RENAME TO redemptions;
CREATE INDEX redemptions_user ON redemptions (tenant_id, user_id, created_at, id);
CREATE INDEX redemptions_reward_user ON redemptions (tenant_id, reward_id, user_id, created_at);
CREATE INDEX redemptions_reward_household ON redemptions (tenant_id, reward_id, household_id, created_at);
CREATE INDEX redemptions_tenant ON redemptions (tenant_id, created_at, id);

CREATE TABLE events_new (
    id                 TEXT NOT NULL,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    title              TEXT NOT NULL,
    description        TEXT,
    location           TEXT,
    starts_at          DATETIME NOT NULL,
    ends_at            DATETIME NOT NULL,
    check_in_opens_at  DATETIME NOT NULL,
    check_in_closes_at DATETIME NOT NULL,
    late_after         DATETIME NOT NULL,
    points_on_time     BIGINT NOT NULL CHECK (points_on_time >= 0),
    points_late        BIGINT NOT NULL CHECK (points_late >= 0),
    self_check_in      BOOLEAN NOT NULL,
    capacity           BIGINT CHECK (capacity > 0),
    -- Members recorded present or late; check-ins take a place with a
    -- conditional update (`attendees < capacity`), which also serialises them.
    attendees          BIGINT NOT NULL DEFAULT 0 CHECK (attendees >= 0),
    cancelled          BOOLEAN NOT NULL DEFAULT FALSE,
    -- Key of the rotating check-in codes (hex); never leaves the server.
    code_secret        TEXT NOT NULL,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    CHECK (ends_at > starts_at),
    CHECK (check_in_closes_at > check_in_opens_at)
);
INSERT INTO events_new SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
CREATE INDEX events_tenant_starts ON events (tenant_id, starts_at, id);
CREATE INDEX events_tenant_created ON events (tenant_id, created_at, id);

CREATE TABLE attendance_records_new (
    id              TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    household_id    TEXT,
    status          TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
    checked_in_at   DATETIME,
    method          TEXT NOT NULL CHECK (method IN ('self', 'scan', 'bulk')),
    recorded_by     TEXT,
    nonce           TEXT,
    points          BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
    points_entry_id TEXT,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, event_id, user_id),
    UNIQUE (tenant_id, event_id, nonce),
    FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, points_entry_id) REFERENCES point_entries (tenant_id, id)
);
INSERT INTO attendance_records_new SELECT * FROM attendance_records;
DROP TABLE attendance_records;
ALTER TABLE attendance_records_new RENAME TO attendance_records;
CREATE INDEX attendance_event ON attendance_records (tenant_id, event_id, created_at, id);
CREATE INDEX attendance_user ON attendance_records (tenant_id, user_id, created_at, id);

CREATE TABLE charges_new (
    id          TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    household_id TEXT NOT NULL,
    description TEXT NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount > 0),
    -- Kept equal to the sum of the charge's allocations, in the same
    -- transaction; the CHECK makes over-allocation impossible.
    amount_paid BIGINT NOT NULL DEFAULT 0 CHECK (amount_paid >= 0 AND amount_paid <= amount),
    currency    TEXT NOT NULL,
    due_date    DATE NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'partially_paid', 'paid', 'void')),
    void_reason TEXT,
    voided_by   TEXT,
    voided_at   DATETIME,
    created_by  TEXT,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, voided_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
INSERT INTO charges_new SELECT * FROM charges;
DROP TABLE charges;
ALTER TABLE charges_new RENAME TO charges;
CREATE INDEX charges_household ON charges (tenant_id, household_id, due_date, created_at);
CREATE INDEX charges_tenant ON charges (tenant_id, created_at, id);

CREATE TABLE payments_new (
    id             TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    household_id   TEXT NOT NULL,
    amount         BIGINT NOT NULL CHECK (amount > 0),
    currency       TEXT NOT NULL,
    method         TEXT NOT NULL CHECK (method IN ('cash', 'bank_transfer', 'card', 'e_wallet', 'other')),
    reference      TEXT,
    received_at    DATETIME NOT NULL,
    receipt_number BIGINT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('completed', 'void')),
    void_reason    TEXT,
    voided_by      TEXT,
    voided_at      DATETIME,
    recorded_by    TEXT,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, receipt_number),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, voided_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id)
);
INSERT INTO payments_new SELECT * FROM payments;
DROP TABLE payments;
ALTER TABLE payments_new RENAME TO payments;
CREATE INDEX payments_household ON payments (tenant_id, household_id, received_at);
CREATE INDEX payments_tenant_received ON payments (tenant_id, received_at, id);
CREATE INDEX payments_tenant ON payments (tenant_id, created_at, id);

CREATE TABLE payment_allocations_new (
    id           TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    household_id TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    charge_id    TEXT,
    amount       BIGINT NOT NULL CHECK (amount <> 0),
    kind         TEXT NOT NULL
                 CHECK (kind IN ('payment', 'credit_applied', 'payment_void', 'charge_void')),
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
    FOREIGN KEY (tenant_id, charge_id) REFERENCES charges (tenant_id, id)
);
INSERT INTO payment_allocations_new SELECT * FROM payment_allocations;
DROP TABLE payment_allocations;
ALTER TABLE payment_allocations_new RENAME TO payment_allocations;
CREATE INDEX payment_allocations_payment ON payment_allocations (tenant_id, payment_id);
CREATE INDEX payment_allocations_household ON payment_allocations (tenant_id, household_id, charge_id);
CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations
BEGIN
    SELECT RAISE(ABORT, 'payment_allocations is append-only: write a reversing allocation instead');
END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations
BEGIN
    SELECT RAISE(ABORT, 'payment_allocations is append-only: write a reversing allocation instead');
END;

COMMIT;
PRAGMA foreign_keys = ON;
