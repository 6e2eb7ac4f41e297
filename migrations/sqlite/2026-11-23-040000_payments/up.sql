-- Payments: charges a household owes, payments it makes, and the append-only
-- allocations that tie them together. Amounts are integers in the minor units
-- of the tenant's currency.

CREATE TABLE charges (
    id          TEXT PRIMARY KEY NOT NULL,
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
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, voided_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX charges_household ON charges (tenant_id, household_id, due_date, created_at);
CREATE INDEX charges_tenant ON charges (tenant_id, created_at, id);

CREATE TABLE payments (
    id             TEXT PRIMARY KEY NOT NULL,
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
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, receipt_number),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, voided_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX payments_household ON payments (tenant_id, household_id, received_at);
CREATE INDEX payments_tenant_received ON payments (tenant_id, received_at, id);
CREATE INDEX payments_tenant ON payments (tenant_id, created_at, id);

-- Where a payment's money went: to a charge, or (charge_id NULL) to the
-- household's credit. Never updated or deleted: a void or a credit applied to a
-- new charge writes new rows, so the sums per charge, per payment and of the
-- credit are always the sums of these rows.
CREATE TABLE payment_allocations (
    id           TEXT PRIMARY KEY NOT NULL,
    tenant_id    TEXT NOT NULL,
    household_id TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    charge_id    TEXT,
    amount       BIGINT NOT NULL CHECK (amount <> 0),
    kind         TEXT NOT NULL
                 CHECK (kind IN ('payment', 'credit_applied', 'payment_void', 'charge_void')),
    created_at   DATETIME NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
    FOREIGN KEY (tenant_id, charge_id) REFERENCES charges (tenant_id, id)
);
CREATE INDEX payment_allocations_payment ON payment_allocations (tenant_id, payment_id);
CREATE INDEX payment_allocations_household ON payment_allocations (tenant_id, household_id, charge_id);

-- Receipt numbers: one counter per tenant, taken by a conditional update in the
-- payment's transaction, so numbers are unique and gapless.
CREATE TABLE receipt_counters (
    tenant_id   TEXT PRIMARY KEY NOT NULL REFERENCES tenants (id),
    last_number BIGINT NOT NULL DEFAULT 0
);
INSERT INTO receipt_counters (tenant_id, last_number) SELECT id, 0 FROM tenants;

CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations
BEGIN
    SELECT RAISE(ABORT, 'payment_allocations is append-only: write a reversing allocation instead');
END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations
BEGIN
    SELECT RAISE(ABORT, 'payment_allocations is append-only: write a reversing allocation instead');
END;
