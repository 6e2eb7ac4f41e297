//! Sessions: logout ends one session only, refresh rotation and reuse detection,
//! password change and reset, lockout across instances, revocation across
//! instances, and sign-in under a login flood.

use std::time::Duration;

use diesel::RunQueryDsl;
use hearth::auth::Role;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{
    PASSWORD, TestBackend, eventually, second_instance, spawn_app, spawn_app_with,
};

async fn logout_ends_only_the_callers_session(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let phone = world.member_a.clone();
    let web = app.login("tenant-a", "ann@a.example", PASSWORD).await;
    let console = world.admin_a.clone();

    let out = app
        .post_as("/api/v1/auth/logout", &phone.access, &json!({}))
        .await;
    assert_eq!(out.status, 204);
    app.get_as("/api/v1/me", &phone.access)
        .await
        .assert_problem(401, "unauthorized");
    assert_eq!(app.get_as("/api/v1/me", &web.access).await.status, 200);
    assert_eq!(
        app.get_as("/api/v1/admin/users", &console.access)
            .await
            .status,
        200
    );
    // The ended session's refresh token is dead too.
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": phone.refresh}),
    )
    .await
    .assert_problem(401, "unauthorized");

    // Logging out of the admin console leaves the member's sessions alone.
    app.post_as("/api/v1/auth/logout", &console.access, &json!({}))
        .await;
    assert_eq!(app.get_as("/api/v1/me", &web.access).await.status, 200);
}

async fn refresh_rotates_and_reuse_revokes_the_session(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let first = world.member_a.clone();
    let other_device = app.login("tenant-a", "ann@a.example", PASSWORD).await;

    let rotated = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first.refresh}),
        )
        .await;
    assert_eq!(rotated.status, 200);
    let rotated = rotated.json();
    let new_access = rotated["access_token"].as_str().unwrap().to_string();
    let new_refresh = rotated["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(new_refresh, first.refresh);
    assert_eq!(rotated["token_type"], "Bearer");
    assert_eq!(app.get_as("/api/v1/me", &new_access).await.status, 200);

    // The old refresh token again: theft assumed, the session is revoked.
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": first.refresh}),
    )
    .await
    .assert_problem(401, "refresh_token_reused");
    app.get_as("/api/v1/me", &new_access)
        .await
        .assert_problem(401, "unauthorized");
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": new_refresh}),
    )
    .await
    .assert_problem(401, "unauthorized");
    // Only that session: the other device is untouched.
    assert_eq!(
        app.get_as("/api/v1/me", &other_device.access).await.status,
        200
    );
}

async fn password_change_revokes_the_other_sessions_only(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let current = world.member_a.clone();
    let other = app.login("tenant-a", "ann@a.example", PASSWORD).await;
    let new_password = "a brand new kettle song";

    let wrong = app
        .post_as(
            "/api/v1/me/password",
            &current.access,
            &json!({"current_password": "not it at all", "new_password": new_password}),
        )
        .await;
    let body = wrong.assert_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "current_password");

    let weak = app
        .post_as(
            "/api/v1/me/password",
            &current.access,
            &json!({"current_password": PASSWORD, "new_password": "password1"}),
        )
        .await;
    assert_eq!(
        weak.assert_problem(422, "validation_failed")["errors"][0]["code"],
        "too_common"
    );

    let ok = app
        .post_as(
            "/api/v1/me/password",
            &current.access,
            &json!({"current_password": PASSWORD, "new_password": new_password}),
        )
        .await;
    assert_eq!(ok.status, 204);
    assert_eq!(app.get_as("/api/v1/me", &current.access).await.status, 200);
    app.get_as("/api/v1/me", &other.access)
        .await
        .assert_problem(401, "unauthorized");
    app.post_json(
        "/api/v1/auth/login",
        &json!({"tenant": "tenant-a", "email": "ann@a.example", "password": PASSWORD}),
    )
    .await
    .assert_problem(401, "invalid_credentials");
    app.login("tenant-a", "ann@a.example", new_password).await;
}

async fn reset_codes_are_one_time_and_expire(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let ann = world.member_a.clone();
    let issue = |admin: String| {
        let app = &app;
        let path = format!("/api/v1/admin/users/{}/password-reset", ann.user_id);
        async move { app.post_as(&path, &admin, &json!({})).await }
    };
    let issued = issue(world.admin_a.access.clone()).await;
    assert_eq!(issued.status, 201);
    let code = issued.json()["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 12);

    let reset = |code: String, password: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/password-reset",
                &json!({"tenant": "tenant-a", "email": "ANN@a.example",
                        "code": code, "new_password": password}),
            )
            .await
        }
    };
    // Typed in lower case with a dash: still the code.
    let typed = format!("{}-{}", &code[..6], &code[6..]).to_lowercase();
    assert_eq!(reset(typed, "reset kettle number one").await.status, 204);
    app.get_as("/api/v1/me", &ann.access)
        .await
        .assert_problem(401, "unauthorized");
    app.login("tenant-a", "ann@a.example", "reset kettle number one")
        .await;
    // Used once: never again.
    reset(code.clone(), "reset kettle number two")
        .await
        .assert_problem(422, "invalid_code");

    // An expired code is refused.
    let second = issue(world.admin_a.access.clone()).await.json()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let mut conn = app.db.connect();
    diesel::sql_query(
        "UPDATE password_reset_codes SET expires_at = '2000-01-01 00:00:00' WHERE used_at IS NULL",
    )
    .execute(&mut conn)
    .unwrap();
    reset(second, "reset kettle number two")
        .await
        .assert_problem(422, "invalid_code");

    // Another tenant's admin cannot issue a code for this user.
    issue(world.admin_b.access.clone())
        .await
        .assert_problem(404, "not_found");
    // A wrong code for an unknown account looks the same as a wrong code.
    app.post_json(
        "/api/v1/auth/password-reset",
        &json!({"tenant": "tenant-a", "email": "nobody@a.example", "code": "AAAAAAAAAAAA",
                "new_password": "reset kettle number three"}),
    )
    .await
    .assert_problem(422, "invalid_code");
}

async fn unknown_email_and_wrong_password_look_the_same(backend: TestBackend) {
    let app = spawn_app(backend).await;
    app.world().await;
    let attempt = |tenant: &'static str, email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let res = app
                .post_json(
                    "/api/v1/auth/login",
                    &json!({"tenant": tenant, "email": email, "password": password}),
                )
                .await;
            let mut body = res.assert_problem(401, "invalid_credentials");
            body.as_object_mut().unwrap().remove("request_id");
            (res.status, body)
        }
    };
    let wrong_password = attempt("tenant-a", "ann@a.example", "wrong kettle").await;
    let unknown_email = attempt("tenant-a", "nobody@a.example", "wrong kettle").await;
    let unknown_tenant = attempt("no-such-tenant", "ann@a.example", "wrong kettle").await;
    assert_eq!(wrong_password, unknown_email);
    assert_eq!(wrong_password, unknown_tenant);
}

async fn lockout_after_five_failures_is_seen_by_every_instance(backend: TestBackend) {
    let app = spawn_app(backend).await;
    app.world().await;
    let other = second_instance(&app).await;
    let body = |password: &str| json!({"tenant": "tenant-a", "email": "ann@a.example", "password": password});
    for _ in 0..5 {
        app.post_json("/api/v1/auth/login", &body("wrong kettle"))
            .await
            .assert_problem(401, "invalid_credentials");
    }
    let locked = app.post_json("/api/v1/auth/login", &body(PASSWORD)).await;
    locked.assert_problem(429, "rate_limited");
    let retry: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // The other instance has its own memory but the same database.
    other
        .post_json("/api/v1/auth/login", &body(PASSWORD))
        .await
        .assert_problem(429, "rate_limited");
    // Other accounts are unaffected.
    assert_eq!(
        other
            .post_json(
                "/api/v1/auth/login",
                &json!({"tenant": "tenant-a", "email": "bob@a.example", "password": PASSWORD})
            )
            .await
            .status,
        200
    );
}

async fn a_session_revoked_on_one_instance_is_refused_by_the_other(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| s.auth.session_cache_ttl_secs = 1).await;
    let world = app.world().await;
    let other = second_instance(&app).await;
    let token = world.member_a.access.clone();
    // The other instance has seen (and cached) the live session.
    assert_eq!(other.get_as("/api/v1/me", &token).await.status, 200);
    assert_eq!(
        app.post_as("/api/v1/auth/logout", &token, &json!({}))
            .await
            .status,
        204
    );
    let refused = eventually(Duration::from_secs(5), async || {
        other.get_as("/api/v1/me", &token).await.status == 401
    })
    .await;
    assert!(
        refused,
        "instance B still accepts a session revoked on instance A"
    );
}

async fn suspension_ends_sessions_and_blocks_login(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let path = format!("/api/v1/admin/users/{}", world.member_a.user_id);
    let res = app
        .call(
            "PATCH",
            &path,
            Some(&world.admin_a.access),
            Some(&json!({"status": "suspended"})),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["status"], "suspended");
    app.get_as("/api/v1/me", &world.member_a.access)
        .await
        .assert_problem(401, "unauthorized");
    app.post_json(
        "/api/v1/auth/login",
        &json!({"tenant": "tenant-a", "email": "ann@a.example", "password": PASSWORD}),
    )
    .await
    .assert_problem(403, "account_suspended");
    app.post_json(
        "/api/v1/auth/refresh",
        &json!({"refresh_token": world.member_a.refresh}),
    )
    .await
    .assert_problem(401, "unauthorized");
}

async fn sessions_can_be_listed_and_revoked_one_by_one(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let phone = world.member_a.clone();
    let web = app.login("tenant-a", "ann@a.example", PASSWORD).await;
    let list = app.get_as("/api/v1/me/sessions?limit=1", &web.access).await;
    assert_eq!(list.status, 200);
    let page = list.json();
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert!(page["next_cursor"].is_string());
    let all = app.get_as("/api/v1/me/sessions", &web.access).await.json();
    let sessions = all["data"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let phone_session = sessions.iter().find(|s| s["current"] == false).unwrap();
    let id = phone_session["id"].as_str().unwrap();

    // Bob cannot revoke Ann's session.
    app.call(
        "DELETE",
        &format!("/api/v1/me/sessions/{id}"),
        Some(&world.other_member_a.access),
        None,
    )
    .await
    .assert_problem(404, "not_found");
    assert_eq!(app.get_as("/api/v1/me", &phone.access).await.status, 200);
    let revoked = app
        .call(
            "DELETE",
            &format!("/api/v1/me/sessions/{id}"),
            Some(&web.access),
            None,
        )
        .await;
    assert_eq!(revoked.status, 204);
    app.get_as("/api/v1/me", &phone.access)
        .await
        .assert_problem(401, "unauthorized");
    assert_eq!(app.get_as("/api/v1/me", &web.access).await.status, 200);
}

async fn member_code_names_the_member_for_their_tenant(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let res = app
        .get_as("/api/v1/me/member-code", &world.member_a.access)
        .await;
    assert_eq!(res.status, 200);
    let body = res.json();
    let code = body["code"].as_str().unwrap();
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
    let tenant: hearth::db::TenantId = world.tenant_a.parse().unwrap();
    let now = hearth::auth::tokens::unix_now();
    let user = app
        .state
        .auth
        .member_codes
        .verify(&tenant, code, now)
        .unwrap();
    assert_eq!(user.to_string(), world.member_a.user_id);
    assert!(
        app.state
            .auth
            .member_codes
            .verify(&hearth::db::TenantId::new(), code, now)
            .is_err()
    );
}

async fn a_login_flood_does_not_stall_other_requests(backend: TestBackend) {
    // The production default: hashing threads rest half their time.
    let app = spawn_app_with(backend, |s| s.auth.password_hash_busy_percent = 50).await;
    let world = app.world().await;
    for i in 0..4 {
        app.user("tenant-a", &format!("flood{i}@a.example"), Role::User)
            .await;
    }
    let logins = (0..32).map(|i| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/login",
                &json!({"tenant": "tenant-a", "email": format!("flood{}@a.example", i % 4),
                        "password": PASSWORD}),
            )
            .await
            .status
        }
    });
    let reads = (0..32).map(|_| {
        let app = &app;
        let token = world.admin_a.access.clone();
        async move { app.get_as("/api/v1/me", &token).await.status }
    });
    let (logins, reads) = futures::join!(
        futures::future::join_all(logins),
        futures::future::join_all(reads)
    );
    assert!(logins.iter().all(|s| *s == 200), "{logins:?}");
    assert!(reads.iter().all(|s| *s == 200), "{reads:?}");
}

backend_tests!(
    logout_ends_only_the_callers_session,
    refresh_rotates_and_reuse_revokes_the_session,
    password_change_revokes_the_other_sessions_only,
    reset_codes_are_one_time_and_expire,
    unknown_email_and_wrong_password_look_the_same,
    lockout_after_five_failures_is_seen_by_every_instance,
    a_session_revoked_on_one_instance_is_refused_by_the_other,
    suspension_ends_sessions_and_blocks_login,
    sessions_can_be_listed_and_revoked_one_by_one,
    member_code_names_the_member_for_their_tenant,
    a_login_flood_does_not_stall_other_requests,
);
