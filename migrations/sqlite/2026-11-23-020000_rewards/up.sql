-- Rewards: a catalogue of things points buy, and the redemptions that buy them.

CREATE TABLE rewards (
    id                  TEXT PRIMARY KEY NOT NULL,
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
    UNIQUE (tenant_id, id),
    CHECK (available_until IS NULL OR available_from IS NULL OR available_until > available_from)
);
CREATE INDEX rewards_tenant_created ON rewards (tenant_id, created_at, id);

-- A redemption keeps the cost it was bought at and the ledger entries it
-- wrote: the debit, and the refund when it was cancelled or rejected.
CREATE TABLE redemptions (
    id              TEXT PRIMARY KEY NOT NULL,
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
    UNIQUE (tenant_id, id),
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
-- The member's own list, and the per-member / per-household limit counts.
CREATE INDEX redemptions_user ON redemptions (tenant_id, user_id, created_at, id);
CREATE INDEX redemptions_reward_user ON redemptions (tenant_id, reward_id, user_id, created_at);
CREATE INDEX redemptions_reward_household ON redemptions (tenant_id, reward_id, household_id, created_at);
CREATE INDEX redemptions_tenant ON redemptions (tenant_id, created_at, id);
