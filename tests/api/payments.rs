//! Payments: every amount adds up, every correction is a visible void, and a
//! retried request never records a payment twice.

use diesel::RunQueryDsl;
use futures::future::join_all;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, World, award_at, spawn_app, spawn_crowd_app};

struct Money {
    admin: String,
    household: String,
}

impl Money {
    async fn charge(&self, app: &TestApp, amount: i64, due: &str) -> Value {
        let res = app
            .post_as(
                "/api/v1/admin/charges",
                &self.admin,
                &json!({"household_id": self.household, "description": format!("Dues {due}"),
                        "amount": amount, "due_date": due}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        res.json()
    }

    async fn pay(&self, app: &TestApp, body: Value) -> crate::helpers::TestResponse {
        let mut body = body;
        body["household_id"] = json!(self.household);
        if body.get("method").is_none() {
            body["method"] = json!("cash");
        }
        app.post_as("/api/v1/admin/payments", &self.admin, &body)
            .await
    }

    async fn charge_state(&self, app: &TestApp, id: &Value) -> (i64, String) {
        let page = app
            .get_as(
                &format!(
                    "/api/v1/admin/charges?household_id={}&limit=100",
                    self.household
                ),
                &self.admin,
            )
            .await
            .json();
        let charge = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| &c["id"] == id)
            .unwrap()
            .clone();
        (
            charge["amount_paid"].as_i64().unwrap(),
            charge["status"].as_str().unwrap().to_string(),
        )
    }

    async fn statement(&self, app: &TestApp) -> Value {
        app.get_as(
            &format!("/api/v1/admin/households/{}/statement", self.household),
            &self.admin,
        )
        .await
        .json()
    }
}

/// A household in tenant A with the world's member in it.
async fn setup(app: &TestApp, world: &World) -> Money {
    let admin = world.admin_a.access.clone();
    let household = app
        .post_as(
            "/api/v1/admin/households",
            &admin,
            &json!({"name": "The Smiths"}),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app
        .post_as(
            &format!("/api/v1/admin/households/{household}/members"),
            &admin,
            &json!({"user_id": world.member_a.user_id}),
        )
        .await;
    assert!(res.status.is_success());
    Money { admin, household }
}

/// Allocations in a stable order, to compare.
fn by_charge(allocations: &Value) -> Vec<Value> {
    let mut list = allocations.as_array().unwrap().clone();
    list.sort_by_key(|a| a["charge_id"].as_str().unwrap().to_string());
    list
}

/// The statement's running balance equals charges minus payments at every
/// line, and ends at what is due minus the credit.
fn assert_statement_adds_up(statement: &Value) {
    let mut running = statement["opening_balance"].as_i64().unwrap();
    for line in statement["entries"].as_array().unwrap() {
        running += line["amount"].as_i64().unwrap();
        assert_eq!(line["balance"].as_i64().unwrap(), running, "{line}");
    }
    assert_eq!(
        running,
        statement["balance_due"].as_i64().unwrap() - statement["credit"].as_i64().unwrap()
    );
}

async fn payments_fill_the_oldest_charges_first_and_the_rest_is_credit(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    let later = money.charge(&app, 3000, "2026-12-31").await;
    let sooner = money.charge(&app, 2000, "2026-12-01").await;

    let first = money
        .pay(
            &app,
            json!({"amount": 2500, "method": "bank_transfer", "reference": "TRX-1"}),
        )
        .await;
    assert_eq!(
        first.status,
        201,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    let first = first.json();
    assert_eq!(first["receipt_number"], "R-000001");
    assert_eq!(first["currency"], "EUR");
    assert_eq!(
        by_charge(&first["allocations"]),
        by_charge(
            &json!([{"charge_id": sooner["id"], "amount": 2000}, {"charge_id": later["id"], "amount": 500}])
        ),
        "the charge due sooner is paid first"
    );
    assert_eq!(first["unapplied_amount"], 0);
    assert_eq!(
        money.charge_state(&app, &sooner["id"]).await,
        (2000, "paid".into())
    );
    assert_eq!(
        money.charge_state(&app, &later["id"]).await,
        (500, "partially_paid".into())
    );

    // Overpayment: the rest is credit, used by the next charge at once.
    let second = money.pay(&app, json!({"amount": 4000})).await.json();
    assert_eq!(second["receipt_number"], "R-000002");
    assert_eq!(second["unapplied_amount"], 1500);
    let mine = app
        .get_as("/api/v1/households/mine", &world.member_a.access)
        .await
        .json();
    assert_eq!(
        (mine["balance_due"].clone(), mine["credit"].clone()),
        (json!(0), json!(1500))
    );
    let next = money.charge(&app, 1000, "2027-01-31").await;
    assert_eq!(
        next["amount_paid"], 1000,
        "credit pays a new charge at once"
    );
    assert_eq!(next["status"], "paid");
    let statement = money.statement(&app).await;
    assert_eq!(
        (
            statement["balance_due"].clone(),
            statement["credit"].clone()
        ),
        (json!(0), json!(500))
    );
    assert_statement_adds_up(&statement);

    // Named charges are paid in the order given.
    let a = money.charge(&app, 700, "2027-02-28").await; // 500 of credit applied
    let b = money.charge(&app, 900, "2027-01-15").await;
    let paid = money
        .pay(
            &app,
            json!({"amount": 1000, "charge_ids": [a["id"], b["id"]]}),
        )
        .await
        .json();
    assert_eq!(
        money.charge_state(&app, &a["id"]).await,
        (700, "paid".into())
    );
    assert_eq!(
        money.charge_state(&app, &b["id"]).await,
        (800, "partially_paid".into())
    );
    assert_eq!(paid["unapplied_amount"], 0);
    let problem = money
        .pay(
            &app,
            json!({"amount": 10, "charge_ids": [a["id"], uuid::Uuid::now_v7().to_string()]}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["charge_ids[0]", "charge_ids[1]"]);
    assert_statement_adds_up(&money.statement(&app).await);
}

async fn voids_reverse_exactly_what_they_touched(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    let c1 = money.charge(&app, 1000, "2026-12-01").await;
    let c2 = money.charge(&app, 1000, "2026-12-15").await;
    let c3 = money.charge(&app, 1000, "2026-12-31").await;
    let p1 = money.pay(&app, json!({"amount": 1500})).await.json();
    let p2 = money.pay(&app, json!({"amount": 1000})).await.json();
    // p1: c1 1000, c2 500; p2: c2 500, c3 500.
    let void = |path: String| {
        let (app, admin) = (&app, money.admin.clone());
        async move {
            app.post_as(&path, &admin, &json!({"reason": "Bounced"}))
                .await
        }
    };
    let voided = void(format!(
        "/api/v1/admin/payments/{}/void",
        p1["id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(
        voided.status,
        200,
        "{}",
        String::from_utf8_lossy(&voided.body)
    );
    let voided = voided.json();
    assert_eq!(voided["status"], "void");
    assert_eq!(voided["allocations"], json!([]));
    assert_eq!(
        money.charge_state(&app, &c1["id"]).await,
        (0, "open".into())
    );
    assert_eq!(
        money.charge_state(&app, &c2["id"]).await,
        (500, "partially_paid".into())
    );
    assert_eq!(
        money.charge_state(&app, &c3["id"]).await,
        (500, "partially_paid".into()),
        "untouched"
    );
    void(format!(
        "/api/v1/admin/payments/{}/void",
        p1["id"].as_str().unwrap()
    ))
    .await
    .assert_problem(409, "already_void");

    // Voiding a charge turns what was paid on it into credit, which pays the
    // oldest open charge at once (c1): never credit beside a debt.
    let res = void(format!(
        "/api/v1/admin/charges/{}/void",
        c3["id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["status"], "void");
    let statement = money.statement(&app).await;
    assert_eq!(statement["credit"], 0);
    assert_eq!(statement["balance_due"], 1000 + 500 - 500);
    assert_eq!(
        money.charge_state(&app, &c1["id"]).await,
        (500, "partially_paid".into())
    );
    assert_statement_adds_up(&statement);
    void(format!(
        "/api/v1/admin/charges/{}/void",
        c3["id"].as_str().unwrap()
    ))
    .await
    .assert_problem(409, "already_void");
    let p2_now = app
        .get_as(
            &format!("/api/v1/admin/payments/{}", p2["id"].as_str().unwrap()),
            &money.admin,
        )
        .await
        .json();
    assert_eq!(p2_now["unapplied_amount"], 0);
    assert_eq!(
        p2_now["allocations"].as_array().unwrap().len(),
        2,
        "c2 and, from its credit, c1: {p2_now}"
    );
    // Voiding p2 now withdraws everything it paid, the credit it gave c1 too.
    void(format!(
        "/api/v1/admin/payments/{}/void",
        p2["id"].as_str().unwrap()
    ))
    .await;
    let statement = money.statement(&app).await;
    assert_eq!(
        (
            statement["balance_due"].clone(),
            statement["credit"].clone()
        ),
        (json!(2000), json!(0))
    );
    assert_statement_adds_up(&statement);
    let kinds: Vec<&str> = statement["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "payment_void").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "charge_void").count(), 1);

    // Allocations are append-only in the database itself.
    let mut conn = app.db.connect();
    for statement in [
        "UPDATE payment_allocations SET amount = 1",
        "DELETE FROM payment_allocations",
    ] {
        let result = diesel::sql_query(statement).execute(&mut conn);
        assert!(
            format!("{result:?}").contains("append-only"),
            "{statement}: {result:?}"
        );
    }
    let audit = app
        .get_as(
            "/api/v1/admin/audit-events?action=payment.void",
            &money.admin,
        )
        .await
        .json();
    assert_eq!(audit["data"].as_array().unwrap().len(), 2);
}

async fn bad_payments_are_refused(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    for amount in [json!(0), json!(-5), json!(100_000_000_001_i64)] {
        let problem = money
            .pay(&app, json!({"amount": amount}))
            .await
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "amount", "{amount}");
    }
    for body in [
        json!({"amount": 12.5}),
        json!({"amount": "100"}),
        json!({"amount": 100, "method": "cheque"}),
        json!({"amount": 100, "surprise": true}),
    ] {
        money
            .pay(&app, body)
            .await
            .assert_problem(400, "bad_request");
    }
    let problem = money
        .pay(
            &app,
            json!({"amount": 100, "received_at": "2099-01-01T00:00:00Z"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "in_future");
    let problem = app
        .post_as(
            "/api/v1/admin/payments",
            &money.admin,
            &json!({"household_id": uuid::Uuid::now_v7().to_string(), "amount": 100, "method": "cash"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "unknown_household");
    let statement = money.statement(&app).await;
    assert_eq!(statement["entries"], json!([]), "nothing recorded");
    // A refused payment does not use up a receipt number.
    let ok = money.pay(&app, json!({"amount": 100})).await.json();
    assert_eq!(ok["receipt_number"], "R-000001");
}

async fn a_retried_payment_with_one_key_is_recorded_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    let body = json!({"household_id": money.household, "amount": 1200, "method": "card"});
    let send = || {
        app.send(
            actix_web::test::TestRequest::post()
                .uri("/api/v1/admin/payments")
                .peer_addr(crate::helpers::default_peer())
                .insert_header(("authorization", format!("Bearer {}", money.admin)))
                .insert_header(("idempotency-key", "pay-1200-card"))
                .set_json(&body),
        )
    };
    let (first, second) = (send().await, send().await);
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (201, 201));
    assert_eq!(first.body, second.body);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    let list = app
        .get_as("/api/v1/admin/payments", &money.admin)
        .await
        .json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
}

async fn twenty_concurrent_payments_never_over_allocate(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    let charge = money.charge(&app, 5000, "2026-12-01").await;
    let results = join_all((0..20).map(|_| money.pay(&app, json!({"amount": 700})))).await;
    let mut receipts: Vec<String> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", String::from_utf8_lossy(&r.body));
            r.json()["receipt_number"].as_str().unwrap().to_string()
        })
        .collect();
    receipts.sort();
    let expected: Vec<String> = (1..=20).map(|n| format!("R-{n:06}")).collect();
    assert_eq!(receipts, expected, "gapless, no duplicates");
    assert_eq!(
        money.charge_state(&app, &charge["id"]).await,
        (5000, "paid".into())
    );
    let statement = money.statement(&app).await;
    assert_eq!(statement["credit"], 20 * 700 - 5000);
    assert_statement_adds_up(&statement);
}

async fn members_see_their_own_household_only_and_summaries_add_up(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    money.charge(&app, 3000, "2026-12-01").await;
    let paid = money
        .pay(&app, json!({"amount": 1000, "method": "cash"}))
        .await
        .json();
    let card = money
        .pay(&app, json!({"amount": 500, "method": "card"}))
        .await
        .json();
    app.post_as(
        &format!(
            "/api/v1/admin/payments/{}/void",
            card["id"].as_str().unwrap()
        ),
        &money.admin,
        &json!({"reason": "Duplicate"}),
    )
    .await;

    let mine = app
        .get_as("/api/v1/households/mine/statement", &world.member_a.access)
        .await
        .json();
    assert_eq!(
        mine,
        money.statement(&app).await,
        "the member sees what the admin sees"
    );
    assert_eq!(mine["balance_due"], 2000);
    assert_statement_adds_up(&mine);
    let receipt = app
        .get_as(
            &format!("/api/v1/payments/{}/receipt", paid["id"].as_str().unwrap()),
            &world.member_a.access,
        )
        .await;
    assert_eq!(receipt.status, 200);
    let receipt = receipt.json();
    assert_eq!(receipt["receipt_number"], "R-000001");
    assert_eq!(receipt["household_name"], "The Smiths");
    // Bob is in no household: no statement, no receipt.
    app.get_as(
        "/api/v1/households/mine/statement",
        &world.other_member_a.access,
    )
    .await
    .assert_problem(404, "no_household");
    app.get_as(
        &format!("/api/v1/payments/{}/receipt", paid["id"].as_str().unwrap()),
        &world.other_member_a.access,
    )
    .await
    .assert_problem(404, "not_found");
    // Another organisation's admin sees none of it.
    for path in [
        format!("/api/v1/admin/payments/{}", paid["id"].as_str().unwrap()),
        format!("/api/v1/admin/households/{}/statement", money.household),
    ] {
        app.get_as(&path, &world.admin_b.access)
            .await
            .assert_problem(404, "not_found");
    }
    app.post_as(
        &format!(
            "/api/v1/admin/payments/{}/void",
            paid["id"].as_str().unwrap()
        ),
        &world.admin_b.access,
        &json!({"reason": "x"}),
    )
    .await
    .assert_problem(404, "not_found");
    app.post_as(
        "/api/v1/admin/charges",
        &world.admin_b.access,
        &json!({"household_id": money.household, "description": "x", "amount": 1, "due_date": "2026-12-01"}),
    )
    .await
    .assert_problem(422, "validation_failed");

    let summary = app
        .get_as(
            "/api/v1/admin/payments/summary?from=2000-01-01T00:00:00Z&to=2000-12-01T00:00:00Z",
            &money.admin,
        )
        .await
        .json();
    assert_eq!(summary["count"], 0);
    let backwards =
        "/api/v1/admin/payments/summary?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z";
    let problem = app
        .get_as(backwards, &money.admin)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "to");
    let now = hearth::clock::now();
    let from = hearth::clock::rfc3339_string(now - chrono::Duration::days(1));
    let to = hearth::clock::rfc3339_string(now + chrono::Duration::days(1));
    let summary = app
        .get_as(
            &format!("/api/v1/admin/payments/summary?from={from}&to={to}"),
            &money.admin,
        )
        .await
        .json();
    assert_eq!(
        (summary["count"].clone(), summary["total"].clone()),
        (json!(1), json!(1000))
    );
    assert_eq!(
        (
            summary["voided_count"].clone(),
            summary["voided_total"].clone()
        ),
        (json!(1), json!(500))
    );
    assert_eq!(
        summary["by_method"],
        json!([{"key": "cash", "count": 1, "amount": 1000}])
    );
    assert_eq!(summary["by_day"][0]["amount"], 1000);
    let theirs = app
        .get_as("/api/v1/admin/payments/summary", &world.admin_b.access)
        .await
        .json();
    assert_eq!(theirs["count"], 0);

    // A household that owes money cannot be archived.
    let problem = app
        .call(
            "DELETE",
            &format!("/api/v1/admin/households/{}", money.household),
            Some(&money.admin),
            None,
        )
        .await
        .assert_problem(409, "household_has_balance");
    assert_eq!(problem["balance_due"], 2000);
}

async fn batch_charges_reach_every_active_household(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    let other = app
        .post_as(
            "/api/v1/admin/households",
            &money.admin,
            &json!({"name": "The Joneses"}),
        )
        .await
        .json();
    let archived = app
        .post_as(
            "/api/v1/admin/households",
            &money.admin,
            &json!({"name": "Gone"}),
        )
        .await
        .json();
    let gone = format!(
        "/api/v1/admin/households/{}",
        archived["id"].as_str().unwrap()
    );
    assert_eq!(
        app.call("DELETE", &gone, Some(&money.admin), None)
            .await
            .status,
        204
    );
    let batch = app
        .post_as(
            "/api/v1/admin/charges/batch",
            &money.admin,
            &json!({"all_active": true, "description": "Winter dues", "amount": 1500, "due_date": "2026-12-31"}),
        )
        .await;
    assert_eq!(
        batch.status,
        201,
        "{}",
        String::from_utf8_lossy(&batch.body)
    );
    let charged: Vec<Value> = batch.json()["charges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["household_id"].clone())
        .collect();
    assert_eq!(charged, [json!(money.household), other["id"].clone()]);
    let problem = app
        .post_as(
            "/api/v1/admin/charges/batch",
            &money.admin,
            &json!({"household_ids": [other["id"], archived["id"], uuid::Uuid::now_v7().to_string()],
                    "description": "Extra", "amount": 100, "due_date": "2026-12-31"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    let codes: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["archived", "unknown_household"]);
    let count = app
        .get_as(
            &format!(
                "/api/v1/admin/charges?household_id={}",
                other["id"].as_str().unwrap()
            ),
            &money.admin,
        )
        .await
        .json();
    assert_eq!(count["data"].as_array().unwrap().len(), 1, "all or nothing");
    app.post_as(
        "/api/v1/admin/charges/batch",
        &money.admin,
        &json!({"description": "Neither", "amount": 100, "due_date": "2026-12-31"}),
    )
    .await
    .assert_problem(422, "validation_failed");
}

/// One household statement: the money, and beside it each member's points
/// balance and what they earned in the statement's range.
async fn the_household_statement_shows_points_beside_money(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let money = setup(&app, &world).await;
    money.charge(&app, 1200, "2026-12-01").await;
    award_at(&app, &world.member_a.user_id, 15, "2026-10-15 10:00:00");
    award_at(&app, &world.member_a.user_id, 25, "2026-11-15 10:00:00");
    let november = app
        .get_as(
            &format!(
                "/api/v1/admin/households/{}/statement?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z",
                money.household
            ),
            &money.admin,
        )
        .await;
    assert_eq!(
        november.status,
        200,
        "{}",
        String::from_utf8_lossy(&november.body)
    );
    let points = &november.json()["points"];
    assert_eq!(
        points["members"],
        json!([{"user_id": world.member_a.user_id, "display_name": points["members"][0]["display_name"],
                "balance": 40, "earned": 25}])
    );
    assert_eq!(
        (points["balance"].as_i64(), points["earned"].as_i64()),
        (Some(40), Some(25))
    );
    let mine = app
        .get_as("/api/v1/households/mine/statement", &world.member_a.access)
        .await
        .json();
    assert_eq!(mine["points"]["earned"], 40, "all time without a range");
    assert_eq!(mine["balance_due"], 1200, "the money side is unchanged");
}

backend_tests!(
    the_household_statement_shows_points_beside_money,
    payments_fill_the_oldest_charges_first_and_the_rest_is_credit,
    voids_reverse_exactly_what_they_touched,
    bad_payments_are_refused,
    a_retried_payment_with_one_key_is_recorded_once,
    twenty_concurrent_payments_never_over_allocate,
    members_see_their_own_household_only_and_summaries_add_up,
    batch_charges_reach_every_active_household,
);
