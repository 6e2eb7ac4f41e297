//! The outbox: every change tells its event in its own transaction, with the
//! resource exactly as the API returned it; a change that fails tells
//! nothing; integrators page through the events to catch up.

use diesel::RunQueryDsl;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::events::{at, clean_up, create_event};
use crate::helpers::{TestApp, TestBackend, count, created, spawn_app};
use crate::rewards::create_reward;

/// The tenant's events of `event_type`, newest first (one page of 100).
async fn events(app: &TestApp, admin: &str, event_type: &str) -> Vec<Value> {
    let res = app
        .get_as(
            &format!("/api/v1/admin/webhook-events?type={event_type}&limit=100"),
            admin,
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    res.json()["data"].as_array().unwrap().clone()
}

/// The one event of `event_type` about the resource `id`.
async fn event_about(app: &TestApp, admin: &str, event_type: &str, id: &Value) -> Value {
    let found: Vec<Value> = events(app, admin, event_type)
        .await
        .into_iter()
        .filter(|e| &e["data"]["id"] == id)
        .collect();
    assert_eq!(found.len(), 1, "{event_type} events about {id}: {found:?}");
    found[0].clone()
}

async fn every_change_tells_its_event_with_the_resource_as_the_api_returns_it(
    backend: TestBackend,
) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let (admin, member) = (world.admin_a.access.as_str(), &world.member_a);
    // Points: awards, reversals and adjustments, each its entry.
    let award =
        |amount: i64| json!({"user_id": member.user_id, "amount": amount, "reason": "Drop-off"});
    let kept = created(&app, admin, "/api/v1/admin/points/awards", award(50)).await;
    let undone = created(&app, admin, "/api/v1/admin/points/awards", award(10)).await;
    let reversal = created(
        &app,
        admin,
        &format!(
            "/api/v1/admin/points/entries/{}/reverse",
            undone["id"].as_str().unwrap()
        ),
        json!({"reason": "Counted twice"}),
    )
    .await;
    let adjustment = created(
        &app,
        admin,
        "/api/v1/admin/points/adjustments",
        json!({"user_id": member.user_id, "amount": -5, "reason": "Broken bottle"}),
    )
    .await;
    let told = event_about(&app, admin, "points.awarded", &kept["id"]).await;
    assert_eq!(told["data"], kept);
    assert_eq!(told["type"], "points.awarded");
    assert_eq!(told["tenant"], json!(world.tenant_a));
    assert_eq!(events(&app, admin, "points.awarded").await.len(), 2);
    let told = event_about(&app, admin, "points.reversed", &reversal["id"]).await;
    assert_eq!(told["data"], reversal);
    let told = event_about(&app, admin, "points.adjusted", &adjustment["id"]).await;
    assert_eq!(told["data"], adjustment);

    // Redemptions: as admins see them, never with the member's claim code.
    let reward = create_reward(&app, admin, json!({"name": "Mug", "cost_points": 20})).await;
    let redeem = format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    );
    let redemption = app.call("POST", &redeem, Some(&member.access), None).await;
    assert_eq!(redemption.status, 201);
    let redemption = redemption.json();
    assert!(redemption["claim_code"].is_string());
    let told = event_about(&app, admin, "redemption.created", &redemption["id"]).await;
    assert_eq!(told["data"]["status"], "pending");
    assert_eq!(told["data"]["claim_code"], Value::Null);
    let fulfilled = created(
        &app,
        admin,
        &format!(
            "/api/v1/admin/redemptions/{}/fulfill",
            redemption["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    let told = event_about(&app, admin, "redemption.fulfilled", &redemption["id"]).await;
    assert_eq!(told["data"], fulfilled);
    // Spending is told as the redemption, not as a points event.
    assert_eq!(events(&app, admin, "points.adjusted").await.len(), 1);

    // Households: joining, and leaving as the member stood in the household.
    let home = created(
        &app,
        admin,
        "/api/v1/admin/households",
        json!({"name": "Okafors"}),
    )
    .await;
    let home_path = format!("/api/v1/admin/households/{}", home["id"].as_str().unwrap());
    created(
        &app,
        admin,
        &format!("{home_path}/members"),
        json!({"user_id": member.user_id}),
    )
    .await;
    let user = json!(member.user_id);
    let joined = event_about(&app, admin, "member.joined", &user).await;
    assert_eq!(
        joined["data"],
        app.get_as(&format!("/api/v1/admin/users/{}", member.user_id), admin)
            .await
            .json()
    );
    assert_eq!(joined["data"]["household_id"], home["id"]);

    // Money: a charge, a payment equal to its GET, and its void.
    let charge = created(
        &app,
        admin,
        "/api/v1/admin/charges",
        json!({"household_id": home["id"], "description": "Dues", "amount": 1500,
               "due_date": "2026-12-15"}),
    )
    .await;
    let told = event_about(&app, admin, "charge.issued", &charge["id"]).await;
    assert_eq!(told["data"], charge);
    let payment = created(
        &app,
        admin,
        "/api/v1/admin/payments",
        json!({"household_id": home["id"], "amount": 2000, "method": "cash"}),
    )
    .await;
    let payment_path = format!("/api/v1/admin/payments/{}", payment["id"].as_str().unwrap());
    let told = event_about(&app, admin, "payment.recorded", &payment["id"]).await;
    assert_eq!(told["data"], app.get_as(&payment_path, admin).await.json());
    let refund = created(
        &app,
        admin,
        "/api/v1/admin/refunds",
        json!({"household_id": home["id"], "amount": 500, "method": "cash",
               "reason": "Moving away"}),
    )
    .await;
    let told = event_about(&app, admin, "refund.issued", &refund["id"]).await;
    assert_eq!(told["data"], refund);
    let void = json!({"reason": "Entered by mistake"});
    let refund_path = format!("/api/v1/admin/refunds/{}", refund["id"].as_str().unwrap());
    let voided = created(&app, admin, &format!("{refund_path}/void"), void.clone()).await;
    let told = event_about(&app, admin, "refund.voided", &refund["id"]).await;
    assert_eq!(told["data"], voided);
    let voided = created(&app, admin, &format!("{payment_path}/void"), void.clone()).await;
    let told = event_about(&app, admin, "payment.voided", &payment["id"]).await;
    assert_eq!(told["data"], voided);
    assert_eq!(told["data"], app.get_as(&payment_path, admin).await.json());
    let charge_path = format!("/api/v1/admin/charges/{}", charge["id"].as_str().unwrap());
    let voided = created(&app, admin, &format!("{charge_path}/void"), void).await;
    let told = event_about(&app, admin, "charge.voided", &charge["id"]).await;
    assert_eq!(told["data"], voided);

    // Leaving: the member as they were, in the household they left.
    let res = app
        .call(
            "DELETE",
            &format!("{home_path}/members/{}", member.user_id),
            Some(admin),
            None,
        )
        .await;
    assert_eq!(res.status, 204);
    let left = event_about(&app, admin, "member.left", &user).await;
    assert_eq!(left["data"]["household_id"], home["id"]);

    // Another organisation's admin sees none of it; a member may not look.
    let theirs = app
        .get_as("/api/v1/admin/webhook-events", &world.admin_b.access)
        .await;
    assert_eq!(theirs.json()["data"], json!([]));
    app.get_as("/api/v1/admin/webhook-events", &member.access)
        .await
        .assert_problem(403, "forbidden");
}

async fn attendance_is_recorded_then_corrected(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    app.state.clock.pin(at("2026-11-28 12:00:00"));
    let marks = format!(
        "/api/v1/admin/events/{}/attendance",
        event["id"].as_str().unwrap()
    );
    let mark =
        |status: &str| json!({"records": [{"user_id": world.member_a.user_id, "status": status}]});
    let put = |body: Value| {
        let (app, marks) = (&app, marks.clone());
        async move {
            let res = app.call("PUT", &marks, Some(admin), Some(&body)).await;
            assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
            res.json()
        }
    };
    let first = put(mark("absent")).await;
    let record = first["records"][0].clone();
    let told = event_about(&app, admin, "attendance.recorded", &record["id"]).await;
    assert_eq!(told["data"], record);
    let second = put(mark("present")).await;
    let corrected = second["records"][0].clone();
    let told = event_about(&app, admin, "attendance.corrected", &record["id"]).await;
    assert_eq!(told["data"], corrected);
    // Its points are an award like any other.
    let awarded = events(&app, admin, "points.awarded").await;
    assert_eq!(awarded.len(), 1);
    assert_eq!(awarded[0]["data"]["kind"], "attendance");
    // Marking the same status again changes nothing and tells nothing.
    put(mark("present")).await;
    assert_eq!(events(&app, admin, "attendance.corrected").await.len(), 1);
}

async fn a_change_that_fails_tells_nothing(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    // A batch with one refused item awards nobody.
    let res = app
        .post_as(
            "/api/v1/admin/points/awards/batch",
            admin,
            &json!({"items": [
                {"user_id": world.member_a.user_id, "amount": 10, "reason": "ok"},
                {"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "amount": 10, "reason": "nobody"},
            ]}),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    // A redemption the member cannot afford is neither made nor told.
    let reward = create_reward(&app, admin, json!({"name": "Bike", "cost_points": 500})).await;
    let redeem = format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    );
    app.call("POST", &redeem, Some(&world.member_a.access), None)
        .await
        .assert_problem(409, "insufficient_points");
    // A payment for a household of another organisation is refused.
    let theirs = created(
        &app,
        &world.admin_b.access,
        "/api/v1/admin/households",
        json!({"name": "Elsewhere"}),
    )
    .await;
    let res = app
        .post_as(
            "/api/v1/admin/payments",
            admin,
            &json!({"household_id": theirs["id"], "amount": 100, "method": "cash"}),
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM webhook_events"), 0);
}

async fn events_page_newest_first_filtered_by_type_and_time(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let mut ids = Vec::new();
    for amount in [1, 2, 3] {
        let entry = created(
            &app,
            admin,
            "/api/v1/admin/points/awards",
            json!({"user_id": world.member_a.user_id, "amount": amount, "reason": "r"}),
        )
        .await;
        ids.push(entry["id"].clone());
    }
    let first = app
        .get_as("/api/v1/admin/webhook-events?limit=2", admin)
        .await
        .json();
    let data: Vec<Value> = first["data"].as_array().unwrap().clone();
    assert_eq!(
        data.iter()
            .map(|e| e["data"]["id"].clone())
            .collect::<Vec<_>>(),
        vec![ids[2].clone(), ids[1].clone()]
    );
    let cursor = first["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(
            &format!("/api/v1/admin/webhook-events?limit=2&cursor={cursor}"),
            admin,
        )
        .await
        .json();
    assert_eq!(rest["data"][0]["data"]["id"], ids[0]);
    assert_eq!(rest["next_cursor"], Value::Null);
    // Nothing has happened since tomorrow, and no payment at all.
    let later = app
        .get_as("/api/v1/admin/webhook-events?from=2999-01-01", admin)
        .await;
    assert_eq!(later.json()["data"], json!([]));
    assert_eq!(
        events(&app, admin, "payment.recorded").await,
        Vec::<Value>::new()
    );
    // A type Hearth does not tell is a 400 naming it, not an empty page.
    let res = app
        .get_as("/api/v1/admin/webhook-events?type=points.stolen", admin)
        .await;
    assert_eq!(res.status, 400, "{}", String::from_utf8_lossy(&res.body));
}

async fn events_past_their_retention_are_purged(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    for amount in [1, 2] {
        created(
            &app,
            admin,
            "/api/v1/admin/points/awards",
            json!({"user_id": world.member_a.user_id, "amount": amount, "reason": "r"}),
        )
        .await;
    }
    let mut conn = app.db.connect();
    diesel::sql_query(
        "UPDATE webhook_events SET created_at = '2026-10-01 00:00:00' \
         WHERE data LIKE '%\"amount\":1,%'",
    )
    .execute(&mut conn)
    .unwrap();
    let now = at("2026-11-28 12:00:00");
    assert_eq!(hearth::outbox::purge(&mut conn, now, 90).unwrap(), 0);
    assert_eq!(hearth::outbox::purge(&mut conn, now, 30).unwrap(), 1);
    let left = events(&app, admin, "points.awarded").await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["data"]["amount"], 2);
}

backend_tests!(
    events_past_their_retention_are_purged,
    every_change_tells_its_event_with_the_resource_as_the_api_returns_it,
    attendance_is_recorded_then_corrected,
    a_change_that_fails_tells_nothing,
    events_page_newest_first_filtered_by_type_and_time,
);
