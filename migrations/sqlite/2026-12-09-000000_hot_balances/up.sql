-- Every posting updates its member's counters; an index on points_earned
-- made each such update rewrite an index entry too, and the all-time
-- leaderboard (every earner of the tenant, ranked in Hearth) did not use it.
DROP INDEX users_points_earned;
