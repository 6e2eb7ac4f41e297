//! Security headers and request ids, on successes and on errors.

use actix_web::test::TestRequest;

use crate::backend_tests;
use crate::helpers::{TestBackend, TestResponse, default_peer, spawn_app, spawn_app_with};

fn assert_security_headers(res: &TestResponse) {
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(res.header("x-frame-options"), Some("DENY"));
    assert_eq!(
        res.header("content-security-policy"),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    assert_eq!(res.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(res.header("cache-control"), Some("no-store"));
    let id = res.header("x-request-id").expect("x-request-id");
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "generated ids are UUIDs: {id}"
    );
}

async fn security_headers_on_success_and_error(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let ok = app.get("/health/live").await;
    assert_eq!(ok.status, 200);
    assert_security_headers(&ok);
    assert_eq!(
        ok.header("strict-transport-security"),
        None,
        "HSTS is off by default"
    );

    let missing = app.get("/api/v1/nothing-here").await;
    missing.assert_problem(404, "not_found");
    assert_security_headers(&missing);
}

async fn hsts_when_enabled(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| s.http.hsts = true).await;
    for path in ["/health/live", "/nope"] {
        let res = app.get(path).await;
        assert_eq!(
            res.header("strict-transport-security"),
            Some("max-age=63072000; includeSubDomains"),
            "{path}"
        );
    }
}

async fn docs_page_gets_its_own_policy(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let redirect = app.get("/docs").await;
    assert!(redirect.status.is_redirection());
    assert_eq!(redirect.header("location"), Some("/docs/"));
    let page = app.get("/docs/").await;
    assert_eq!(page.status, 200);
    assert!(String::from_utf8_lossy(&page.body).contains("swagger-ui"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    let spec = app.get("/api/v1/openapi.json").await;
    assert_eq!(spec.status, 200);
    assert_eq!(spec.json()["info"]["title"], "Hearth API");
}

async fn request_ids_are_echoed_only_when_plain(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let send = |id: &'static str| {
        TestRequest::get()
            .uri("/health/live")
            .peer_addr(default_peer())
            .insert_header(("x-request-id", id))
    };
    let echoed = app.send(send("client-req.42_a")).await;
    assert_eq!(echoed.header("x-request-id"), Some("client-req.42_a"));

    let replaced = app.send(send("<script>alert(1)</script>")).await;
    let id = replaced.header("x-request-id").unwrap();
    assert_ne!(id, "<script>alert(1)</script>");
    assert!(uuid::Uuid::parse_str(id).is_ok());

    let err = app
        .send(
            TestRequest::delete()
                .uri("/health/live")
                .peer_addr(default_peer())
                .insert_header(("x-request-id", "trace-me")),
        )
        .await;
    let body = err.assert_problem(405, "method_not_allowed");
    assert_eq!(body["request_id"], "trace-me");
}

backend_tests!(
    security_headers_on_success_and_error,
    hsts_when_enabled,
    docs_page_gets_its_own_policy,
    request_ids_are_echoed_only_when_plain,
);
