DROP TABLE receipt_counters;
DROP TABLE payment_allocations;
DROP TABLE payments;
DROP TABLE charges;
