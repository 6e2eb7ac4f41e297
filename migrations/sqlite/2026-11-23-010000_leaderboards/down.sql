DROP INDEX point_entries_earned;
DROP INDEX users_points_earned;
ALTER TABLE users DROP COLUMN points_earned;
