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
        assert_eq!(res.header("allow"), Some("GET"), "{method}");
    }
}

backend_tests!(unknown_route_is_404, wrong_method_is_405_with_allow);

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
