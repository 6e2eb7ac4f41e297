//! Registration under each tenant policy, the caller's profile, and the
//! mass-assignment defence: server-owned fields are never taken from a body.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestBackend, spawn_app};

fn registration(tenant: &str, email: &str) -> serde_json::Value {
    json!({"tenant": tenant, "email": email, "password": PASSWORD, "display_name": "New Member"})
}

async fn registration_follows_the_tenant_policy(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    app.tenant("approval-org", "approval").await;
    app.tenant("closed-org", "closed").await;

    let open = app
        .post_json(
            "/api/v1/auth/register",
            &registration("tenant-a", "New@A.example"),
        )
        .await;
    assert_eq!(open.status, 201);
    let user = open.json();
    assert_eq!(
        (user["status"].as_str(), user["role"].as_str()),
        (Some("active"), Some("user"))
    );
    assert_eq!(user["email"], "new@a.example");
    app.login("tenant-a", "new@a.example", PASSWORD).await;

    let pending = app
        .post_json(
            "/api/v1/auth/register",
            &registration("approval-org", "wait@x.example"),
        )
        .await;
    assert_eq!(pending.status, 201);
    assert_eq!(pending.json()["status"], "pending");
    let login = json!({"tenant": "approval-org", "email": "wait@x.example", "password": PASSWORD});
    app.post_json("/api/v1/auth/login", &login)
        .await
        .assert_problem(403, "account_pending");

    app.post_json(
        "/api/v1/auth/register",
        &registration("closed-org", "no@x.example"),
    )
    .await
    .assert_problem(403, "registration_closed");

    // Case-insensitive duplicate in the same tenant; the same email elsewhere is fine.
    app.post_json(
        "/api/v1/auth/register",
        &registration("tenant-a", "ANN@a.example"),
    )
    .await
    .assert_problem(409, "email_taken");
    assert_eq!(
        app.post_json(
            "/api/v1/auth/register",
            &registration("tenant-b", "ann@a.example")
        )
        .await
        .status,
        201
    );
    let _ = world;
}

async fn registration_validates_every_field(backend: TestBackend) {
    let app = spawn_app(backend).await;
    app.world().await;
    let unknown = app
        .post_json(
            "/api/v1/auth/register",
            &registration("no-such-org", "x@x.example"),
        )
        .await;
    let body = unknown.assert_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "tenant");

    let bad = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"tenant": "tenant-a", "email": "not-an-email", "password": PASSWORD,
                    "display_name": ""}),
        )
        .await;
    let body = bad.assert_problem(422, "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["display_name", "email"]);

    for (password, code) in [("short", "invalid_length"), ("password123", "too_common")] {
        let res = app
            .post_json(
                "/api/v1/auth/register",
                &json!({"tenant": "tenant-a", "email": "p@a.example", "password": password,
                        "display_name": "P"}),
            )
            .await;
        assert_eq!(
            res.assert_problem(422, "validation_failed")["errors"][0]["code"],
            code
        );
    }
    // Unicode names and long passphrases are fine.
    let res = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"tenant": "tenant-a", "email": "zoe@a.example",
                    "password": "ünïcödé kettle ☕ under the stairs", "display_name": "Zoë 🌱"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.json()["display_name"], "Zoë 🌱");
}

async fn server_owned_fields_are_refused_and_nothing_changes(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    for field in ["role", "status", "tenant_id", "points_balance"] {
        let mut body = registration("tenant-a", "sneaky@a.example");
        body[field] = json!("admin");
        app.post_json("/api/v1/auth/register", &body)
            .await
            .assert_problem(400, "bad_request");

        let res = app
            .call(
                "PATCH",
                "/api/v1/me",
                Some(&world.member_a.access),
                Some(&json!({"display_name": "Hacker", field: "admin"})),
            )
            .await;
        res.assert_problem(400, "bad_request");
    }
    let me = app
        .get_as("/api/v1/me", &world.member_a.access)
        .await
        .json();
    assert_eq!(
        (me["role"].as_str(), me["display_name"].as_str()),
        (Some("user"), Some("ann"))
    );
    app.post_json(
        "/api/v1/auth/login",
        &json!({"tenant": "tenant-a", "email": "sneaky@a.example", "password": PASSWORD}),
    )
    .await
    .assert_problem(401, "invalid_credentials");
}

async fn members_edit_their_own_profile(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let token = world.member_a.access.clone();
    let me = app.get_as("/api/v1/me", &token).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["id"], world.member_a.user_id.as_str());

    let patch = |body: serde_json::Value| {
        let (app, token) = (&app, token.clone());
        async move {
            app.call("PATCH", "/api/v1/me", Some(&token), Some(&body))
                .await
        }
    };
    let updated = patch(json!({"display_name": "  Ann S.  ", "phone": "+49 30 123456"})).await;
    assert_eq!(updated.status, 200);
    let body = updated.json();
    assert_eq!(
        (body["display_name"].as_str(), body["phone"].as_str()),
        (Some("Ann S."), Some("+49 30 123456"))
    );

    // Absent keeps, null clears.
    let kept = patch(json!({"display_name": "Ann"})).await.json();
    assert_eq!(kept["phone"], "+49 30 123456");
    let cleared = patch(json!({"phone": null})).await.json();
    assert!(cleared["phone"].is_null());

    for bad in [
        json!({"phone": "call me maybe"}),
        json!({"display_name": ""}),
        json!({"display_name": "x".repeat(101)}),
    ] {
        patch(bad).await.assert_problem(422, "validation_failed");
    }
    patch(json!({"display_name": 42}))
        .await
        .assert_problem(400, "bad_request");
}

backend_tests!(
    registration_follows_the_tenant_policy,
    registration_validates_every_field,
    server_owned_fields_are_refused_and_nothing_changes,
    members_edit_their_own_profile,
);
