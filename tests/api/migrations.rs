//! Migrations are idempotent, the schema enforces its constraints on both
//! backends, keys every tenant-owned row by its tenant, and the Citus
//! distribution script covers the whole schema.

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use hearth::db::run_migrations;

use crate::backend_tests;
use crate::helpers::{TestBackend, TestDatabase, require_postgres};

async fn running_migrations_twice_is_a_no_op(backend: TestBackend) {
    let db = TestDatabase::create(backend);
    let mut conn = db.connect();
    assert_eq!(run_migrations(&mut conn).unwrap(), Vec::<String>::new());
    assert_eq!(run_migrations(&mut conn).unwrap(), Vec::<String>::new());
}

async fn tenants_table_enforces_unique_slugs_and_known_policies(backend: TestBackend) {
    let db = TestDatabase::create(backend);
    let mut conn = db.connect();
    let insert = |id: &str, slug: &str, registration: &str| {
        format!(
            "INSERT INTO tenants (id, slug, name, currency, timezone, registration, created_at) \
             VALUES ('{id}', '{slug}', 'N', 'EUR', 'UTC', '{registration}', '2026-11-22 10:00:00')"
        )
    };
    diesel::sql_query(insert("a", "green", "open"))
        .execute(&mut conn)
        .unwrap();
    let duplicate = diesel::sql_query(insert("b", "green", "open")).execute(&mut conn);
    assert!(
        matches!(
            duplicate,
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        ),
        "{duplicate:?}"
    );
    let bad_policy = diesel::sql_query(insert("c", "blue", "sometimes")).execute(&mut conn);
    assert!(
        bad_policy.is_err(),
        "CHECK rejects unknown registration policies"
    );
}

backend_tests!(
    running_migrations_twice_is_a_no_op,
    tenants_table_enforces_unique_slugs_and_known_policies,
);

/// `docs/citus/distribute.sql` on plain PostgreSQL, with Citus's two functions
/// replaced by stubs that record what they were asked to distribute: every
/// table with a `tenant_id` is distributed by it (or is the reference table
/// `tenants`), and every foreign key the script drops is back afterwards.
#[actix_web::test]
#[ignore = "PostgreSQL: set HEARTH_TEST_POSTGRES_URL and pass --include-ignored"]
async fn the_citus_script_distributes_every_tenant_table_and_keeps_every_key() {
    require_postgres();
    let db = TestDatabase::create(TestBackend::Postgres);
    let mut conn = diesel::PgConnection::establish(&db.url).expect("connect");
    #[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        a: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        b: String,
    }
    let keys = "SELECT conname::text AS a, pg_get_constraintdef(oid) AS b FROM pg_constraint \
                WHERE contype IN ('f', 'p', 'u') AND connamespace = 'public'::regnamespace";
    let mut before = diesel::sql_query(keys).load::<Row>(&mut conn).unwrap();
    conn.batch_execute(
        "CREATE TABLE citus_calls (kind TEXT, relation TEXT, by_column TEXT, colocate TEXT); \
         CREATE FUNCTION create_reference_table(r regclass) RETURNS void \
           LANGUAGE sql AS $$ INSERT INTO citus_calls VALUES ('reference', r::text, NULL, NULL) $$; \
         CREATE FUNCTION create_distributed_table(r regclass, c text, colocate_with text DEFAULT NULL) \
           RETURNS void LANGUAGE sql AS \
           $$ INSERT INTO citus_calls VALUES ('distributed', r::text, c, colocate_with) $$;",
    )
    .unwrap();
    conn.batch_execute(include_str!("../../docs/citus/distribute.sql"))
        .expect("the script runs");

    let mut after = diesel::sql_query(keys).load::<Row>(&mut conn).unwrap();
    before.sort();
    after.sort();
    assert_eq!(after, before, "every key is back, unchanged");
    let calls = diesel::sql_query(
        "SELECT kind || ' ' || relation AS a, COALESCE(by_column, '-') || ' ' || \
         COALESCE(colocate, '-') AS b FROM citus_calls",
    )
    .load::<Row>(&mut conn)
    .unwrap();
    let distributed: std::collections::BTreeSet<String> = calls
        .iter()
        .filter_map(|c| c.a.strip_prefix("distributed ").map(str::to_string))
        .collect();
    let tenant_owned: std::collections::BTreeSet<String> = diesel::sql_query(
        "SELECT table_name::text AS a, '' AS b FROM information_schema.columns \
         WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'citus_calls'",
    )
    .load::<Row>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|r| r.a)
    .collect();
    assert_eq!(
        distributed, tenant_owned,
        "every tenant-owned table, and no other"
    );
    assert!(
        calls
            .iter()
            .filter(|c| c.a.starts_with("distributed "))
            .all(|c| c.b.starts_with("tenant_id ")),
        "all by tenant_id: {calls:?}"
    );
    assert!(calls.contains(&Row {
        a: "reference tenants".into(),
        b: "- -".into()
    }));
}

/// Every tenant-owned table is keyed (tenant_id, id) and no unique key spans
/// tenants, on both databases: what a database distributed by tenant needs.
async fn every_tenant_table_is_keyed_by_tenant(backend: TestBackend) {
    let db = TestDatabase::create(backend);
    let mut conn = db.connect();
    // The same pair of rows in two tenants: refused nowhere.
    for tenant in ["t1", "t2"] {
        diesel::sql_query(format!(
            "INSERT INTO tenants (id, slug, name, currency, timezone, registration, created_at) \
             VALUES ('{tenant}', 'slug-{tenant}', 'N', 'EUR', 'UTC', 'open', '2026-11-22 10:00:00')"
        ))
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(format!(
            "INSERT INTO users (id, tenant_id, email, display_name, password_hash, role, status, \
             created_at, updated_at) VALUES ('same-id', '{tenant}', 'a@b.c', 'A', 'x', 'user', \
             'active', '2026-11-22 10:00:00', '2026-11-22 10:00:00')"
        ))
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(format!(
            "INSERT INTO sessions (id, tenant_id, user_id, created_at, last_used_at) \
             VALUES ('s', '{tenant}', 'same-id', '2026-11-22 10:00:00', '2026-11-22 10:00:00')"
        ))
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(format!(
            "INSERT INTO refresh_tokens (id, tenant_id, session_id, token_hash, created_at, expires_at) \
             VALUES ('r', '{tenant}', 's', 'same-hash', '2026-11-22 10:00:00', '2026-11-23 10:00:00')"
        ))
        .execute(&mut conn)
        .expect("a token hash is unique per tenant, not across tenants");
    }
    let twice = diesel::sql_query(
        "INSERT INTO refresh_tokens (id, tenant_id, session_id, token_hash, created_at, expires_at) \
         VALUES ('r2', 't1', 's', 'same-hash', '2026-11-22 10:00:00', '2026-11-23 10:00:00')",
    )
    .execute(&mut conn);
    assert!(twice.is_err(), "but unique within one");
    let same_key = diesel::sql_query(
        "INSERT INTO users (id, tenant_id, email, display_name, password_hash, role, status, \
         created_at, updated_at) VALUES ('same-id', 't1', 'other@b.c', 'A', 'x', 'user', \
         'active', '2026-11-22 10:00:00', '2026-11-22 10:00:00')",
    )
    .execute(&mut conn);
    assert!(same_key.is_err(), "(tenant_id, id) is the key");
}

backend_tests!(every_tenant_table_is_keyed_by_tenant);
