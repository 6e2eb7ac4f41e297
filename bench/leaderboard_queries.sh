#!/usr/bin/env bash
# The leaderboard queries on a tenant with a million ledger entries: seeds a
# throw-away PostgreSQL database and a SQLite file through `hearth migrate`,
# then times the exact statements the API issues (EXPLAIN ANALYZE on
# PostgreSQL, `.timer on` on SQLite).
#
# Usage: bench/leaderboard_queries.sh [entries, default 1000000] [members, default 2000]
# Needs: psql and sqlite3; PostgreSQL at HEARTH_BENCH_POSTGRES_URL
# (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
entries="${1:-1000000}"
members="${2:-2000}"
admin_url="${HEARTH_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="hearth_bench_leaderboards"
work="$(mktemp -d)"
trap 'rm -rf "$work"; psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true' EXIT

cargo build --quiet --locked --release
psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
pg_url="${admin_url%/*}/$db"
sqlite_file="$work/bench.db"
HEARTH_LOG__LEVEL=warn DATABASE_URL="$pg_url" ./target/release/hearth migrate >/dev/null
HEARTH_LOG__LEVEL=warn DATABASE_URL="sqlite://$sqlite_file" ./target/release/hearth migrate >/dev/null

# Members with random earnings spread over the last two years; the counter is
# set from the entries, as the ledger keeps it.
seed_common="
INSERT INTO tenants (id, slug, name, currency, timezone, registration, created_at)
VALUES ('t', 'bench', 'Bench', 'EUR', 'UTC', 'open', CURRENT_TIMESTAMP);
"
pg_seed="$seed_common
INSERT INTO users (id, tenant_id, email, display_name, password_hash, role, status, created_at, updated_at)
SELECT 'u' || g, 't', 'u' || g || '@bench.example', 'Member ' || g, 'x', 'user', 'active', now(), now()
FROM generate_series(1, $members) g;
INSERT INTO point_entries (id, tenant_id, user_id, amount, balance_after, earned, kind, created_at)
SELECT 'e' || g, 't', 'u' || (1 + g % $members), 5, 5, 5, 'award',
       now() - (random() * interval '730 days')
FROM generate_series(1, $entries) g;
UPDATE users SET points_earned = s.earned, points_balance = s.earned
FROM (SELECT user_id, SUM(earned) AS earned FROM point_entries GROUP BY user_id) s
WHERE s.user_id = users.id;"
sqlite_seed="$seed_common
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $members)
INSERT INTO users (id, tenant_id, email, display_name, password_hash, role, status, created_at, updated_at)
SELECT 'u' || n, 't', 'u' || n || '@bench.example', 'Member ' || n, 'x', 'user', 'active',
       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM g;
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < $entries)
INSERT INTO point_entries (id, tenant_id, user_id, amount, balance_after, earned, kind, created_at)
SELECT 'e' || n, 't', 'u' || (1 + n % $members), 5, 5, 5, 'award',
       datetime('now', '-' || abs(random() % 63072000) || ' seconds') FROM g;
UPDATE users SET points_earned = (SELECT SUM(earned) FROM point_entries WHERE tenant_id = 't' AND user_id = users.id);
UPDATE users SET points_balance = points_earned;
ANALYZE;"

month_start="$(date -u +%Y-%m-01) 00:00:00"
period_query="SELECT users.id, users.display_name, users.household_id, CAST(SUM(point_entries.earned) AS BIGINT)
FROM point_entries INNER JOIN users ON users.tenant_id = point_entries.tenant_id AND users.id = point_entries.user_id
WHERE point_entries.tenant_id = 't' AND point_entries.created_at >= '$month_start' AND users.status = 'active'
GROUP BY users.id, users.display_name, users.household_id HAVING SUM(point_entries.earned) > 0"
all_query="SELECT id, display_name, household_id, points_earned FROM users
WHERE tenant_id = 't' AND points_earned > 0 AND status = 'active'"

echo "== seeding $entries entries for $members members"
psql "$pg_url" -q -v ON_ERROR_STOP=1 -c "$pg_seed" >/dev/null
# What autovacuum does in production: statistics, and the visibility map that
# lets the covering index answer without visiting the table.
psql "$pg_url" -q -c "VACUUM ANALYZE" >/dev/null
sqlite3 "$sqlite_file" "$sqlite_seed"

echo "== PostgreSQL: month board"
psql "$pg_url" -qAt -c "EXPLAIN (ANALYZE, SUMMARY) $period_query" | grep -E "Index|Scan|Execution Time"
echo "== PostgreSQL: all-time board"
psql "$pg_url" -qAt -c "EXPLAIN (ANALYZE, SUMMARY) $all_query" | grep -E "Scan|Execution Time"
for name in month all; do
    query="$period_query"; [ "$name" = all ] && query="$all_query"
    echo "== SQLite: $name board"
    sqlite3 "$sqlite_file" "EXPLAIN QUERY PLAN $query" | grep -E "INDEX|SCAN"
    sqlite3 "$sqlite_file" ".timer on" "$query" | grep -E "^Run Time"
done
