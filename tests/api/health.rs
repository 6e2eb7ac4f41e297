//! Liveness and readiness, including a database that is gone.

use std::time::{Duration, Instant};

use crate::backend_tests;
use crate::helpers::{TestBackend, spawn_app, spawn_app_on_url};

async fn live_and_ready_answer_200(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let live = app.get("/health/live").await;
    assert_eq!(
        (live.status.as_u16(), live.json()["status"].as_str()),
        (200, Some("ok"))
    );
    let ready = app.get("/health/ready").await;
    assert_eq!(
        (ready.status.as_u16(), ready.json()["status"].as_str()),
        (200, Some("ready"))
    );
}

async fn ready_is_503_when_the_database_is_unreachable(backend: TestBackend) {
    let url = match backend {
        TestBackend::Sqlite => "sqlite:///proc/hearth-cannot-create-this/hearth.db",
        TestBackend::Postgres => "postgres://postgres@127.0.0.1:1/hearth?connect_timeout=1",
    };
    let app = spawn_app_on_url(backend, url, 500).await;
    let started = Instant::now();
    let res = app.get("/health/ready").await;
    res.assert_problem(503, "service_unavailable");
    assert_eq!(res.header("retry-after"), Some("1"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a dead database answers within the pool timeout, not never"
    );
    // Liveness does not depend on the database.
    assert_eq!(app.get("/health/live").await.status, 200);
}

async fn ready_turns_503_when_the_database_goes_away(backend: TestBackend) {
    if backend == TestBackend::Sqlite {
        // An open SQLite file cannot be taken away from a running process.
        return;
    }
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/health/ready").await.status, 200);
    app.db.drop_now();
    app.get("/health/ready")
        .await
        .assert_problem(503, "service_unavailable");
}

backend_tests!(
    live_and_ready_answer_200,
    ready_is_503_when_the_database_is_unreachable,
    ready_turns_503_when_the_database_goes_away,
);
