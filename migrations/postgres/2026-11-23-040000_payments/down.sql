DROP TABLE receipt_counters;
DROP TABLE payment_allocations;
DROP FUNCTION payment_allocations_are_append_only;
DROP TABLE payments;
DROP TABLE charges;
