//! Staff: a role that works the desks its scopes name and nothing else. The
//! matrix is driven by the OpenAPI document, so a route added later is held to
//! what its `security` says without being listed here.

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

use crate::access_control::{body_for, with_id};
use crate::backend_tests;
use crate::helpers::{Login, TestBackend, eventually, second_instance, spawn_app, spawn_app_with};

const SCOPES: [&str; 4] = ["attendance", "points", "redemptions", "payments"];

/// Every `/admin` operation: method, path, the scopes that admit a caller
/// (`admin` among them) and the statuses it documents.
fn admin_operations() -> Vec<(String, String, BTreeSet<String>, BTreeSet<String>)> {
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/admin/") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let admits: BTreeSet<String> = op["security"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|req| req["bearer"].as_array().unwrap().clone())
                .map(|scope| scope.as_str().unwrap().to_string())
                .collect();
            let documented = op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            ops.push((method.to_uppercase(), path.clone(), admits, documented));
        }
    }
    ops
}

async fn every_admin_operation_answers_each_kind_of_caller_as_documented(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let mut callers: Vec<(String, Login, Option<&str>)> = vec![
        ("admin".into(), world.admin_a.clone(), Some("admin")),
        ("member".into(), world.member_a.clone(), None),
        (
            "staff without scopes".into(),
            app.staff("tenant-a", "idle@a.example", "").await,
            None,
        ),
    ];
    for scope in SCOPES {
        let email = format!("{scope}@a.example");
        let login = app.staff("tenant-a", &email, scope).await;
        callers.push((format!("staff with {scope}"), login, Some(scope)));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let (mut admitted, mut refused) = (0, 0);
    for (method, template, admits, documented) in admin_operations() {
        assert!(
            admits.contains("admin"),
            "{method} {template}: admins may call every admin route"
        );
        for scope in &admits {
            assert!(
                scope == "admin" || SCOPES.contains(&scope.as_str()),
                "{method} {template}: unknown scope {scope}"
            );
        }
        let path = with_id(&template, &id);
        let body = body_for(&method, &template);
        for (who, login, holds) in &callers {
            let res = app
                .call(&method, &path, Some(&login.access), body.as_ref())
                .await;
            let status = res.status.as_u16();
            let allowed = holds.is_some_and(|scope| scope == "admin" || admits.contains(scope));
            if allowed {
                assert!(
                    status != 401 && status != 403 && status < 500,
                    "{method} {template} as {who}: {status} {}",
                    String::from_utf8_lossy(&res.body)
                );
                assert!(
                    documented.contains(&status.to_string()),
                    "{method} {template} as {who}: {status} is not documented"
                );
                admitted += 1;
            } else {
                res.assert_problem(403, "forbidden");
                refused += 1;
            }
        }
    }
    assert!(
        admitted >= 90 && refused >= 300,
        "{admitted} admitted, {refused} refused"
    );
}

/// The access token's claims, as a client reads them (no verification).
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

async fn staff_are_created_granted_and_shown_their_scopes(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = &world.admin_a.access;
    let created = app
        .post_as(
            "/api/v1/admin/users",
            admin,
            &json!({"email": "door@a.example", "display_name": "Door", "password": crate::helpers::PASSWORD,
                    "role": "staff", "scopes": ["attendance"]}),
        )
        .await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    assert_eq!(created.json()["scopes"], json!(["attendance"]));
    let door = app
        .login("tenant-a", "door@a.example", crate::helpers::PASSWORD)
        .await;
    let token = claims(&door.access);
    assert_eq!(
        (token["role"].clone(), token["scopes"].clone()),
        (json!("staff"), json!(["attendance"]))
    );
    let me = app.get_as("/api/v1/me", &door.access).await.json();
    assert_eq!(me["scopes"], json!(["attendance"]));

    // Scopes belong to staff alone.
    let path = format!("/api/v1/admin/users/{}", world.member_a.user_id);
    let refused = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"scopes": ["points"]})),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(refused["errors"][0]["field"], "scopes");
    assert_eq!(refused["errors"][0]["code"], "staff_only");
    let unknown = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"role": "staff", "scopes": ["vault"]})),
        )
        .await;
    assert_eq!(unknown.status, 400, "an unknown scope is a bad value");

    // Granting is audited with what was granted; a demotion drops the scopes.
    let granted = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"role": "staff", "scopes": ["payments", "points"]})),
        )
        .await;
    assert_eq!(granted.status, 200);
    assert_eq!(granted.json()["scopes"], json!(["points", "payments"]));
    let trail = app
        .get_as("/api/v1/admin/audit-events?action=user.role_change", admin)
        .await
        .json();
    assert_eq!(
        trail["data"][0]["reason"],
        "role staff, scopes [points payments]"
    );
    let demoted = app
        .call("PATCH", &path, Some(admin), Some(&json!({"role": "user"})))
        .await
        .json();
    assert_eq!(
        (demoted["role"].clone(), demoted["scopes"].clone()),
        (json!("user"), json!([]))
    );
}

async fn a_collector_awards_by_rule_and_nothing_else(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let collector = app.staff("tenant-a", "collector@a.example", "points").await;
    let rule = app
        .post_as(
            "/api/v1/admin/point-rules",
            &world.admin_a.access,
            &json!({"name": "PET bottles", "unit": "kg", "points_per_unit": 10}),
        )
        .await
        .json();
    let ann = &world.member_a.user_id;
    let by_rule = app
        .post_as(
            "/api/v1/admin/points/awards",
            &collector.access,
            &json!({"user_id": ann, "rule_id": rule["id"], "quantity": "2.5"}),
        )
        .await;
    assert_eq!(
        by_rule.status,
        201,
        "{}",
        String::from_utf8_lossy(&by_rule.body)
    );
    assert_eq!(by_rule.json()["amount"], 25);
    let direct = json!({"user_id": ann, "amount": 500, "reason": "friend"});
    app.post_as("/api/v1/admin/points/awards", &collector.access, &direct)
        .await
        .assert_problem(403, "forbidden");
    let batch = json!({"items": [
        {"user_id": ann, "rule_id": rule["id"], "quantity": "1"},
        {"user_id": ann, "amount": 500, "reason": "friend"}]});
    app.post_as(
        "/api/v1/admin/points/awards/batch",
        &collector.access,
        &batch,
    )
    .await
    .assert_problem(403, "forbidden");
    let entry = by_rule.json()["id"].as_str().unwrap().to_string();
    let reverse = format!("/api/v1/admin/points/entries/{entry}/reverse");
    app.post_as(&reverse, &collector.access, &json!({"reason": "oops"}))
        .await
        .assert_problem(403, "forbidden");
    let balance = app
        .get_as("/api/v1/me", &world.member_a.access)
        .await
        .json();
    assert_eq!(
        balance["points_balance"], 25,
        "only the rule's award was written"
    );
}

async fn a_removed_scope_stops_working_within_the_ttl(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| s.auth.session_cache_ttl_secs = 1).await;
    let world = app.world().await;
    let desk = app
        .staff("tenant-a", "desk@a.example", "attendance points")
        .await;
    let other = second_instance(&app).await;
    let events = "/api/v1/admin/events";
    // The other instance has seen (and cached) the session with both scopes.
    assert_eq!(other.get_as(events, &desk.access).await.status, 200);
    let path = format!("/api/v1/admin/users/{}", desk.user_id);
    let res = app
        .call(
            "PATCH",
            &path,
            Some(&world.admin_a.access),
            Some(&json!({"scopes": ["points"]})),
        )
        .await;
    assert_eq!(res.status, 200);
    // This instance forgets at once; the other within its TTL.
    app.get_as(events, &desk.access)
        .await
        .assert_problem(403, "forbidden");
    let shrunk = eventually(Duration::from_secs(5), async || {
        other.get_as(events, &desk.access).await.status == 403
    })
    .await;
    assert!(shrunk, "the other instance still honours a removed scope");
    let rules = "/api/v1/admin/point-rules";
    assert_eq!(
        other.get_as(rules, &desk.access).await.status,
        200,
        "the kept scope works"
    );
}

backend_tests!(
    every_admin_operation_answers_each_kind_of_caller_as_documented,
    staff_are_created_granted_and_shown_their_scopes,
    a_collector_awards_by_rule_and_nothing_else,
    a_removed_scope_stops_working_within_the_ttl,
);
