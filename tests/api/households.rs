//! Households: members join with a code, admins manage households and members,
//! tenants stay apart (in the API and in the database itself), and the list
//! issues the same number of queries whatever its page size.

use diesel::RunQueryDsl;
use hearth::auth::Role;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{PASSWORD, TestApp, TestBackend, spawn_app};

async fn create_household(app: &TestApp, admin: &str, name: &str, zone: &str) -> Value {
    let res = app
        .post_as(
            "/api/v1/admin/households",
            admin,
            &json!({"name": name, "zone": zone}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    res.json()
}

async fn members_join_with_codes_and_admins_manage_households(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let smiths = create_household(&app, &admin, "The Smiths", "north").await;
    let id = smiths["id"].as_str().unwrap().to_string();
    let code = smiths["join_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    assert_eq!(smiths["member_count"], 0);

    let ann = world.member_a.access.clone();
    app.get_as("/api/v1/households/mine", &ann)
        .await
        .assert_problem(404, "no_household");
    let typed = format!("{}-{}", &code[..4], &code[4..]).to_lowercase();
    let joined = app
        .post_as("/api/v1/households/join", &ann, &json!({"code": typed}))
        .await;
    assert_eq!(joined.status, 200);
    assert_eq!(
        joined.json()["members"][0]["id"],
        world.member_a.user_id.as_str()
    );
    let me = app.get_as("/api/v1/me", &ann).await.json();
    assert_eq!(me["household"]["name"], "The Smiths");
    assert_eq!(me["household_id"], id.as_str());
    app.post_as("/api/v1/households/join", &ann, &json!({"code": code}))
        .await
        .assert_problem(409, "already_in_household");
    app.post_as(
        "/api/v1/households/join",
        &ann,
        &json!({"code": "WRONG234"}),
    )
    .await
    .assert_problem(422, "invalid_code");

    // Rotation: the old code stops working at once.
    let path = format!("/api/v1/admin/households/{id}");
    let rotated = app
        .post_as(&format!("{path}/join-code"), &admin, &json!({}))
        .await
        .json();
    let new_code = rotated["join_code"].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    let bob = world.other_member_a.access.clone();
    app.post_as("/api/v1/households/join", &bob, &json!({"code": code}))
        .await
        .assert_problem(422, "invalid_code");
    assert_eq!(
        app.post_as("/api/v1/households/join", &bob, &json!({"code": new_code}))
            .await
            .status,
        200
    );

    let detail = app.get_as(&path, &admin).await.json();
    assert_eq!(detail["household"]["member_count"], 2);
    let names: Vec<&str> = detail["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["ann", "bob"]);

    // Patch: absent keeps, null clears, blank is refused.
    let patched = app
        .call(
            "PATCH",
            &path,
            Some(&admin),
            Some(&json!({"address": "1 High St", "zone": null})),
        )
        .await
        .json();
    assert_eq!(
        (
            patched["household"]["address"].as_str(),
            patched["household"]["zone"].as_str()
        ),
        (Some("1 High St"), None)
    );
    app.call("PATCH", &path, Some(&admin), Some(&json!({"name": "  "})))
        .await
        .assert_problem(422, "validation_failed");

    // Move bob to another household, then remove him.
    let flat = create_household(&app, &admin, "Flat 2", "south").await;
    let flat_path = format!("/api/v1/admin/households/{}", flat["id"].as_str().unwrap());
    let moved = app
        .post_as(
            &format!("{flat_path}/members"),
            &admin,
            &json!({"user_id": world.other_member_a.user_id}),
        )
        .await;
    assert_eq!(moved.json()["household"]["member_count"], 1);
    assert_eq!(
        app.get_as(&path, &admin).await.json()["household"]["member_count"],
        1
    );
    app.call(
        "DELETE",
        &format!("{path}/members/{}", world.other_member_a.user_id),
        Some(&admin),
        None,
    )
    .await
    .assert_problem(404, "not_found");
    let removed = app
        .call(
            "DELETE",
            &format!("{flat_path}/members/{}", world.other_member_a.user_id),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(removed.status, 204);
    app.get_as("/api/v1/households/mine", &bob)
        .await
        .assert_problem(404, "no_household");
    app.post_as(
        &format!("{flat_path}/members"),
        &admin,
        &json!({"user_id": world.admin_b.user_id}),
    )
    .await
    .assert_problem(422, "validation_failed");

    // Archive: no more joining or adding; the list filters by it.
    assert_eq!(
        app.call("DELETE", &flat_path, Some(&admin), None)
            .await
            .status,
        204
    );
    assert_eq!(
        app.call("DELETE", &flat_path, Some(&admin), None)
            .await
            .status,
        204
    );
    let flat_code = flat["join_code"].as_str().unwrap();
    app.post_as("/api/v1/households/join", &bob, &json!({"code": flat_code}))
        .await
        .assert_problem(422, "invalid_code");
    app.post_as(
        &format!("{flat_path}/members"),
        &admin,
        &json!({"user_id": world.other_member_a.user_id}),
    )
    .await
    .assert_problem(409, "household_archived");
    app.call(
        "PATCH",
        &flat_path,
        Some(&admin),
        Some(&json!({"name": "Renamed"})),
    )
    .await
    .assert_problem(409, "household_archived");
    app.call(
        "POST",
        &format!("{flat_path}/join-code"),
        Some(&admin),
        None,
    )
    .await
    .assert_problem(409, "household_archived");
    let still_readable = app.get_as(&flat_path, &admin).await.json();
    assert!(still_readable["household"]["archived_at"].is_string());
    let archived = app
        .get_as("/api/v1/admin/households?archived=true", &admin)
        .await
        .json();
    assert_eq!(archived["data"].as_array().unwrap().len(), 1);
    let live = app
        .get_as("/api/v1/admin/households?archived=false&q=SMITH", &admin)
        .await
        .json();
    assert_eq!(live["data"][0]["name"], "The Smiths");
    assert_eq!(live["data"][0]["member_count"], 1);
    let north = app
        .get_as("/api/v1/admin/households?zone=north", &admin)
        .await
        .json();
    assert!(
        north["data"].as_array().unwrap().is_empty(),
        "the Smiths' zone was cleared"
    );

    let audit = app
        .get_as("/api/v1/admin/audit-events?limit=100", &admin)
        .await
        .json();
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "household.create",
        "household.update",
        "household.archive",
        "household.join_code_rotate",
        "household.member_add",
        "household.member_remove",
        "household.join",
    ] {
        assert!(actions.contains(&expected), "{expected} not audited");
    }
}

async fn registration_can_join_a_household(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let house = create_household(&app, &world.admin_a.access, "The Smiths", "north").await;
    let register = |email: &str, code: &str| {
        json!({"tenant": "tenant-a", "email": email, "password": PASSWORD,
               "display_name": "New", "household_code": code})
    };
    let ok = app
        .post_json(
            "/api/v1/auth/register",
            &register("new@a.example", house["join_code"].as_str().unwrap()),
        )
        .await;
    assert_eq!(ok.status, 201);
    assert_eq!(ok.json()["household_id"], house["id"]);
    let bad = app
        .post_json(
            "/api/v1/auth/register",
            &register("other@a.example", "NOPE2345"),
        )
        .await;
    let body = bad.assert_problem(422, "invalid_code");
    assert_eq!(body["errors"][0]["field"], "household_code");
    // Nothing was created by the failed registration.
    app.post_json(
        "/api/v1/auth/login",
        &json!({"tenant": "tenant-a", "email": "other@a.example", "password": PASSWORD}),
    )
    .await
    .assert_problem(401, "invalid_credentials");
}

async fn households_of_another_tenant_are_invisible(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let house = create_household(&app, &world.admin_a.access, "The Smiths", "north").await;
    let id = house["id"].as_str().unwrap();
    app.post_as(
        "/api/v1/households/join",
        &world.member_a.access,
        &json!({"code": house["join_code"]}),
    )
    .await;
    let path = format!("/api/v1/admin/households/{id}");
    let before = app.get_as(&path, &world.admin_a.access).await.json();
    let other = world.admin_b.access.clone();
    for (method, route, body) in [
        ("GET", path.clone(), None),
        ("PATCH", path.clone(), Some(json!({"name": "Hijacked"}))),
        ("DELETE", path.clone(), None),
        ("POST", format!("{path}/join-code"), Some(json!({}))),
        (
            "POST",
            format!("{path}/members"),
            Some(json!({"user_id": world.admin_b.user_id})),
        ),
        (
            "DELETE",
            format!("{path}/members/{}", world.member_a.user_id),
            None,
        ),
    ] {
        app.call(method, &route, Some(&other), body.as_ref())
            .await
            .assert_problem(404, "not_found");
    }
    assert_eq!(
        app.get_as(&path, &world.admin_a.access).await.json(),
        before
    );
    let listed = app.get_as("/api/v1/admin/households", &other).await.json();
    assert!(listed["data"].as_array().unwrap().is_empty());
    // A tenant-b member cannot join with tenant a's code either.
    app.user("tenant-b", "zed@b.example", Role::User).await;
    let zed = app.login("tenant-b", "zed@b.example", PASSWORD).await;
    app.post_as(
        "/api/v1/households/join",
        &zed.access,
        &json!({"code": house["join_code"]}),
    )
    .await
    .assert_problem(422, "invalid_code");
    // Joining by household id instead of code does not work.
    app.post_as(
        "/api/v1/households/join",
        &world.other_member_a.access,
        &json!({"code": id}),
    )
    .await
    .assert_problem(422, "validation_failed");
    // A member sees only their own household.
    let mine = app
        .get_as("/api/v1/households/mine", &world.member_a.access)
        .await
        .json();
    assert_eq!(mine["household"]["id"], id);
    app.get_as("/api/v1/households/mine", &world.other_member_a.access)
        .await
        .assert_problem(404, "no_household");
}

async fn the_database_refuses_a_household_of_another_tenant(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let theirs = create_household(&app, &world.admin_b.access, "Tenant B house", "x").await;
    let mut conn = app.db.connect();
    // A query that forgot the tenant filter: the composite key still refuses it.
    let forged = diesel::sql_query(format!(
        "UPDATE users SET household_id = '{}' WHERE id = '{}'",
        theirs["id"].as_str().unwrap(),
        world.member_a.user_id
    ))
    .execute(&mut conn);
    assert!(
        forged.is_err(),
        "cross-tenant household reference was stored"
    );
    let me = app
        .get_as("/api/v1/me", &world.member_a.access)
        .await
        .json();
    assert!(me["household_id"].is_null());
}

async fn listing_households_costs_the_same_queries_whatever_the_page(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    for i in 0..12 {
        let house = create_household(&app, &admin, &format!("House {i}"), "z").await;
        for j in 0..3 {
            let email = format!("m{i}-{j}@a.example");
            let user = app.user("tenant-a", &email, Role::User).await;
            app.post_as(
                &format!(
                    "/api/v1/admin/households/{}/members",
                    house["id"].as_str().unwrap()
                ),
                &admin,
                &json!({"user_id": user}),
            )
            .await;
        }
    }
    let count = |path: &'static str| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let before = app.queries.get();
            let res = app.get_as(path, &admin).await;
            assert_eq!(res.status, 200);
            (app.queries.get() - before, res.json())
        }
    };
    count("/api/v1/admin/households?limit=1").await; // warm the session cache
    let (small, page) = count("/api/v1/admin/households?limit=2").await;
    let (large, full) = count("/api/v1/admin/households?limit=12").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    assert_eq!(full["data"].as_array().unwrap().len(), 12);
    assert!(
        full["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["member_count"] == 3)
    );
    assert_eq!(small, large, "queries must not grow with the page size");
    let (users_small, _) = count("/api/v1/admin/users?limit=2").await;
    let (users_large, _) = count("/api/v1/admin/users?limit=40").await;
    assert_eq!(users_small, users_large);
}

backend_tests!(
    members_join_with_codes_and_admins_manage_households,
    registration_can_join_a_household,
    households_of_another_tenant_are_invisible,
    the_database_refuses_a_household_of_another_tenant,
    listing_households_costs_the_same_queries_whatever_the_page,
);
