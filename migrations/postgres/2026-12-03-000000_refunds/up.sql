-- Refunds: household credit paid back (a family moves away). A refund is a
-- money document like a payment: it takes the next number of the tenant's
-- receipt sequence and never changes after it is issued, except that a void
-- sets its status. The credit it pays out is taken from the payments that
-- left it, as append-only allocation rows that name the refund.
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
    voided_at      TIMESTAMP,
    issued_by      TEXT,
    created_at     TIMESTAMP NOT NULL,
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

ALTER TABLE payment_allocations ADD COLUMN refund_id TEXT;
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_tenant_id_refund_id_fkey
    FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id);
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_kind_check;
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_kind_check
    CHECK (kind IN ('payment', 'credit_applied', 'payment_void', 'charge_void', 'refund', 'refund_void'));
-- A refund's rows name it and only take from (or give back to) credit.
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_refund_check
    CHECK ((refund_id IS NOT NULL AND charge_id IS NULL) = (kind IN ('refund', 'refund_void')));
CREATE INDEX payment_allocations_refund ON payment_allocations (tenant_id, refund_id);
