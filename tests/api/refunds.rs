//! Refunds: credit goes back to a household, never more than it holds, with
//! a number from the receipt sequence; a void gives the credit back, and a
//! payment whose credit was paid out cannot be voided behind the refund.

use futures::future::join_all;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, TestResponse, World, spawn_app, spawn_crowd_app};

struct Books {
    admin: String,
    household: String,
}

impl Books {
    async fn new(app: &TestApp, world: &World) -> Self {
        let admin = world.admin_a.access.clone();
        let res = app
            .post_as(
                "/api/v1/admin/households",
                &admin,
                &json!({"name": "Okafors"}),
            )
            .await;
        assert_eq!(res.status, 201);
        let household = res.json()["id"].as_str().unwrap().to_string();
        Self { admin, household }
    }

    async fn post(&self, app: &TestApp, path: &str, body: Value) -> TestResponse {
        app.post_as(path, &self.admin, &body).await
    }

    async fn charge(&self, app: &TestApp, amount: i64) -> Value {
        let body = json!({"household_id": self.household, "description": "Dues", "amount": amount,
                          "due_date": "2026-12-15"});
        let res = self.post(app, "/api/v1/admin/charges", body).await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        res.json()
    }

    async fn pay(&self, app: &TestApp, amount: i64) -> Value {
        let body = json!({"household_id": self.household, "amount": amount, "method": "cash"});
        let res = self.post(app, "/api/v1/admin/payments", body).await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        res.json()
    }

    async fn refund(&self, app: &TestApp, amount: i64) -> TestResponse {
        let body = json!({"household_id": self.household, "amount": amount,
                          "method": "bank_transfer", "reference": "TRX-1", "reason": "Moving away"});
        self.post(app, "/api/v1/admin/refunds", body).await
    }

    async fn void(&self, app: &TestApp, what: &str, id: &Value) -> TestResponse {
        let path = format!("/api/v1/admin/{what}/{}/void", id.as_str().unwrap());
        self.post(app, &path, json!({"reason": "Entered by mistake"}))
            .await
    }

    async fn statement(&self, app: &TestApp) -> Value {
        let path = format!("/api/v1/admin/households/{}/statement", self.household);
        let res = app.get_as(&path, &self.admin).await;
        assert_eq!(res.status, 200);
        res.json()
    }

    async fn due_and_credit(&self, app: &TestApp) -> (i64, i64) {
        let s = self.statement(app).await;
        (
            s["balance_due"].as_i64().unwrap(),
            s["credit"].as_i64().unwrap(),
        )
    }
}

async fn a_refund_pays_credit_back_with_the_next_receipt_number(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let books = Books::new(&app, &world).await;
    books.charge(&app, 2000).await;
    let payment = books.pay(&app, 5000).await;
    assert_eq!(payment["receipt_number"], "R-000001");
    assert_eq!(books.due_and_credit(&app).await, (0, 3000));

    let res = books.refund(&app, 1000).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let refund = res.json();
    assert_eq!(
        refund["receipt_number"], "R-000002",
        "the payments' sequence"
    );
    assert_eq!(
        (
            &refund["amount"],
            &refund["status"],
            &refund["method"],
            &refund["currency"]
        ),
        (
            &json!(1000),
            &json!("completed"),
            &json!("bank_transfer"),
            &json!("EUR")
        )
    );
    assert_eq!(books.due_and_credit(&app).await, (0, 2000));

    books
        .refund(&app, 2001)
        .await
        .assert_problem(409, "insufficient_credit");
    assert_eq!(
        books.due_and_credit(&app).await,
        (0, 2000),
        "nothing written"
    );

    // The statement shows the money going out, and the books still add up.
    let statement = books.statement(&app).await;
    let last = statement["entries"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (
            &last["kind"],
            &last["description"],
            &last["amount"],
            &last["balance"]
        ),
        (
            &json!("refund"),
            &json!("R-000002"),
            &json!(1000),
            &json!(-2000)
        )
    );

    // The list, the single refund and the settlement summary agree.
    let list = app
        .get_as("/api/v1/admin/refunds", &books.admin)
        .await
        .json();
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(list["data"][0], refund);
    let id = refund["id"].as_str().unwrap();
    let one = app
        .get_as(&format!("/api/v1/admin/refunds/{id}"), &books.admin)
        .await;
    assert_eq!(one.json(), refund);
    let summary = app
        .get_as("/api/v1/admin/payments/summary", &books.admin)
        .await
        .json();
    assert_eq!(
        (
            &summary["total"],
            &summary["refunds_total"],
            &summary["net_total"]
        ),
        (&json!(5000), &json!(1000), &json!(4000)),
        "{summary}"
    );
    assert_eq!(summary["refunds_by_method"][0]["key"], "bank_transfer");
    assert_eq!(summary["net_by_day"][0]["amount"], 4000);
    assert_eq!(summary["net_by_day"][0]["count"], 2);

    // Audited with its reason.
    let audit = app
        .get_as(
            "/api/v1/admin/audit-events?action=refund.create",
            &books.admin,
        )
        .await
        .json();
    assert_eq!(audit["data"][0]["target_id"], refund["id"]);
    assert_eq!(audit["data"][0]["reason"], "Moving away");
}

async fn voiding_a_refund_gives_the_credit_back_to_open_charges(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let books = Books::new(&app, &world).await;
    let payment = books.pay(&app, 3000).await;
    let refund = books.refund(&app, 3000).await.json();
    assert_eq!(books.due_and_credit(&app).await, (0, 0));

    // The payment's money went back to the family: it cannot be voided
    // behind the refund's back.
    books
        .void(&app, "payments", &payment["id"])
        .await
        .assert_problem(409, "payment_refunded");

    books.charge(&app, 1200).await;
    assert_eq!(books.due_and_credit(&app).await, (1200, 0));
    let res = books.void(&app, "refunds", &refund["id"]).await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    let voided = res.json();
    assert_eq!(voided["status"], "void");
    assert_eq!(voided["void_reason"], "Entered by mistake");
    assert!(voided["voided_at"].is_string());
    assert_eq!(
        (
            &voided["receipt_number"],
            &voided["amount"],
            &voided["issued_at"]
        ),
        (
            &refund["receipt_number"],
            &refund["amount"],
            &refund["issued_at"]
        ),
        "a void changes nothing the refund said"
    );
    assert_eq!(
        books.due_and_credit(&app).await,
        (0, 1800),
        "the credit is back and paid the open charge at once"
    );
    books
        .void(&app, "refunds", &refund["id"])
        .await
        .assert_problem(409, "already_void");

    // With the refund void, the payment may be voided again.
    assert_eq!(
        books.void(&app, "payments", &payment["id"]).await.status,
        200
    );
    assert_eq!(books.due_and_credit(&app).await, (1200, 0));
}

async fn refunds_are_checked_and_kept_to_their_tenant(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let books = Books::new(&app, &world).await;
    books.pay(&app, 1000).await;
    let refund = books.refund(&app, 400).await.json();
    let id = refund["id"].as_str().unwrap();

    for (body, field) in [
        (json!({"amount": 0}), "amount"),
        (json!({"amount": 100_000_000_001_i64}), "amount"),
        (json!({"amount": -5}), "amount"),
        (json!({"reason": " "}), "reason"),
        (
            json!({"household_id": uuid::Uuid::now_v7().to_string()}),
            "household_id",
        ),
    ] {
        let mut full = json!({"household_id": books.household, "amount": 100, "method": "cash",
                              "reason": "Moving away"});
        for (k, v) in body.as_object().unwrap() {
            full[k] = v.clone();
        }
        let problem = books
            .post(&app, "/api/v1/admin/refunds", full)
            .await
            .assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let unknown = json!({"household_id": books.household, "amount": 100, "method": "cash",
                         "reason": "x", "status": "void"});
    books
        .post(&app, "/api/v1/admin/refunds", unknown)
        .await
        .assert_problem(400, "bad_request");

    // Another organisation's admin sees nothing and changes nothing.
    let other = &world.admin_b.access;
    app.get_as(&format!("/api/v1/admin/refunds/{id}"), other)
        .await
        .assert_problem(404, "not_found");
    app.post_as(
        &format!("/api/v1/admin/refunds/{id}/void"),
        other,
        &json!({"reason": "x"}),
    )
    .await
    .assert_problem(404, "not_found");
    let list = app.get_as("/api/v1/admin/refunds", other).await.json();
    assert_eq!(list["data"], json!([]));
    let refund_b = json!({"household_id": books.household, "amount": 100, "method": "cash",
                          "reason": "x"});
    let problem = app
        .post_as("/api/v1/admin/refunds", other, &refund_b)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "unknown_household");
    assert_eq!(books.due_and_credit(&app).await, (0, 600));
}

async fn a_retried_refund_with_one_key_pays_out_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let books = Books::new(&app, &world).await;
    books.pay(&app, 1000).await;
    let body = json!({"household_id": books.household, "amount": 700, "method": "cash",
                      "reason": "Moving away"});
    let send = || {
        app.send(
            actix_web::test::TestRequest::post()
                .uri("/api/v1/admin/refunds")
                .peer_addr(crate::helpers::default_peer())
                .insert_header(("authorization", format!("Bearer {}", books.admin)))
                .insert_header(("idempotency-key", "refund-700"))
                .set_json(&body),
        )
    };
    let (first, second) = (send().await, send().await);
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (201, 201));
    assert_eq!(first.body, second.body);
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(books.due_and_credit(&app).await, (0, 300));
}

async fn concurrent_refunds_never_pay_out_more_than_the_credit(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let world = app.world().await;
    let books = Books::new(&app, &world).await;
    books.pay(&app, 2000).await;
    books.pay(&app, 3000).await;
    let results = join_all((0..12).map(|_| books.refund(&app, 1000))).await;
    let mut numbers = Vec::new();
    for res in &results {
        match res.status.as_u16() {
            201 => numbers.push(res.json()["receipt_number"].as_str().unwrap().to_string()),
            409 => {
                res.assert_problem(409, "insufficient_credit");
            }
            other => panic!("{other}: {}", String::from_utf8_lossy(&res.body)),
        }
    }
    assert_eq!(numbers.len(), 5, "exactly the credit, no more");
    numbers.sort();
    let expected: Vec<String> = (3..=7).map(|n| format!("R-{n:06}")).collect();
    assert_eq!(numbers, expected, "gapless after the two payments");
    assert_eq!(books.due_and_credit(&app).await, (0, 0));
}

backend_tests!(
    a_refund_pays_credit_back_with_the_next_receipt_number,
    voiding_a_refund_gives_the_credit_back_to_open_charges,
    refunds_are_checked_and_kept_to_their_tenant,
    a_retried_refund_with_one_key_pays_out_once,
    concurrent_refunds_never_pay_out_more_than_the_credit,
);
