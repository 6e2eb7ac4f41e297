-- Every posting updates its member's balance and points earned. While
-- points_earned was indexed, each such UPDATE wrote a new entry into all five
-- indexes of users; with no index on either counter PostgreSQL updates the
-- row in place on its page (a HOT update) and touches no index. The index
-- did not serve the all-time leaderboard, which reads every earner of the
-- tenant and ranks them in Hearth (bench/RESULTS.md, issue 21).
DROP INDEX users_points_earned;
-- Room on each page for the next version of a row, so HOT updates find it.
ALTER TABLE users SET (fillfactor = 90);
