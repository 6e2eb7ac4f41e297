//! Awards (direct and by rule), the ledger views, and idempotency keys.

use actix_web::test::TestRequest;
use diesel::RunQueryDsl;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, TestResponse, assert_one_answer, default_peer, spawn_app,
};

const AWARDS: &str = "/api/v1/admin/points/awards";

async fn award(app: &TestApp, token: &str, key: Option<&str>, body: &Value) -> TestResponse {
    let mut req = TestRequest::post()
        .uri(AWARDS)
        .peer_addr(default_peer())
        .insert_header(("authorization", format!("Bearer {token}")))
        .set_json(body);
    if let Some(key) = key {
        req = req.insert_header(("idempotency-key", key));
    }
    app.send(req).await
}

async fn entries_of(app: &TestApp, token: &str, user: &str) -> Vec<Value> {
    let page = app
        .get_as(
            &format!("/api/v1/admin/points/entries?user_id={user}&limit=100"),
            token,
        )
        .await
        .json();
    page["data"].as_array().unwrap().clone()
}

async fn awards_direct_and_by_rule(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let ann = world.member_a.user_id.clone();

    let direct = award(
        &app,
        &admin,
        None,
        &json!({"user_id": ann, "amount": 100, "reason": "Welcome"}),
    )
    .await;
    assert_eq!(
        direct.status,
        201,
        "{}",
        String::from_utf8_lossy(&direct.body)
    );
    let entry = direct.json();
    assert_eq!(
        (entry["amount"].as_i64(), entry["balance_after"].as_i64()),
        (Some(100), Some(100))
    );
    assert_eq!(entry["kind"], "award");
    assert_eq!(entry["actor_id"], world.admin_a.user_id.as_str());

    let rule = app
        .post_as(
            "/api/v1/admin/point-rules",
            &admin,
            &json!({"name": "PET", "unit": "kg", "points_per_unit": 10}),
        )
        .await
        .json();
    let by_rule = award(
        &app,
        &admin,
        None,
        &json!({"user_id": ann, "rule_id": rule["id"], "quantity": "2.345"}),
    )
    .await
    .json();
    assert_eq!(
        (by_rule["amount"].as_i64(), by_rule["quantity"].as_str()),
        (Some(23), Some("2.345"))
    );
    assert_eq!(by_rule["balance_after"], 123);
    assert_eq!(by_rule["rule_id"], rule["id"]);

    award(
        &app,
        &admin,
        None,
        &json!({"user_id": ann, "rule_id": rule["id"], "quantity": "0.0005"}),
    )
    .await
    .assert_problem(400, "bad_request");
    for big in ["0", "1000000.001", "6267305"] {
        let body = json!({"user_id": ann, "rule_id": rule["id"], "quantity": big});
        let res = award(&app, &admin, None, &body).await;
        assert_eq!(
            res.assert_problem(422, "validation_failed")["errors"][0]["field"],
            "quantity"
        );
    }
    for (bad, field) in [
        (json!({"user_id": ann, "amount": 5}), "reason"),
        (
            json!({"user_id": ann, "amount": 5, "reason": "x", "rule_id": rule["id"], "quantity": "1"}),
            "amount",
        ),
        (json!({"user_id": ann}), "amount"),
        (
            json!({"user_id": ann, "amount": 0, "reason": "x"}),
            "amount",
        ),
        (
            json!({"user_id": ann, "amount": 1_000_001, "reason": "x"}),
            "amount",
        ),
        (
            json!({"user_id": world.admin_b.user_id, "amount": 5, "reason": "x"}),
            "user_id",
        ),
    ] {
        let body = award(&app, &admin, None, &bad)
            .await
            .assert_problem(422, "validation_failed");
        assert_eq!(body["errors"][0]["field"], field, "{bad}");
    }
    app.call(
        "DELETE",
        &format!("/api/v1/admin/point-rules/{}", rule["id"].as_str().unwrap()),
        Some(&admin),
        None,
    )
    .await;
    let archived = award(
        &app,
        &admin,
        None,
        &json!({"user_id": ann, "rule_id": rule["id"], "quantity": "1"}),
    )
    .await;
    assert_eq!(
        archived.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "rule_id"
    );

    // The member sees their own ledger only; the admin can filter.
    let mine = app
        .get_as("/api/v1/points/entries", &world.member_a.access)
        .await
        .json();
    let amounts: Vec<i64> = mine["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, [23, 100], "newest first");
    let bobs = app
        .get_as("/api/v1/points/entries", &world.other_member_a.access)
        .await
        .json();
    assert!(bobs["data"].as_array().unwrap().is_empty());
    let awards = app
        .get_as("/api/v1/admin/points/entries?kind=award", &admin)
        .await
        .json();
    assert_eq!(awards["data"].as_array().unwrap().len(), 2);
    let other_tenant = app
        .get_as("/api/v1/admin/points/entries", &world.admin_b.access)
        .await
        .json();
    assert!(other_tenant["data"].as_array().unwrap().is_empty());
    let me = app
        .get_as("/api/v1/me", &world.member_a.access)
        .await
        .json();
    assert_eq!(me["points_balance"], 123);
}

async fn a_retried_award_with_the_same_key_awards_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let body = json!({"user_id": world.member_a.user_id, "amount": 40, "reason": "Cleanup day"});
    let first = award(&app, &admin, Some("award-7f3a"), &body).await;
    assert_eq!(first.status, 201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = award(&app, &admin, Some("award-7f3a"), &body).await;
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        again.json(),
        first.json(),
        "the replay is the stored response"
    );
    assert_eq!(
        entries_of(&app, &admin, &world.member_a.user_id)
            .await
            .len(),
        1
    );

    let different =
        json!({"user_id": world.member_a.user_id, "amount": 41, "reason": "Cleanup day"});
    award(&app, &admin, Some("award-7f3a"), &different)
        .await
        .assert_problem(422, "idempotency_key_reused");
    // Keys are scoped per user: another admin's identical key is independent.
    app.user("tenant-a", "admin2@a.example", hearth::auth::Role::Admin)
        .await;
    let second_admin = app
        .login("tenant-a", "admin2@a.example", crate::helpers::PASSWORD)
        .await;
    assert_eq!(
        award(&app, &second_admin.access, Some("award-7f3a"), &body)
            .await
            .header("idempotent-replayed"),
        None
    );
    assert_eq!(
        entries_of(&app, &admin, &world.member_a.user_id)
            .await
            .len(),
        2
    );

    // A failed request releases its key.
    let bad = json!({"user_id": world.admin_b.user_id, "amount": 5, "reason": "x"});
    award(&app, &admin, Some("key-2"), &bad)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(award(&app, &admin, Some("key-2"), &body).await.status, 201);

    for key in ["", "has space", &"k".repeat(256), "naïve"] {
        award(&app, &admin, Some(key), &body)
            .await
            .assert_problem(400, "bad_request");
    }

    // After 24 hours the key is forgotten: the same request awards again.
    let mut conn = app.db.connect();
    diesel::sql_query("UPDATE idempotency_keys SET expires_at = '2000-01-01 00:00:00'")
        .execute(&mut conn)
        .unwrap();
    let after_expiry = award(&app, &admin, Some("award-7f3a"), &body).await;
    assert_eq!(
        (
            after_expiry.status.as_u16(),
            after_expiry.header("idempotent-replayed")
        ),
        (201, None)
    );
    // The periodic purge removes exactly the keys that are still expired (the
    // others of this test), not the one just renewed.
    let expired = || {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT COUNT(*) FROM idempotency_keys WHERE expires_at < '2001-01-01 00:00:00')",
        ))
    };
    let before: i64 = expired().get_result(&mut conn).unwrap();
    // Through the app's pool, so its statements are checked for their shape too.
    let mut pooled = app.state.db.pool().get().unwrap();
    let purged = hearth::idempotency::purge_expired(&mut pooled).unwrap();
    assert_eq!(purged as i64, before);
    assert_eq!(expired().get_result::<i64>(&mut conn).unwrap(), 0);
    let replay = award(&app, &admin, Some("award-7f3a"), &body).await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
}

/// An idempotent award is one transaction: its entry and balance, its outbox
/// event with its webhook deliveries, its audit event and its key with the
/// answer commit together, in seven statements on PostgreSQL (BEGIN and
/// COMMIT counted; SQLite reads the endpoints apart), with no ping before
/// them. A replay runs the same transaction, finds the key and rolls back.
async fn an_idempotent_award_is_one_transaction_of_counted_statements(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let body = json!({"user_id": world.member_a.user_id, "amount": 5, "reason": "Counted"});
    // The first request of a token loads its session; count from the second.
    award(&app, &admin, Some("warm-up"), &body).await;
    let before = app.queries.get();
    let res = award(&app, &admin, Some("counted"), &body).await;
    assert_eq!(res.status, 201);
    assert_eq!(
        app.queries.get() - before,
        if backend == TestBackend::Postgres {
            7
        } else {
            8
        },
        "BEGIN, the balance, the entry, the outbox event (on SQLite then the \
         webhook endpoints), the audit event, the key with its answer, COMMIT"
    );
    let before = app.queries.get();
    let replay = award(&app, &admin, Some("counted"), &body).await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(
        app.queries.get() - before,
        if backend == TestBackend::Postgres {
            8
        } else {
            9
        },
        "the award's statements, the key's insert finding the first, its read, ROLLBACK"
    );
    assert_eq!(
        entries_of(&app, &admin, &world.member_a.user_id)
            .await
            .len(),
        2
    );
    let unknown =
        json!({"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "amount": 5, "reason": "x"});
    let refused = award(&app, &admin, Some("unknown"), &unknown).await;
    let problem = refused.assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "user_id");
    assert_eq!(problem["errors"][0]["code"], "unknown_user");
}

async fn concurrent_requests_with_one_key_have_one_effect(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let body = json!({"user_id": world.member_a.user_id, "amount": 10, "reason": "Race"});
    let attempts = (0..10).map(|_| award(&app, &admin, Some("same-key"), &body));
    assert_one_answer(&futures::future::join_all(attempts).await);
    let entries = entries_of(&app, &admin, &world.member_a.user_id).await;
    assert_eq!(entries.len(), 1, "one key, one effect");
    let me = app
        .get_as("/api/v1/me", &world.member_a.access)
        .await
        .json();
    assert_eq!(me["points_balance"], 10);
}

/// A mobile client sends the quantity as a JSON number; it is read from the
/// number's text, exactly, with the same limits as the string form.
async fn quantities_may_be_json_numbers(backend: TestBackend) {
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
    let bob = world.other_member_a.user_id.as_str();
    let raw = format!(
        r#"{{"user_id": "{bob}", "rule_id": {}, "quantity": 2.345}}"#,
        rule["id"]
    );
    let as_number = award(&app, &admin, None, &serde_json::from_str(&raw).unwrap()).await;
    assert_eq!(
        as_number.status,
        201,
        "{}",
        String::from_utf8_lossy(&as_number.body)
    );
    let as_number = as_number.json();
    assert_eq!(
        (as_number["amount"].as_i64(), as_number["quantity"].as_str()),
        (Some(23), Some("2.345"))
    );
    for (number, code) in [
        ("0.0005", "too_precise"),
        ("2.3456", "too_precise"),
        ("\"abc\"", "invalid_format"),
        ("-1", "invalid_format"),
    ] {
        let raw = format!(
            r#"{{"user_id": "{bob}", "rule_id": {}, "quantity": {number}}}"#,
            rule["id"]
        );
        let res = award(&app, &admin, None, &serde_json::from_str(&raw).unwrap()).await;
        assert!(res.status.is_client_error(), "{number}: {}", res.status);
        assert_eq!(res.json()["errors"][0]["code"], code, "{number}");
    }
}

backend_tests!(
    an_idempotent_award_is_one_transaction_of_counted_statements,
    quantities_may_be_json_numbers,
    awards_direct_and_by_rule,
    a_retried_award_with_the_same_key_awards_once,
    concurrent_requests_with_one_key_have_one_effect,
);
