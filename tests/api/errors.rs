//! Every failure is problem+json with the standard code: unknown route (404),
//! wrong method (405), and the JSON body failures (400, 413, 415), shown on
//! `POST /auth/login`, which takes a body without a token.

use actix_web::test::TestRequest;
use serde_json::json;

use crate::backend_tests;
use crate::helpers::{TestBackend, default_peer, spawn_app};

async fn unknown_route_is_404(backend: TestBackend) {
    let app = spawn_app(backend).await;
    for path in [
        "/nope",
        "/api/v1/unknown",
        "/api/v2/health",
        "/health/live/extra",
    ] {
        let body = app.get(path).await.assert_problem(404, "not_found");
        assert_eq!(body["type"], "/problems/not-found");
        assert_eq!(body["title"], "Not found");
    }
}

async fn wrong_method_is_405_with_allow(backend: TestBackend) {
    let app = spawn_app(backend).await;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let res = app
            .send(
                TestRequest::default()
                    .method(method.parse().unwrap())
                    .uri("/health/ready")
                    .peer_addr(default_peer()),
            )
            .await;
        res.assert_problem(405, "method_not_allowed");
        assert_eq!(res.header("allow"), Some("GET, HEAD"), "{method}");
    }
    // The document and the docs page are read-only routes like any other.
    for path in ["/api/v1/openapi.json", "/docs", "/docs/index.html"] {
        let res = app
            .send(TestRequest::post().uri(path).peer_addr(default_peer()))
            .await;
        res.assert_problem(405, "method_not_allowed");
        assert_eq!(res.header("allow"), Some("GET, HEAD"), "{path}");
    }
}

/// HEAD works wherever GET does (RFC 9110 §9.1), with GET's status and headers.
async fn head_is_answered_like_get(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    for path in [
        "/health/ready",
        "/api/v1/openapi.json",
        "/api/v1/me",
        "/api/v1/rewards",
    ] {
        let get = app
            .call("GET", path, Some(&world.member_a.access), None)
            .await;
        let head = app
            .call("HEAD", path, Some(&world.member_a.access), None)
            .await;
        assert_eq!(head.status, get.status, "{path}");
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "{path}"
        );
    }
    let anonymous = app.call("HEAD", "/api/v1/me", None, None).await;
    assert_eq!(anonymous.status, 401, "HEAD is authenticated like GET");
}

backend_tests!(
    unknown_route_is_404,
    wrong_method_is_405_with_allow,
    head_is_answered_like_get
);

const LOGIN: &str = "/api/v1/auth/login";

fn raw(body: impl Into<Vec<u8>>, content_type: &'static str) -> TestRequest {
    TestRequest::post()
        .uri(LOGIN)
        .peer_addr(default_peer())
        .insert_header(("content-type", content_type))
        .set_payload(body.into())
}

async fn malformed_json_is_400(backend: TestBackend) {
    let app = spawn_app(backend).await;
    for body in ["{\"tenant\": ", "", "nul", "[1, 2]", "\"just a string\""] {
        app.send(raw(body, "application/json"))
            .await
            .assert_problem(400, "bad_request");
    }
}

async fn unknown_fields_and_wrong_types_are_400(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let base = json!({"tenant": "t", "email": "a@b.example", "password": "pw"});
    let mut unknown = base.clone();
    unknown["role"] = json!("admin");
    let res = app.send(raw(unknown.to_string(), "application/json")).await;
    let body = res.assert_problem(400, "bad_request");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("unknown field `role`")
    );
    for (field, value) in [
        ("tenant", json!(5)),
        ("email", json!(null)),
        ("password", json!(["x"])),
        ("email", json!({"a": 1})),
    ] {
        let mut bad = base.clone();
        bad[field] = value;
        app.send(raw(bad.to_string(), "application/json"))
            .await
            .assert_problem(400, "bad_request");
    }
}

async fn oversized_body_is_413(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let big = json!({"tenant": "t", "email": "a@b.example", "password": "x".repeat(70 * 1024)});
    app.send(raw(big.to_string(), "application/json"))
        .await
        .assert_problem(413, "payload_too_large");
}

async fn wrong_content_type_is_415(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let body = json!({"tenant": "t", "email": "a@b.example", "password": "pw"}).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
    ] {
        app.send(raw(body.clone(), content_type))
            .await
            .assert_problem(415, "unsupported_media_type");
    }
}

backend_tests!(
    malformed_json_is_400,
    unknown_fields_and_wrong_types_are_400,
    oversized_body_is_413,
    wrong_content_type_is_415,
);

/// The last line of defence: when the database itself refuses a value as data
/// (a CHECK constraint on both backends, a NUL byte on PostgreSQL), the error
/// the app would answer with is a 400 `bad_request`, not a 500, and nothing
/// was written.
async fn data_the_database_refuses_is_a_client_error(backend: TestBackend) {
    use actix_web::ResponseError;
    use diesel::prelude::*;
    use hearth::db::schema::{tenants, users};
    use hearth::error::ApiError;

    let app = spawn_app(backend).await;
    let world = app.world().await;
    let mut conn = app.db.connect();
    let refused = |result: QueryResult<usize>| {
        let err = ApiError::from(result.expect_err("the database refuses the value"));
        assert_eq!(err.status_code(), 400, "{err:?}");
        assert_eq!(err.code().as_str(), "bad_request");
    };
    let member = world.member_a.user_id.as_str();
    refused(
        diesel::update(users::table.filter(users::id.eq(member)))
            .set(users::points_balance.eq(-1))
            .execute(&mut conn),
    );
    let balance: i64 = users::table
        .filter(users::id.eq(member))
        .select(users::points_balance)
        .first(&mut conn)
        .unwrap();
    assert_eq!(balance, 0, "nothing was written");
    if backend == TestBackend::Postgres {
        refused(
            diesel::update(tenants::table)
                .set(tenants::name.eq("ac\u{0}me"))
                .execute(&mut conn),
        );
    }
}

backend_tests!(data_the_database_refuses_is_a_client_error);
