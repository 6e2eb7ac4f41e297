PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE payment_allocations_old (
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
INSERT INTO payment_allocations_old
    SELECT id, tenant_id, household_id, payment_id, charge_id, amount, kind, created_at
    FROM payment_allocations WHERE refund_id IS NULL;
DROP TABLE payment_allocations;
ALTER TABLE payment_allocations_old RENAME TO payment_allocations;
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
DROP TABLE refunds;
COMMIT;
PRAGMA foreign_keys = ON;
