-- Leaderboards. Points a member earned over all time are kept as a counter
-- beside the balance, moved by the same statement that posts a ledger entry, so
-- the all-time boards read O(members) rows, not the whole ledger. Boards for a
-- month or a week sum `earned` over that period through a covering index.

ALTER TABLE users ADD COLUMN points_earned BIGINT NOT NULL DEFAULT 0;

UPDATE users SET points_earned = COALESCE(
    (SELECT SUM(e.earned) FROM point_entries e
     WHERE e.tenant_id = users.tenant_id AND e.user_id = users.id), 0);

CREATE INDEX users_points_earned ON users (tenant_id, points_earned DESC, id);
CREATE INDEX point_entries_earned ON point_entries (tenant_id, created_at, user_id, earned);
