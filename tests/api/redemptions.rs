//! Redemptions: points turn into rewards without ever overselling, double
//! spending or refunding twice, whatever the timing.

use diesel::RunQueryDsl;
use futures::future::join_all;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, World, assert_balances_match_ledger, balance, spawn_app, spawn_crowd_app,
};
use crate::rewards::{create_reward, give_points};

fn redeem_path(reward: &Value) -> String {
    format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    )
}

async fn redeem(app: &TestApp, token: &str, reward: &Value) -> crate::helpers::TestResponse {
    app.call("POST", &redeem_path(reward), Some(token), None)
        .await
}

async fn stock(app: &TestApp, admin: &str, reward: &Value) -> Value {
    let path = format!("/api/v1/admin/rewards/{}", reward["id"].as_str().unwrap());
    app.get_as(&path, admin).await.json()["stock"].clone()
}

/// Sets when a redemption was made, to place it in an earlier period.
fn backdate(app: &TestApp, redemption: &str, at: chrono::NaiveDateTime) {
    let mut conn = app.db.connect();
    diesel::sql_query(format!(
        "UPDATE redemptions SET created_at = '{}' WHERE id = '{redemption}'",
        at.format("%Y-%m-%d %H:%M:%S")
    ))
    .execute(&mut conn)
    .unwrap();
}

async fn a_redemption_debits_takes_stock_and_shows_its_code_to_its_member_only(
    backend: TestBackend,
) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        ..
    } = app.world().await;
    give_points(&app, &admin_a.access, &member_a.user_id, 100).await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Cinema ticket", "cost_points": 30, "stock": 2}),
    )
    .await;

    let res = redeem(&app, &member_a.access, &reward).await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    let redemption = res.json();
    assert_eq!(redemption["status"], "pending");
    assert_eq!(redemption["cost_points"], 30);
    assert_eq!(redemption["reward_name"], "Cinema ticket");
    assert_eq!(redemption["user_id"], member_a.user_id.as_str());
    let code = redemption["claim_code"].as_str().unwrap();
    assert_eq!(code.len(), 14, "12 symbols in groups of four: {code}");
    assert!(
        code.chars()
            .all(|c| c == '-' || "ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(c))
    );
    assert_eq!(balance(&app, &member_a.access).await, 70);
    assert_eq!(stock(&app, &admin_a.access, &reward).await, 1);

    let entries = app
        .get_as("/api/v1/points/entries", &member_a.access)
        .await
        .json();
    let debit = &entries["data"][0];
    assert_eq!(debit["kind"], "redemption");
    assert_eq!(debit["amount"], -30);
    assert_eq!(debit["id"], redemption["debit_entry_id"]);
    assert_eq!(
        debit["source"],
        json!({"type": "redemption", "id": redemption["id"]})
    );

    let id = redemption["id"].as_str().unwrap();
    let own = app
        .get_as(&format!("/api/v1/redemptions/{id}"), &member_a.access)
        .await;
    assert_eq!(
        own.json(),
        redemption,
        "the member reads it back as created"
    );
    let mine = app
        .get_as("/api/v1/redemptions", &member_a.access)
        .await
        .json();
    assert_eq!(mine["data"][0], redemption);
    app.get_as(&format!("/api/v1/redemptions/{id}"), &other_member_a.access)
        .await
        .assert_problem(404, "not_found");
    let theirs = app
        .get_as("/api/v1/redemptions", &other_member_a.access)
        .await
        .json();
    assert_eq!(theirs["data"], json!([]));

    // Admins see everything about it except the code.
    let listed = app
        .get_as("/api/v1/admin/redemptions", &admin_a.access)
        .await;
    assert!(!String::from_utf8_lossy(&listed.body).contains(&code.replace('-', "")));
    assert!(!String::from_utf8_lossy(&listed.body).contains(code));
    let listed = listed.json();
    assert_eq!(listed["data"][0]["id"], id);
    assert_eq!(listed["data"][0]["claim_code"], Value::Null);
    let counts = app
        .get_as(
            &format!("/api/v1/admin/rewards/{}", reward["id"].as_str().unwrap()),
            &admin_a.access,
        )
        .await
        .json();
    assert_eq!(counts["redemptions"]["pending"], 1);
    assert_balances_match_ledger(&app);
}

async fn refusals_say_why_and_change_nothing(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    let admin = &admin_a.access;
    give_points(&app, admin, &member_a.user_id, 50).await;

    let dear = create_reward(&app, admin, json!({"name": "Dear", "cost_points": 80})).await;
    let problem = redeem(&app, &member_a.access, &dear)
        .await
        .assert_problem(409, "insufficient_points");
    assert_eq!(
        (problem["balance"].clone(), problem["needed"].clone()),
        (json!(50), json!(80))
    );

    let sold_out = create_reward(
        &app,
        admin,
        json!({"name": "Gone", "cost_points": 5, "stock": 0}),
    )
    .await;
    redeem(&app, &member_a.access, &sold_out)
        .await
        .assert_problem(409, "out_of_stock");

    let off = create_reward(
        &app,
        admin,
        json!({"name": "Off", "cost_points": 5, "active": false}),
    )
    .await;
    let problem = redeem(&app, &member_a.access, &off)
        .await
        .assert_problem(409, "reward_unavailable");
    assert_eq!(problem["reason"], "inactive");
    let early = create_reward(
        &app,
        admin,
        json!({"name": "Soon", "cost_points": 5, "available_from": "2099-01-01T00:00:00Z"}),
    )
    .await;
    let problem = redeem(&app, &member_a.access, &early)
        .await
        .assert_problem(409, "reward_unavailable");
    assert_eq!(problem["reason"], "not_yet_available");
    assert_eq!(problem["available_from"], "2099-01-01T00:00:00Z");
    let late = create_reward(
        &app,
        admin,
        json!({"name": "Past", "cost_points": 5, "available_until": "2020-01-01T00:00:00Z"}),
    )
    .await;
    let problem = redeem(&app, &member_a.access, &late)
        .await
        .assert_problem(409, "reward_unavailable");
    assert_eq!(problem["reason"], "no_longer_available");
    let archived = create_reward(
        &app,
        admin,
        json!({"name": "Archived", "cost_points": 5, "stock": 4}),
    )
    .await;
    let path = format!("/api/v1/admin/rewards/{}", archived["id"].as_str().unwrap());
    app.call("DELETE", &path, Some(admin), None).await;
    let problem = redeem(&app, &member_a.access, &archived)
        .await
        .assert_problem(409, "reward_unavailable");
    assert_eq!(problem["reason"], "archived");
    app.call(
        "POST",
        "/api/v1/rewards/not-a-uuid/redemptions",
        Some(&member_a.access),
        None,
    )
    .await
    .assert_problem(404, "not_found");
    let missing = json!({"id": uuid::Uuid::now_v7().to_string()});
    redeem(&app, &member_a.access, &missing)
        .await
        .assert_problem(404, "not_found");

    assert_eq!(balance(&app, &member_a.access).await, 50, "no points moved");
    assert_eq!(stock(&app, admin, &archived).await, 4, "no stock taken");
    let mine = app
        .get_as("/api/v1/redemptions", &member_a.access)
        .await
        .json();
    assert_eq!(mine["data"], json!([]), "no redemption written");
    assert_balances_match_ledger(&app);
}

async fn member_limits_count_the_current_utc_period(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    give_points(&app, &admin_a.access, &member_a.user_id, 100).await;
    let weekly = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Weekly", "cost_points": 10, "limit_per_member": 1, "limit_period": "week"}),
    )
    .await;
    let first = redeem(&app, &member_a.access, &weekly).await.json();
    let problem = redeem(&app, &member_a.access, &weekly)
        .await
        .assert_problem(409, "limit_reached");
    let now = hearth::clock::now();
    let week_start = hearth::calendar::Calendar::default().start(hearth::calendar::Span::Week, now);
    assert_eq!(problem["scope"], "member");
    assert_eq!(problem["limit"], 1);
    assert_eq!(problem["period"], "week");
    assert_eq!(
        problem["resets_at"],
        hearth::clock::rfc3339_string(
            hearth::calendar::Calendar::default().end(hearth::calendar::Span::Week, now)
        )
    );

    // A redemption at the very start of this week still counts...
    let first_id = first["id"].as_str().unwrap();
    backdate(&app, first_id, week_start);
    redeem(&app, &member_a.access, &weekly)
        .await
        .assert_problem(409, "limit_reached");
    // ...one a second before it does not.
    backdate(&app, first_id, week_start - chrono::Duration::seconds(1));
    let second = redeem(&app, &member_a.access, &weekly).await;
    assert_eq!(second.status, 201, "a new week, a new allowance");

    // Cancelled redemptions gave their points back and do not count.
    let second_id = second.json()["id"].as_str().unwrap().to_string();
    let res = app
        .call(
            "POST",
            &format!("/api/v1/redemptions/{second_id}/cancel"),
            Some(&member_a.access),
            None,
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(redeem(&app, &member_a.access, &weekly).await.status, 201);

    let forever = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Once", "cost_points": 10, "limit_per_member": 1}),
    )
    .await;
    assert_eq!(redeem(&app, &member_a.access, &forever).await.status, 201);
    let problem = redeem(&app, &member_a.access, &forever)
        .await
        .assert_problem(409, "limit_reached");
    assert_eq!(problem["period"], "none");
    assert!(
        problem.get("resets_at").is_none(),
        "an all-time limit never resets"
    );
    assert_eq!(balance(&app, &member_a.access).await, 70);
    assert_balances_match_ledger(&app);
}

async fn household_limits_count_every_member_of_the_household(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        tenant_a,
        ..
    } = app.world().await;
    let admin = &admin_a.access;
    let household = app
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": "The Smiths"}),
        )
        .await
        .json();
    let members_path = format!(
        "/api/v1/admin/households/{}/members",
        household["id"].as_str().unwrap()
    );
    for member in [&member_a, &other_member_a] {
        give_points(&app, admin, &member.user_id, 100).await;
        let res = app
            .post_as(&members_path, admin, &json!({"user_id": member.user_id}))
            .await;
        assert!(
            res.status.is_success(),
            "{}",
            String::from_utf8_lossy(&res.body)
        );
    }
    let monthly = create_reward(
        &app,
        admin,
        json!({"name": "Compost bin", "cost_points": 10, "limit_per_household": 1, "limit_period": "month"}),
    )
    .await;
    let first = redeem(&app, &member_a.access, &monthly).await.json();
    assert_eq!(first["household_id"], household["id"]);
    let problem = redeem(&app, &other_member_a.access, &monthly)
        .await
        .assert_problem(409, "limit_reached");
    assert_eq!(problem["scope"], "household");
    assert_eq!(
        problem["resets_at"],
        hearth::clock::rfc3339_string(
            hearth::calendar::Calendar::default()
                .end(hearth::calendar::Span::Month, hearth::clock::now())
        )
    );
    // A rejected redemption does not count either.
    let res = app
        .post_as(
            &format!(
                "/api/v1/admin/redemptions/{}/reject",
                first["id"].as_str().unwrap()
            ),
            admin,
            &json!({"reason": "Out of bins"}),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(
        redeem(&app, &other_member_a.access, &monthly).await.status,
        201
    );

    // Without a household a member is a household of one.
    let loner = app.members(&tenant_a, 1, 100).await.remove(0);
    assert_eq!(redeem(&app, &loner.access, &monthly).await.status, 201);
    let problem = redeem(&app, &loner.access, &monthly)
        .await
        .assert_problem(409, "limit_reached");
    assert_eq!(problem["scope"], "household");
    assert_balances_match_ledger(&app);
}

async fn cancelling_and_rejecting_refund_once_and_restore_stock(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        other_member_a,
        admin_b,
        ..
    } = app.world().await;
    let admin = &admin_a.access;
    give_points(&app, admin, &member_a.user_id, 100).await;
    let reward = create_reward(
        &app,
        admin,
        json!({"name": "Mug", "cost_points": 40, "stock": 5}),
    )
    .await;

    let first = redeem(&app, &member_a.access, &reward).await.json();
    let first_id = first["id"].as_str().unwrap();
    let cancel = format!("/api/v1/redemptions/{first_id}/cancel");
    app.call("POST", &cancel, Some(&other_member_a.access), None)
        .await
        .assert_problem(404, "not_found");
    let cancelled = app
        .call("POST", &cancel, Some(&member_a.access), None)
        .await;
    assert_eq!(cancelled.status, 200);
    let cancelled = cancelled.json();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["closed_by"], member_a.user_id.as_str());
    assert_eq!(
        cancelled["claim_code"],
        Value::Null,
        "a closed redemption's code is gone"
    );
    let refund_id = cancelled["refund_entry_id"].as_str().unwrap();
    let entries = app
        .get_as("/api/v1/points/entries", &member_a.access)
        .await
        .json();
    assert_eq!(entries["data"][0]["id"], refund_id);
    assert_eq!(entries["data"][0]["kind"], "refund");
    assert_eq!(entries["data"][0]["amount"], 40);
    assert_eq!(balance(&app, &member_a.access).await, 100);
    assert_eq!(stock(&app, admin, &reward).await, 5);
    let again = app
        .call("POST", &cancel, Some(&member_a.access), None)
        .await;
    assert_eq!(
        again.assert_problem(409, "redemption_not_pending")["current_status"],
        "cancelled"
    );
    app.post_as(
        &format!("/api/v1/admin/redemptions/{first_id}/reject"),
        admin,
        &json!({"reason": "x"}),
    )
    .await
    .assert_problem(409, "redemption_not_pending");
    // Its ledger entries follow the redemption, not the reversal route.
    app.post_as(
        &format!("/api/v1/admin/points/entries/{refund_id}/reverse"),
        admin,
        &json!({"reason": "try to pay twice"}),
    )
    .await
    .assert_problem(409, "not_reversible");

    let second = redeem(&app, &member_a.access, &reward).await.json();
    let second_id = second["id"].as_str().unwrap();
    let reject = format!("/api/v1/admin/redemptions/{second_id}/reject");
    app.post_as(&reject, &admin_b.access, &json!({"reason": "not yours"}))
        .await
        .assert_problem(404, "not_found");
    app.post_as(&reject, admin, &json!({"reason": "  "}))
        .await
        .assert_problem(422, "validation_failed");
    let rejected = app
        .post_as(&reject, admin, &json!({"reason": "Out of mugs"}))
        .await
        .json();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reason"], "Out of mugs");
    assert_eq!(rejected["closed_by"], admin_a.user_id.as_str());
    assert_eq!(balance(&app, &member_a.access).await, 100);
    assert_eq!(stock(&app, admin, &reward).await, 5);
    let fulfill = format!("/api/v1/admin/redemptions/{second_id}/fulfill");
    app.call("POST", &fulfill, Some(admin), None)
        .await
        .assert_problem(409, "redemption_not_pending");

    let third = redeem(&app, &member_a.access, &reward).await.json();
    let third_id = third["id"].as_str().unwrap();
    let fulfill = format!("/api/v1/admin/redemptions/{third_id}/fulfill");
    let fulfilled = app.call("POST", &fulfill, Some(admin), None).await.json();
    assert_eq!(fulfilled["status"], "fulfilled");
    assert_eq!(fulfilled["refund_entry_id"], Value::Null);
    app.call("POST", &fulfill, Some(admin), None)
        .await
        .assert_problem(409, "redemption_not_pending");
    app.call(
        "POST",
        &format!("/api/v1/redemptions/{third_id}/cancel"),
        Some(&member_a.access),
        None,
    )
    .await
    .assert_problem(409, "redemption_not_pending");
    assert_eq!(balance(&app, &member_a.access).await, 60);
    assert_eq!(stock(&app, admin, &reward).await, 4);

    let audit = app
        .get_as("/api/v1/admin/audit-events?limit=100", admin)
        .await
        .json();
    let mut actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target_type"] == "redemption")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "redemption.cancel",
            "redemption.create",
            "redemption.create",
            "redemption.create",
            "redemption.fulfill",
            "redemption.reject"
        ]
    );
    assert_balances_match_ledger(&app);
}

async fn claim_codes_fulfil_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a,
        member_a,
        admin_b,
        ..
    } = app.world().await;
    give_points(&app, &admin_a.access, &member_a.user_id, 100).await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Tote", "cost_points": 10}),
    )
    .await;
    let redemption = redeem(&app, &member_a.access, &reward).await.json();
    let code = redemption["claim_code"].as_str().unwrap();
    let typed = code.replace('-', " ").to_lowercase();

    // Another organisation's counter can neither see it nor use it.
    let id = redemption["id"].as_str().unwrap();
    app.call(
        "POST",
        &format!("/api/v1/admin/redemptions/{id}/fulfill"),
        Some(&admin_b.access),
        None,
    )
    .await
    .assert_problem(404, "not_found");
    let theirs = app
        .get_as("/api/v1/admin/redemptions", &admin_b.access)
        .await
        .json();
    assert_eq!(theirs["data"], json!([]));
    app.post_as(
        "/api/v1/admin/redemptions/claim",
        &admin_b.access,
        &json!({"claim_code": code}),
    )
    .await
    .assert_problem(422, "invalid_code");
    app.post_as(
        "/api/v1/admin/redemptions/claim",
        &admin_a.access,
        &json!({"claim_code": "ABCD-EFGH-JKMN"}),
    )
    .await
    .assert_problem(422, "invalid_code");
    let claimed = app
        .post_as(
            "/api/v1/admin/redemptions/claim",
            &admin_a.access,
            &json!({"claim_code": typed}),
        )
        .await;
    assert_eq!(
        claimed.status,
        200,
        "{}",
        String::from_utf8_lossy(&claimed.body)
    );
    let claimed = claimed.json();
    assert_eq!(claimed["id"], redemption["id"]);
    assert_eq!(claimed["status"], "fulfilled");
    assert_eq!(claimed["claim_code"], Value::Null);
    let again = app
        .post_as(
            "/api/v1/admin/redemptions/claim",
            &admin_a.access,
            &json!({"claim_code": code}),
        )
        .await;
    assert_eq!(
        again.assert_problem(409, "redemption_not_pending")["current_status"],
        "fulfilled"
    );
    let mine = app
        .get_as(
            &format!("/api/v1/redemptions/{}", redemption["id"].as_str().unwrap()),
            &member_a.access,
        )
        .await
        .json();
    assert_eq!(
        mine["claim_code"],
        Value::Null,
        "a used code is shown to nobody"
    );
}

async fn a_retried_redemption_with_one_key_buys_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    // Points and stock for one: the retry's own attempt would be refused,
    // and it must still answer with the first's redemption.
    give_points(&app, &admin_a.access, &member_a.user_id, 10).await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Seeds", "cost_points": 10, "stock": 1}),
    )
    .await;
    let send = || {
        app.send(
            actix_web::test::TestRequest::post()
                .uri(&redeem_path(&reward))
                .peer_addr(crate::helpers::default_peer())
                .insert_header(("authorization", format!("Bearer {}", member_a.access)))
                .insert_header(("idempotency-key", "redeem-seeds-1")),
        )
    };
    let first = send().await;
    let second = send().await;
    assert_eq!((first.status.as_u16(), second.status.as_u16()), (201, 201));
    assert_eq!(
        first.body, second.body,
        "the same redemption, the same claim code"
    );
    assert_eq!(second.header("idempotent-replayed"), Some("true"));
    assert_eq!(balance(&app, &member_a.access).await, 0);
}

async fn two_hundred_members_race_for_fifty_units(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = app.world().await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Concert ticket", "cost_points": 30, "stock": 50}),
    )
    .await;
    let crowd = app.members(&tenant_a, 200, 100).await;
    let results = join_all(crowd.iter().map(|m| redeem(&app, &m.access, &reward))).await;
    let mut won = 0;
    for res in &results {
        match res.status.as_u16() {
            201 => won += 1,
            _ => {
                res.assert_problem(409, "out_of_stock");
            }
        }
    }
    assert_eq!(won, 50, "exactly the stock is sold");
    assert_eq!(stock(&app, &admin_a.access, &reward).await, 0);
    let listed = app
        .get_as(
            &format!("/api/v1/admin/rewards/{}", reward["id"].as_str().unwrap()),
            &admin_a.access,
        )
        .await
        .json();
    assert_eq!(listed["redemptions"]["pending"], 50);
    let mut spent = 0;
    for member in &crowd {
        spent += 100 - balance(&app, &member.access).await;
    }
    assert_eq!(spent, 50 * 30, "only the winners paid");
    assert_balances_match_ledger(&app);
}

async fn one_member_with_points_for_one_fires_ten(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = app.world().await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Pizza", "cost_points": 25}),
    )
    .await;
    let member = app.members(&tenant_a, 1, 25).await.remove(0);
    let results = join_all((0..10).map(|_| redeem(&app, &member.access, &reward))).await;
    let won = results.iter().filter(|r| r.status == 201).count();
    for res in results.iter().filter(|r| r.status != 201) {
        res.assert_problem(409, "insufficient_points");
    }
    assert_eq!(won, 1, "points for one buy one");
    assert_eq!(balance(&app, &member.access).await, 0);
    assert_balances_match_ledger(&app);
}

async fn racing_cancels_and_rejections_refund_exactly_once(backend: TestBackend) {
    let app = spawn_crowd_app(backend).await;
    let World {
        admin_a, tenant_a, ..
    } = app.world().await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Lamp", "cost_points": 10, "stock": 20}),
    )
    .await;
    let member = app.members(&tenant_a, 1, 100).await.remove(0);
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(
            redeem(&app, &member.access, &reward).await.json()["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert_eq!(balance(&app, &member.access).await, 0);
    let reason = json!({"reason": "raced"});
    let attempts = ids.iter().flat_map(|id| {
        let cancel = format!("/api/v1/redemptions/{id}/cancel");
        let reject = format!("/api/v1/admin/redemptions/{id}/reject");
        let (app, member, admin, reason) = (&app, &member, &admin_a, &reason);
        [
            Box::pin(async move { app.call("POST", &cancel, Some(&member.access), None).await })
                as std::pin::Pin<Box<dyn std::future::Future<Output = _>>>,
            Box::pin(async move { app.post_as(&reject, &admin.access, reason).await }),
            Box::pin(async move {
                let again = format!("/api/v1/redemptions/{id}/cancel");
                app.call("POST", &again, Some(&member.access), None).await
            }),
        ]
    });
    let results = join_all(attempts).await;
    for (id, trio) in ids.iter().zip(results.chunks(3)) {
        let wins = trio.iter().filter(|r| r.status == 200).count();
        assert_eq!(wins, 1, "redemption {id}: exactly one transition wins");
        for loser in trio.iter().filter(|r| r.status != 200) {
            loser.assert_problem(409, "redemption_not_pending");
        }
    }
    assert_eq!(
        balance(&app, &member.access).await,
        100,
        "each refunded exactly once"
    );
    assert_eq!(
        stock(&app, &admin_a.access, &reward).await,
        20,
        "each unit back once"
    );
    assert_balances_match_ledger(&app);
}

backend_tests!(
    a_redemption_debits_takes_stock_and_shows_its_code_to_its_member_only,
    refusals_say_why_and_change_nothing,
    member_limits_count_the_current_utc_period,
    household_limits_count_every_member_of_the_household,
    cancelling_and_rejecting_refund_once_and_restore_stock,
    claim_codes_fulfil_once,
    a_retried_redemption_with_one_key_buys_once,
    two_hundred_members_race_for_fifty_units,
    one_member_with_points_for_one_fires_ten,
    racing_cancels_and_rejections_refund_exactly_once,
);
