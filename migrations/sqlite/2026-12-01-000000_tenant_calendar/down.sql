ALTER TABLE tenants DROP COLUMN week_starts_on;
