//! Receipts are documents: what a receipt said when it was issued, it says
//! next month, whatever was voided or renamed since.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, World, created, spawn_app};

/// A household with `member` in it, one charge and one payment (`pay`
/// fields added to the household's id): the payment and the charge.
async fn paid_household(
    app: &TestApp,
    admin: &str,
    member: &str,
    (name, charge): (&str, Value),
    pay: Value,
) -> (Value, Value) {
    let household = created(
        app,
        admin,
        "/api/v1/admin/households",
        json!({"name": name}),
    )
    .await;
    let household_id = household["id"].clone();
    created(
        app,
        admin,
        &format!(
            "/api/v1/admin/households/{}/members",
            household_id.as_str().unwrap()
        ),
        json!({"user_id": member}),
    )
    .await;
    let mut charge = charge;
    charge["household_id"] = household_id.clone();
    let charge = created(app, admin, "/api/v1/admin/charges", charge).await;
    let mut pay = pay;
    pay["household_id"] = household_id;
    let paid = created(app, admin, "/api/v1/admin/payments", pay).await;
    (paid, charge)
}

async fn a_receipt_reads_the_same_after_voids_and_renames(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    let admin = &admin_a.access;
    let (paid, charge) = paid_household(
        &app,
        admin,
        &member_a.user_id,
        (
            "The Smiths",
            json!({"description": "December dues", "amount": 1500, "due_date": "2026-12-01"}),
        ),
        json!({"amount": 2000, "method": "cash", "reference": "R-17"}),
    )
    .await;
    let household_id = paid["household_id"].as_str().unwrap();
    let path = format!("/api/v1/payments/{}/receipt", paid["id"].as_str().unwrap());
    let first = app.get_as(&path, &member_a.access).await;
    assert_eq!(first.status, 200);
    let first = first.json();
    assert_eq!(first["receipt_number"], "R-000001");
    assert_eq!(first["household_name"], "The Smiths");
    assert_eq!(first["status"], "completed");
    assert_eq!(first["voided_at"], Value::Null);
    assert_eq!(
        first["allocations"],
        json!([{"charge_id": charge["id"], "description": "December dues", "amount": 1500}])
    );
    assert_eq!(first["unapplied_amount"], 500);
    assert!(first["issued_at"].as_str().is_some());

    // Everything a receipt mentions changes or goes away.
    created(
        &app,
        admin,
        &format!(
            "/api/v1/admin/charges/{}/void",
            charge["id"].as_str().unwrap()
        ),
        json!({"reason": "Charged twice"}),
    )
    .await;
    let renamed = app
        .call(
            "PATCH",
            &format!("/api/v1/admin/households/{household_id}"),
            Some(admin),
            Some(&json!({"name": "The Smith-Joneses"})),
        )
        .await;
    assert_eq!(renamed.status, 200);
    let after_charge_void = app.get_as(&path, &member_a.access).await.json();
    assert_eq!(
        after_charge_void, first,
        "a voided charge changes nothing on the receipt"
    );
    created(
        &app,
        admin,
        &format!(
            "/api/v1/admin/payments/{}/void",
            paid["id"].as_str().unwrap()
        ),
        json!({"reason": "Counterfeit"}),
    )
    .await;
    let mut after = app.get_as(&path, &member_a.access).await.json();
    assert_eq!(after["status"], "void");
    assert_eq!(after["void_reason"], "Counterfeit");
    assert!(after["voided_at"].as_str().is_some());
    for field in ["status", "void_reason", "voided_at"] {
        after[field] = first[field].clone();
    }
    assert_eq!(
        serde_json::to_vec(&after).unwrap(),
        serde_json::to_vec(&first).unwrap(),
        "byte-identical apart from status, void_reason and voided_at"
    );
}

/// Payments recorded before receipts were stored: the receipt is derived from
/// the allocations the payment was given then (append-only), so a later void
/// still changes nothing on it.
async fn a_receipt_from_before_receipts_were_stored_still_shows_what_it_paid(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    let admin = &admin_a.access;
    let (paid, charge) = paid_household(
        &app,
        admin,
        &member_a.user_id,
        (
            "Lees",
            json!({"description": "Term fee", "amount": 800, "due_date": "2026-12-01"}),
        ),
        json!({"amount": 800, "method": "card"}),
    )
    .await;
    let stored = crate::helpers::count(
        &app,
        "SELECT COUNT(*) AS n FROM payments WHERE receipt IS NOT NULL",
    );
    assert_eq!(stored, 1, "a new payment stores its receipt");
    {
        use diesel::RunQueryDsl;
        let mut conn = app.db.connect();
        diesel::sql_query("UPDATE payments SET receipt = NULL")
            .execute(&mut conn)
            .unwrap();
    }
    created(
        &app,
        admin,
        &format!(
            "/api/v1/admin/charges/{}/void",
            charge["id"].as_str().unwrap()
        ),
        json!({"reason": "Waived"}),
    )
    .await;
    let path = format!("/api/v1/payments/{}/receipt", paid["id"].as_str().unwrap());
    let receipt = app.get_as(&path, &member_a.access).await.json();
    assert_eq!(
        receipt["allocations"],
        json!([{"charge_id": charge["id"], "description": "Term fee", "amount": 800}])
    );
    assert_eq!(receipt["unapplied_amount"], 0);
    assert_eq!(receipt["receipt_number"], "R-000001");
}

backend_tests!(
    a_receipt_reads_the_same_after_voids_and_renames,
    a_receipt_from_before_receipts_were_stored_still_shows_what_it_paid,
);
