//! Admin user management: list with filters and pages, create, approve, role and
//! status changes, and the self-lockout guard.

use hearth::auth::Role;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestBackend, spawn_app};

async fn admins_list_filter_and_page_users_of_their_tenant_only(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = &world.admin_a.access;
    let all = app.get_as("/api/v1/admin/users", admin).await.json();
    let emails: Vec<&str> = all["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(
        emails,
        ["bob@a.example", "ann@a.example", "admin@a.example"],
        "newest first, tenant a only"
    );

    let admins = app
        .get_as("/api/v1/admin/users?role=admin", admin)
        .await
        .json();
    assert_eq!(admins["data"].as_array().unwrap().len(), 1);
    let search = app.get_as("/api/v1/admin/users?q=ANN", admin).await.json();
    assert_eq!(search["data"][0]["email"], "ann@a.example");
    let wildcard = app.get_as("/api/v1/admin/users?q=%25", admin).await.json();
    assert_eq!(
        wildcard["data"].as_array().unwrap().len(),
        0,
        "% is literal"
    );

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/admin/users?limit=2&cursor={c}"),
            None => "/api/v1/admin/users?limit=2".to_string(),
        };
        let page = app.get_as(&path, admin).await.json();
        for u in page["data"].as_array().unwrap() {
            seen.push(u["id"].as_str().unwrap().to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3, "every user exactly once across pages");

    let long_q = format!("q={}", "%C3%A9".repeat(101));
    for bad in [
        "limit=0",
        "limit=101",
        "limit=abc",
        "cursor=garbage",
        "status=bogus",
        "role=root",
        long_q.as_str(),
    ] {
        app.get_as(&format!("/api/v1/admin/users?{bad}"), admin)
            .await
            .assert_problem(400, "bad_request");
    }
}

async fn admins_create_approve_and_change_users(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let created = app
        .post_as(
            "/api/v1/admin/users",
            &admin,
            &json!({"email": "Staff@A.example", "display_name": "Staff", "password": PASSWORD, "role": "admin"}),
        )
        .await;
    assert_eq!(created.status, 201);
    let staff = created.json();
    assert_eq!(
        (staff["role"].as_str(), staff["status"].as_str()),
        (Some("admin"), Some("active"))
    );
    app.post_as(
        "/api/v1/admin/users",
        &admin,
        &json!({"email": "staff@a.example", "display_name": "Again", "password": PASSWORD}),
    )
    .await
    .assert_problem(409, "email_taken");

    // Approve a pending registration, once.
    app.tenant("approval-org", "approval").await;
    app.user("approval-org", "boss@x.example", Role::Admin)
        .await;
    let boss = app.login("approval-org", "boss@x.example", PASSWORD).await;
    let pending = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"tenant": "approval-org", "email": "new@x.example", "password": PASSWORD, "display_name": "New"}),
        )
        .await
        .json();
    let approve = format!(
        "/api/v1/admin/users/{}/approve",
        pending["id"].as_str().unwrap()
    );
    let approved = app.post_as(&approve, &boss.access, &json!({})).await;
    assert_eq!(approved.json()["status"], "active");
    app.post_as(&approve, &boss.access, &json!({}))
        .await
        .assert_problem(409, "not_pending");
    app.login("approval-org", "new@x.example", PASSWORD).await;

    // Promote a member: their existing token works on admin routes at once.
    let member_path = format!("/api/v1/admin/users/{}", world.member_a.user_id);
    let promoted = app
        .call(
            "PATCH",
            &member_path,
            Some(&admin),
            Some(&json!({"role": "admin"})),
        )
        .await;
    assert_eq!(promoted.json()["role"], "admin");
    assert_eq!(
        app.get_as("/api/v1/admin/users", &world.member_a.access)
            .await
            .status,
        200
    );
    let demoted = app
        .call(
            "PATCH",
            &member_path,
            Some(&admin),
            Some(&json!({"role": "user"})),
        )
        .await;
    assert_eq!(demoted.status, 200);
    app.get_as("/api/v1/admin/users", &world.member_a.access)
        .await
        .assert_problem(403, "forbidden");

    for bad in [json!({"display_name": ""}), json!({"display_name": "   "})] {
        app.call("PATCH", &member_path, Some(&admin), Some(&bad))
            .await
            .assert_problem(422, "validation_failed");
    }
    for bad in ["pending", "deleted"] {
        app.call(
            "PATCH",
            &member_path,
            Some(&admin),
            Some(&json!({"status": bad})),
        )
        .await
        .assert_problem(400, "bad_request");
    }
}

async fn an_admin_cannot_demote_or_suspend_themselves(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let me = format!("/api/v1/admin/users/{}", world.admin_a.user_id);
    for change in [json!({"role": "user"}), json!({"status": "suspended"})] {
        app.call("PATCH", &me, Some(&world.admin_a.access), Some(&change))
            .await
            .assert_problem(409, "cannot_modify_self");
    }
    let renamed = app
        .call(
            "PATCH",
            &me,
            Some(&world.admin_a.access),
            Some(&json!({"display_name": "Head Admin"})),
        )
        .await;
    assert_eq!(renamed.json()["display_name"], "Head Admin");
    assert_eq!(
        app.get_as("/api/v1/admin/users", &world.admin_a.access)
            .await
            .status,
        200
    );
}

backend_tests!(
    admins_list_filter_and_page_users_of_their_tenant_only,
    admins_create_approve_and_change_users,
    an_admin_cannot_demote_or_suspend_themselves,
);
