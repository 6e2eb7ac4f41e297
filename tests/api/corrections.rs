//! Adjustments and reversals: corrections are new entries, never below zero,
//! and an entry is reversed at most once, even when raced.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, balance, spawn_app};

async fn award(app: &TestApp, admin: &str, user: &str, amount: i64) -> Value {
    let res = app
        .post_as(
            "/api/v1/admin/points/awards",
            admin,
            &json!({"user_id": user, "amount": amount, "reason": "test"}),
        )
        .await;
    assert_eq!(res.status, 201);
    res.json()
}

async fn adjustments_move_balances_but_never_below_zero(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let (admin, ann) = (world.admin_a.access.clone(), world.member_a.user_id.clone());
    award(&app, &admin, &ann, 30).await;
    let adjust = |amount: Value, reason: Value| {
        let (app, admin, ann) = (&app, admin.clone(), ann.clone());
        async move {
            app.post_as(
                "/api/v1/admin/points/adjustments",
                &admin,
                &json!({"user_id": ann, "amount": amount, "reason": reason}),
            )
            .await
        }
    };
    let down = adjust(json!(-12), json!("Counted twice")).await;
    assert_eq!(down.status, 201);
    assert_eq!(
        (
            down.json()["amount"].as_i64(),
            down.json()["balance_after"].as_i64()
        ),
        (Some(-12), Some(18))
    );
    let refused = adjust(json!(-19), json!("Too much")).await;
    let problem = refused.assert_problem(409, "insufficient_points");
    assert!(problem["detail"].as_str().unwrap().contains("18"));
    assert_eq!(
        balance(&app, &world.member_a.access).await,
        18,
        "nothing written"
    );
    for (amount, reason) in [
        (json!(0), json!("x")),
        (json!(5), json!("  ")),
        (json!(1_000_001), json!("x")),
    ] {
        adjust(amount, reason)
            .await
            .assert_problem(422, "validation_failed");
    }
    adjust(json!(5), json!(null))
        .await
        .assert_problem(400, "bad_request");
    assert_eq!(adjust(json!(7), json!("Bonus")).await.status, 201);
    assert_eq!(balance(&app, &world.member_a.access).await, 25);
}

async fn entries_are_reversed_once_and_never_below_zero(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let (admin, ann) = (world.admin_a.access.clone(), world.member_a.user_id.clone());
    let first = award(&app, &admin, &ann, 50).await;
    let reverse = |id: Value| {
        let (app, admin) = (&app, admin.clone());
        async move {
            app.post_as(
                &format!(
                    "/api/v1/admin/points/entries/{}/reverse",
                    id.as_str().unwrap()
                ),
                &admin,
                &json!({"reason": "Wrong member"}),
            )
            .await
        }
    };
    let reversal = reverse(first["id"].clone()).await;
    assert_eq!(reversal.status, 201);
    let reversal = reversal.json();
    assert_eq!(
        (reversal["amount"].as_i64(), reversal["kind"].as_str()),
        (Some(-50), Some("reversal"))
    );
    assert_eq!(reversal["reverses_id"], first["id"]);
    assert_eq!(
        reverse(first["id"].clone())
            .await
            .assert_problem(409, "already_reversed")["code"],
        "already_reversed"
    );
    reverse(reversal["id"].clone())
        .await
        .assert_problem(409, "not_reversible");

    // Reversing an award whose points were partly spent would go below zero.
    let second = award(&app, &admin, &ann, 40).await;
    app.post_as(
        "/api/v1/admin/points/adjustments",
        &admin,
        &json!({"user_id": ann, "amount": -30, "reason": "Spent"}),
    )
    .await;
    reverse(second["id"].clone())
        .await
        .assert_problem(409, "insufficient_points");
    assert_eq!(balance(&app, &world.member_a.access).await, 10);

    // Another tenant's admin cannot reverse it.
    app.post_as(
        &format!(
            "/api/v1/admin/points/entries/{}/reverse",
            second["id"].as_str().unwrap()
        ),
        &world.admin_b.access,
        &json!({"reason": "x"}),
    )
    .await
    .assert_problem(404, "not_found");
}

async fn racing_reversals_reverse_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let entry = award(&app, &admin, &world.member_a.user_id, 60).await;
    let path = format!(
        "/api/v1/admin/points/entries/{}/reverse",
        entry["id"].as_str().unwrap()
    );
    let body = json!({"reason": "race"});
    let attempts = (0..10).map(|_| app.post_as(&path, &admin, &body));
    let results = futures::future::join_all(attempts).await;
    let won = results.iter().filter(|r| r.status == 201).count();
    assert_eq!(won, 1, "exactly one reversal");
    for r in results.iter().filter(|r| r.status != 201) {
        r.assert_problem(409, "already_reversed");
    }
    assert_eq!(balance(&app, &world.member_a.access).await, 0);
    let all = app
        .get_as(
            &format!(
                "/api/v1/admin/points/entries?user_id={}",
                world.member_a.user_id
            ),
            &admin,
        )
        .await
        .json();
    let sum: i64 = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_i64().unwrap())
        .sum();
    assert_eq!(sum, 0, "balance == sum(entries)");
}

backend_tests!(
    adjustments_move_balances_but_never_below_zero,
    entries_are_reversed_once_and_never_below_zero,
    racing_reversals_reverse_once,
);
