//! Leaderboards of members and households: periods, earned points, ranks with
//! ties in their documented order, the caller's own place, and isolation.

use hearth::auth::Role;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestApp, TestBackend, award_at, spawn_app, spawn_app_with};

async fn award(app: &TestApp, admin: &str, user: &str, amount: i64) -> Value {
    let res = app
        .post_as(
            "/api/v1/admin/points/awards",
            admin,
            &json!({"user_id": user, "amount": amount, "reason": "Drop-off"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    res.json()
}

/// An award made 400 days ago (before any month or week that is running).
fn award_last_year(app: &TestApp, user: &str, amount: i64) {
    let at = (chrono::Utc::now() - chrono::Duration::days(400)).format("%Y-%m-%d %H:%M:%S");
    award_at(app, user, amount, &at.to_string());
}

/// `(display_name, rank, points)` of each listed place.
fn places(board: &Value, name_field: &str) -> Vec<(String, i64, i64)> {
    board["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|p| {
            (
                p[name_field].as_str().unwrap().to_string(),
                p["rank"].as_i64().unwrap(),
                p["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn boards_rank_points_earned_in_the_period(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let (ann, bob) = (&world.member_a, &world.other_member_a);
    let cara_id = app.user("tenant-a", "cara@a.example", Role::User).await;
    let cara = app.login("tenant-a", "cara@a.example", PASSWORD).await;

    let welcome = award(&app, &admin, &ann.user_id, 40).await;
    award(&app, &admin, &ann.user_id, 30).await;
    award(&app, &admin, &bob.user_id, 30).await;
    award(&app, &admin, &cara_id, 30).await;
    award_last_year(&app, &bob.user_id, 100);
    // A reversal takes back what it reverses; spending takes back nothing.
    app.post_as(
        &format!(
            "/api/v1/admin/points/entries/{}/reverse",
            welcome["id"].as_str().unwrap()
        ),
        &admin,
        &json!({"reason": "Wrong member"}),
    )
    .await;
    app.post_as(
        "/api/v1/admin/points/adjustments",
        &admin,
        &json!({"user_id": cara_id, "amount": -20, "reason": "Spent at the stall"}),
    )
    .await;

    let all = app
        .get_as("/api/v1/leaderboards/members", &ann.access)
        .await
        .json();
    assert_eq!(
        (all["period"].as_str(), all["since"].is_null()),
        (Some("all"), true)
    );
    // Equal points share a rank; among equals the earlier-created member first.
    assert_eq!(
        places(&all, "display_name"),
        vec![
            ("bob".into(), 1, 130),
            ("ann".into(), 2, 30),
            ("cara".into(), 2, 30)
        ]
    );
    assert_eq!(all["me"], json!({"rank": 2, "points": 30}));

    for period in ["month", "week"] {
        let board = app
            .get_as(
                &format!("/api/v1/leaderboards/members?period={period}"),
                &bob.access,
            )
            .await
            .json();
        assert_eq!(board["period"], period);
        assert!(board["since"].as_str().unwrap().ends_with("T00:00:00Z"));
        assert_eq!(
            places(&board, "display_name"),
            vec![
                ("ann".into(), 1, 30),
                ("bob".into(), 1, 30),
                ("cara".into(), 1, 30)
            ],
            "last year's award is outside the {period}"
        );
        assert_eq!(board["me"], json!({"rank": 1, "points": 30}));
    }

    // The caller's place is reported even when it is not listed; nobody
    // without points is listed or ranked.
    let top = app
        .get_as("/api/v1/leaderboards/members?limit=1", &cara.access)
        .await
        .json();
    assert_eq!(places(&top, "display_name"), vec![("bob".into(), 1, 130)]);
    assert_eq!(top["me"], json!({"rank": 2, "points": 30}));
    let admins_view = app
        .get_as("/api/v1/leaderboards/members", &admin)
        .await
        .json();
    assert_eq!(admins_view["me"], json!({"rank": null, "points": 0}));
    assert_eq!(admins_view["data"].as_array().unwrap().len(), 3);

    // Suspended members leave the board.
    app.call(
        "PATCH",
        &format!("/api/v1/admin/users/{}", bob.user_id),
        Some(&admin),
        Some(&json!({"status": "suspended"})),
    )
    .await;
    let without_bob = app
        .get_as("/api/v1/leaderboards/members", &ann.access)
        .await
        .json();
    assert_eq!(
        places(&without_bob, "display_name"),
        vec![("ann".into(), 1, 30), ("cara".into(), 1, 30)]
    );
}

async fn households_rank_by_their_current_members(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let (ann, bob) = (&world.member_a, &world.other_member_a);
    let cara_id = app.user("tenant-a", "cara@a.example", Role::User).await;
    let household = |name: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            app.post_as("/api/v1/admin/households", &admin, &json!({"name": name}))
                .await
                .json()["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let smiths = household("The Smiths").await;
    let jones = household("The Joneses").await;
    let empty = household("Empty house").await;
    for (house, user) in [
        (&smiths, &ann.user_id),
        (&smiths, &bob.user_id),
        (&jones, &cara_id),
    ] {
        app.post_as(
            &format!("/api/v1/admin/households/{house}/members"),
            &admin,
            &json!({"user_id": user}),
        )
        .await;
    }
    award(&app, &admin, &ann.user_id, 20).await;
    award(&app, &admin, &bob.user_id, 15).await;
    award(&app, &admin, &cara_id, 35).await;
    award_last_year(&app, &cara_id, 50);

    let all = app
        .get_as("/api/v1/leaderboards/households", &ann.access)
        .await
        .json();
    assert_eq!(
        places(&all, "name"),
        vec![("The Joneses".into(), 1, 85), ("The Smiths".into(), 2, 35)]
    );
    assert_eq!(all["me"], json!({"rank": 2, "points": 35}));
    let week = app
        .get_as("/api/v1/leaderboards/households?period=week", &ann.access)
        .await
        .json();
    assert_eq!(
        places(&week, "name"),
        vec![("The Smiths".into(), 1, 35), ("The Joneses".into(), 1, 35)],
        "a tie: the earlier-created household first"
    );
    assert!(smiths < jones);

    // Moving takes a member's points along; archived households leave the board.
    app.post_as(
        &format!("/api/v1/admin/households/{empty}/members"),
        &admin,
        &json!({"user_id": bob.user_id}),
    )
    .await;
    app.call(
        "DELETE",
        &format!("/api/v1/admin/households/{jones}"),
        Some(&admin),
        None,
    )
    .await;
    let after = app
        .get_as("/api/v1/leaderboards/households", &bob.access)
        .await
        .json();
    assert_eq!(
        places(&after, "name"),
        vec![("The Smiths".into(), 1, 20), ("Empty house".into(), 2, 15)]
    );
    assert_eq!(after["me"], json!({"rank": 2, "points": 15}));
    // No household, no place of one's own.
    let admins_view = app
        .get_as("/api/v1/leaderboards/households", &admin)
        .await
        .json();
    assert!(admins_view["me"].is_null());
}

async fn boards_are_per_tenant_and_check_their_parameters(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    award(&app, &world.admin_a.access, &world.member_a.user_id, 10).await;
    for path in [
        "/api/v1/leaderboards/members",
        "/api/v1/leaderboards/households",
    ] {
        let theirs = app.get_as(path, &world.admin_b.access).await.json();
        assert!(theirs["data"].as_array().unwrap().is_empty(), "{path}");
        app.call("GET", path, None, None)
            .await
            .assert_problem(401, "unauthorized");
        for bad in [
            "period=year",
            "limit=0",
            "limit=101",
            "limit=x",
            "sort=points",
        ] {
            app.get_as(&format!("{path}?{bad}"), &world.member_a.access)
                .await
                .assert_problem(400, "bad_request");
        }
    }
}

/// With `leaderboards.cache_secs` set, an instance reuses a board it computed
/// for that tenant and period until the time is up; other tenants and periods
/// are computed on their own.
async fn a_computed_board_is_reused_for_the_configured_time(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| s.leaderboards.cache_secs = 3600).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let ann = &world.member_a;
    award(&app, &admin, &ann.user_id, 40).await;
    let board = |period: &'static str, token: String| {
        let app = &app;
        async move {
            app.get_as(
                &format!("/api/v1/leaderboards/members?period={period}"),
                &token,
            )
            .await
            .json()
        }
    };
    let first = board("month", ann.access.clone()).await;
    assert_eq!(first["me"], json!({"rank": 1, "points": 40}));

    award(&app, &admin, &ann.user_id, 5).await;
    let again = board("month", ann.access.clone()).await;
    assert_eq!(again["me"], first["me"], "the month board is reused");
    let all = board("all", ann.access.clone()).await;
    assert_eq!(
        all["me"],
        json!({"rank": 1, "points": 45}),
        "another period is its own board"
    );
    let other_tenant = board("month", world.admin_b.access.clone()).await;
    assert_eq!(
        other_tenant["data"],
        json!([]),
        "another tenant is its own board"
    );
}

backend_tests!(
    a_computed_board_is_reused_for_the_configured_time,
    boards_rank_points_earned_in_the_period,
    households_rank_by_their_current_members,
    boards_are_per_tenant_and_check_their_parameters,
);
