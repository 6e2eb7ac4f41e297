DROP INDEX users_household;
ALTER TABLE users DROP CONSTRAINT users_household_fk;
ALTER TABLE users DROP COLUMN household_id;
DROP TABLE households;
