//! Dependants: household members without a login. They earn, are marked and
//! hold a balance; their guardians (the household's adults) see and spend on
//! their behalf; nobody can ever sign in as one; other households never see
//! them.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::events::{at, clean_up, create_event};
use crate::helpers::{Login, TestApp, TestBackend, World, count, spawn_app};
use crate::rewards::{create_reward, give_points};

/// Ann's household with a child, Mia (added by Ann), and Bob's household
/// next door. Returns (world, Mia's id, Ann's household id).
pub async fn two_households(app: &TestApp) -> (World, String, String) {
    let world = app.world().await;
    let admin = &world.admin_a.access;
    let mut households = Vec::new();
    for (name, member) in [("Ann's", &world.member_a), ("Bob's", &world.other_member_a)] {
        let household = app
            .post_as("/api/v1/admin/households", admin, &json!({"name": name}))
            .await
            .json();
        let id = household["id"].as_str().unwrap().to_string();
        let path = format!("/api/v1/admin/households/{id}/members");
        let added = app
            .post_as(&path, admin, &json!({"user_id": member.user_id}))
            .await;
        assert_eq!(added.status, 200);
        households.push(id);
    }
    let mia = app
        .post_as(
            "/api/v1/households/mine/dependants",
            &world.member_a.access,
            &json!({"display_name": " Mia ", "birth_year": 2019}),
        )
        .await;
    assert_eq!(mia.status, 201, "{}", String::from_utf8_lossy(&mia.body));
    let mia = mia.json();
    assert_eq!(
        (
            &mia["kind"],
            &mia["email"],
            &mia["display_name"],
            &mia["birth_year"]
        ),
        (
            &json!("dependant"),
            &Value::Null,
            &json!("Mia"),
            &json!(2019)
        )
    );
    let id = mia["id"].as_str().unwrap().to_string();
    (world, id, households.swap_remove(0))
}

fn balance_in(detail: &Value, user: &str) -> i64 {
    let members = detail["members"].as_array().unwrap();
    let member = members.iter().find(|m| m["id"] == user).unwrap();
    member["points_balance"].as_i64().unwrap()
}

async fn a_dependant_earns_is_marked_and_is_seen_by_their_guardians_only(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, _) = two_households(&app).await;
    let (admin, ann, bob) = (
        &world.admin_a.access,
        &world.member_a.access,
        &world.other_member_a.access,
    );
    let household = app.get_as("/api/v1/households/mine", ann).await.json();
    let listed = household["members"].as_array().unwrap();
    assert!(
        listed
            .iter()
            .any(|m| m["id"] == mia && m["kind"] == "dependant")
    );

    give_points(&app, admin, &mia, 100).await;
    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let event = create_event(&app, admin, clean_up()).await;
    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let marking = format!(
        "/api/v1/admin/events/{}/attendance",
        event["id"].as_str().unwrap()
    );
    let marked = app
        .call(
            "PUT",
            &marking,
            Some(admin),
            Some(&json!({"records": [{"user_id": mia, "status": "present"}]})),
        )
        .await;
    assert_eq!(
        marked.status,
        200,
        "{}",
        String::from_utf8_lossy(&marked.body)
    );

    let entries = format!("/api/v1/households/mine/members/{mia}/entries");
    let attendance = format!("/api/v1/households/mine/members/{mia}/attendance");
    let ledger = app.get_as(&entries, ann).await;
    assert_eq!(ledger.status, 200);
    let amounts: Vec<i64> = ledger.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(
        amounts,
        vec![20, 100],
        "the attendance points, then the award"
    );
    let records = app.get_as(&attendance, ann).await.json();
    assert_eq!(records["data"][0]["event_title"], "Park clean-up");

    // Another household, another tenant, and an adult's own ledger: 404.
    app.get_as(&entries, bob)
        .await
        .assert_problem(404, "not_found");
    app.get_as(&attendance, bob)
        .await
        .assert_problem(404, "not_found");
    app.get_as(&entries, &world.admin_b.access)
        .await
        .assert_problem(404, "not_found");
    let anns_own = format!(
        "/api/v1/households/mine/members/{}/entries",
        world.member_a.user_id
    );
    app.get_as(&anns_own, &world.member_a.access)
        .await
        .assert_problem(404, "not_found");
    let bobs_home = app.get_as("/api/v1/households/mine", bob).await.json();
    assert!(
        bobs_home["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != mia)
    );
}

async fn a_guardian_redeems_for_a_dependant_from_the_dependants_balance(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, _) = two_households(&app).await;
    let (admin, ann, bob) = (
        &world.admin_a.access,
        &world.member_a.access,
        &world.other_member_a.access,
    );
    give_points(&app, admin, &mia, 100).await;
    give_points(&app, admin, &world.member_a.user_id, 50).await;
    let reward = create_reward(&app, admin, json!({"name": "Crayons", "cost_points": 30})).await;
    let path = format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    );

    let for_mia = json!({"for_user_id": mia});
    app.post_as(&path, bob, &for_mia)
        .await
        .assert_problem(404, "not_found");
    let redeemed = app.post_as(&path, ann, &for_mia).await;
    assert_eq!(
        redeemed.status,
        201,
        "{}",
        String::from_utf8_lossy(&redeemed.body)
    );
    assert_eq!(redeemed.json()["user_id"], mia.as_str());
    let home = app.get_as("/api/v1/households/mine", ann).await.json();
    assert_eq!(balance_in(&home, &mia), 70, "the dependant paid");
    assert_eq!(
        balance_in(&home, &world.member_a.user_id),
        50,
        "the guardian did not"
    );

    // Without a body, as before: the caller redeems for themselves.
    let own = app.call("POST", &path, Some(ann), None).await;
    assert_eq!(own.status, 201, "{}", String::from_utf8_lossy(&own.body));
    assert_eq!(own.json()["user_id"], world.member_a.user_id.as_str());
}

async fn a_dependant_can_never_sign_in(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, household) = two_households(&app).await;
    let admin = &world.admin_a.access;
    // An admin adds one too; neither has anything to sign in with.
    let leo = app
        .post_as(
            &format!("/api/v1/admin/households/{household}/dependants"),
            admin,
            &json!({"display_name": "Leo"}),
        )
        .await;
    assert_eq!(leo.status, 201);
    let stored = "SELECT COUNT(*) AS n FROM users WHERE kind = 'dependant' \
         AND email IS NULL AND password_hash IS NULL AND role = 'user'";
    assert_eq!(count(&app, stored), 2);
    let user = format!("/api/v1/admin/users/{mia}");
    app.post_as(&format!("{user}/password-reset"), admin, &json!({}))
        .await
        .assert_problem(409, "no_login");
    for change in [
        json!({"role": "staff", "scopes": ["points"]}),
        json!({"role": "admin"}),
    ] {
        app.call("PATCH", &user, Some(admin), Some(&change))
            .await
            .assert_problem(409, "no_login");
    }
    // Signing in by their name, or with an empty email, finds nobody.
    for email in ["Mia", "mia", ""] {
        let res = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"tenant": "tenant-a", "email": email, "password": "anything at all"}),
            )
            .await;
        assert!(
            res.status == 401 || res.status == 422,
            "{email:?}: {}",
            res.status
        );
    }
    let sessions = format!("SELECT COUNT(*) AS n FROM sessions WHERE user_id = '{mia}'");
    assert_eq!(count(&app, &sessions), 0);
    let codes = format!("SELECT COUNT(*) AS n FROM password_reset_codes WHERE user_id = '{mia}'");
    assert_eq!(count(&app, &codes), 0);
    // A dependant of the future, or of nobody's household.
    let unborn = app
        .post_as(
            "/api/v1/households/mine/dependants",
            &world.member_a.access,
            &json!({"display_name": "Future", "birth_year": 2100}),
        )
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(unborn["errors"][0]["code"], "in_future");
    let lone = app.members(&world.tenant_a, 1, 0).await;
    app.post_as(
        "/api/v1/households/mine/dependants",
        &lone[0].access,
        &json!({"display_name": "Orphan"}),
    )
    .await
    .assert_problem(404, "no_household");
}

async fn the_members_board_names_dependants_only_where_the_tenant_allows(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, household) = two_households(&app).await;
    let admin = &world.admin_a.access;
    give_points(&app, admin, &mia, 100).await;
    let board = |login: &Login| {
        let token = login.access.clone();
        let app = &app;
        async move {
            app.get_as("/api/v1/leaderboards/members?period=all", &token)
                .await
                .json()
        }
    };
    let hidden = board(&world.member_a).await;
    assert!(
        hidden["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|row| row["user_id"] != mia)
    );
    let homes = app
        .get_as(
            "/api/v1/leaderboards/households?period=all",
            &world.member_a.access,
        )
        .await
        .json();
    assert_eq!(homes["data"][0]["household_id"], household.as_str());
    assert_eq!(
        homes["data"][0]["points"], 100,
        "a dependant's points count for the household"
    );

    let res = app
        .call(
            "PATCH",
            "/api/v1/admin/tenant",
            Some(admin),
            Some(&json!({"leaderboards": {"show_dependants": true}})),
        )
        .await;
    assert_eq!(res.status, 200);
    assert_eq!(res.json()["leaderboards"]["show_dependants"], true);
    let shown = board(&world.member_a).await;
    assert_eq!(shown["data"][0]["user_id"], mia.as_str());
}

backend_tests!(
    a_dependant_earns_is_marked_and_is_seen_by_their_guardians_only,
    a_guardian_redeems_for_a_dependant_from_the_dependants_balance,
    a_dependant_can_never_sign_in,
    the_members_board_names_dependants_only_where_the_tenant_allows,
);
