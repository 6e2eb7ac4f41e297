DROP TABLE idempotency_keys;
ALTER TABLE users DROP COLUMN points_balance;
DROP TABLE point_entries;
DROP TABLE point_rules;
