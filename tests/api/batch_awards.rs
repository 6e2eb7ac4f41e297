//! `POST /admin/points/awards/batch`: all or nothing, every refused item named,
//! the batch body limit, and idempotency keys.

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, TestResponse, assert_one_answer, balance, default_peer, spawn_app,
};

const BATCH: &str = "/api/v1/admin/points/awards/batch";

async fn batch(app: &TestApp, token: &str, key: Option<&str>, body: &Value) -> TestResponse {
    let mut req = TestRequest::post()
        .uri(BATCH)
        .peer_addr(default_peer())
        .insert_header(("authorization", format!("Bearer {token}")))
        .set_json(body);
    if let Some(key) = key {
        req = req.insert_header(("idempotency-key", key));
    }
    app.send(req).await
}

async fn entry_count(app: &TestApp, admin: &str) -> usize {
    app.get_as("/api/v1/admin/points/entries?limit=100", admin)
        .await
        .json()["data"]
        .as_array()
        .expect("entries")
        .len()
}

fn fields(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn a_batch_awards_every_item_in_order(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let rule = app
        .post_as(
            "/api/v1/admin/point-rules",
            &admin,
            &json!({"name": "PET", "unit": "kg", "points_per_unit": 10}),
        )
        .await
        .json();
    let (ann, bob) = (&world.member_a.user_id, &world.other_member_a.user_id);
    let res = batch(
        &app,
        &admin,
        None,
        &json!({"items": [
            {"user_id": ann, "amount": 20, "reason": "Litter pick"},
            {"user_id": bob, "rule_id": rule["id"], "quantity": "2.345"},
            {"user_id": ann, "amount": 5, "reason": "Extra bag"},
        ]}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let entries = res.json()["entries"].as_array().unwrap().clone();
    let summary: Vec<(&str, i64, i64)> = entries
        .iter()
        .map(|e| {
            (
                e["user_id"].as_str().unwrap(),
                e["amount"].as_i64().unwrap(),
                e["balance_after"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (ann.as_str(), 20, 20),
            (bob.as_str(), 23, 23),
            (ann.as_str(), 5, 25)
        ]
    );
    assert_eq!(entries[1]["quantity"], "2.345");
    assert_eq!(balance(&app, &world.member_a.access).await, 25);
    assert_eq!(balance(&app, &world.other_member_a.access).await, 23);

    let audit = app
        .get_as("/api/v1/admin/audit-events?limit=100", &admin)
        .await
        .json();
    let batch_events = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "points.award_batch")
        .count();
    assert_eq!(batch_events, 3, "one audit event per entry");
}

async fn one_refused_item_writes_nothing_and_every_bad_item_is_named(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let ann = world.member_a.user_id.clone();
    let rule = app
        .post_as(
            "/api/v1/admin/point-rules",
            &admin,
            &json!({"name": "Glass", "unit": "kg", "points_per_unit": 1}),
        )
        .await
        .json();
    let good = json!({"user_id": ann, "amount": 10, "reason": "Fine"});

    // Rules a schema states (validator): every failing field, by item.
    let res = batch(
        &app,
        &admin,
        None,
        &json!({"items": [good, {"user_id": ann, "amount": 0, "reason": "x"}, good,
            {"user_id": ann, "amount": 5, "reason": ""}]}),
    )
    .await;
    assert_eq!(
        fields(&res.assert_problem(422, "validation_failed")),
        vec![
            ("items[1].amount".into(), "out_of_range".into()),
            ("items[3].reason".into(), "invalid_length".into()),
        ]
    );
    // Then the rules about how fields combine, still before any database work.
    let res = batch(
        &app,
        &admin,
        None,
        &json!({"items": [good, {"user_id": ann, "amount": 5}, good,
            {"user_id": ann, "amount": 5, "rule_id": rule["id"], "quantity": "1"}]}),
    )
    .await;
    assert_eq!(
        fields(&res.assert_problem(422, "validation_failed")),
        vec![
            ("items[1].reason".into(), "required".into()),
            ("items[3].amount".into(), "invalid_combination".into()),
        ]
    );

    // Rules only the database can check: the whole batch is refused.
    let res = batch(
        &app,
        &admin,
        None,
        &json!({"items": [
            good,
            {"user_id": world.admin_b.user_id, "amount": 5, "reason": "Other tenant"},
            {"user_id": ann, "rule_id": rule["id"], "quantity": "0.4"},
            {"user_id": ann, "rule_id": uuid::Uuid::now_v7().to_string(), "quantity": "1"},
        ]}),
    )
    .await;
    let problem = res.assert_problem(422, "validation_failed");
    let mut named = fields(&problem);
    named.sort();
    assert_eq!(
        named,
        vec![
            ("items[1].user_id".into(), "unknown_user".into()),
            ("items[2].quantity".into(), "too_small".into()),
            ("items[3].rule_id".into(), "unknown_rule".into()),
        ]
    );
    assert_eq!(entry_count(&app, &admin).await, 0, "nothing was written");
    assert_eq!(balance(&app, &world.member_a.access).await, 0);

    // A malformed value is a 400 that still names the item.
    let res = batch(
        &app,
        &admin,
        None,
        &json!({"items": [good, {"user_id": ann, "rule_id": rule["id"], "quantity": "0.0005"}]}),
    )
    .await;
    assert_eq!(
        fields(&res.assert_problem(400, "bad_request")),
        vec![("items[1].quantity".into(), "too_precise".into())]
    );
    // A wrong type anywhere is a 400, like on any route.
    batch(
        &app,
        &admin,
        None,
        &json!({"items": [good, {"user_id": ann, "amount": "ten", "reason": "x"}]}),
    )
    .await
    .assert_problem(400, "bad_request");
    assert_eq!(entry_count(&app, &admin).await, 0);
}

async fn batches_hold_1_to_500_items_within_1_mib(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let ann = world.member_a.user_id.clone();

    let res = batch(&app, &admin, None, &json!({"items": []})).await;
    assert_eq!(
        fields(&res.assert_problem(422, "validation_failed")),
        vec![("items".into(), "invalid_length".into())]
    );
    let item = |reason: String| json!({"user_id": ann, "amount": 1, "reason": reason});
    let too_many: Vec<Value> = (0..501).map(|i| item(format!("#{i}"))).collect();
    let res = batch(&app, &admin, None, &json!({"items": too_many})).await;
    assert_eq!(
        fields(&res.assert_problem(422, "validation_failed")),
        vec![("items".into(), "invalid_length".into())]
    );

    // 500 items with long reasons: far over the ordinary 64 KiB, within 1 MiB.
    let full: Vec<Value> = (0..500)
        .map(|i| item(format!("{i:03} {}", "é".repeat(95))))
        .collect();
    let body = json!({ "items": full });
    assert!(body.to_string().len() > 100 * 1024);
    let res = batch(&app, &admin, None, &body).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.json()["entries"].as_array().unwrap().len(), 500);
    assert_eq!(balance(&app, &world.member_a.access).await, 500);

    let padding = "x".repeat(1 << 20);
    batch(
        &app,
        &admin,
        None,
        &json!({"items": [item("big".into())], "padding": padding}),
    )
    .await
    .assert_problem(413, "payload_too_large");
    // The ordinary routes keep their 64 KiB limit.
    app.post_as(
        "/api/v1/admin/points/awards",
        &admin,
        &json!({"user_id": ann, "amount": 1, "reason": "x".repeat(70 * 1024)}),
    )
    .await
    .assert_problem(413, "payload_too_large");
}

async fn a_retried_batch_awards_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let ann = world.member_a.user_id.clone();
    let body = json!({"items": [
        {"user_id": ann, "amount": 7, "reason": "Stall"},
        {"user_id": world.other_member_a.user_id, "amount": 8, "reason": "Stall"},
    ]});
    let first = batch(&app, &admin, Some("batch-1"), &body).await;
    assert_eq!(first.status, 201);
    let again = batch(&app, &admin, Some("batch-1"), &body).await;
    assert_eq!(
        (again.status.as_u16(), again.header("idempotent-replayed")),
        (201, Some("true"))
    );
    assert_eq!(again.json(), first.json());
    assert_eq!(entry_count(&app, &admin).await, 2);
    batch(
        &app,
        &admin,
        Some("batch-1"),
        &json!({"items": [{"user_id": ann, "amount": 9, "reason": "Stall"}]}),
    )
    .await
    .assert_problem(422, "idempotency_key_reused");

    let attempts = (0..8).map(|_| batch(&app, &admin, Some("batch-2"), &body));
    assert_one_answer(&futures::future::join_all(attempts).await);
    assert_eq!(entry_count(&app, &admin).await, 4, "one key, one effect");
    assert_eq!(balance(&app, &world.member_a.access).await, 14);
}

async fn members_and_other_tenants_cannot_batch(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let body = json!({"items": [{"user_id": world.member_a.user_id, "amount": 7, "reason": "x"}]});
    batch(&app, &world.member_a.access, None, &body)
        .await
        .assert_problem(403, "forbidden");
    let res = batch(&app, &world.admin_b.access, None, &body).await;
    assert_eq!(
        fields(&res.assert_problem(422, "validation_failed")),
        vec![("items[0].user_id".into(), "unknown_user".into())]
    );
    assert_eq!(balance(&app, &world.member_a.access).await, 0);
}

/// Batches naming the same members in opposite orders, all at once: each is
/// written whole (none fails on a lock cycle) and the balances add up.
async fn crossed_batches_in_parallel_all_apply(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let (ann, bob) = (&world.member_a.user_id, &world.other_member_a.user_id);
    let forward = json!({"items": [
        {"user_id": ann, "amount": 1, "reason": "a"}, {"user_id": bob, "amount": 2, "reason": "b"}]});
    let backward = json!({"items": [
        {"user_id": bob, "amount": 2, "reason": "b"}, {"user_id": ann, "amount": 1, "reason": "a"}]});
    let batches = (0..16).map(|i| {
        let body = if i % 2 == 0 { &forward } else { &backward };
        batch(&app, &admin, None, body)
    });
    for res in futures::future::join_all(batches).await {
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        let amounts: Vec<i64> = res.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["amount"].as_i64().unwrap())
            .collect();
        assert!(
            amounts == [1, 2] || amounts == [2, 1],
            "entries in item order"
        );
    }
    assert_eq!(balance(&app, &world.member_a.access).await, 16);
    assert_eq!(balance(&app, &world.other_member_a.access).await, 32);
}

backend_tests!(
    a_batch_awards_every_item_in_order,
    one_refused_item_writes_nothing_and_every_bad_item_is_named,
    batches_hold_1_to_500_items_within_1_mib,
    a_retried_batch_awards_once,
    members_and_other_tenants_cannot_batch,
    crossed_batches_in_parallel_all_apply,
);
