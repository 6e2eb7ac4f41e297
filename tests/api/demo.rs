//! `hearth demo`: the published accounts sign in and find points, rewards,
//! events and dues to look at.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestBackend, spawn_app};

async fn the_demo_tenant_has_something_in_every_area(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let seeded = hearth::tools::demo::seed(&app.state.db)
        .await
        .expect("seed");
    assert_eq!(seeded.join_codes.len(), 3);

    let [admin, ann, bob, cara] =
        hearth::tools::demo::ACCOUNTS.map(|(email, _, password, _, _)| {
            let app = &app;
            async move {
                app.login(hearth::tools::demo::TENANT, email, password)
                    .await
            }
        });
    let (admin, ann, bob, cara) = (admin.await, ann.await, bob.await, cara.await);
    let mut seen = Vec::new();
    for member in [&ann, &bob, &cara] {
        seen.push(app.get_as("/api/v1/me", &member.access).await.json()["points_balance"].clone());
    }
    // Ann: 2.5 kg PET × 10 + 40 − a 20-point bag + 20 for the repair café;
    // Bob: 3.2 kg glass × 5 + 40 − 6 − a 45-point compost bin;
    // Cara: 4 kg cardboard × 3 + 15 + 10 for coming late.
    assert_eq!(seen, [65, 5, 37]);
    let rules = app
        .get_as("/api/v1/admin/point-rules", &admin.access)
        .await
        .json();
    assert_eq!(rules["data"].as_array().unwrap().len(), 3);
    let board = app
        .get_as("/api/v1/leaderboards/members", &cara.access)
        .await
        .json();
    assert_eq!(board["data"][0]["display_name"], "Ann Member");
    assert_eq!(board["me"]["rank"], 3);
    let history = app
        .get_as("/api/v1/points/entries", &bob.access)
        .await
        .json();
    assert_eq!(history["data"].as_array().unwrap().len(), 4);

    let offered = app.get_as("/api/v1/rewards", &ann.access).await.json();
    let mut names: Vec<&str> = offered["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["Cinema ticket", "Compost bin", "Reusable shopping bag"],
        "the bike repair voucher is not available yet"
    );
    let catalogue = app
        .get_as("/api/v1/admin/rewards", &admin.access)
        .await
        .json();
    // Created in one transaction, so look them up by name rather than order.
    let mut counts: Vec<(&str, Value)> = catalogue["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), r["redemptions"].clone()))
        .collect();
    counts.sort_unstable_by_key(|(name, _)| *name);
    let none = json!({"pending": 0, "fulfilled": 0, "cancelled": 0, "rejected": 0});
    let one = |status: &str| {
        let mut counts = none.clone();
        counts[status] = json!(1);
        counts
    };
    assert_eq!(
        counts,
        [
            ("Bike repair voucher", none.clone()),
            ("Cinema ticket", none.clone()),
            ("Compost bin", one("pending")),
            ("Reusable shopping bag", one("fulfilled")),
        ]
    );
    let bobs = app.get_as("/api/v1/redemptions", &bob.access).await.json();
    assert_eq!(bobs["data"].as_array().unwrap().len(), 1);
    assert_eq!(bobs["data"][0]["status"], "pending");
    assert_eq!(bobs["data"][0]["reward_name"], "Compost bin");
    assert!(bobs["data"][0]["claim_code"].is_string());
    let anns = app.get_as("/api/v1/redemptions", &ann.access).await.json();
    assert_eq!(anns["data"][0]["status"], "fulfilled");

    let events = app.get_as("/api/v1/events", &cara.access).await.json();
    let titles: Vec<&str> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Park clean-up", "Recycling workshop"]);
    let attended = app.get_as("/api/v1/attendance", &cara.access).await.json();
    assert_eq!(attended["data"][0]["status"], "late");

    let paid_up = app
        .get_as("/api/v1/households/mine/statement", &ann.access)
        .await
        .json();
    assert_eq!(
        (paid_up["balance_due"].clone(), paid_up["credit"].clone()),
        (json!(0), json!(0))
    );
    let part = app
        .get_as("/api/v1/households/mine/statement", &cara.access)
        .await
        .json();
    assert_eq!(part["balance_due"], 1500);
    let payments = app
        .get_as("/api/v1/admin/payments", &admin.access)
        .await
        .json();
    assert_eq!(payments["data"].as_array().unwrap().len(), 3);
    // A disabled endpoint waits for a receiver; nothing is queued for it.
    let hooks = app
        .get_as("/api/v1/admin/webhooks", &admin.access)
        .await
        .json();
    assert_eq!(hooks["data"][0]["id"], seeded.webhook.0.as_str());
    assert_eq!(hooks["data"][0]["enabled"], false);
    assert!(seeded.webhook.1.starts_with("whsec_"));
    assert_eq!(
        crate::helpers::count(&app, "SELECT COUNT(*) AS n FROM webhook_deliveries"),
        0
    );
    let refunds = app
        .get_as("/api/v1/admin/refunds", &admin.access)
        .await
        .json();
    assert_eq!(refunds["data"][0]["amount"], 2500);
    assert_eq!(refunds["data"][0]["receipt_number"], "R-000004");
    let schedules = app
        .get_as("/api/v1/admin/charge-schedules", &admin.access)
        .await
        .json();
    let fee = &schedules["data"][0];
    assert_eq!(
        (&fee["frequency"], &fee["status"]),
        (&json!("monthly"), &json!("active"))
    );
    assert!(
        fee["anchor_date"].as_str().unwrap().ends_with("-01"),
        "the first of a month: {fee}"
    );
    let tenant = app.get_as("/api/v1/tenant", &ann.access).await.json();
    assert_eq!(
        tenant["timezone"], "Europe/Berlin",
        "the demo is not in UTC"
    );

    // People: the Millers' children with badge cards, staff at their desks,
    // and the class the workshop is for.
    let millers = app
        .get_as("/api/v1/households/mine", &ann.access)
        .await
        .json();
    let children: Vec<&str> = millers["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "dependant")
        .map(|m| m["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["Leo Miller", "Maya Miller"]);
    assert_eq!(seeded.badges.len(), 2);
    let [collector, door] = hearth::tools::demo::STAFF.map(|(email, _, password, _)| {
        let app = &app;
        async move {
            app.login(hearth::tools::demo::TENANT, email, password)
                .await
        }
    });
    let (collector, door) = (collector.await, door.await);
    assert_eq!(
        app.get_as("/api/v1/admin/point-rules", &collector.access)
            .await
            .status,
        200
    );
    app.get_as("/api/v1/admin/events", &collector.access)
        .await
        .assert_problem(403, "forbidden");
    let desk = app
        .get_as("/api/v1/admin/events", &door.access)
        .await
        .json();
    let workshop = desk["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Recycling workshop")
        .unwrap();
    assert_eq!(workshop["group_ids"].as_array().unwrap().len(), 1);
    let summary = format!(
        "/api/v1/admin/events/{}/attendance/summary",
        workshop["id"].as_str().unwrap()
    );
    let summary = app.get_as(&summary, &door.access).await.json();
    assert_eq!(summary["not_recorded"], 2, "the class, not the tenant");

    let again = hearth::tools::demo::seed(&app.state.db).await.unwrap_err();
    assert_eq!(
        again.code().as_str(),
        "conflict",
        "the demo is created once"
    );
}

backend_tests!(the_demo_tenant_has_something_in_every_area);
