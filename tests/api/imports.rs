//! Onboarding a roll: a thousand rows in one request, its dry run, a bad row
//! that names itself and writes nothing, a replay that creates nothing new,
//! and files that are not CSV at all.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, TestResponse, count, default_peer, spawn_app};

const PATH: &str = "/api/v1/admin/imports/households";

async fn upload(
    app: &TestApp,
    admin: &str,
    query: &str,
    csv: &[u8],
    key: Option<&str>,
) -> TestResponse {
    let mut req = actix_web::test::TestRequest::post()
        .uri(&format!("{PATH}{query}"))
        .peer_addr(default_peer())
        .insert_header(("authorization", format!("Bearer {admin}")))
        .insert_header(("content-type", "text/csv; charset=utf-8"))
        .set_payload(csv.to_vec());
    if let Some(key) = key {
        req = req.insert_header(("idempotency-key", key));
    }
    app.send(req).await
}

/// `n` rows: households of two, an adult who signs in and a child, half of
/// them in Class A and half in Class B.
fn roll(n: usize) -> String {
    let mut csv = String::from("Household Name,Address,Zone,Display Name,Email,Kind,Groups\n");
    for i in 0..n {
        let home = i / 2;
        let class = if home % 2 == 0 { "Class A" } else { "Class B" };
        if i % 2 == 0 {
            csv.push_str(&format!(
                "Family {home},\"{home} Elm St, North\",north,Parent {home},parent{home}@roll.example,member,{class}\n"
            ));
        } else {
            csv.push_str(&format!(
                "Family {home},,,Child {home},,dependant,{class}; Choir\n"
            ));
        }
    }
    csv
}

fn people(app: &TestApp) -> i64 {
    count(app, "SELECT COUNT(*) AS n FROM users")
}

async fn a_thousand_rows_import_in_one_request_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = &world.admin_a.access;
    let csv = roll(1000);
    let before = people(&app);

    let dry = upload(&app, admin, "?dry_run=true", csv.as_bytes(), None).await;
    assert_eq!(dry.status, 200, "{}", String::from_utf8_lossy(&dry.body));
    let dry = dry.json();
    assert_eq!(
        (
            &dry["dry_run"],
            &dry["rows"],
            &dry["households_created"],
            &dry["members_created"]
        ),
        (&json!(true), &json!(1000), &json!(500), &json!(500))
    );
    assert_eq!(people(&app), before, "a dry run writes nothing");

    let first = upload(&app, admin, "", csv.as_bytes(), Some("roll-2026")).await;
    assert_eq!(
        first.status,
        201,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let report = first.json();
    assert_eq!(
        (
            &report["dependants_created"],
            &report["groups_created"],
            &report["households_matched"]
        ),
        (&json!(500), &json!(3), &json!(0))
    );
    let logins = report["logins"].as_array().unwrap();
    assert_eq!(logins.len(), 500);
    assert_eq!(people(&app), before + 1000);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM households"), 500);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM group_members"),
        1000 + 500
    );
    let pending =
        "SELECT COUNT(*) AS n FROM users WHERE status = 'pending' AND password_hash IS NULL";
    assert_eq!(count(&app, pending), 500);

    // The replay shows the same codes and creates nothing.
    let replay = upload(&app, admin, "", csv.as_bytes(), Some("roll-2026")).await;
    assert_eq!(replay.status, 201);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.body, first.body);
    assert_eq!(people(&app), before + 1000);
    // Integrators hear of every person once, written with them.
    let joined = "SELECT COUNT(*) AS n FROM webhook_events WHERE type = 'member.joined'";
    assert_eq!(count(&app, joined), 1000);
    let code = logins[7]["reset_code"].as_str().unwrap();
    let stored =
        format!("SELECT COUNT(*) AS n FROM idempotency_keys WHERE response_body LIKE '%{code}%'");
    assert_eq!(count(&app, &stored), 0, "no code is stored in the clear");
    // The same file again without a key: every email is taken now.
    let again = upload(&app, admin, "", csv.as_bytes(), None)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(again["errors"][0]["code"], "email_taken");

    // A handed-out code sets the password and lets the parent in.
    let email = logins[7]["email"].as_str().unwrap();
    let reset = app
        .post_json(
            "/api/v1/auth/password-reset",
            &json!({"tenant": "tenant-a", "email": email, "code": code,
                    "new_password": "a roll call of kettles"}),
        )
        .await;
    assert_eq!(
        reset.status,
        204,
        "{}",
        String::from_utf8_lossy(&reset.body)
    );
    let parent = app.login("tenant-a", email, "a roll call of kettles").await;
    let home = app
        .get_as("/api/v1/households/mine", &parent.access)
        .await
        .json();
    assert_eq!(
        home["members"].as_array().unwrap().len(),
        2,
        "the parent and their child"
    );
}

async fn a_bad_row_names_itself_and_nothing_is_written(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = &world.admin_a.access;
    let mut lines: Vec<String> = roll(1000).lines().map(str::to_string).collect();
    // Data row 731 (line 732, after the header): a parent without a valid email.
    lines[731] = "Family 365,,,Parent 365,not an email,member,Class B".into();
    let csv = lines.join("\n") + "\n";
    let before = people(&app);

    let dry = upload(&app, admin, "?dry_run=true", csv.as_bytes(), None)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(dry["errors"].as_array().unwrap().len(), 1);
    assert_eq!(
        (
            &dry["errors"][0]["row"],
            &dry["errors"][0]["column"],
            &dry["errors"][0]["code"]
        ),
        (&json!(731), &json!("email"), &json!("invalid_format"))
    );
    let refused = upload(&app, admin, "", csv.as_bytes(), Some("bad-roll"))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(refused["errors"][0]["row"], 731);
    assert_eq!(people(&app), before);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM households"), 0);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM groups"), 0);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM webhook_events"), 0);

    // An existing email is a bad row too, found against the tenant.
    let taken = "household_name,display_name,email\nSmiths,Ann again,ANN@a.example\n";
    let report = upload(&app, admin, "?dry_run=true", taken.as_bytes(), None)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(report["errors"][0]["code"], "email_taken");
}

async fn files_that_are_not_a_roll_are_refused_with_their_row(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = &world.admin_a.access;
    let cases: [(&[u8], usize, &str); 4] = [
        (
            b"household_name,display_name,kind\nA,Ann,dependant\nB,Bob,dependant,x\n",
            2,
            "wrong_column_count",
        ),
        (
            b"household_name,display_name,kind\nA,Ren\xe9,dependant\n",
            1,
            "invalid_encoding",
        ),
        (b"household,display_name\nA,Ann\n", 0, "unknown_column"),
        (
            b"\xef\xbb\xbfhousehold_name,display_name,email\nA,\"Ann \"\"Q\",ann@q.example\n",
            0,
            "",
        ),
    ];
    for (csv, row, code) in cases {
        let res = upload(&app, admin, "?dry_run=true", csv, None).await;
        if code.is_empty() {
            assert_eq!(res.status, 200, "a BOM and doubled quotes are CSV");
            continue;
        }
        let report = res.assert_problem(422, "validation_failed");
        assert_eq!(
            (&report["errors"][0]["row"], &report["errors"][0]["code"]),
            (&json!(row), &json!(code))
        );
        upload(&app, admin, "", csv, None)
            .await
            .assert_problem(422, "validation_failed");
    }
    // A dry run needs no key, but a malformed one is refused like anywhere.
    let roll = b"household_name,display_name,kind\nA,Ann,dependant\n";
    upload(&app, admin, "?dry_run=true", roll, Some("two words"))
        .await
        .assert_problem(400, "bad_request");
    let json_body = app.post_as(PATH, admin, &json!({"rows": []})).await;
    json_body.assert_problem(415, "unsupported_media_type");
    let member = &world.member_a.access;
    upload(&app, member, "", b"household_name,display_name\n", None)
        .await
        .assert_problem(403, "forbidden");
}

async fn an_import_costs_the_same_statements_whatever_its_size(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = &world.admin_a.access;
    app.get_as("/api/v1/me", admin).await; // warm the session cache
    let mut statements = Vec::new();
    for (n, key) in [(10, "small"), (1000, "large")] {
        // Distinct emails per run: the second file's people are new too.
        let csv = roll(n).replace("@roll.example", &format!("@{key}.example"));
        let csv = csv.replace("Family ", &format!("Family {key} "));
        let before = app.queries.get();
        let res = upload(&app, admin, "", csv.as_bytes(), Some(key)).await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        statements.push(app.queries.get() - before);
    }
    // 1,000 rows of users fit one multi-row INSERT, as do their codes and
    // roster rows; only the 1,500 roster rows need a second.
    assert!(
        statements[1] <= statements[0] + 2,
        "10 rows took {} statements, 1,000 took {}",
        statements[0],
        statements[1]
    );
}

backend_tests!(
    an_import_costs_the_same_statements_whatever_its_size,
    a_thousand_rows_import_in_one_request_once,
    a_bad_row_names_itself_and_nothing_is_written,
    files_that_are_not_a_roll_are_refused_with_their_row,
);
