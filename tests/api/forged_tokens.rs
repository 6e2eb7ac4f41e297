//! Access tokens are refused unless we signed them, for this API, as access
//! tokens, and they are current: every forgery gets the same 401.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::backend_tests;
use crate::helpers::{Login, TestApp, TestBackend, spawn_app, test_settings};

fn kid(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The claims of a genuine token of `login`, decoded without verification.
fn claims_of(login: &Login) -> Value {
    let payload = login.access.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(claims: &Value, secret: &str, kid_value: Option<String>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid_value;
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn assert_refused(app: &TestApp, token: &str, what: &str) {
    let res = app.get_as("/api/v1/me", token).await;
    assert_eq!(res.status, 401, "{what} must be refused");
    res.assert_problem(401, "unauthorized");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"), "{what}");
}

async fn forged_and_misused_tokens_are_refused(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let login = &world.member_a;
    assert_eq!(app.get_as("/api/v1/me", &login.access).await.status, 200);
    let secret = test_settings().auth.jwt_secret;
    let genuine = claims_of(login);

    // alg: none, with an otherwise perfect token.
    let header = URL_SAFE_NO_PAD
        .encode(json!({"alg": "none", "typ": "JWT", "kid": kid(&secret)}).to_string());
    let payload = URL_SAFE_NO_PAD.encode(genuine.to_string());
    assert_refused(&app, &format!("{header}.{payload}."), "alg none").await;

    // Tampered payload (promoted to admin), original signature.
    let mut promoted = genuine.clone();
    promoted["role"] = json!("admin");
    let parts: Vec<&str> = login.access.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(promoted.to_string()),
        parts[2]
    );
    assert_refused(&app, &tampered, "tampered payload").await;

    // Signed with another secret under our kid.
    let other_secret = "not-the-server-secret-0123456789abcdef";
    assert_refused(
        &app,
        &sign(&genuine, other_secret, Some(kid(&secret))),
        "wrong signature",
    )
    .await;

    // Right secret, unknown or missing kid.
    assert_refused(
        &app,
        &sign(&genuine, &secret, Some("0000000000000000".into())),
        "wrong kid",
    )
    .await;
    assert_refused(&app, &sign(&genuine, &secret, None), "missing kid").await;

    // Right key, wrong claims.
    let now = genuine["iat"].as_u64().unwrap();
    let cases = [
        ("expired", json!({"iat": now - 7200, "exp": now - 3600})),
        ("wrong iss", json!({"iss": "someone-else"})),
        ("wrong aud", json!({"aud": "another-api"})),
        ("not an access token", json!({"typ": "refresh"})),
    ];
    for (what, changes) in cases {
        let mut claims = genuine.clone();
        for (k, v) in changes.as_object().unwrap() {
            claims[k] = v.clone();
        }
        assert_refused(&app, &sign(&claims, &secret, Some(kid(&secret))), what).await;
    }
    let mut no_sub = genuine.clone();
    no_sub.as_object_mut().unwrap().remove("sub");
    assert_refused(
        &app,
        &sign(&no_sub, &secret, Some(kid(&secret))),
        "missing sub",
    )
    .await;

    // The same claims re-signed properly do work: the checks above are not vacuous.
    assert_eq!(
        app.get_as("/api/v1/me", &sign(&genuine, &secret, Some(kid(&secret))))
            .await
            .status,
        200
    );
}

async fn tokens_of_one_kind_do_not_work_as_the_other(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let login = &world.member_a;
    assert_refused(&app, &login.refresh, "refresh token as access token").await;
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": login.access}),
        )
        .await;
    res.assert_problem(401, "unauthorized");
    for header in ["Bearer", "Basic dXNlcjpwdw==", "Bearer ", "Token abc"] {
        let res = app
            .send(
                actix_web::test::TestRequest::get()
                    .uri("/api/v1/me")
                    .peer_addr(crate::helpers::default_peer())
                    .insert_header(("authorization", header)),
            )
            .await;
        res.assert_problem(401, "unauthorized");
    }
    app.call("GET", "/api/v1/me", None, None)
        .await
        .assert_problem(401, "unauthorized");
}

/// A token signed with the real key whose `sub`/`tid` are one user's and whose
/// `sid` is another's (an admin's) session is refused, before and after that
/// session is cached, and the real session keeps its role and keeps working.
async fn a_token_is_bound_to_its_own_session(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let secret = test_settings().auth.jwt_secret;
    let admin = claims_of(&world.admin_a);
    let mut borrowed = claims_of(&world.member_a);
    borrowed["sid"] = admin["sid"].clone();
    borrowed["role"] = json!("admin");
    let forged = sign(&borrowed, &secret, Some(kid(&secret)));
    let mut other_tenant = claims_of(&world.admin_b);
    other_tenant["sid"] = admin["sid"].clone();
    let cross = sign(&other_tenant, &secret, Some(kid(&secret)));

    // Cold: the admin's session is not cached on this instance yet.
    assert_refused(&app, &forged, "another user's session, cold").await;
    assert_refused(&app, &cross, "another tenant's session, cold").await;
    // The refusals did not poison the admin's session.
    let res = app
        .get_as("/api/v1/admin/users", &world.admin_a.access)
        .await;
    assert_eq!(res.status, 200, "the real admin session still works");
    // Warm: the admin's session is cached now.
    assert_refused(&app, &forged, "another user's session, cached").await;
    assert_refused(&app, &cross, "another tenant's session, cached").await;
    let res = app.get_as("/api/v1/admin/users", &forged).await;
    res.assert_problem(401, "unauthorized");
    let me = app.get_as("/api/v1/me", &world.admin_a.access).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["role"], "admin");
    assert_eq!(
        app.get_as("/api/v1/me", &world.member_a.access)
            .await
            .status,
        200,
        "the member whose identity was borrowed is unaffected"
    );
}

backend_tests!(
    forged_and_misused_tokens_are_refused,
    tokens_of_one_kind_do_not_work_as_the_other,
    a_token_is_bound_to_its_own_session,
);
