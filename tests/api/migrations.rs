//! Migrations are idempotent, and the first schema enforces its constraints on
//! both backends.

use diesel::RunQueryDsl;
use hearth::db::run_migrations;

use crate::backend_tests;
use crate::helpers::{TestBackend, TestDatabase};

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
