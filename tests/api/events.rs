//! Events: what admins schedule and members see, and who may touch which.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, World, spawn_app};

/// Parses `2026-11-28 09:00:00` (UTC).
pub fn at(text: &str) -> chrono::NaiveDateTime {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

/// Creates an event as `admin` (asserting success); returns its body.
pub async fn create_event(app: &TestApp, admin: &str, body: Value) -> Value {
    let res = app.post_as("/api/v1/admin/events", admin, &body).await;
    assert_eq!(
        res.status,
        201,
        "create event: {}",
        String::from_utf8_lossy(&res.body)
    );
    res.json()
}

/// A clean-up on 28 November 2026, 09:00-11:00 UTC, 20 points on time, 10 late.
pub fn clean_up() -> Value {
    json!({"title": "Park clean-up", "starts_at": "2026-11-28T09:00:00Z",
           "ends_at": "2026-11-28T11:00:00Z", "points_on_time": 20, "points_late": 10})
}

fn titles(page: &Value) -> Vec<&str> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect()
}

async fn admins_schedule_change_and_cancel_events(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    app.state.clock.pin(at("2026-11-28 07:00:00"));
    let admin = &admin_a.access;
    let event = create_event(&app, admin, clean_up()).await;
    assert_eq!(
        event["check_in_opens_at"], "2026-11-28T08:30:00Z",
        "30 minutes before"
    );
    assert_eq!(
        event["check_in_closes_at"], "2026-11-28T11:00:00Z",
        "at the end"
    );
    assert_eq!(
        event["late_after"], "2026-11-28T09:10:00Z",
        "10 minutes after the start"
    );
    assert_eq!(event["self_check_in"], true);
    assert_eq!(event["capacity"], Value::Null);
    assert!(
        event.get("code_secret").is_none(),
        "the code key never leaves the server"
    );
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/events/{id}");

    let patched = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"capacity": 3, "location": "North gate"})),
        )
        .await;
    assert_eq!(
        patched.status,
        200,
        "{}",
        String::from_utf8_lossy(&patched.body)
    );
    assert_eq!(patched.json()["capacity"], 3);
    let bad = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"ends_at": "2026-11-28T08:00:00Z"})),
        )
        .await;
    assert_eq!(
        bad.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "ends_at"
    );

    // Members see it; admins see its code.
    let member_view = app
        .get_as(&format!("/api/v1/events/{id}"), &member_a.access)
        .await
        .json();
    assert_eq!(member_view["location"], "North gate");
    let code = app
        .get_as(&format!("/api/v1/admin/events/{id}/check-in-code"), admin)
        .await
        .json();
    assert_eq!(code["refresh_at"], "2026-11-28T07:01:00Z");
    assert_eq!(code["expires_at"], "2026-11-28T07:02:00Z");

    assert_eq!(
        app.call("DELETE", &path, Some(admin), None).await.status,
        204
    );
    assert_eq!(
        app.call("DELETE", &path, Some(admin), None).await.status,
        204,
        "idempotent"
    );
    app.call("PATCH", &path, Some(admin), Some(&json!({"capacity": 9})))
        .await
        .assert_problem(409, "event_cancelled");
    app.get_as(&format!("/api/v1/admin/events/{id}/check-in-code"), admin)
        .await
        .assert_problem(409, "event_cancelled");
    let listed = app.get_as("/api/v1/events", &member_a.access).await.json();
    assert!(
        titles(&listed).is_empty(),
        "cancelled events are left out by default"
    );
    let with_cancelled = app
        .get_as("/api/v1/events?cancelled=true", &member_a.access)
        .await
        .json();
    assert_eq!(with_cancelled["data"][0]["cancelled"], true);
}

async fn bad_events_are_refused(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let cases = [
        (
            json!({"title": "X", "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T09:00:00Z"}),
            "ends_at",
        ),
        (
            json!({"title": "X", "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T10:00:00Z",
                   "check_in_opens_at": "2026-11-28T10:00:00Z", "check_in_closes_at": "2026-11-28T09:00:00Z"}),
            "check_in_closes_at",
        ),
        (
            json!({"title": " ", "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T10:00:00Z"}),
            "title",
        ),
        (
            json!({"title": "X", "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T10:00:00Z", "capacity": 0}),
            "capacity",
        ),
        (
            json!({"title": "X", "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T10:00:00Z", "points_late": -1}),
            "points_late",
        ),
    ];
    for (body, field) in cases {
        let res = app
            .post_as("/api/v1/admin/events", &admin_a.access, &body)
            .await;
        assert_eq!(
            res.assert_problem(422, "validation_failed")["errors"][0]["field"],
            field,
            "{body}"
        );
    }
    for body in [
        json!({"title": "X", "starts_at": "soon", "ends_at": "2026-11-28T10:00:00Z"}),
        json!({"title": "X", "starts_at": "2026-11-28T09:00:00Z"}),
        json!({"title": "X", "starts_at": "2026-11-28T09:00:00Z", "ends_at": "2026-11-28T10:00:00Z", "secret": "x"}),
    ] {
        app.post_as("/api/v1/admin/events", &admin_a.access, &body)
            .await
            .assert_problem(400, "bad_request");
    }
}

async fn members_see_coming_events_soonest_first(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    app.state.clock.pin(at("2026-11-28 10:00:00"));
    for (title, starts, ends) in [
        ("Later", "2026-12-05T09:00:00Z", "2026-12-05T10:00:00Z"),
        ("Over", "2026-11-27T09:00:00Z", "2026-11-27T10:00:00Z"),
        ("Going on", "2026-11-28T09:00:00Z", "2026-11-28T11:00:00Z"),
        ("Soon", "2026-11-29T09:00:00Z", "2026-11-29T10:00:00Z"),
    ] {
        create_event(
            &app,
            &admin_a.access,
            json!({"title": title, "starts_at": starts, "ends_at": ends}),
        )
        .await;
    }
    let member = &member_a.access;
    let page = app.get_as("/api/v1/events", member).await.json();
    assert_eq!(titles(&page), ["Going on", "Soon", "Later"]);
    let first = app.get_as("/api/v1/events?limit=2", member).await.json();
    assert_eq!(titles(&first), ["Going on", "Soon"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(&format!("/api/v1/events?limit=2&cursor={cursor}"), member)
        .await
        .json();
    assert_eq!(titles(&rest), ["Later"]);
    let window = app
        .get_as(
            "/api/v1/events?from=2026-11-01T00:00:00Z&to=2026-11-29T00:00:00Z",
            member,
        )
        .await
        .json();
    assert_eq!(titles(&window), ["Over", "Going on"]);
    app.get_as("/api/v1/events?from=yesterday", member)
        .await
        .assert_problem(400, "bad_request");
}

async fn other_tenants_cannot_see_or_touch_an_event(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, admin_b, ..
    } = app.world().await;
    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let event = create_event(&app, &admin_a.access, clean_up()).await;
    let id = event["id"].as_str().unwrap();
    let b = Some(admin_b.access.as_str());
    let some_user = json!({"records": [{"user_id": admin_b.user_id, "status": "present"}]});
    for (method, path, body) in [
        ("GET", format!("/api/v1/admin/events/{id}"), None),
        (
            "PATCH",
            format!("/api/v1/admin/events/{id}"),
            Some(json!({"capacity": 1})),
        ),
        ("DELETE", format!("/api/v1/admin/events/{id}"), None),
        (
            "GET",
            format!("/api/v1/admin/events/{id}/check-in-code"),
            None,
        ),
        (
            "POST",
            format!("/api/v1/admin/events/{id}/scans"),
            Some(json!({"member_code": "x"})),
        ),
        (
            "PUT",
            format!("/api/v1/admin/events/{id}/attendance"),
            Some(some_user),
        ),
        ("GET", format!("/api/v1/admin/events/{id}/attendance"), None),
        (
            "GET",
            format!("/api/v1/admin/events/{id}/attendance/summary"),
            None,
        ),
        ("GET", format!("/api/v1/events/{id}"), None),
        (
            "POST",
            format!("/api/v1/events/{id}/check-in"),
            Some(json!({"code": "x"})),
        ),
    ] {
        app.call(method, &path, b, body.as_ref())
            .await
            .assert_problem(404, "not_found");
    }
    let after = app
        .get_as(&format!("/api/v1/admin/events/{id}"), &admin_a.access)
        .await
        .json();
    assert_eq!(after, event, "unchanged");
}

backend_tests!(
    admins_schedule_change_and_cancel_events,
    bad_events_are_refused,
    members_see_coming_events_soonest_first,
    other_tenants_cannot_see_or_touch_an_event,
);
