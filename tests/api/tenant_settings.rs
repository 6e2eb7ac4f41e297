//! A tenant's settings over HTTP: every member reads what dates and amounts
//! are to be read in; admins change them, audited, and cannot change the
//! currency once money is recorded in it.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, TestResponse, World, count, spawn_app};

/// `PATCH /api/v1/admin/tenant` with `body`.
pub async fn patch_tenant(app: &TestApp, token: &str, body: Value) -> TestResponse {
    app.call("PATCH", "/api/v1/admin/tenant", Some(token), Some(&body))
        .await
}

async fn members_read_their_tenant_and_admins_change_it(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        admin_b,
        ..
    } = app.world().await;
    let seen = app.get_as("/api/v1/tenant", &member_a.access).await;
    assert_eq!(seen.status, 200);
    let seen = seen.json();
    assert_eq!(seen["slug"], "tenant-a");
    assert_eq!(seen["week_starts_on"], "monday");
    assert!(seen["currency"].as_str().is_some_and(|c| c.len() == 3));
    assert!(
        seen.get("registration").is_none(),
        "members do not see the policy: {seen}"
    );

    patch_tenant(&app, &member_a.access, json!({"name": "Mine now"}))
        .await
        .assert_problem(403, "forbidden");
    let changed = patch_tenant(
        &app,
        &admin_a.access,
        json!({"name": " Green Valley ", "timezone": "Asia/Manila", "week_starts_on": "sunday",
               "registration": "closed"}),
    )
    .await;
    assert_eq!(
        changed.status,
        200,
        "{}",
        String::from_utf8_lossy(&changed.body)
    );
    let changed = changed.json();
    assert_eq!(changed["name"], "Green Valley");
    assert_eq!(changed["timezone"], "Asia/Manila");
    assert_eq!(changed["week_starts_on"], "sunday");
    assert_eq!(changed["registration"], "closed");
    assert_eq!(
        app.get_as("/api/v1/tenant", &member_a.access).await.json()["timezone"],
        "Asia/Manila"
    );
    let other = app
        .get_as("/api/v1/admin/tenant", &admin_b.access)
        .await
        .json();
    assert_eq!(other["slug"], "tenant-b");
    assert_eq!(
        other["timezone"], seen["timezone"],
        "another tenant is untouched"
    );

    let problem = patch_tenant(
        &app,
        &admin_a.access,
        json!({"timezone": "Mars/Olympus", "currency": "XYZ", "name": "   "}),
    )
    .await
    .assert_problem(422, "validation_failed");
    let mut fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["currency", "name", "timezone"], "{problem}");
    patch_tenant(&app, &admin_a.access, json!({"slug": "mine"}))
        .await
        .assert_problem(400, "bad_request");
    assert_eq!(
        app.get_as("/api/v1/admin/tenant", &admin_a.access)
            .await
            .json()["timezone"],
        "Asia/Manila",
        "refused changes change nothing"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'tenant.update'"
        ),
        1,
        "the one accepted change is audited"
    );
}

async fn the_currency_is_locked_once_money_is_recorded(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    let usd = patch_tenant(&app, admin, json!({"currency": "usd"})).await;
    assert_eq!(usd.status, 200);
    assert_eq!(usd.json()["currency"], "USD");

    let household = app
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": "Smiths"}),
        )
        .await
        .json();
    let charged = app
        .post_as(
            "/api/v1/admin/charges",
            admin,
            &json!({"household_id": household["id"], "description": "Dues",
                    "amount": 1500, "due_date": "2026-12-01"}),
        )
        .await;
    assert_eq!(charged.status, 201);
    let problem = patch_tenant(&app, admin, json!({"currency": "EUR"}))
        .await
        .assert_problem(409, "currency_locked");
    assert!(problem["detail"].as_str().unwrap().contains("USD"));
    let same = patch_tenant(
        &app,
        admin,
        json!({"currency": "USD", "week_starts_on": "saturday"}),
    )
    .await;
    assert_eq!(same.status, 200, "naming the current currency is no change");
    assert_eq!(same.json()["week_starts_on"], "saturday");
}

backend_tests!(
    members_read_their_tenant_and_admins_change_it,
    the_currency_is_locked_once_money_is_recorded,
);
