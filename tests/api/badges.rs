//! Badge cards: permanent codes for people without a phone, scanned like
//! member codes; reissuing or revoking voids the old card; nothing usable is
//! ever stored.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::dependants::two_households;
use crate::events::{at, clean_up, create_event};
use crate::helpers::{TestApp, TestBackend, count, default_peer, second_instance, spawn_app};

/// Issues a card for `user` with an `Idempotency-Key`; returns the answer.
async fn issue(app: &TestApp, admin: &str, user: &str, key: &str) -> crate::helpers::TestResponse {
    app.send(
        actix_web::test::TestRequest::post()
            .uri(&format!("/api/v1/admin/users/{user}/badge"))
            .peer_addr(default_peer())
            .insert_header(("authorization", format!("Bearer {admin}")))
            .insert_header(("idempotency-key", key)),
    )
    .await
}

async fn scan(
    app: &TestApp,
    staff: &str,
    event: &Value,
    code: &str,
) -> crate::helpers::TestResponse {
    let path = format!(
        "/api/v1/admin/events/{}/scans",
        event["id"].as_str().unwrap()
    );
    app.post_as(&path, staff, &json!({"member_code": code}))
        .await
}

async fn a_badge_is_scanned_until_it_is_replaced_or_revoked(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, _) = two_households(&app).await;
    let admin = &world.admin_a.access;
    let door = app.staff("tenant-a", "door@a.example", "attendance").await;
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let morning = create_event(&app, admin, clean_up()).await;
    let afternoon = create_event(&app, admin, clean_up()).await;
    app.state.clock.pin(at("2026-11-28 09:00:00"));

    let first = issue(&app, admin, &mia, "mia-card-1").await;
    assert_eq!(
        first.status,
        201,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let first = first.json();
    let old_code = first["badge_code"].as_str().unwrap().to_string();
    assert!(old_code.starts_with("badge."), "{old_code}");
    assert_eq!(first["user_id"], mia.as_str());
    let scanned = scan(&app, &door.access, &morning, &old_code).await;
    assert_eq!(
        scanned.status,
        201,
        "{}",
        String::from_utf8_lossy(&scanned.body)
    );
    assert_eq!(scanned.json()["user_id"], mia.as_str());

    // Reissued: the old card is refused, the new one works, on any instance.
    let new_code = issue(&app, admin, &mia, "mia-card-2").await.json()["badge_code"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(new_code, old_code);
    let refused = scan(&app, &door.access, &afternoon, &old_code)
        .await
        .assert_problem(422, "invalid_member_code");
    assert_eq!(refused["reason"], "revoked");
    let other = second_instance(&app).await;
    other.state.clock.pin(at("2026-11-28 09:00:00"));
    assert_eq!(
        scan(&other, &door.access, &afternoon, &new_code)
            .await
            .status,
        201
    );

    // Revoked: refused; revoking again is no error.
    let revoke = format!("/api/v1/admin/users/{mia}/badge");
    for _ in 0..2 {
        let res = app.call("DELETE", &revoke, Some(admin), None).await;
        assert_eq!(res.status, 204);
    }
    let third = create_event(&app, admin, clean_up()).await;
    scan(&app, &door.access, &third, &new_code)
        .await
        .assert_problem(422, "invalid_member_code");
    let trail = "SELECT COUNT(*) AS n FROM audit_events WHERE action LIKE 'user.badge_%'";
    assert_eq!(count(&app, trail), 3, "two issues and one revocation");
}

async fn forged_and_foreign_badges_are_refused_and_nothing_usable_is_stored(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, _) = two_households(&app).await;
    let admin = &world.admin_a.access;
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    app.state.clock.pin(at("2026-11-28 09:00:00"));

    let foreign = issue(
        &app,
        &world.admin_b.access,
        &world.admin_b.user_id,
        "b-card",
    )
    .await;
    assert_eq!(foreign.status, 201);
    let foreign = foreign.json()["badge_code"].as_str().unwrap().to_string();
    let genuine = issue(&app, admin, &mia, "mia-card").await;
    let replay = issue(&app, admin, &mia, "mia-card").await;
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(genuine.body, replay.body, "a retry shows the same card");
    let code = genuine.json()["badge_code"].as_str().unwrap().to_string();
    let live = format!("SELECT COUNT(*) AS n FROM badges WHERE user_id = '{mia}'");
    assert_eq!(count(&app, &live), 1, "the retry issued nothing");

    let (prefix, tag) = code.rsplit_once('.').unwrap();
    let forged = format!("{prefix}.{}", tag.chars().rev().collect::<String>());
    let other_id = format!("badge.{}.{tag}", uuid::Uuid::now_v7());
    for bad in [
        foreign.as_str(),
        &forged,
        &other_id,
        "badge.nonsense",
        "badge.",
    ] {
        let refused = scan(&app, admin, &event, bad)
            .await
            .assert_problem(422, "invalid_member_code");
        assert_eq!(refused["reason"], "invalid", "{bad}");
    }
    let records = "SELECT COUNT(*) AS n FROM attendance_records";
    assert_eq!(count(&app, records), 0);

    // The code's secret part is nowhere in the database.
    for table in ["idempotency_keys", "audit_events", "badges"] {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {table} WHERE CAST({table}.* AS TEXT) LIKE '%{tag}%'"
        );
        let sql = match backend {
            TestBackend::Postgres => sql,
            TestBackend::Sqlite => {
                let columns = match table {
                    "idempotency_keys" => "COALESCE(response_body, '')",
                    "audit_events" => "COALESCE(reason, '') || COALESCE(target_id, '')",
                    _ => "id || user_id",
                };
                format!("SELECT COUNT(*) AS n FROM {table} WHERE {columns} LIKE '%{tag}%'")
            }
        };
        assert_eq!(count(&app, &sql), 0, "{table} holds the badge code");
    }
    assert_eq!(scan(&app, admin, &event, &code).await.status, 201);
}

backend_tests!(
    a_badge_is_scanned_until_it_is_replaced_or_revoked,
    forged_and_foreign_badges_are_refused_and_nothing_usable_is_stored,
);
