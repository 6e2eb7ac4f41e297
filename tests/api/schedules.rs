//! Recurring dues: a schedule's periods are charged on the tenant's local
//! date, to each household exactly once, however many instances run the job
//! and wherever a run stops.

use chrono::NaiveDateTime;
use diesel::RunQueryDsl;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, TestResponse, World, count, eventually, second_instance, spawn_app,
    spawn_crowd_app,
};
use crate::tenant_settings::patch_tenant;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

async fn household(app: &TestApp, admin: &str, name: &str) -> String {
    let res = app
        .post_as("/api/v1/admin/households", admin, &json!({"name": name}))
        .await;
    assert_eq!(res.status, 201);
    res.json()["id"].as_str().unwrap().to_string()
}

async fn schedule(app: &TestApp, admin: &str, body: Value) -> TestResponse {
    app.post_as("/api/v1/admin/charge-schedules", admin, &body)
        .await
}

/// Runs the job once on `app`'s database at `now`, as an instance would.
async fn run_job(app: &TestApp, now: &str, budget: usize) -> usize {
    let db = app.state.db.clone();
    let now = at(now);
    actix_web::web::block(move || {
        let mut conn = db.pool().get().expect("connection");
        hearth::payments::issue_due(&mut conn, now, budget).expect("job run")
    })
    .await
    .unwrap()
}

/// (household, due date, amount, status) of every charge, in order.
async fn charges(app: &TestApp, admin: &str) -> Vec<(String, String, i64, String)> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/admin/charges?limit=100&cursor={c}"),
            None => "/api/v1/admin/charges?limit=100".to_string(),
        };
        let page = app.get_as(&path, admin).await.json();
        for c in page["data"].as_array().unwrap() {
            out.push((
                c["household_id"].as_str().unwrap().to_string(),
                c["due_date"].as_str().unwrap().to_string(),
                c["amount"].as_i64().unwrap(),
                c["status"].as_str().unwrap().to_string(),
            ));
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    out.sort();
    out
}

fn duplicates(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT COUNT(*) AS n FROM (SELECT household_id, due_date FROM charges \
         GROUP BY tenant_id, household_id, due_date HAVING COUNT(*) > 1) d",
    )
}

async fn periods_begin_at_local_midnight_and_are_charged_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    let res = patch_tenant(&app, admin, json!({"timezone": "Asia/Manila"})).await;
    assert_eq!(res.status, 200);
    let (garcia, reyes) = (
        household(&app, admin, "Garcias").await,
        household(&app, admin, "Reyes").await,
    );
    // The Reyes hold credit: their first charge is paid from it at once.
    let pay = json!({"household_id": reyes, "amount": 1000, "method": "cash"});
    assert_eq!(
        app.post_as("/api/v1/admin/payments", admin, &pay)
            .await
            .status,
        201
    );

    app.state.clock.pin(at("2026-12-20 04:00:00"));
    let res = schedule(
        &app,
        admin,
        json!({"description": "Monthly dues", "amount": 2500, "all_active": true,
               "frequency": "monthly", "anchor_date": "2027-01-01", "due_after_days": 14}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let created = res.json();
    assert_eq!(
        (
            &created["status"],
            &created["next_period"],
            &created["issued_count"]
        ),
        (&json!("active"), &json!("2027-01-01"), &json!(0))
    );

    // 23:59:59 on 31 December in Manila: not yet.
    assert_eq!(run_job(&app, "2026-12-31 15:59:59", 500).await, 0);
    // Midnight of 1 January in Manila is 16:00 UTC the day before.
    assert_eq!(run_job(&app, "2026-12-31 16:00:00", 500).await, 2);
    assert_eq!(run_job(&app, "2026-12-31 16:00:00", 500).await, 0, "once");
    assert_eq!(
        run_job(&app, "2027-01-20 00:00:00", 500).await,
        0,
        "February is not due"
    );
    let mut expected = vec![
        (
            garcia.clone(),
            "2027-01-15".to_string(),
            2500,
            "open".to_string(),
        ),
        (
            reyes.clone(),
            "2027-01-15".to_string(),
            2500,
            "partially_paid".to_string(),
        ),
    ];
    expected.sort();
    assert_eq!(charges(&app, admin).await, expected);

    // February and March together, when the job was down through February.
    assert_eq!(run_job(&app, "2027-03-01 00:00:00", 500).await, 4);
    let id = created["id"].as_str().unwrap();
    let now = app
        .get_as(&format!("/api/v1/admin/charge-schedules/{id}"), admin)
        .await
        .json();
    assert_eq!(
        (&now["issued_count"], &now["next_period"]),
        (&json!(6), &json!("2027-04-01"))
    );
    assert_eq!(duplicates(&app), 0);
    let audit = app
        .get_as(
            "/api/v1/admin/audit-events?action=charge_schedule.create",
            admin,
        )
        .await
        .json();
    assert_eq!(audit["data"][0]["target_id"], created["id"]);
}

async fn two_instances_issue_twenty_periods_exactly_once(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(household(&app, admin, &format!("Family {i}")).await);
    }
    app.state.clock.pin(at("2027-01-04 08:00:00"));
    let res = schedule(
        &app,
        admin,
        json!({"description": "Weekly club fee", "amount": 300, "household_ids": ids,
               "frequency": "weekly", "anchor_date": "2027-01-04", "due_after_days": 0}),
    )
    .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let other = second_instance(&app).await;
    // 19 weeks on: periods 0-19 are due, 20 of them.
    let now = "2027-05-17 08:00:00";
    let (a, b) = futures::join!(run_job(&app, now, 1000), run_job(&other, now, 1000));
    assert_eq!(
        a + b,
        100,
        "20 periods x 5 households between them ({a} + {b})"
    );
    assert_eq!(charges(&app, admin).await.len(), 100);
    assert_eq!(duplicates(&app), 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM scheduled_charges"),
        100
    );
    let (a, b) = futures::join!(run_job(&app, now, 1000), run_job(&other, now, 1000));
    assert_eq!(a + b, 0);
}

async fn a_run_cut_short_is_finished_by_the_next_without_duplicates(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    for i in 0..4 {
        household(&app, admin, &format!("Family {i}")).await;
    }
    app.state.clock.pin(at("2027-01-01 08:00:00"));
    let body = json!({"description": "Dues", "amount": 1000, "all_active": true,
                      "frequency": "monthly", "anchor_date": "2027-01-01", "due_after_days": 7});
    assert_eq!(schedule(&app, admin, body).await.status, 201);
    // This instance stops after 7 of the 12 charges three months owe (as if
    // it were killed there); one started afterwards issues the rest.
    let now = "2027-03-15 00:00:00";
    assert_eq!(run_job(&app, now, 7).await, 7);
    // (The first app keeps the test database alive; it runs nothing more.)
    let restarted = second_instance(&app).await;
    assert_eq!(run_job(&restarted, now, 500).await, 5);
    assert_eq!(run_job(&restarted, now, 500).await, 0);
    assert_eq!(charges(&restarted, admin).await.len(), 12);
    assert_eq!(duplicates(&restarted), 0);
}

async fn households_that_join_later_start_with_the_next_period(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    let first = household(&app, admin, "First").await;
    app.state.clock.pin(at("2027-01-04 08:00:00"));
    let every = schedule(
        &app,
        admin,
        json!({"description": "Weekly", "amount": 100, "all_active": true,
               "frequency": "weekly", "anchor_date": "2027-01-04", "due_after_days": 0}),
    )
    .await
    .json();
    let listed = schedule(
        &app,
        admin,
        json!({"description": "Listed", "amount": 7, "household_ids": [first],
               "frequency": "weekly", "anchor_date": "2027-01-04", "due_after_days": 0}),
    )
    .await
    .json();
    // The schedules were set up on 4 January (their rows say when).
    let mut conn = app.db.connect();
    diesel::sql_query("UPDATE charge_schedules SET created_at = '2027-01-04 08:00:00'")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(run_job(&app, "2027-01-04 09:00:00", 500).await, 2);

    // A household created on Wednesday 6 January: its first week is the 11th.
    let late = household(&app, admin, "Late").await;
    diesel::sql_query(format!(
        "UPDATE households SET created_at = '2027-01-06 10:00:00' WHERE id = '{late}'"
    ))
    .execute(&mut conn)
    .unwrap();
    // Added to the listed schedule on the 6th too: from the 11th on.
    app.state.clock.pin(at("2027-01-06 10:00:00"));
    let id = listed["id"].as_str().unwrap();
    let res = app
        .call(
            "PATCH",
            &format!("/api/v1/admin/charge-schedules/{id}"),
            Some(admin),
            Some(&json!({"household_ids": [first, late], "amount": 9})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.json()["household_ids"].as_array().unwrap().len(), 2);

    assert_eq!(run_job(&app, "2027-01-11 09:00:00", 500).await, 4);
    let late_charges: Vec<_> = charges(&app, admin)
        .await
        .into_iter()
        .filter(|c| c.0 == late)
        .map(|c| (c.1, c.2))
        .collect();
    let expected = vec![
        ("2027-01-11".to_string(), 9),
        ("2027-01-11".to_string(), 100),
    ];
    assert_eq!(late_charges, expected, "the 11th only, and the new amount");

    // Stopped: nothing more is issued, and a stopped schedule cannot change.
    let path = format!(
        "/api/v1/admin/charge-schedules/{}",
        every["id"].as_str().unwrap()
    );
    assert_eq!(
        app.call("DELETE", &path, Some(admin), None).await.status,
        204
    );
    assert_eq!(
        app.call("DELETE", &path, Some(admin), None).await.status,
        204
    );
    assert_eq!(app.get_as(&path, admin).await.json()["status"], "stopped");
    assert_eq!(
        run_job(&app, "2027-01-18 09:00:00", 500).await,
        2,
        "the listed one only"
    );
    app.call("PATCH", &path, Some(admin), Some(&json!({"amount": 5})))
        .await
        .assert_problem(409, "conflict");
}

async fn schedules_are_checked_and_kept_to_their_tenant(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, admin_b, ..
    } = app.world().await;
    let admin = &admin_a.access;
    let family = household(&app, admin, "Family").await;
    app.state.clock.pin(at("2026-12-10 08:00:00"));
    let base = json!({"description": "Dues", "amount": 1000, "all_active": true,
                      "frequency": "monthly", "anchor_date": "2027-01-01", "due_after_days": 7});
    let with = |patch: Value| {
        let mut body = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    for (patch, field, code) in [
        (
            json!({"anchor_date": "2026-12-09"}),
            "anchor_date",
            "in_past",
        ),
        (json!({"ends_on": "2026-12-31"}), "ends_on", "before_anchor"),
        (json!({"amount": 0}), "amount", "out_of_range"),
        (
            json!({"due_after_days": 367}),
            "due_after_days",
            "out_of_range",
        ),
        (json!({"frequency": "termly"}), "frequency", "no_terms"),
        (
            json!({"household_ids": [family]}),
            "household_ids",
            "invalid_combination",
        ),
        (
            json!({"all_active": null}),
            "household_ids",
            "invalid_combination",
        ),
        (
            json!({"all_active": null, "household_ids": [uuid::Uuid::now_v7().to_string()]}),
            "household_ids[0]",
            "unknown_household",
        ),
    ] {
        let problem = schedule(&app, admin, with(patch.clone()))
            .await
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], field, "{patch}: {problem}");
        assert_eq!(problem["errors"][0]["code"], code, "{patch}: {problem}");
    }
    schedule(&app, admin, with(json!({"frequency": "fortnightly"})))
        .await
        .assert_problem(400, "bad_request");

    // Termly follows the organisation's term dates.
    let terms = json!({"term_starts": ["2027-04-19", "2027-01-11", "2026-09-01"]});
    let settings = patch_tenant(&app, admin, terms).await.json();
    assert_eq!(
        settings["term_starts"],
        json!(["2026-09-01", "2027-01-11", "2027-04-19"])
    );
    let termly = schedule(&app, admin, with(json!({"frequency": "termly"}))).await;
    assert_eq!(termly.status, 201);
    let termly = termly.json();
    assert_eq!(termly["next_period"], "2027-01-11");
    assert_eq!(
        run_job(&app, "2027-04-19 00:00:00", 500).await,
        2,
        "both terms"
    );
    assert_eq!(run_job(&app, "2027-09-01 00:00:00", 500).await, 0);
    let path = format!(
        "/api/v1/admin/charge-schedules/{}",
        termly["id"].as_str().unwrap()
    );
    assert_eq!(app.get_as(&path, admin).await.json()["status"], "ended");

    // Another organisation's admin finds nothing.
    let other = &admin_b.access;
    app.get_as(&path, other)
        .await
        .assert_problem(404, "not_found");
    app.call("PATCH", &path, Some(other), Some(&json!({"amount": 5})))
        .await
        .assert_problem(404, "not_found");
    app.call("DELETE", &path, Some(other), None)
        .await
        .assert_problem(404, "not_found");
    let list = app
        .get_as("/api/v1/admin/charge-schedules", other)
        .await
        .json();
    assert_eq!(list["data"], json!([]));
    let mine = app
        .get_as("/api/v1/admin/charge-schedules", admin)
        .await
        .json();
    assert_eq!(mine["data"].as_array().unwrap().len(), 1);
}

async fn every_instance_runs_the_job_on_its_own(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    household(&app, admin, "Family").await;
    app.state.clock.pin(at("2027-01-01 08:00:00"));
    let body = json!({"description": "Dues", "amount": 1000, "all_active": true,
                      "frequency": "weekly", "anchor_date": "2027-01-01", "due_after_days": 7});
    assert_eq!(schedule(&app, admin, body).await.status, 201);
    let job = hearth::payments::run_dues_job(
        app.state.db.clone(),
        app.state.clock.clone(),
        std::time::Duration::from_millis(50),
        500,
    );
    let issued = eventually(std::time::Duration::from_secs(10), async || {
        charges(&app, admin).await.len() == 1
    })
    .await;
    drop(job);
    assert!(issued, "the job issued the period on its own");
}

/// `hearth serve` on `app`'s database with the dues job every second,
/// `batch` charges a run (and the app's statement setting, for PgBouncer).
fn serve_with_dues_job(app: &TestApp, batch: &str) -> std::process::Child {
    let database = &app.state.settings.database;
    std::process::Command::new(env!("CARGO_BIN_EXE_hearth"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", &app.db.url)
        .env(
            "HEARTH_DATABASE__PREPARED_STATEMENTS",
            database.prepared_statements.to_string(),
        )
        .env("HEARTH_SERVER__PORT", "0")
        .env("HEARTH_JOBS__DUES_INTERVAL_SECS", "1")
        .env("HEARTH_JOBS__DUES_BATCH", batch)
        .env("HEARTH_LOG__LEVEL", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start hearth serve")
}

async fn a_killed_instance_leaves_the_rest_to_the_one_started_after_it(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    const FAMILIES: i64 = 60;
    for i in 0..FAMILIES {
        household(&app, admin, &format!("Family {i}")).await;
    }
    // Due today on the real clock (the tenant is in UTC): the real processes
    // below run the job on it.
    let today = chrono::Utc::now().date_naive().to_string();
    let body = json!({"description": "Dues", "amount": 1000, "all_active": true,
                      "frequency": "monthly", "anchor_date": today, "due_after_days": 7});
    let res = schedule(&app, admin, body).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let issued = || count(&app, "SELECT COUNT(*) AS n FROM scheduled_charges");

    // The first instance issues 5 a second; it is killed (SIGKILL, no
    // shutdown) once it has started and well before it could finish.
    let mut first = serve_with_dues_job(&app, "5");
    let started = eventually(std::time::Duration::from_secs(30), async || issued() > 0).await;
    first.kill().expect("kill the first instance");
    first.wait().ok();
    let at_kill = issued();
    assert!(
        started && at_kill < FAMILIES,
        "killed mid-run: {at_kill} of {FAMILIES}"
    );

    let mut second = serve_with_dues_job(&app, "500");
    let finished = eventually(std::time::Duration::from_secs(30), async || {
        issued() == FAMILIES
    })
    .await;
    // Two more runs of the job: nothing is issued twice.
    actix_web::rt::time::sleep(std::time::Duration::from_millis(2500)).await;
    second.kill().ok();
    second.wait().ok();
    assert!(
        finished,
        "the second instance issued the rest: {} of {FAMILIES}",
        issued()
    );
    assert_eq!(issued(), FAMILIES);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM charges"), FAMILIES);
    assert_eq!(duplicates(&app), 0);
}

async fn the_money_lists_cost_the_same_queries_whatever_the_page(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let admin = &admin_a.access;
    let mut families = Vec::new();
    for i in 0..6 {
        families.push(household(&app, admin, &format!("Family {i}")).await);
    }
    app.state.clock.pin(at("2027-01-01 08:00:00"));
    for (i, family) in families.iter().enumerate() {
        let body = json!({"description": format!("Fee {i}"), "amount": 100,
                          "household_ids": [family], "frequency": "weekly",
                          "anchor_date": "2027-01-04", "due_after_days": 0});
        assert_eq!(schedule(&app, admin, body).await.status, 201);
        let pay = json!({"household_id": family, "amount": 500, "method": "cash"});
        assert_eq!(
            app.post_as("/api/v1/admin/payments", admin, &pay)
                .await
                .status,
            201
        );
        let refund = json!({"household_id": family, "amount": 100, "method": "cash",
                            "reason": "Overpaid"});
        assert_eq!(
            app.post_as("/api/v1/admin/refunds", admin, &refund)
                .await
                .status,
            201
        );
    }
    run_job(&app, "2027-01-04 09:00:00", 500).await;
    for path in ["/api/v1/admin/charge-schedules", "/api/v1/admin/refunds"] {
        let mut counts = Vec::new();
        for limit in [1, 2, 100] {
            let before = app.queries.get();
            let res = app.get_as(&format!("{path}?limit={limit}"), admin).await;
            assert_eq!(res.status, 200);
            counts.push(app.queries.get() - before);
            if limit == 100 {
                assert_eq!(res.json()["data"].as_array().unwrap().len(), 6, "{path}");
            }
        }
        // The first request also warms the session cache.
        assert_eq!(
            counts[1], counts[2],
            "{path}: queries must not grow with the page"
        );
    }
}

backend_tests!(
    the_money_lists_cost_the_same_queries_whatever_the_page,
    a_killed_instance_leaves_the_rest_to_the_one_started_after_it,
    periods_begin_at_local_midnight_and_are_charged_once,
    two_instances_issue_twenty_periods_exactly_once,
    a_run_cut_short_is_finished_by_the_next_without_duplicates,
    households_that_join_later_start_with_the_next_period,
    schedules_are_checked_and_kept_to_their_tenant,
    every_instance_runs_the_job_on_its_own,
);
