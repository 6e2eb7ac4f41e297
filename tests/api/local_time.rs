//! A tenant's day is local: leaderboard months and weeks, reward limits and
//! the settlement summary's days follow the tenant's time zone and first
//! weekday, across daylight-saving changes.

use chrono::{Datelike, NaiveDateTime, TimeZone, Weekday};
use diesel::RunQueryDsl;
use hearth::calendar::{Calendar, Span};
use hearth::clock::rfc3339_string;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, World, award_at, spawn_app};
use crate::rewards::{create_reward, give_points};
use crate::tenant_settings::patch_tenant;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

async fn set_calendar(app: &TestApp, admin: &str, zone: &str, week_starts_on: &str) {
    let body = json!({"timezone": zone, "week_starts_on": week_starts_on});
    let res = patch_tenant(app, admin, body).await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
}

fn board_points(board: &Value) -> Vec<i64> {
    board["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["points"].as_i64().unwrap())
        .collect()
}

async fn a_manila_month_begins_at_manila_midnight(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        ..
    } = app.world().await;
    set_calendar(&app, &admin_a.access, "Asia/Manila", "monday").await;
    // 30 November 23:00 in Manila, and 1 December 01:00 in Manila.
    award_at(&app, &other_member_a.user_id, 7, "2026-11-30 15:00:00");
    award_at(&app, &member_a.user_id, 40, "2026-11-30 17:00:00");

    app.state.clock.pin(at("2026-12-01 02:00:00"));
    let december = app
        .get_as(
            "/api/v1/leaderboards/members?period=month",
            &member_a.access,
        )
        .await
        .json();
    assert_eq!(
        board_points(&december),
        [40],
        "only the award made on 1 December local"
    );
    assert_eq!(december["period_start"], "2026-11-30T16:00:00Z");
    assert_eq!(december["period_end"], "2026-12-31T16:00:00Z");
    assert_eq!(december["since"], december["period_start"]);

    app.state.clock.pin(at("2026-11-30 15:30:00"));
    let november = app
        .get_as(
            "/api/v1/leaderboards/members?period=month",
            &member_a.access,
        )
        .await
        .json();
    assert_eq!(
        board_points(&november),
        [7],
        "the 01:00 award is December's, not November's"
    );
    assert_eq!(november["period_start"], "2026-10-31T16:00:00Z");
    assert_eq!(november["period_end"], "2026-11-30T16:00:00Z");
    let all = app
        .get_as("/api/v1/leaderboards/members?period=all", &member_a.access)
        .await
        .json();
    assert_eq!(all["period_start"], Value::Null);
    assert_eq!(all["period_end"], Value::Null);
}

async fn a_weekly_limit_resets_at_local_midnight_on_the_first_weekday(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    set_calendar(&app, &admin_a.access, "Asia/Manila", "sunday").await;
    give_points(&app, &admin_a.access, &member_a.user_id, 100).await;
    let weekly = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Weekly", "cost_points": 10, "limit_per_member": 1, "limit_period": "week"}),
    )
    .await;
    let path = format!(
        "/api/v1/rewards/{}/redemptions",
        weekly["id"].as_str().unwrap()
    );
    let first = app.call("POST", &path, Some(&member_a.access), None).await;
    assert_eq!(first.status, 201);
    let problem = app
        .call("POST", &path, Some(&member_a.access), None)
        .await
        .assert_problem(409, "limit_reached");
    let manila = Calendar::new(chrono_tz::Asia::Manila, Weekday::Sun);
    let now = hearth::clock::now();
    let week_start = manila.start(Span::Week, now);
    assert_eq!(
        problem["resets_at"],
        rfc3339_string(manila.end(Span::Week, now))
    );
    assert_eq!(
        manila.local_date(week_start).weekday(),
        Weekday::Sun,
        "the week starts on the tenant's Sunday"
    );
    assert_eq!(
        manila.zone().from_utc_datetime(&week_start).time(),
        chrono::NaiveTime::MIN,
        "at local midnight"
    );

    // Made at the first instant of the local week, it still counts; a second
    // earlier, it belongs to last week.
    let first_id = first.json()["id"].as_str().unwrap().to_string();
    let backdate = |when: NaiveDateTime| {
        let mut conn = app.db.connect();
        diesel::sql_query(format!(
            "UPDATE redemptions SET created_at = '{}' WHERE id = '{first_id}'",
            when.format("%Y-%m-%d %H:%M:%S")
        ))
        .execute(&mut conn)
        .unwrap();
    };
    backdate(week_start);
    app.call("POST", &path, Some(&member_a.access), None)
        .await
        .assert_problem(409, "limit_reached");
    backdate(week_start - chrono::Duration::seconds(1));
    let again = app.call("POST", &path, Some(&member_a.access), None).await;
    assert_eq!(again.status, 201, "a new local week, a new allowance");
}

async fn berlin_settlement_days_follow_daylight_saving(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    set_calendar(&app, admin, "Europe/Berlin", "monday").await;
    let household = app
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": "Smiths"}),
        )
        .await
        .json();
    // Sunday 28 March 2027 in Berlin is 23 hours long: from 23:00 UTC on the
    // 27th (00:00 CET) to 22:00 UTC on the 28th (00:00 CEST).
    for (received_at, amount) in [
        ("2027-03-27T22:59:59Z", 1),    // Saturday 23:59:59 CET
        ("2027-03-27T23:00:00Z", 10),   // Sunday 00:00 CET
        ("2027-03-28T21:59:59Z", 100),  // Sunday 23:59:59 CEST
        ("2027-03-28T22:00:00Z", 1000), // Monday 00:00 CEST
    ] {
        app.state.clock.pin(at("2027-04-01 12:00:00"));
        let paid = app
            .post_as(
                "/api/v1/admin/payments",
                admin,
                &json!({"household_id": household["id"], "amount": amount, "method": "cash",
                        "received_at": received_at}),
            )
            .await;
        assert_eq!(paid.status, 201, "{}", String::from_utf8_lossy(&paid.body));
    }
    let summary = app
        .get_as(
            "/api/v1/admin/payments/summary?from=2027-03-27T00:00:00%2B01:00&to=2027-03-30T00:00:00%2B02:00",
            admin,
        )
        .await;
    assert_eq!(
        summary.status,
        200,
        "{}",
        String::from_utf8_lossy(&summary.body)
    );
    let by_day: Vec<(String, i64)> = summary.json()["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["key"].as_str().unwrap().to_string(),
                d["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_day,
        [
            ("2027-03-27".to_string(), 1),
            ("2027-03-28".to_string(), 110),
            ("2027-03-29".to_string(), 1000),
        ]
    );
}

/// The `key`s of a page's `data`.
fn ids_of(page: &Value, key: &str) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data: {page}"))
        .iter()
        .map(|row| row[key].as_str().unwrap().to_string())
        .collect()
}

async fn dates_in_lists_and_statements_are_manila_days(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    set_calendar(&app, admin, "Asia/Manila", "monday").await;
    let household = app
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": "Santos"}),
        )
        .await
        .json();
    app.state.clock.pin(at("2026-12-05 00:00:00"));
    let mut ids = Vec::new();
    for received_at in [
        "2026-11-30T15:59:59Z", // 30 November, 23:59:59 in Manila
        "2026-11-30T16:00:00Z", // 1 December, 00:00
        "2026-12-01T15:59:59Z", // 1 December, 23:59:59
        "2026-12-01T16:00:00Z", // 2 December, 00:00
    ] {
        let paid = app
            .post_as(
                "/api/v1/admin/payments",
                admin,
                &json!({"household_id": household["id"], "amount": 100, "method": "cash",
                        "received_at": received_at}),
            )
            .await;
        assert_eq!(paid.status, 201, "{}", String::from_utf8_lossy(&paid.body));
        ids.push(paid.json()["id"].as_str().unwrap().to_string());
    }
    let december_first = &ids[1..3];

    // `from` and `to` as the same date: that whole local day.
    let list = app
        .get_as(
            "/api/v1/admin/payments?from=2026-12-01&to=2026-12-01",
            admin,
        )
        .await
        .json();
    let mut listed = ids_of(&list, "id");
    listed.sort();
    assert_eq!(listed, december_first);
    let summary = app
        .get_as(
            "/api/v1/admin/payments/summary?from=2026-12-01&to=2026-12-01",
            admin,
        )
        .await
        .json();
    assert_eq!(summary["count"], 2, "{summary}");
    assert_eq!(summary["from"], "2026-11-30T16:00:00Z");
    assert_eq!(summary["to"], "2026-12-01T16:00:00Z");
    let path = format!(
        "/api/v1/admin/households/{}/statement?from=2026-12-01&to=2026-12-01",
        household["id"].as_str().unwrap()
    );
    let statement = app.get_as(&path, admin).await.json();
    let lines: Vec<String> = statement["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines, december_first);
    assert_eq!(statement["opening_balance"], -100, "30 November's payment");

    // Instants are read as given, and a date that is no date is a 400.
    let list = app
        .get_as(
            "/api/v1/admin/payments?from=2026-12-02T00:00:00%2B08:00",
            admin,
        )
        .await
        .json();
    assert_eq!(ids_of(&list, "id"), [ids[3].clone()]);
    for bad in ["2026-12-32", "2026-12-01T00:00:00", "10000-01-01", "today"] {
        app.get_as(&format!("/api/v1/admin/payments?from={bad}"), admin)
            .await
            .assert_problem(400, "bad_request");
    }
    // Audit events carry the real time they were written: around today in Manila.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Manila)
        .date_naive();
    let (before, after) = (today - chrono::Days::new(1), today + chrono::Days::new(1));
    let around = format!("from={before}&to={after}&action=payment.create");
    let audit = app
        .get_as(&format!("/api/v1/admin/audit-events?{around}"), admin)
        .await
        .json();
    assert_eq!(audit["data"].as_array().unwrap().len(), 4, "{audit}");
    let earlier = format!("to={}&action=payment.create", before - chrono::Days::new(1));
    let audit = app
        .get_as(&format!("/api/v1/admin/audit-events?{earlier}"), admin)
        .await
        .json();
    assert_eq!(audit["data"], json!([]));
}

async fn today_at_the_door_is_the_tenants_today(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    let admin = &admin_a.access;
    set_calendar(&app, admin, "Asia/Manila", "monday").await;
    // 01:00 on 2 December in Manila; 1 December in UTC.
    app.state.clock.pin(at("2026-12-01 17:00:00"));
    for (title, starts_at, ends_at) in [
        ("Last night", "2026-12-01T12:00:00Z", "2026-12-01T13:00:00Z"), // 1 Dec 20:00 local
        (
            "This morning",
            "2026-12-02T01:00:00Z",
            "2026-12-02T03:00:00Z",
        ), // 2 Dec 09:00
        ("Tomorrow", "2026-12-02T17:00:00Z", "2026-12-02T18:00:00Z"),   // 3 Dec 01:00
    ] {
        let body = json!({"title": title, "starts_at": starts_at, "ends_at": ends_at,
                          "points_on_time": 1, "points_late": 1});
        let res = app.post_as("/api/v1/admin/events", admin, &body).await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    }
    for (token, path) in [
        (admin, "/api/v1/admin/events?on=today"),
        (&member_a.access, "/api/v1/events?on=today"),
    ] {
        let page = app.get_as(path, token).await.json();
        assert_eq!(ids_of(&page, "title"), ["This morning"], "{path}");
    }
    let yesterday = app
        .get_as("/api/v1/events?on=2026-12-01", &member_a.access)
        .await
        .json();
    assert_eq!(ids_of(&yesterday, "title"), ["Last night"]);
    let week = app
        .get_as(
            "/api/v1/events?from=2026-12-01&to=2026-12-03",
            &member_a.access,
        )
        .await
        .json();
    assert_eq!(
        ids_of(&week, "title"),
        ["Last night", "This morning", "Tomorrow"]
    );
    let problem = app
        .get_as("/api/v1/events?on=today&from=2026-12-01", &member_a.access)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "on");
    app.get_as("/api/v1/events?on=yesterday", &member_a.access)
        .await
        .assert_problem(400, "bad_request");
}

backend_tests!(
    dates_in_lists_and_statements_are_manila_days,
    today_at_the_door_is_the_tenants_today,
    a_manila_month_begins_at_manila_midnight,
    a_weekly_limit_resets_at_local_midnight_on_the_first_weekday,
    berlin_settlement_days_follow_daylight_saving,
);
