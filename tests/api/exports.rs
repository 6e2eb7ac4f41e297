//! CSV exports: RFC 4180 files a spreadsheet opens safely, complete however
//! many chunks they stream in, scoped like the JSON they export.

use std::collections::HashSet;

use diesel::RunQueryDsl;
use serde_json::json;

use crate::backend_tests;
use crate::events::{at, clean_up, create_event};
use crate::helpers::{TestBackend, TestResponse, created, spawn_app};

/// The file's header and rows, parsed back with the csv crate.
fn parse(res: &TestResponse) -> (Vec<String>, Vec<Vec<String>>) {
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        res.header("content-disposition")
            .is_some_and(|d| d.starts_with("attachment; filename=")),
        "{:?}",
        res.header("content-disposition")
    );
    let mut reader = csv::Reader::from_reader(res.body.as_ref());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The cell of `column` in `row`.
fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let i = header.iter().position(|h| h == column).expect(column);
    &row[i]
}

async fn each_export_is_a_csv_file_a_spreadsheet_opens_safely(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let ann = &world.member_a;
    let name = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    let res = app
        .call(
            "PATCH",
            "/api/v1/me",
            Some(&ann.access),
            Some(&json!({"display_name": name})),
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));

    let award = created(
        &app,
        admin,
        "/api/v1/admin/points/awards",
        json!({"user_id": ann.user_id, "amount": 30, "reason": "Drop-off, 3 bags"}),
    )
    .await;
    created(
        &app,
        admin,
        "/api/v1/admin/points/adjustments",
        json!({"user_id": ann.user_id, "amount": -5, "reason": "-counted twice"}),
    )
    .await;
    let (header, rows) = parse(&app.get_as("/api/v1/admin/exports/ledger.csv", admin).await);
    assert_eq!(header[..3], ["entry_id", "created_at", "local_date"]);
    assert_eq!(rows.len(), 2);
    let first = &rows[0];
    assert_eq!(
        cell(&header, first, "entry_id"),
        award["id"].as_str().unwrap()
    );
    assert_eq!(cell(&header, first, "display_name"), format!("'{name}"));
    assert_eq!(cell(&header, first, "reason"), "Drop-off, 3 bags");
    let created_at = cell(&header, first, "created_at");
    assert!(created_at.ends_with('Z'), "{created_at}: UTC, RFC 3339");
    // The organisation keeps UTC: its day is the instant's date.
    assert_eq!(cell(&header, first, "local_date"), &created_at[..10]);
    assert_eq!(
        cell(&header, &rows[1], "amount"),
        "-5",
        "numbers are not text"
    );
    assert_eq!(cell(&header, &rows[1], "reason"), "'-counted twice");

    // Payments, with a household name that needs quoting. Refunds are issued
    // now; the payment was received three days ago.
    let today = chrono::Utc::now().date_naive();
    let received = today - chrono::Days::new(3);
    let home = created(
        &app,
        admin,
        "/api/v1/admin/households",
        json!({"name": "Okafor, \"Ada\" & co"}),
    )
    .await;
    let payment = created(
        &app,
        admin,
        "/api/v1/admin/payments",
        json!({"household_id": home["id"], "amount": 2500, "method": "cash",
               "reference": "@desk", "received_at": format!("{received}T08:00:00Z")}),
    )
    .await;
    created(
        &app,
        admin,
        "/api/v1/admin/refunds",
        json!({"household_id": home["id"], "amount": 400, "method": "cash",
               "reason": "Moving away"}),
    )
    .await;
    let (header, rows) = parse(
        &app.get_as("/api/v1/admin/exports/payments.csv", admin)
            .await,
    );
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        cell(&header, row, "payment_id"),
        payment["id"].as_str().unwrap()
    );
    assert_eq!(
        cell(&header, row, "receipt_number"),
        payment["receipt_number"]
    );
    assert_eq!(cell(&header, row, "household_name"), "Okafor, \"Ada\" & co");
    assert_eq!(cell(&header, row, "amount"), "2500");
    assert_eq!(cell(&header, row, "currency"), payment["currency"]);
    assert_eq!(cell(&header, row, "reference"), "'@desk");
    assert_eq!(cell(&header, row, "status"), "completed");

    // The settlement of the month by day: in, out, net.
    let month = today - chrono::Days::new(30);
    let (header, rows) = parse(
        &app.get_as(
            &format!("/api/v1/admin/exports/settlement.csv?from={month}&to={today}"),
            admin,
        )
        .await,
    );
    assert_eq!(
        header,
        [
            "local_date",
            "currency",
            "payments_count",
            "payments_total",
            "refunds_count",
            "refunds_total",
            "net_total"
        ]
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0][..2],
        [
            received.to_string(),
            payment["currency"].as_str().unwrap().to_string()
        ]
    );
    assert_eq!(rows[0][2..], ["1", "2500", "0", "0", "2500"]);
    assert_eq!(rows[1][0], today.to_string());
    assert_eq!(rows[1][2..], ["0", "0", "1", "400", "-400"]);

    // Attendance: the records of the events in the range.
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    app.state.clock.pin(at("2026-11-28 12:00:00"));
    let marks = format!(
        "/api/v1/admin/events/{}/attendance",
        event["id"].as_str().unwrap()
    );
    let body = json!({"records": [{"user_id": ann.user_id, "status": "present"}]});
    assert_eq!(
        app.call("PUT", &marks, Some(admin), Some(&body))
            .await
            .status,
        200
    );
    let (header, rows) = parse(
        &app.get_as(
            "/api/v1/admin/exports/attendance.csv?from=2026-11-28&to=2026-11-28",
            admin,
        )
        .await,
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(cell(&header, &rows[0], "event_title"), "Park clean-up");
    assert_eq!(cell(&header, &rows[0], "status"), "present");
    assert_eq!(cell(&header, &rows[0], "points_awarded"), "20");
    let (_, none) = parse(
        &app.get_as(
            "/api/v1/admin/exports/attendance.csv?from=2026-11-29",
            admin,
        )
        .await,
    );
    assert!(none.is_empty(), "only the events of the range");

    // Another organisation's files hold none of it.
    for file in ["ledger", "attendance", "payments", "settlement"] {
        let path = format!("/api/v1/admin/exports/{file}.csv?from=2026-01-01&to=2026-12-31");
        let (_, theirs) = parse(&app.get_as(&path, &world.admin_b.access).await);
        assert!(theirs.is_empty(), "{file}: {theirs:?}");
    }
}

async fn a_large_export_streams_every_row_once_in_order(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let tenant = &world.tenant_a;
    let user = &world.member_a.user_id;
    // 2,500 entries (three chunks), pairs of them sharing a second so that
    // the order falls back on the id across chunk boundaries.
    let mut conn = app.db.connect();
    let mut ids = Vec::new();
    for block in 0..5 {
        let values: Vec<String> = (0..500)
            .map(|i| {
                let n = block * 500 + i;
                let id = uuid::Uuid::now_v7().to_string();
                ids.push(id.clone());
                let when = at("2026-01-01 00:00:00") + chrono::Duration::seconds(n / 2);
                format!(
                    "('{id}', '{tenant}', '{user}', NULL, 1, {n}, 1, 'award', 'r', '{}')",
                    when.format("%Y-%m-%d %H:%M:%S")
                )
            })
            .collect();
        diesel::sql_query(format!(
            "INSERT INTO point_entries (id, tenant_id, user_id, household_id, amount, \
             balance_after, earned, kind, reason, created_at) VALUES {}",
            values.join(", ")
        ))
        .execute(&mut conn)
        .unwrap();
    }
    let (header, rows) = parse(&app.get_as("/api/v1/admin/exports/ledger.csv", admin).await);
    assert_eq!(rows.len(), 2500);
    let exported: Vec<&str> = rows.iter().map(|r| cell(&header, r, "entry_id")).collect();
    assert_eq!(
        exported.iter().collect::<HashSet<_>>().len(),
        2500,
        "no row twice"
    );
    let mut expected: Vec<(String, &str)> = rows
        .iter()
        .map(|r| {
            (
                cell(&header, r, "created_at").to_string(),
                cell(&header, r, "entry_id"),
            )
        })
        .collect();
    expected.sort();
    assert_eq!(
        expected.iter().map(|(_, id)| *id).collect::<Vec<_>>(),
        exported,
        "oldest first, then by id"
    );
    let written: HashSet<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(exported.into_iter().collect::<HashSet<_>>(), written);
}

async fn exports_refuse_bad_ranges_and_other_desks(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let res = app
        .get_as("/api/v1/admin/exports/ledger.csv?from=yesterday", admin)
        .await;
    assert_eq!(res.status, 400, "{}", String::from_utf8_lossy(&res.body));
    let res = app
        .get_as("/api/v1/admin/exports/payments.csv?since=2026-01-01", admin)
        .await;
    assert_eq!(res.status, 400, "unknown parameters are refused");
    app.get_as(
        "/api/v1/admin/exports/settlement.csv?from=2025-01-01&to=2026-06-01",
        admin,
    )
    .await
    .assert_problem(422, "validation_failed");
    // A cashier exports payments, not the ledger or the settlement.
    let cashier = app.staff("tenant-a", "cashier@a.example", "payments").await;
    assert_eq!(
        app.get_as("/api/v1/admin/exports/payments.csv", &cashier.access)
            .await
            .status,
        200
    );
    for file in ["ledger", "settlement", "attendance"] {
        app.get_as(
            &format!("/api/v1/admin/exports/{file}.csv"),
            &cashier.access,
        )
        .await
        .assert_problem(403, "forbidden");
    }
}

backend_tests!(
    each_export_is_a_csv_file_a_spreadsheet_opens_safely,
    a_large_export_streams_every_row_once_in_order,
    exports_refuse_bad_ranges_and_other_desks,
);
