//! Per-client-IP rate limits: general and strict-on-auth, 429 as problem+json
//! with `Retry-After`, and a client key that cannot be spoofed.

use std::net::SocketAddr;

use actix_web::test::TestRequest;

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, TestResponse, spawn_app_with};

async fn from(app: &TestApp, path: &str, peer: &str, xff: Option<&str>) -> TestResponse {
    let mut req = TestRequest::get()
        .uri(path)
        .peer_addr(peer.parse::<SocketAddr>().unwrap());
    if let Some(xff) = xff {
        req = req.insert_header(("x-forwarded-for", xff));
    }
    app.send(req).await
}

/// Limits that never refill during a test: `burst` requests, then 429.
fn tight(general: u32, auth: u32) -> impl FnOnce(&mut hearth::config::Settings) {
    move |s| {
        s.rate_limit.general_burst = general;
        s.rate_limit.general_period_ms = 600_000;
        s.rate_limit.auth_burst = auth;
        s.rate_limit.auth_period_ms = 600_000;
    }
}

async fn general_limit_answers_429_with_retry_after(backend: TestBackend) {
    let app = spawn_app_with(backend, tight(3, 100)).await;
    for _ in 0..3 {
        let res = from(&app, "/health/live", "203.0.113.1:1000", None).await;
        assert_eq!(res.status, 200);
        assert!(res.header("x-ratelimit-remaining").is_some());
    }
    let limited = from(&app, "/health/live", "203.0.113.1:1000", None).await;
    let body = limited.assert_problem(429, "rate_limited");
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!(retry >= 1, "Retry-After is at least one second");
    assert!(body["detail"].as_str().unwrap().contains("retry"));
    assert_eq!(limited.header("x-content-type-options"), Some("nosniff"));

    // Another client still has its own budget.
    let other = from(&app, "/health/live", "203.0.113.2:1000", None).await;
    assert_eq!(other.status, 200);
}

async fn auth_routes_have_a_stricter_limit(backend: TestBackend) {
    let app = spawn_app_with(backend, tight(100, 2)).await;
    let peer = "203.0.113.7:4000";
    for _ in 0..2 {
        let res = from(&app, "/api/v1/auth/login", peer, None).await;
        assert_ne!(res.status, 429);
    }
    from(&app, "/api/v1/auth/login", peer, None)
        .await
        .assert_problem(429, "rate_limited");
    // The general budget of the same client is untouched by the auth limit.
    assert_eq!(from(&app, "/health/live", peer, None).await.status, 200);
}

async fn spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(backend: TestBackend) {
    let app = spawn_app_with(backend, tight(2, 100)).await;
    let peer = "198.51.100.20:5555";
    for spoof in ["1.1.1.1", "2.2.2.2"] {
        assert_eq!(
            from(&app, "/health/live", peer, Some(spoof)).await.status,
            200
        );
    }
    // A fresh X-Forwarded-For value does not buy a fresh budget.
    from(&app, "/health/live", peer, Some("3.3.3.3"))
        .await
        .assert_problem(429, "rate_limited");
}

async fn trusted_proxy_forwarded_for_uses_the_rightmost_untrusted_hop(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| {
        tight(2, 100)(s);
        s.http.trusted_proxies = vec!["10.0.0.0/8".into()];
    })
    .await;
    let proxy = "10.0.0.5:443";
    // Two requests of client 198.51.100.1, the second with a forged left-most hop.
    assert_eq!(
        from(&app, "/health/live", proxy, Some("198.51.100.1"))
            .await
            .status,
        200
    );
    assert_eq!(
        from(&app, "/health/live", proxy, Some("6.6.6.6, 198.51.100.1"))
            .await
            .status,
        200
    );
    // The forged hop changed nothing: the same client is now out of budget.
    from(
        &app,
        "/health/live",
        proxy,
        Some("7.7.7.7, 198.51.100.1, 10.0.0.9"),
    )
    .await
    .assert_problem(429, "rate_limited");
    // A different client behind the same proxy has its own budget.
    assert_eq!(
        from(&app, "/health/live", proxy, Some("198.51.100.2"))
            .await
            .status,
        200
    );
}

async fn limiter_memory_is_pruned(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| {
        s.rate_limit.general_burst = 5;
        s.rate_limit.general_period_ms = 1;
    })
    .await;
    for i in 0..20 {
        from(&app, "/health/live", &format!("198.51.100.{i}:80"), None).await;
    }
    assert!(app.state.limiters.tracked_clients() >= 20);
    // Every budget has refilled after a few milliseconds, so all entries go.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    app.state.limiters.prune();
    assert_eq!(app.state.limiters.tracked_clients(), 0);
}

async fn limits_can_be_disabled(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| {
        tight(1, 1)(s);
        s.rate_limit.enabled = false;
    })
    .await;
    for _ in 0..5 {
        assert_eq!(
            from(&app, "/health/live", "203.0.113.9:1", None)
                .await
                .status,
            200
        );
        assert_ne!(
            from(&app, "/api/v1/auth/login", "203.0.113.9:1", None)
                .await
                .status,
            429
        );
    }
}

backend_tests!(
    general_limit_answers_429_with_retry_after,
    auth_routes_have_a_stricter_limit,
    spoofed_forwarded_for_from_an_untrusted_peer_is_ignored,
    trusted_proxy_forwarded_for_uses_the_rightmost_untrusted_hop,
    limiter_memory_is_pruned,
    limits_can_be_disabled,
);
