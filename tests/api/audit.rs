//! Audit events: security events and admin writes leave a trace, in the same
//! tenant only, filterable.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestBackend, spawn_app};

fn actions(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

async fn security_events_and_admin_writes_are_audited(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    app.post_json(
        "/api/v1/auth/login",
        &json!({"tenant": "tenant-a", "email": "ann@a.example", "password": "wrong kettle"}),
    )
    .await;
    let member_path = format!("/api/v1/admin/users/{}", world.member_a.user_id);
    app.call(
        "PATCH",
        &member_path,
        Some(&admin),
        Some(&json!({"role": "admin"})),
    )
    .await;
    app.call(
        "PATCH",
        &member_path,
        Some(&admin),
        Some(&json!({"status": "suspended"})),
    )
    .await;
    app.post_as(&format!("{member_path}/password-reset"), &admin, &json!({}))
        .await;
    app.post_as(
        "/api/v1/me/password",
        &world.other_member_a.access,
        &json!({"current_password": PASSWORD, "new_password": "a brand new kettle song"}),
    )
    .await;

    let all = app
        .get_as("/api/v1/admin/audit-events?limit=100", &admin)
        .await;
    assert_eq!(all.status, 200);
    let all = all.json();
    let seen = actions(&all);
    for expected in [
        "auth.login",
        "auth.login_failed",
        "user.role_change",
        "user.suspend",
        "user.password_reset_code",
        "user.password_change",
        "user.create",
    ] {
        assert!(
            seen.iter().any(|a| a == expected),
            "{expected} missing from {seen:?}"
        );
    }
    let failed = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "auth.login_failed")
        .unwrap();
    assert_eq!(failed["target_id"], "ann@a.example");
    assert!(failed["actor_id"].is_null());
    assert!(failed["request_id"].is_string() && failed["ip"].is_string());

    let filtered = app
        .get_as(
            &format!(
                "/api/v1/admin/audit-events?action=user.suspend&target_id={}",
                world.member_a.user_id
            ),
            &admin,
        )
        .await
        .json();
    assert_eq!(actions(&filtered), ["user.suspend"]);
    assert_eq!(
        filtered["data"][0]["actor_id"],
        world.admin_a.user_id.as_str()
    );
    let by_actor = app
        .get_as(
            &format!(
                "/api/v1/admin/audit-events?actor_id={}",
                world.admin_a.user_id
            ),
            &admin,
        )
        .await
        .json();
    assert!(actions(&by_actor).iter().all(|a| a != "auth.login_failed"));
    let future = app
        .get_as(
            "/api/v1/admin/audit-events?from=2999-01-01T00:00:00Z",
            &admin,
        )
        .await
        .json();
    assert!(future["data"].as_array().unwrap().is_empty());
    app.get_as("/api/v1/admin/audit-events?from=yesterday", &admin)
        .await
        .assert_problem(400, "bad_request");

    // Tenant b sees none of it.
    let other = app
        .get_as(
            "/api/v1/admin/audit-events?limit=100",
            &world.admin_b.access,
        )
        .await
        .json();
    assert!(
        actions(&other)
            .iter()
            .all(|a| a == "auth.login" || a == "user.create")
    );
    assert!(!other.to_string().contains(&world.member_a.user_id));
}

async fn refresh_reuse_and_lockout_are_audited(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let refresh = json!({"refresh_token": world.member_a.refresh});
    app.post_json("/api/v1/auth/refresh", &refresh).await;
    app.post_json("/api/v1/auth/refresh", &refresh).await;
    let wrong = json!({"tenant": "tenant-a", "email": "bob@a.example", "password": "wrong kettle"});
    for _ in 0..6 {
        app.post_json("/api/v1/auth/login", &wrong).await;
    }
    let page = app
        .get_as(
            "/api/v1/admin/audit-events?limit=100",
            &world.admin_a.access,
        )
        .await
        .json();
    let seen = actions(&page);
    assert!(seen.contains(&"auth.refresh_reuse".to_string()), "{seen:?}");
    assert!(seen.contains(&"auth.lockout".to_string()), "{seen:?}");
}

backend_tests!(
    security_events_and_admin_writes_are_audited,
    refresh_reuse_and_lockout_are_audited,
);
