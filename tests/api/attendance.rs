//! Attendance: check-ins at the window's edges, rotating codes, staff scans
//! (also uploaded late), bulk marking, and points that follow every change
//! exactly once.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::events::{at, clean_up, create_event};
use crate::helpers::{
    Login, TestApp, TestBackend, World, assert_balances_match_ledger, balance, count, spawn_app,
    spawn_crowd_app,
};

async fn code_of(app: &TestApp, admin: &str, event: &Value) -> String {
    let path = format!(
        "/api/v1/admin/events/{}/check-in-code",
        event["id"].as_str().unwrap()
    );
    app.get_as(&path, admin).await.json()["code"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn check_in(
    app: &TestApp,
    member: &str,
    event: &Value,
    code: &str,
) -> crate::helpers::TestResponse {
    let path = format!("/api/v1/events/{}/check-in", event["id"].as_str().unwrap());
    app.post_as(&path, member, &json!({"code": code})).await
}

async fn check_ins_are_judged_at_the_edges_of_the_window(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = app.world().await;
    let admin = &admin_a.access;
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    let crowd: Vec<Login> = app.members(&tenant_a, 5, 0).await;
    let expectations = [
        ("2026-11-28 08:29:59", Err("check_in_not_open"), 0),
        ("2026-11-28 08:30:00", Ok("present"), 20),
        ("2026-11-28 09:10:00", Ok("present"), 20),
        ("2026-11-28 09:10:01", Ok("late"), 10),
        ("2026-11-28 10:59:59", Ok("late"), 10),
    ];
    for ((time, expected, points), member) in expectations.iter().zip(&crowd) {
        app.state.clock.pin(at(time));
        let code = code_of(&app, admin, &event).await;
        let res = check_in(&app, &member.access, &event, &code).await;
        match expected {
            Ok(status) => {
                assert_eq!(
                    res.status,
                    201,
                    "{time}: {}",
                    String::from_utf8_lossy(&res.body)
                );
                let body = res.json();
                assert_eq!(body["status"], *status, "{time}");
                assert_eq!(body["points_awarded"], *points, "{time}");
                assert_eq!(body["method"], "self");
            }
            Err(code) => {
                res.assert_problem(409, code);
            }
        }
        assert_eq!(balance(&app, &member.access).await, *points, "{time}");
    }
    app.state.clock.pin(at("2026-11-28 11:00:00"));
    let code = code_of(&app, admin, &event).await;
    let problem = check_in(&app, &crowd[0].access, &event, &code)
        .await
        .assert_problem(409, "check_in_closed");
    assert_eq!(problem["closed_at"], "2026-11-28T11:00:00Z");

    let history = app
        .get_as("/api/v1/attendance", &crowd[1].access)
        .await
        .json();
    assert_eq!(history["data"][0]["event_title"], "Park clean-up");
    assert_eq!(history["data"][0]["status"], "present");
    let entries = app
        .get_as("/api/v1/points/entries", &crowd[1].access)
        .await
        .json();
    assert_eq!(entries["data"][0]["kind"], "attendance");
    assert_eq!(entries["data"][0]["source"]["type"], "attendance");
    // Its points follow the record, not the reversal route.
    let entry = entries["data"][0]["id"].as_str().unwrap();
    app.post_as(
        &format!("/api/v1/admin/points/entries/{entry}/reverse"),
        admin,
        &json!({"reason": "no"}),
    )
    .await
    .assert_problem(409, "not_reversible");
    assert_balances_match_ledger(&app);
}

async fn codes_rotate_and_belong_to_one_event(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        tenant_a,
        ..
    } = app.world().await;
    let admin = &admin_a.access;
    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    let other = create_event(&app, admin, clean_up()).await;
    let code = code_of(&app, admin, &event).await;

    check_in(
        &app,
        &member_a.access,
        &event,
        &code_of(&app, admin, &other).await,
    )
    .await
    .assert_problem(422, "invalid_code");
    check_in(&app, &member_a.access, &event, "not-a-code")
        .await
        .assert_problem(422, "invalid_code");
    // Two windows on, the code has expired; one window on, it still works.
    app.state.clock.pin(at("2026-11-28 09:02:00"));
    check_in(&app, &member_a.access, &event, &code)
        .await
        .assert_problem(422, "invalid_code");
    app.state.clock.pin(at("2026-11-28 09:01:30"));
    let res = check_in(&app, &member_a.access, &event, &code).await;
    assert_eq!(res.status, 201);
    let again = check_in(&app, &member_a.access, &event, &code).await;
    assert_eq!(
        again.assert_problem(409, "already_checked_in")["attendance_status"],
        "present"
    );
    assert_eq!(balance(&app, &member_a.access).await, 20, "nothing new");

    let staffed = create_event(
        &app,
        admin,
        json!({"title": "Staffed", "starts_at": "2026-11-28T09:00:00Z",
               "ends_at": "2026-11-28T10:00:00Z", "self_check_in": false}),
    )
    .await;
    let code = code_of(&app, admin, &staffed).await;
    check_in(&app, &other_member_a.access, &staffed, &code)
        .await
        .assert_problem(403, "self_check_in_disabled");
    let path = format!("/api/v1/admin/events/{}", other["id"].as_str().unwrap());
    app.call("DELETE", &path, Some(admin), None).await;
    let loner = app.members(&tenant_a, 1, 0).await.remove(0);
    check_in(&app, &loner.access, &other, "whatever")
        .await
        .assert_problem(409, "event_cancelled");
}

async fn a_hundred_check_ins_of_one_member_make_one_record(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let event = create_event(&app, &admin_a.access, clean_up()).await;
    let code = code_of(&app, &admin_a.access, &event).await;
    let results = join_all((0..100).map(|_| check_in(&app, &member_a.access, &event, &code))).await;
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 1);
    for res in results.iter().filter(|r| r.status != 201) {
        res.assert_problem(409, "already_checked_in");
    }
    let user = &member_a.user_id;
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM attendance_records WHERE user_id = '{user}'")
        ),
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM point_entries WHERE user_id = '{user}'")
        ),
        1
    );
    assert_eq!(balance(&app, &member_a.access).await, 20);
    assert_balances_match_ledger(&app);
}

async fn capacity_holds_under_a_rush(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = app.world().await;
    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let mut body = clean_up();
    body["capacity"] = json!(5);
    let event = create_event(&app, &admin_a.access, body).await;
    let code = code_of(&app, &admin_a.access, &event).await;
    let crowd = app.members(&tenant_a, 20, 0).await;
    let results = join_all(
        crowd
            .iter()
            .map(|m| check_in(&app, &m.access, &event, &code)),
    )
    .await;
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 5);
    for res in results.iter().filter(|r| r.status != 201) {
        assert_eq!(res.assert_problem(409, "event_full")["capacity"], 5);
    }
    let path = format!(
        "/api/v1/admin/events/{}/attendance/summary",
        event["id"].as_str().unwrap()
    );
    let summary = app.get_as(&path, &admin_a.access).await.json();
    assert_eq!(summary["present"], 5);
    assert_eq!(
        summary["not_recorded"],
        15 + 2,
        "the crowd's rest and the world's two members"
    );
    assert_balances_match_ledger(&app);
}

async fn staff_scans_also_from_offline_scanners(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        admin_b,
        ..
    } = app.world().await;
    let admin = &admin_a.access;
    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    let scans = format!(
        "/api/v1/admin/events/{}/scans",
        event["id"].as_str().unwrap()
    );
    let member_code = |token: String| {
        let app = &app;
        async move {
            app.get_as("/api/v1/me/member-code", &token).await.json()["code"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };

    let ann_code = member_code(member_a.access.clone()).await;
    let first = app
        .post_as(
            &scans,
            admin,
            &json!({"member_code": ann_code, "nonce": "scanner-1-0001"}),
        )
        .await;
    assert_eq!(
        first.status,
        201,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let record = first.json();
    assert_eq!(record["method"], "scan");
    assert_eq!(record["status"], "present");
    assert_eq!(record["recorded_by"], admin_a.user_id.as_str());
    let replay = app
        .post_as(
            &scans,
            admin,
            &json!({"member_code": ann_code, "nonce": "scanner-1-0001"}),
        )
        .await;
    assert_eq!(replay.status, 201);
    assert_eq!(
        replay.json(),
        record,
        "the same nonce returns the first result"
    );
    app.post_as(&scans, admin, &json!({"member_code": ann_code}))
        .await
        .assert_problem(409, "already_checked_in");

    // Another organisation's member, a forged code, an expired one.
    let foreign = member_code(admin_b.access.clone()).await;
    let problem = app
        .post_as(&scans, admin, &json!({"member_code": foreign}))
        .await
        .assert_problem(422, "invalid_member_code");
    assert_eq!(problem["reason"], "invalid");
    app.post_as(&scans, admin, &json!({"member_code": "nonsense"}))
        .await
        .assert_problem(422, "invalid_member_code");
    let bob_code = member_code(other_member_a.access.clone()).await;
    app.state.clock.pin(at("2026-11-28 09:10:00"));
    let problem = app
        .post_as(
            &scans,
            admin,
            &json!({"member_code": bob_code, "scanned_at": "2026-11-28T09:05:01Z"}),
        )
        .await
        .assert_problem(422, "invalid_member_code");
    assert_eq!(problem["reason"], "expired", "codes live 5 minutes");
    let problem = app
        .post_as(
            &scans,
            admin,
            &json!({"member_code": bob_code, "scanned_at": "2026-11-28T09:12:01Z"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "scanned_at");

    // Uploaded after the window closed: inside it is accepted, outside is not.
    app.state.clock.pin(at("2026-11-28 11:30:00"));
    app.post_as(
        &scans,
        admin,
        &json!({"member_code": bob_code, "scanned_at": "2026-11-28T08:29:00Z"}),
    )
    .await
    .assert_problem(409, "check_in_not_open");
    let late = app
        .post_as(
            &scans,
            admin,
            &json!({"member_code": bob_code, "scanned_at": "2026-11-28T09:04:00Z"}),
        )
        .await;
    assert_eq!(late.status, 201, "{}", String::from_utf8_lossy(&late.body));
    assert_eq!(late.json()["checked_in_at"], "2026-11-28T09:04:00Z");
    app.state.clock.pin(at("2026-11-28 11:03:00"));
    let bob_late_code = member_code(other_member_a.access.clone()).await;
    app.state.clock.pin(at("2026-11-28 11:30:00"));
    app.post_as(
        &scans,
        admin,
        &json!({"member_code": bob_late_code, "scanned_at": "2026-11-28T11:04:00Z"}),
    )
    .await
    .assert_problem(409, "check_in_closed");
    assert_eq!(balance(&app, &other_member_a.access).await, 20);
    assert_balances_match_ledger(&app);
}

async fn bulk_marking_is_all_or_nothing_and_moves_points_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        admin_b,
        ..
    } = app.world().await;
    let admin = &admin_a.access;
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    let id = event["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/events/{id}/attendance");
    let put = |body: Value| {
        let (app, path) = (&app, path.clone());
        async move { app.call("PUT", &path, Some(admin), Some(&body)).await }
    };
    let (ann, bob) = (member_a.user_id.as_str(), other_member_a.user_id.as_str());
    put(json!({"records": [{"user_id": ann, "status": "present"}]}))
        .await
        .assert_problem(409, "event_not_started");

    app.state.clock.pin(at("2026-11-28 12:00:00"));
    let problem = put(json!({"records": [
        {"user_id": ann, "status": "present"},
        {"user_id": admin_b.user_id, "status": "present"},
        {"user_id": ann, "status": "late"}]}))
    .await
    .assert_problem(422, "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["records[1].user_id", "records[2].user_id"]);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM attendance_records"),
        0,
        "nothing written"
    );
    put(json!({"records": []}))
        .await
        .assert_problem(422, "validation_failed");
    put(json!({"records": [{"user_id": ann, "status": "sleeping"}]}))
        .await
        .assert_problem(400, "bad_request");

    let marked = put(json!({"records": [{"user_id": bob, "status": "excused"}, {"user_id": ann, "status": "present"}]})).await;
    assert_eq!(
        marked.status,
        200,
        "{}",
        String::from_utf8_lossy(&marked.body)
    );
    let marked = marked.json();
    assert_eq!(marked["records"][0]["status"], "excused", "request order");
    assert_eq!(marked["records"][1]["points_awarded"], 20);
    assert_eq!(marked["records"][1]["method"], "bulk");
    assert_eq!(balance(&app, &member_a.access).await, 20);

    // Flip Ann back and forth: her points always match her final status.
    for (status, points) in [
        ("absent", 0),
        ("present", 20),
        ("late", 10),
        ("present", 20),
        ("excused", 0),
        ("late", 10),
        ("late", 10),
        ("absent", 0),
        ("present", 20),
    ] {
        let res = put(json!({"records": [{"user_id": ann, "status": status}]})).await;
        assert_eq!(res.status, 200, "{status}");
        assert_eq!(
            res.json()["records"][0]["points_awarded"],
            points,
            "{status}"
        );
        assert_eq!(balance(&app, &member_a.access).await, points, "{status}");
        assert_balances_match_ledger(&app);
    }
    let reversals = count(
        &app,
        &format!(
            "SELECT COUNT(*) AS n FROM point_entries WHERE user_id = '{ann}' AND kind = 'reversal'"
        ),
    );
    assert_eq!(
        reversals, 3,
        "each drop to nothing reverses the earning once"
    );

    let summary = app.get_as(&format!("{path}/summary"), admin).await.json();
    assert_eq!(
        (
            summary["present"].clone(),
            summary["excused"].clone(),
            summary["not_recorded"].clone()
        ),
        (json!(1), json!(1), json!(0))
    );
    let rows = app.get_as(&path, admin).await.json();
    let names: Vec<&str> = rows["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"ann") && names.contains(&"bob"));
    // Marking is audited.
    let audit = app
        .get_as(
            &format!("/api/v1/admin/audit-events?action=attendance.mark&target_id={id}"),
            admin,
        )
        .await
        .json();
    assert_eq!(audit["data"].as_array().unwrap().len(), 10);
}

async fn attendance_lists_cost_the_same_queries_whatever_the_page(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = app.world().await;
    app.state.clock.pin(at("2026-11-28 12:00:00"));
    let event = create_event(&app, &admin_a.access, clean_up()).await;
    let crowd = app.members(&tenant_a, 8, 0).await;
    let records: Vec<Value> = crowd
        .iter()
        .map(|m| json!({"user_id": m.user_id, "status": "present"}))
        .collect();
    let path = format!(
        "/api/v1/admin/events/{}/attendance",
        event["id"].as_str().unwrap()
    );
    let res = app
        .call(
            "PUT",
            &path,
            Some(&admin_a.access),
            Some(&json!({"records": records})),
        )
        .await;
    assert_eq!(res.status, 200);
    let measure = |path: String| {
        let (app, token) = (&app, admin_a.access.clone());
        async move {
            let before = app.queries.get();
            let res = app.get_as(&path, &token).await;
            assert_eq!(res.status, 200);
            (
                app.queries.get() - before,
                res.json()["data"].as_array().unwrap().len(),
            )
        }
    };
    measure(format!("{path}?limit=1")).await;
    let (small, _) = measure(format!("{path}?limit=2")).await;
    let (large, rows) = measure(format!("{path}?limit=100")).await;
    assert_eq!(rows, 8);
    assert_eq!(small, large, "queries must not grow with the page size");
}

backend_tests!(
    check_ins_are_judged_at_the_edges_of_the_window,
    codes_rotate_and_belong_to_one_event,
    a_hundred_check_ins_of_one_member_make_one_record,
    capacity_holds_under_a_rush,
    staff_scans_also_from_offline_scanners,
    bulk_marking_is_all_or_nothing_and_moves_points_once,
    attendance_lists_cost_the_same_queries_whatever_the_page,
);
