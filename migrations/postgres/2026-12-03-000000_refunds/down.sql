DROP INDEX payment_allocations_refund;
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_refund_check;
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_kind_check;
ALTER TABLE payment_allocations ADD CONSTRAINT payment_allocations_kind_check
    CHECK (kind IN ('payment', 'credit_applied', 'payment_void', 'charge_void'));
ALTER TABLE payment_allocations DROP CONSTRAINT payment_allocations_tenant_id_refund_id_fkey;
ALTER TABLE payment_allocations DROP COLUMN refund_id;
DROP TABLE refunds;
