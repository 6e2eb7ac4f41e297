//! CORS from the configured origin list (`http://allowed.example` in tests).

use actix_web::test::TestRequest;

use crate::backend_tests;
use crate::helpers::{TestBackend, default_peer, spawn_app};

fn preflight(origin: &str) -> TestRequest {
    TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/health/live")
        .peer_addr(default_peer())
        .insert_header(("origin", origin))
        .insert_header(("access-control-request-method", "GET"))
        .insert_header(("access-control-request-headers", "authorization"))
}

async fn preflight_from_an_allowed_origin_succeeds(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let res = app.send(preflight("http://allowed.example")).await;
    assert!(res.status.is_success(), "{}", res.status);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("http://allowed.example")
    );
    let methods = res.header("access-control-allow-methods").unwrap();
    assert!(
        methods.contains("GET") && methods.contains("POST"),
        "{methods}"
    );
    let headers = res
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    assert!(headers.contains("authorization"), "{headers}");
}

async fn preflight_from_another_origin_is_refused(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let res = app.send(preflight("http://evil.example")).await;
    res.assert_problem(400, "bad_request");
    assert_eq!(res.header("access-control-allow-origin"), None);
}

async fn simple_request_exposes_the_documented_headers(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let res = app
        .send(
            TestRequest::get()
                .uri("/health/live")
                .peer_addr(default_peer())
                .insert_header(("origin", "http://allowed.example")),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("http://allowed.example")
    );
    let exposed = res.header("access-control-expose-headers").unwrap();
    for name in [
        "x-request-id",
        "retry-after",
        "idempotent-replayed",
        "x-ratelimit-remaining",
    ] {
        assert!(exposed.contains(name), "{name} missing from {exposed}");
    }
}

backend_tests!(
    preflight_from_an_allowed_origin_succeeds,
    preflight_from_another_origin_is_refused,
    simple_request_exposes_the_documented_headers,
);
