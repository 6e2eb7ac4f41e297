-- Distributes an existing, fully migrated Hearth database across Citus nodes,
-- by tenant. Run on the coordinator as a superuser, in the Hearth database,
-- with every Hearth instance stopped, after `hearth migrate` (the schema must
-- include 2026-11-30-000000_tenant_keys). See docs/SCALING.md for the steps
-- around it. NOT TESTED here: Citus is not packaged for this project's CI
-- machines; what is tested is the shape of the schema and of every statement
-- (docs/SCALING.md, "What backs this").
--
-- psql -v ON_ERROR_STOP=1 -f docs/citus/distribute.sql "$DATABASE_URL"

BEGIN;
-- Distributing tables that already hold rows, after other DDL in the same
-- transaction, must use one connection per node.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- 1. Remember, then drop, the foreign keys between tenant-owned tables:
--    `create_distributed_table` refuses a table whose foreign keys point at a
--    table that is not yet distributed, and the data already there must move
--    to the shards before the keys can be checked again. Keys to `tenants`
--    stay: it becomes a reference table first.
CREATE TEMPORARY TABLE hearth_foreign_keys ON COMMIT DROP AS
SELECT conrelid::regclass AS relation, conname AS name, pg_get_constraintdef(oid) AS definition
FROM pg_constraint
WHERE contype = 'f'
  AND connamespace = 'public'::regnamespace
  AND confrelid <> 'public.tenants'::regclass;

DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT * FROM hearth_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.relation, fk.name);
    END LOOP;
END
$$;

-- 2. What every node needs whole: the tenants (small, read on every login).
--    __diesel_schema_migrations stays a plain table on the coordinator, where
--    `hearth migrate` runs.
SELECT create_reference_table('tenants');

-- 3. The append-only ledgers (point_entries, payment_allocations) have row
--    triggers that refuse UPDATE and DELETE; Citus distributes tables with
--    triggers only when told to. The triggers touch nothing but their own row.
SET LOCAL citus.enable_unsafe_triggers = on;

-- 4. Every tenant-owned table, by tenant_id, co-located with users so that
--    one tenant's rows of every table sit on the same node.
SELECT create_distributed_table('users', 'tenant_id');
SELECT create_distributed_table('households', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('sessions', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('refresh_tokens', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('login_attempts', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('password_reset_codes', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('audit_events', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('point_rules', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('point_entries', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('idempotency_keys', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('rewards', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('redemptions', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('attendance_records', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('charges', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('payments', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('refunds', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('payment_allocations', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('charge_schedules', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('charge_schedule_households', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('scheduled_charges', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('receipt_counters', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('badges', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('groups', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('group_members', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('event_groups', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('webhook_events', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('webhook_endpoints', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('webhook_deliveries', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('webhook_attempts', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('mail_messages', 'tenant_id', colocate_with => 'users');
SELECT create_distributed_table('password_reset_requests', 'tenant_id', colocate_with => 'users');

-- 5. The foreign keys again: each is (tenant_id, x_id) → (tenant_id, id) of a
--    co-located table, which Citus checks on the shard.
DO $$
DECLARE fk record;
BEGIN
    FOR fk IN SELECT * FROM hearth_foreign_keys LOOP
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.relation, fk.name, fk.definition);
    END LOOP;
END
$$;

COMMIT;
