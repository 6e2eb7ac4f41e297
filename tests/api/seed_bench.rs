//! `hearth seed-bench`: the generated volume keeps every invariant the API
//! keeps (so benchmarks measure a database the API could have written), and
//! its published accounts work through the API.

use hearth::tools::bench_seed::{CONTENTION_REWARD, PASSWORD, Volume};

use crate::backend_tests;
use crate::helpers::{TestBackend, assert_balances_match_ledger, count, spawn_app};

const VOLUME: Volume = Volume {
    tenants: 2,
    members: 60,
    entries: 4000,
    rewards: 10,
    events: 10,
    charges: 200,
    seed: 7,
};

async fn the_seeded_data_keeps_every_invariant_of_the_api(backend: TestBackend) {
    let app = spawn_app(backend).await;
    hearth::tools::bench_seed::seed(&app.state.db, &VOLUME)
        .await
        .expect("seed");

    let n = |sql: &str| count(&app, &format!("SELECT COUNT(*) AS n FROM {sql}"));
    assert_eq!(n("tenants WHERE slug IN ('bench-01', 'bench-02')"), 2);
    assert_eq!(
        n("users WHERE role = 'user' AND household_id IS NOT NULL"),
        60
    );
    assert_eq!(n("users WHERE role = 'admin'"), 2);
    assert_eq!(n("rewards"), 10);
    assert_eq!(n("events"), 10);
    assert_eq!(n("charges"), 200);
    assert_eq!(n("payments"), 200);
    // Refunds of closed redemptions may add a few entries beyond the volume.
    let entries = n("point_entries");
    assert!(
        (4000..=4000 + 4000 / 200).contains(&entries),
        "{entries} entries"
    );
    assert!(n("redemptions") > 0 && n("attendance_records") > 0);

    assert_balances_match_ledger(&app);
    assert_eq!(
        n(
            "users u WHERE u.points_earned <> (SELECT COALESCE(SUM(e.earned), 0) \
           FROM point_entries e WHERE e.tenant_id = u.tenant_id AND e.user_id = u.id)"
        ),
        0,
        "leaderboard totals are the sum of what was earned"
    );
    assert_eq!(
        n(
            "rewards w WHERE w.stock + (SELECT COUNT(*) FROM redemptions r \
           WHERE r.tenant_id = w.tenant_id AND r.reward_id = w.id \
           AND r.status IN ('pending', 'fulfilled')) NOT IN (500, 1000000)"
        ),
        0,
        "stock is what was stocked less the redemptions that hold it"
    );
    assert_eq!(
        n(
            "events v WHERE v.attendees <> (SELECT COUNT(*) FROM attendance_records a \
           WHERE a.tenant_id = v.tenant_id AND a.event_id = v.id \
           AND a.status IN ('present', 'late'))"
        ),
        0,
        "attendee counts match the records"
    );
    assert_eq!(
        n(
            "charges c WHERE c.amount_paid <> (SELECT COALESCE(SUM(a.amount), 0) \
           FROM payment_allocations a WHERE a.tenant_id = c.tenant_id AND a.charge_id = c.id)"
        ),
        0,
        "what a charge has been paid is what was allocated to it"
    );
    assert_eq!(
        n(
            "payments p WHERE p.amount <> (SELECT SUM(a.amount) FROM payment_allocations a \
           WHERE a.tenant_id = p.tenant_id AND a.payment_id = p.id)"
        ),
        0,
        "every payment's money is somewhere: on charges or in credit"
    );
    assert_eq!(
        n(
            "tenants t WHERE (SELECT COUNT(*) FROM payments p WHERE p.tenant_id = t.id) <> \
           (SELECT r.last_number FROM receipt_counters r WHERE r.tenant_id = t.id) \
           OR (SELECT COUNT(*) FROM payments p WHERE p.tenant_id = t.id) <> \
           (SELECT COALESCE(MAX(p.receipt_number), 0) FROM payments p WHERE p.tenant_id = t.id)"
        ),
        0,
        "receipt numbers run 1..n without gaps and the counter continues after them"
    );

    let member = app
        .login("bench-01", "member-00001@bench-01.example", PASSWORD)
        .await;
    let me = app.get_as("/api/v1/me", &member.access).await.json();
    assert!(me["points_balance"].as_i64().unwrap() > 0, "{me}");
    let board = app
        .get_as("/api/v1/leaderboards/members?period=month", &member.access)
        .await
        .json();
    assert!(!board["data"].as_array().unwrap().is_empty(), "{board}");
    let rewards = app
        .get_as("/api/v1/rewards?limit=100", &member.access)
        .await
        .json();
    assert!(
        rewards["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == CONTENTION_REWARD),
        "{rewards}"
    );
    let statement = app
        .get_as("/api/v1/households/mine/statement", &member.access)
        .await;
    assert_eq!(statement.status, 200, "{}", statement.json());
    let admin = app
        .login("bench-02", "admin@bench-02.example", PASSWORD)
        .await;
    let payments = app
        .get_as("/api/v1/admin/payments", &admin.access)
        .await
        .json();
    assert_eq!(payments["data"].as_array().unwrap().len(), 20);

    let again = hearth::tools::bench_seed::seed(&app.state.db, &VOLUME)
        .await
        .unwrap_err();
    assert_eq!(
        again.code().as_str(),
        "conflict",
        "an already seeded database is refused"
    );
}

async fn a_volume_too_small_to_share_out_is_refused(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let volume = Volume {
        members: 1,
        ..VOLUME
    };
    let refused = hearth::tools::bench_seed::seed(&app.state.db, &volume)
        .await
        .unwrap_err();
    assert_eq!(refused.code().as_str(), "bad_request");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM tenants"), 0);
}

backend_tests!(
    the_seeded_data_keeps_every_invariant_of_the_api,
    a_volume_too_small_to_share_out_is_refused
);
