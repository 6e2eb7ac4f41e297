//! The points ledger is append-only in the database itself: whatever the code
//! does, an entry cannot be changed or removed, only corrected by a new one.

use diesel::RunQueryDsl;

use crate::backend_tests;
use crate::helpers::{TestBackend, spawn_app};

async fn ledger_entries_cannot_be_updated_or_deleted(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let mut conn = app.db.connect();
    diesel::sql_query(format!(
        "INSERT INTO point_entries (id, tenant_id, user_id, amount, balance_after, earned, kind, \
         reason, created_at) VALUES ('e1', '{}', '{}', 10, 10, 10, 'award', 'seed', \
         '2026-11-22 10:00:00')",
        world.tenant_a, world.member_a.user_id
    ))
    .execute(&mut conn)
    .expect("entries can be appended");
    for statement in [
        "UPDATE point_entries SET amount = 1000 WHERE id = 'e1'",
        "UPDATE point_entries SET reason = 'edited' WHERE id = 'e1'",
        "DELETE FROM point_entries WHERE id = 'e1'",
        "DELETE FROM point_entries",
    ] {
        let result = diesel::sql_query(statement).execute(&mut conn);
        let message = format!("{result:?}");
        assert!(result.is_err(), "{statement} must fail");
        assert!(message.contains("append-only"), "{statement}: {message}");
    }
    let remaining: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT amount FROM point_entries WHERE id = 'e1')",
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(remaining, 10);
}

async fn balances_cannot_go_negative(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let mut conn = app.db.connect();
    let negative = diesel::sql_query(format!(
        "UPDATE users SET points_balance = -1 WHERE id = '{}'",
        world.member_a.user_id
    ))
    .execute(&mut conn);
    assert!(
        negative.is_err(),
        "the CHECK constraint refuses a negative balance"
    );
}

backend_tests!(
    ledger_entries_cannot_be_updated_or_deleted,
    balances_cannot_go_negative,
);

/// 50 awards and debits at once on one member: every debit either fully applies
/// or is refused, the balance never goes below zero, and afterwards it equals the
/// sum of the entries, with each entry's balance_after on one consistent chain;
/// the leaderboard counter equals the sum of what the entries earned.
async fn parallel_awards_and_debits_keep_the_balance_exact(backend: TestBackend) {
    use hearth::points::model::EntryKind;
    use hearth::points::repo::ledger::{Posting, post};

    let app = spawn_app(backend).await;
    let world = app.world().await;
    let tenant: hearth::db::TenantId = world.tenant_a.parse().unwrap();
    let user: hearth::db::UserId = world.member_a.user_id.parse().unwrap();
    let moves = (0..50).map(|i| {
        let (db, tenant, user) = (app.state.db.clone(), tenant.clone(), user.clone());
        let amount = if i % 2 == 0 { 7 } else { -9 };
        async move {
            db.write(move |conn| {
                let kind = if amount > 0 {
                    EntryKind::Award
                } else {
                    EntryKind::Adjustment
                };
                post(
                    conn,
                    &tenant,
                    Posting {
                        user: &user,
                        amount,
                        kind,
                        reason: Some("hammer"),
                        rule: None,
                        source: None,
                        reverses: None,
                        earned: kind.earned(amount),
                        actor: None,
                    },
                )
            })
            .await
            .map(|_| amount)
            .map_err(|e| e.code().as_str().to_string())
        }
    });
    let results = futures::future::join_all(moves).await;
    for result in &results {
        if let Err(code) = result {
            assert_eq!(code, "insufficient_points", "only shortfalls may fail");
        }
    }
    let applied: i64 = results.iter().filter_map(|r| r.as_ref().ok()).sum();
    assert!(
        results.iter().any(|r| r.is_err()),
        "some debits must have been refused"
    );

    let mut conn = app.db.connect();
    let sum_and_balance: (i64, i64) = diesel::select((
        diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM point_entries WHERE user_id = '{user}')"
        )),
        diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT points_balance FROM users WHERE id = '{user}')"
        )),
    ))
    .get_result(&mut conn)
    .unwrap();
    assert_eq!(sum_and_balance.0, applied);
    assert_eq!(sum_and_balance.1, applied, "balance == sum(entries)");
    assert!(applied >= 0);
    let earned_and_counter: (i64, i64) = diesel::select((
        diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT CAST(COALESCE(SUM(earned), 0) AS BIGINT) FROM point_entries WHERE user_id = '{user}')"
        )),
        diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT points_earned FROM users WHERE id = '{user}')"
        )),
    ))
    .get_result(&mut conn)
    .unwrap();
    let awarded = results.iter().filter(|r| matches!(r, Ok(7))).count() as i64 * 7;
    assert_eq!(
        earned_and_counter,
        (awarded, awarded),
        "points_earned == sum(earned): awards count, debits do not"
    );
    // Replaying the entries in order reproduces every balance_after.
    let chain: Vec<(i64, i64)> = diesel::sql_query(format!(
        "SELECT amount, balance_after FROM point_entries WHERE user_id = '{user}' \
         ORDER BY created_at, id"
    ))
    .load::<AmountAfter>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|r| (r.amount, r.balance_after))
    .collect();
    assert!(chain.iter().all(|(_, after)| *after >= 0), "never negative");
    // Entries written in the same microsecond may tie on created_at, so follow
    // the chain by balance_after: each entry must continue the previous one.
    let mut running = 0;
    let mut rest = chain;
    while !rest.is_empty() {
        let next = rest
            .iter()
            .position(|(amount, after)| running + amount == *after)
            .expect("every entry continues the chain");
        running = rest.remove(next).1;
    }
    assert_eq!(running, applied);
}

#[derive(diesel::QueryableByName)]
struct AmountAfter {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    amount: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    balance_after: i64,
}

backend_tests!(parallel_awards_and_debits_keep_the_balance_exact);
