//! The reward catalogue: what admins manage, what members are offered, and
//! who may see or touch which reward.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, World, second_instance, spawn_app, spawn_app_with};

/// Creates a reward as `admin` (asserting success); returns its body.
pub async fn create_reward(app: &TestApp, admin: &str, body: Value) -> Value {
    let res = app.post_as("/api/v1/admin/rewards", admin, &body).await;
    assert_eq!(
        res.status,
        201,
        "create reward: {}",
        String::from_utf8_lossy(&res.body)
    );
    res.json()
}

/// Gives `user_id` `amount` points through an admin adjustment.
pub async fn give_points(app: &TestApp, admin: &str, user_id: &str, amount: i64) {
    let res = app
        .post_as(
            "/api/v1/admin/points/adjustments",
            admin,
            &json!({"user_id": user_id, "amount": amount, "reason": "starting points"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
}

fn ids(page: &Value) -> Vec<String> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

async fn admins_create_read_update_and_archive_rewards(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let created = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "  Cinema ticket ", "description": "Any showing", "cost_points": 150,
               "stock": 20, "limit_per_member": 1, "limit_per_household": 2,
               "limit_period": "month", "available_from": "2026-01-01T00:00:00Z",
               "available_until": "2099-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(created["name"], "Cinema ticket", "names are trimmed");
    assert_eq!(created["cost_points"], 150);
    assert_eq!(created["stock"], 20);
    assert_eq!(created["limit_period"], "month");
    assert_eq!(created["available_until"], "2099-01-01T00:00:00Z");
    assert_eq!(created["active"], true, "active by default");
    assert_eq!(
        created["redemptions"],
        json!({"pending": 0, "fulfilled": 0, "cancelled": 0, "rejected": 0})
    );
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/admin/rewards/{id}");
    assert_eq!(app.get_as(&path, &admin_a.access).await.json(), created);

    // Absent fields keep their value; null clears an optional one.
    let patched = app
        .call(
            "PATCH",
            &path,
            Some(&admin_a.access),
            Some(&json!({"cost_points": 120, "stock": null, "available_until": null, "description": null})),
        )
        .await;
    assert_eq!(
        patched.status,
        200,
        "{}",
        String::from_utf8_lossy(&patched.body)
    );
    let patched = patched.json();
    assert_eq!(patched["cost_points"], 120);
    assert_eq!(patched["stock"], Value::Null, "null stock is unlimited");
    assert_eq!(patched["available_until"], Value::Null);
    assert_eq!(patched["description"], Value::Null);
    assert_eq!(patched["limit_per_member"], 1, "absent fields are kept");

    let res = app.call("DELETE", &path, Some(&admin_a.access), None).await;
    assert_eq!(res.status, 204);
    let res = app.call("DELETE", &path, Some(&admin_a.access), None).await;
    assert_eq!(res.status, 204, "archiving twice is harmless");
    let archived = app.get_as(&path, &admin_a.access).await.json();
    assert!(archived["archived_at"].is_string());
    app.call(
        "PATCH",
        &path,
        Some(&admin_a.access),
        Some(&json!({"cost_points": 5})),
    )
    .await
    .assert_problem(409, "reward_archived");

    let live = app
        .get_as("/api/v1/admin/rewards", &admin_a.access)
        .await
        .json();
    assert!(
        ids(&live).is_empty(),
        "archived rewards are hidden by default"
    );
    let all = app
        .get_as("/api/v1/admin/rewards?archived=true", &admin_a.access)
        .await
        .json();
    assert_eq!(ids(&all), [id]);
    let audit = app
        .get_as(
            &format!("/api/v1/admin/audit-events?target_id={id}"),
            &admin_a.access,
        )
        .await
        .json();
    let mut actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        ["reward.archive", "reward.create", "reward.update"]
    );
}

async fn bad_rewards_are_refused_with_field_errors(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { admin_a, .. } = app.world().await;
    let cases = [
        (
            json!({"name": "X", "cost_points": 0}),
            "cost_points",
            "out_of_range",
        ),
        (
            json!({"name": "X", "cost_points": 10_000_001}),
            "cost_points",
            "out_of_range",
        ),
        (
            json!({"name": "X", "cost_points": 5, "stock": -1}),
            "stock",
            "out_of_range",
        ),
        (json!({"name": "   ", "cost_points": 5}), "name", "blank"),
        (
            json!({"name": "", "cost_points": 5}),
            "name",
            "invalid_length",
        ),
        (
            json!({"name": "X", "cost_points": 5, "limit_per_member": 0}),
            "limit_per_member",
            "out_of_range",
        ),
        (
            json!({"name": "X", "cost_points": 5, "available_from": "2026-12-01T00:00:00Z",
                   "available_until": "2026-12-01T00:00:00Z"}),
            "available_until",
            "before_start",
        ),
    ];
    for (body, field, code) in cases {
        let res = app
            .post_as("/api/v1/admin/rewards", &admin_a.access, &body)
            .await;
        let problem = res.assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        assert_eq!(problem["errors"][0]["code"], code, "{body}");
    }
    for body in [
        json!({"name": "X", "cost_points": 5, "price": 3}),
        json!({"name": "X", "cost_points": "5"}),
        json!({"name": "X", "cost_points": 5, "limit_period": "year"}),
        json!({"name": "X", "cost_points": 5, "available_from": "tomorrow"}),
        json!({"cost_points": 5}),
        json!({"name": "X", "cost_points": 1e30}),
        json!({"name": "X", "cost_points": 1.5}),
    ] {
        app.post_as("/api/v1/admin/rewards", &admin_a.access, &body)
            .await
            .assert_problem(400, "bad_request");
    }

    // A PATCH is checked against what it keeps: a new end before the kept start.
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Window", "cost_points": 5, "available_from": "2026-12-01T00:00:00Z"}),
    )
    .await;
    let path = format!("/api/v1/admin/rewards/{}", reward["id"].as_str().unwrap());
    let res = app
        .call(
            "PATCH",
            &path,
            Some(&admin_a.access),
            Some(&json!({"available_until": "2026-11-30T00:00:00Z"})),
        )
        .await;
    assert_eq!(
        res.assert_problem(422, "validation_failed")["errors"][0]["field"],
        "available_until"
    );
    assert_eq!(
        app.get_as(&path, &admin_a.access).await.json(),
        reward,
        "nothing changed"
    );
}

async fn members_see_only_what_is_offered_now(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    let admin = &admin_a.access;
    let offered = create_reward(&app, admin, json!({"name": "Offered", "cost_points": 5})).await;
    let windowed = create_reward(
        &app,
        admin,
        json!({"name": "Windowed", "cost_points": 5, "stock": 0,
               "available_from": "2020-01-01T00:00:00Z", "available_until": "2099-01-01T00:00:00Z"}),
    )
    .await;
    let hidden = [
        json!({"name": "Switched off", "cost_points": 5, "active": false}),
        json!({"name": "Not yet", "cost_points": 5, "available_from": "2099-01-01T00:00:00Z"}),
        json!({"name": "Over", "cost_points": 5, "available_until": "2020-01-01T00:00:00Z"}),
        json!({"name": "Archived", "cost_points": 5}),
    ];
    let mut hidden_ids = Vec::new();
    for body in hidden {
        hidden_ids.push(
            create_reward(&app, admin, body).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let archived = format!("/api/v1/admin/rewards/{}", hidden_ids[3]);
    assert_eq!(
        app.call("DELETE", &archived, Some(admin), None)
            .await
            .status,
        204
    );

    let page = app.get_as("/api/v1/rewards", &member_a.access).await.json();
    assert_eq!(
        ids(&page),
        [
            windowed["id"].as_str().unwrap(),
            offered["id"].as_str().unwrap()
        ],
        "newest first; sold-out rewards are listed with stock 0"
    );
    assert_eq!(page["data"][0]["stock"], 0);
    assert!(
        page["data"][0].get("redemptions").is_none(),
        "no admin fields for members"
    );
    for id in &hidden_ids {
        app.get_as(&format!("/api/v1/rewards/{id}"), &member_a.access)
            .await
            .assert_problem(404, "not_found");
    }
    let one = app
        .get_as(
            &format!("/api/v1/rewards/{}", offered["id"].as_str().unwrap()),
            &member_a.access,
        )
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["name"], "Offered");
    let paged = app
        .get_as("/api/v1/rewards?limit=1", &member_a.access)
        .await
        .json();
    assert_eq!(paged["data"].as_array().unwrap().len(), 1);
    let next = paged["next_cursor"].as_str().expect("a second page");
    let rest = app
        .get_as(
            &format!("/api/v1/rewards?limit=1&cursor={next}"),
            &member_a.access,
        )
        .await
        .json();
    assert_eq!(ids(&rest), [offered["id"].as_str().unwrap()]);
    app.get_as("/api/v1/rewards?limit=0", &member_a.access)
        .await
        .assert_problem(400, "bad_request");
}

async fn other_tenants_cannot_see_or_touch_a_reward(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, admin_b, ..
    } = app.world().await;
    let reward = create_reward(
        &app,
        &admin_a.access,
        json!({"name": "Ours", "cost_points": 5, "stock": 3}),
    )
    .await;
    let id = reward["id"].as_str().unwrap();
    let admin_path = format!("/api/v1/admin/rewards/{id}");
    let b = Some(admin_b.access.as_str());
    app.call("GET", &admin_path, b, None)
        .await
        .assert_problem(404, "not_found");
    app.call("PATCH", &admin_path, b, Some(&json!({"stock": 100})))
        .await
        .assert_problem(404, "not_found");
    app.call("DELETE", &admin_path, b, None)
        .await
        .assert_problem(404, "not_found");
    app.call("GET", &format!("/api/v1/rewards/{id}"), b, None)
        .await
        .assert_problem(404, "not_found");
    app.call(
        "POST",
        &format!("/api/v1/rewards/{id}/redemptions"),
        b,
        None,
    )
    .await
    .assert_problem(404, "not_found");
    let theirs = app
        .get_as("/api/v1/admin/rewards", &admin_b.access)
        .await
        .json();
    assert!(ids(&theirs).is_empty());
    assert_eq!(
        app.get_as(&admin_path, &admin_a.access).await.json(),
        reward,
        "the reward is unchanged"
    );
}

async fn lists_cost_the_same_queries_whatever_the_page(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World {
        admin_a, member_a, ..
    } = app.world().await;
    give_points(&app, &admin_a.access, &member_a.user_id, 1000).await;
    for i in 0..6 {
        let reward = create_reward(
            &app,
            &admin_a.access,
            json!({"name": format!("Reward {i}"), "cost_points": 5}),
        )
        .await;
        let path = format!(
            "/api/v1/rewards/{}/redemptions",
            reward["id"].as_str().unwrap()
        );
        for _ in 0..2 {
            let res = app.call("POST", &path, Some(&member_a.access), None).await;
            assert_eq!(res.status, 201);
        }
    }
    let count = |path: String, token: String| {
        let app = &app;
        async move {
            let before = app.queries.get();
            let res = app.get_as(&path, &token).await;
            assert_eq!(res.status, 200);
            (app.queries.get() - before, res.json())
        }
    };
    let admin = admin_a.access.clone();
    let member = member_a.access.clone();
    for (path, token, per_row) in [
        ("/api/v1/admin/rewards", &admin, 6),
        ("/api/v1/admin/redemptions", &admin, 12),
        ("/api/v1/redemptions", &member, 12),
        ("/api/v1/rewards", &member, 6),
    ] {
        count(format!("{path}?limit=1"), token.clone()).await; // warm the session cache
        let (small, _) = count(format!("{path}?limit=2"), token.clone()).await;
        let (large, full) = count(format!("{path}?limit=100"), token.clone()).await;
        assert_eq!(full["data"].as_array().unwrap().len(), per_row, "{path}");
        assert_eq!(
            small, large,
            "{path}: queries must not grow with the page size"
        );
    }
    let all = count("/api/v1/admin/rewards".into(), admin).await.1;
    assert!(
        all["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["redemptions"]["pending"] == 2)
    );
}

/// With `catalogue.cache_secs` on, an instance answers the first catalogue
/// page from memory without a statement; what it changes itself (a reward
/// created, a unit redeemed, a redemption cancelled) shows at once; another
/// instance's change waits for the TTL, as documented; later pages are
/// always read.
async fn the_kept_catalogue_shows_this_instances_changes_at_once(backend: TestBackend) {
    let one = spawn_app_with(backend, |s| s.catalogue.cache_secs = 600).await;
    let two = second_instance(&one).await;
    let World {
        admin_a, member_a, ..
    } = one.world().await;
    let (admin, member) = (admin_a.access.as_str(), member_a.access.as_str());
    give_points(&one, admin, &member_a.user_id, 100).await;
    let kite = create_reward(
        &one,
        admin,
        json!({"name": "Kite", "cost_points": 10, "stock": 3}),
    )
    .await;
    let stock_seen = async |app: &TestApp| {
        let res = app.get_as("/api/v1/rewards", member).await;
        assert_eq!(res.status, 200);
        let page = res.json();
        let rewards = page["data"].as_array().unwrap();
        let names: Vec<String> = rewards
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_string())
            .collect();
        let kite = rewards.iter().find(|r| r["name"] == "Kite").unwrap();
        (names, kite["stock"].clone())
    };
    assert_eq!(stock_seen(&one).await, (vec!["Kite".into()], json!(3)));
    let before = one.queries.get();
    assert_eq!(stock_seen(&one).await, (vec!["Kite".into()], json!(3)));
    assert_eq!(one.queries.get(), before, "a kept page costs no statement");

    // Another instance's change is not seen until the TTL ends...
    create_reward(&two, admin, json!({"name": "Ball", "cost_points": 5})).await;
    assert_eq!(stock_seen(&one).await.0, vec!["Kite".to_string()]);
    assert_eq!(
        stock_seen(&two).await.0,
        vec!["Ball".to_string(), "Kite".into()]
    );
    // ...but this instance's own changes are, at once.
    let redeem = format!(
        "/api/v1/rewards/{}/redemptions",
        kite["id"].as_str().unwrap()
    );
    let redemption = one.call("POST", &redeem, Some(member), None).await;
    assert_eq!(redemption.status, 201);
    assert_eq!(
        stock_seen(&one).await,
        (vec!["Ball".into(), "Kite".into()], json!(2))
    );
    let cancel = format!(
        "/api/v1/redemptions/{}/cancel",
        redemption.json()["id"].as_str().unwrap()
    );
    assert_eq!(
        one.call("POST", &cancel, Some(member), None).await.status,
        200
    );
    assert_eq!(stock_seen(&one).await.1, json!(3));

    // A later page is read every time.
    let first = one.get_as("/api/v1/rewards?limit=1", member).await.json();
    let next = format!(
        "/api/v1/rewards?limit=1&cursor={}",
        first["next_cursor"].as_str().unwrap()
    );
    let before = one.queries.get();
    assert_eq!(
        one.get_as(&next, member).await.json()["data"][0]["name"],
        "Kite"
    );
    assert!(one.queries.get() > before, "a later page is not kept");
}

backend_tests!(
    the_kept_catalogue_shows_this_instances_changes_at_once,
    admins_create_read_update_and_archive_rewards,
    lists_cost_the_same_queries_whatever_the_page,
    bad_rewards_are_refused_with_field_errors,
    members_see_only_what_is_offered_now,
    other_tenants_cannot_see_or_touch_a_reward,
);
