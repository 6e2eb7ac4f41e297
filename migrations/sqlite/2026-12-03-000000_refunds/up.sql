-- Refunds (see the PostgreSQL twin): credit paid back, numbered from the
-- receipt sequence, taken from the payments that left the credit as
-- append-only allocation rows that name the refund.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE refunds (
    id             TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    household_id   TEXT NOT NULL,
    amount         BIGINT NOT NULL CONSTRAINT refunds_amount_check CHECK (amount > 0),
    currency       TEXT NOT NULL,
    method         TEXT NOT NULL CONSTRAINT refunds_method_check
                   CHECK (method IN ('cash', 'bank_transfer', 'card', 'e_wallet', 'other')),
    reference      TEXT,
    reason         TEXT NOT NULL,
    receipt_number BIGINT NOT NULL,
    status         TEXT NOT NULL CONSTRAINT refunds_status_check CHECK (status IN ('completed', 'void')),
    void_reason    TEXT,
    voided_by      TEXT,
    voided_at      DATETIME,
    issued_by      TEXT,
    created_at     DATETIME NOT NULL,
    CONSTRAINT refunds_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT refunds_tenant_id_receipt_number_key UNIQUE (tenant_id, receipt_number),
    CONSTRAINT refunds_tenant_id_household_id_fkey
        FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    CONSTRAINT refunds_tenant_id_voided_by_fkey
        FOREIGN KEY (tenant_id, voided_by) REFERENCES users (tenant_id, id),
    CONSTRAINT refunds_tenant_id_issued_by_fkey
        FOREIGN KEY (tenant_id, issued_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX refunds_tenant ON refunds (tenant_id, created_at, id);
CREATE INDEX refunds_household ON refunds (tenant_id, household_id, created_at);

CREATE TABLE payment_allocations_new (
    id           TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    household_id TEXT NOT NULL,
    payment_id   TEXT NOT NULL,
    charge_id    TEXT,
    amount       BIGINT NOT NULL CHECK (amount <> 0),
    kind         TEXT NOT NULL
                 CONSTRAINT payment_allocations_kind_check
                 CHECK (kind IN ('payment', 'credit_applied', 'payment_void', 'charge_void', 'refund', 'refund_void')),
    created_at   DATETIME NOT NULL,
    refund_id    TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
    FOREIGN KEY (tenant_id, charge_id) REFERENCES charges (tenant_id, id),
    CONSTRAINT payment_allocations_tenant_id_refund_id_fkey
        FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id),
    CONSTRAINT payment_allocations_refund_check
        CHECK ((refund_id IS NOT NULL AND charge_id IS NULL) = (kind IN ('refund', 'refund_void')))
);
INSERT INTO payment_allocations_new
    (id, tenant_id, household_id, payment_id, charge_id, amount, kind, created_at, refund_id)
    SELECT id, tenant_id, household_id, payment_id, charge_id, amount, kind, created_at, NULL
    FROM payment_allocations;
DROP TABLE payment_allocations;
ALTER TABLE payment_allocations_new RENAME TO payment_allocations;
CREATE INDEX payment_allocations_payment ON payment_allocations (tenant_id, payment_id);
CREATE INDEX payment_allocations_household ON payment_allocations (tenant_id, household_id, charge_id);
CREATE INDEX payment_allocations_refund ON payment_allocations (tenant_id, refund_id);
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
