-- Points: rules, the append-only ledger, the cached balance, idempotency keys.

CREATE TABLE point_rules (
    id              TEXT PRIMARY KEY NOT NULL,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    name            TEXT NOT NULL,
    unit            TEXT NOT NULL,
    points_per_unit BIGINT NOT NULL CHECK (points_per_unit > 0),
    archived_at     TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX point_rules_tenant_created ON point_rules (tenant_id, created_at, id);

-- The ledger. Never updated or deleted (triggers below); corrections are new
-- entries. `earned` is what the entry adds to leaderboards: the amount for
-- awards, attendance and positive adjustments, minus it for their reversals,
-- 0 for spending and refunds.
CREATE TABLE point_entries (
    id             TEXT PRIMARY KEY NOT NULL,
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
    created_at     TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, reverses_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES point_rules (tenant_id, id),
    FOREIGN KEY (tenant_id, reverses_id) REFERENCES point_entries (tenant_id, id),
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX point_entries_user ON point_entries (tenant_id, user_id, created_at, id);
CREATE INDEX point_entries_tenant ON point_entries (tenant_id, created_at, id);

-- Named: Citus refuses an unnamed constraint added by ALTER TABLE (this is the
-- name PostgreSQL gave it before, so existing databases match).
ALTER TABLE users ADD COLUMN points_balance BIGINT NOT NULL DEFAULT 0
    CONSTRAINT users_points_balance_check CHECK (points_balance >= 0);

-- Idempotency keys: the first completed response of a (tenant, user, route, key),
-- stored in the transaction of its effect, replayed for 24 hours.
CREATE TABLE idempotency_keys (
    id              TEXT PRIMARY KEY NOT NULL,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    user_id         TEXT NOT NULL,
    route           TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    response_status INTEGER,
    response_body   TEXT,
    created_at      TIMESTAMP NOT NULL,
    expires_at      TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, user_id, route, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

CREATE FUNCTION point_entries_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'point_entries is append-only: write a correcting entry instead';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER point_entries_no_update BEFORE UPDATE OR DELETE ON point_entries
    FOR EACH ROW EXECUTE FUNCTION point_entries_are_append_only();
