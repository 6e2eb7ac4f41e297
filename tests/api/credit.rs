//! Credit always meets open charges: whenever a household holds credit and
//! owes on a charge, the credit pays it in the same transaction, whatever
//! movement (a charge, a payment, a refund or a void of any) left them side
//! by side.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, World, spawn_app};

struct Books<'a> {
    app: &'a TestApp,
    admin: &'a str,
    household: String,
}

impl Books<'_> {
    async fn post(&self, path: &str, body: Value) -> crate::helpers::TestResponse {
        self.app.post_as(path, self.admin, &body).await
    }

    async fn charge(&self, amount: i64, due: &str) -> String {
        let res = self
            .post(
                "/api/v1/admin/charges",
                json!({"household_id": self.household, "description": "Dues", "amount": amount,
                       "due_date": due}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        res.json()["id"].as_str().unwrap().to_string()
    }

    async fn pay(&self, amount: i64, charge_ids: Option<Vec<String>>) -> String {
        let mut body = json!({"household_id": self.household, "amount": amount, "method": "cash"});
        if let Some(ids) = charge_ids {
            body["charge_ids"] = json!(ids);
        }
        let res = self.post("/api/v1/admin/payments", body).await;
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        res.json()["id"].as_str().unwrap().to_string()
    }

    async fn void(&self, what: &str, id: &str) -> u16 {
        self.post(
            &format!("/api/v1/admin/{what}/{id}/void"),
            json!({"reason": "Test"}),
        )
        .await
        .status
        .as_u16()
    }

    async fn statement(&self) -> Value {
        let res = self
            .app
            .get_as(
                &format!("/api/v1/admin/households/{}/statement", self.household),
                self.admin,
            )
            .await;
        assert_eq!(res.status, 200);
        res.json()
    }
}

async fn books(app: &TestApp, admin: &str) -> String {
    let res = app
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": "Garcias"}),
        )
        .await;
    res.json()["id"].as_str().unwrap().to_string()
}

async fn a_voided_charge_turns_into_credit_that_pays_the_next_one(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let books = Books {
        app: &app,
        admin: &admin_a.access,
        household: books(&app, &admin_a.access).await,
    };
    let first = books.charge(2000, "2026-11-01").await;
    books.pay(2000, None).await;
    books.charge(4480, "2026-12-01").await;
    assert_eq!(books.void("charges", &first).await, 200);
    let statement = books.statement().await;
    assert_eq!(statement["credit"], 0, "{statement}");
    assert_eq!(
        statement["balance_due"], 2480,
        "the 2,000 paid the December charge"
    );

    // A payment for one named charge pays the others with what is left, and
    // keeps only the rest as credit.
    let january = books.charge(1000, "2027-01-01").await;
    books.charge(500, "2027-02-01").await;
    books.pay(5000, Some(vec![january])).await;
    let statement = books.statement().await;
    assert_eq!(
        (
            statement["balance_due"].as_i64(),
            statement["credit"].as_i64()
        ),
        (Some(0), Some(5000 - 1000 - 2480 - 500)),
        "{statement}"
    );
}

/// A small deterministic generator (xorshift), so a failing sequence repeats.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

async fn any_sequence_of_money_movements_leaves_no_credit_beside_a_debt(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let books = Books {
        app: &app,
        admin: &admin_a.access,
        household: books(&app, &admin_a.access).await,
    };
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let (mut charges, mut payments, mut refunds) = (Vec::new(), Vec::new(), Vec::new());
    let (mut charged, mut paid, mut refunded) = (0i64, 0i64, 0i64);
    let mut amounts: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let mut receipts = Vec::new();
    let mut kinds_seen = std::collections::BTreeSet::new();
    for step in 0..200 {
        let before = books.statement().await;
        let due_before = before["balance_due"].as_i64().unwrap();
        let credit_before = before["credit"].as_i64().unwrap();
        match dice.roll(14) {
            0..=2 => {
                let amount = 100 * (1 + dice.roll(30) as i64);
                let due = format!("2026-{:02}-{:02}", 1 + dice.roll(12), 1 + dice.roll(28));
                let id = books.charge(amount, &due).await;
                amounts.insert(id.clone(), amount);
                charged += amount;
                charges.push(id);
                kinds_seen.insert("charge");
            }
            3..=6 => {
                // Now and then the household pays off all it owes and more,
                // so that credit (and refunds of it) come up.
                let amount = if dice.roll(3) == 0 {
                    due_before + 50 * (1 + dice.roll(20) as i64)
                } else {
                    50 * (1 + dice.roll(40) as i64)
                };
                let named = (!charges.is_empty() && dice.roll(3) == 0)
                    .then(|| vec![charges[dice.roll(charges.len() as u64) as usize].clone()]);
                let res = {
                    let mut body = json!({"household_id": books.household, "amount": amount, "method": "cash"});
                    if let Some(ids) = &named {
                        body["charge_ids"] = json!(ids);
                    }
                    books.post("/api/v1/admin/payments", body).await
                };
                // Naming a charge that is paid or void is refused (422), and changes nothing.
                if res.status == 201 {
                    let payment = res.json();
                    let id = payment["id"].as_str().unwrap().to_string();
                    receipts.push(payment["receipt_number"].as_str().unwrap().to_string());
                    amounts.insert(id.clone(), amount);
                    paid += amount;
                    payments.push(id);
                    kinds_seen.insert("payment");
                } else {
                    assert_eq!(res.status, 422, "step {step}");
                }
            }
            7 | 8 if !charges.is_empty() => {
                let id = charges.remove(dice.roll(charges.len() as u64) as usize);
                assert_eq!(books.void("charges", &id).await, 200, "step {step}");
                charged -= amounts[&id];
                kinds_seen.insert("charge void");
            }
            9 | 10 => {
                // Mostly within the credit, sometimes beyond it.
                let amount = if credit_before > 0 && dice.roll(4) != 0 {
                    1 + dice.roll(credit_before as u64) as i64
                } else {
                    credit_before + 50
                };
                let body = json!({"household_id": books.household, "amount": amount,
                                  "method": "cash", "reason": "Paid back"});
                let res = books.post("/api/v1/admin/refunds", body).await;
                if amount <= credit_before {
                    assert_eq!(res.status, 201, "step {step}: {amount} of {credit_before}");
                    let refund = res.json();
                    let id = refund["id"].as_str().unwrap().to_string();
                    receipts.push(refund["receipt_number"].as_str().unwrap().to_string());
                    amounts.insert(id.clone(), amount);
                    refunded += amount;
                    refunds.push(id);
                    kinds_seen.insert("refund");
                } else {
                    res.assert_problem(409, "insufficient_credit");
                }
            }
            11 if !refunds.is_empty() => {
                let id = refunds.remove(dice.roll(refunds.len() as u64) as usize);
                assert_eq!(books.void("refunds", &id).await, 200, "step {step}");
                refunded -= amounts[&id];
                kinds_seen.insert("refund void");
            }
            _ if !payments.is_empty() => {
                let at = dice.roll(payments.len() as u64) as usize;
                // A payment whose credit a standing refund paid out is refused.
                match books.void("payments", &payments[at]).await {
                    200 => {
                        let id = payments.remove(at);
                        paid -= amounts[&id];
                        kinds_seen.insert("payment void");
                    }
                    status => assert_eq!(status, 409, "step {step}"),
                }
            }
            _ => {}
        }
        let statement = books.statement().await;
        let (due, credit) = (
            statement["balance_due"].as_i64().unwrap(),
            statement["credit"].as_i64().unwrap(),
        );
        assert!(
            credit == 0 || due == 0,
            "step {step}: credit {credit} beside {due} owed"
        );
        assert_eq!(
            due - credit,
            charged - paid + refunded,
            "step {step}: the books add up"
        );
    }
    assert_eq!(
        kinds_seen.len(),
        6,
        "every movement was tried: {kinds_seen:?}"
    );
    receipts.sort();
    let gapless: Vec<String> = (1..=receipts.len()).map(|n| format!("R-{n:06}")).collect();
    assert_eq!(
        receipts, gapless,
        "payments and refunds share one gapless sequence"
    );
}

backend_tests!(
    a_voided_charge_turns_into_credit_that_pays_the_next_one,
    any_sequence_of_money_movements_leaves_no_credit_beside_a_debt,
);
