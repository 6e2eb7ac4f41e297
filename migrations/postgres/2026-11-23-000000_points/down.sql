DROP TABLE idempotency_keys;
ALTER TABLE users DROP COLUMN points_balance;
DROP TABLE point_entries;
DROP FUNCTION point_entries_are_append_only();
DROP TABLE point_rules;
