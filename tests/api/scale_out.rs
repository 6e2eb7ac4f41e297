//! Two instances on one database, as behind a load balancer: everything that
//! must be shared lives in the database, so writes arriving through both at
//! once are neither lost nor duplicated (see docs/SCALING.md).

use futures::future::join_all;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, World, assert_balances_match_ledger, assert_one_answer, balance, count,
    second_instance, spawn_crowd_app,
};

/// A POST with an idempotency key through `app`.
async fn post_keyed(
    app: &TestApp,
    path: &str,
    token: &str,
    key: &str,
    body: &serde_json::Value,
) -> crate::helpers::TestResponse {
    app.send(
        actix_web::test::TestRequest::post()
            .uri(path)
            .peer_addr(crate::helpers::default_peer())
            .insert_header(("authorization", format!("Bearer {token}")))
            .insert_header(("idempotency-key", key))
            .set_json(body),
    )
    .await
}

async fn two_instances_lose_and_duplicate_nothing(backend: TestBackend) {
    let one = spawn_crowd_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = one.world().await;
    let two = second_instance(&one).await;
    let instances = [&one, &two];
    let admin = &admin_a.access;
    let crowd = one.members(&tenant_a, 20, 0).await;
    let household = one
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": "Shared"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Every award and every payment is sent twice with the same key, once
    // through each instance, all at the same time.
    let awards = crowd.iter().enumerate().flat_map(|(i, member)| {
        let body = json!({"user_id": member.user_id, "amount": 10, "reason": "Shared load"});
        instances.map(move |app| {
            let body = body.clone();
            async move {
                post_keyed(
                    app,
                    "/api/v1/admin/points/awards",
                    admin,
                    &format!("award-{i}"),
                    &body,
                )
                .await
            }
        })
    });
    let payments = (0..10).flat_map(|i| {
        let body = json!({"household_id": household, "amount": 100 + i, "method": "cash"});
        instances.map(move |app| {
            let body = body.clone();
            async move {
                post_keyed(
                    app,
                    "/api/v1/admin/payments",
                    admin,
                    &format!("pay-{i}"),
                    &body,
                )
                .await
            }
        })
    });
    let award_results = join_all(awards).await;
    let payment_results = join_all(payments).await;
    // Each request and its twin through the other instance: one effect, the
    // twin waits for it and replays it.
    for twins in award_results.chunks(2).chain(payment_results.chunks(2)) {
        assert_one_answer(twins);
    }

    for member in &crowd {
        assert_eq!(balance(&one, &member.access).await, 10, "one award each");
    }
    assert_eq!(count(&one, "SELECT COUNT(*) AS n FROM point_entries"), 20);
    assert_eq!(count(&one, "SELECT COUNT(*) AS n FROM payments"), 10);
    let receipts = count(
        &one,
        "SELECT COUNT(DISTINCT receipt_number) AS n FROM payments WHERE receipt_number BETWEEN 1 AND 10",
    );
    assert_eq!(receipts, 10, "receipt numbers 1..10, no gap, no duplicate");
    assert_balances_match_ledger(&one);
}

backend_tests!(two_instances_lose_and_duplicate_nothing);
