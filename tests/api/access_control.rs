//! Role checks and tenant isolation on every route, driven by the OpenAPI
//! document so that a route added later is covered without being listed here:
//! every protected route answers 401 without a token, every admin route 403 to a
//! member, and every admin route that takes an id answers another tenant's admin
//! 404 and leaves the row alone.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestBackend, World, spawn_app};

/// (method, path template) of every documented operation, with its security.
pub fn operations() -> Vec<(String, String, bool)> {
    let spec = serde_json::to_value(hearth::openapi::spec()).unwrap();
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let protected = op["security"].as_array().is_some_and(|s| !s.is_empty());
            ops.push((method.to_uppercase(), path.clone(), protected));
        }
    }
    ops
}

pub fn with_id(template: &str, id: &str) -> String {
    template
        .split('/')
        .map(|seg| if seg.starts_with('{') { id } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

/// A body each route accepts as well-formed, so the check under test is the
/// access check and not validation. Routes whose body has required fields are
/// listed; every other body route takes an empty object.
pub fn body_for(method: &str, template: &str) -> Option<Value> {
    let some_id = "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
    match (method, template) {
        ("POST", "/api/v1/admin/households/{id}/members") => Some(json!({"user_id": some_id})),
        ("POST", "/api/v1/admin/points/entries/{id}/reverse")
        | ("POST", "/api/v1/admin/redemptions/{id}/reject")
        | ("POST", "/api/v1/admin/charges/{id}/void")
        | ("POST", "/api/v1/admin/payments/{id}/void")
        | ("POST", "/api/v1/admin/refunds/{id}/void") => Some(json!({"reason": "x"})),
        ("POST", "/api/v1/admin/events/{id}/scans") => Some(json!({"member_code": "x"})),
        ("POST", "/api/v1/admin/households/{id}/dependants")
        | ("POST", "/api/v1/households/mine/dependants") => Some(json!({"display_name": "x"})),
        ("PUT", "/api/v1/admin/events/{id}/attendance") => {
            Some(json!({"records": [{"user_id": some_id, "status": "present"}]}))
        }
        ("POST", "/api/v1/events/{id}/check-in") => Some(json!({"code": "x"})),
        ("PUT", "/api/v1/admin/groups/{id}/members") => Some(json!({"user_ids": []})),
        ("POST" | "PUT" | "PATCH", _) => Some(json!({})),
        _ => None,
    }
}

async fn protected_routes_need_a_token_and_admin_routes_an_admin(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let World { member_a, .. } = app.world().await;
    let id = uuid::Uuid::now_v7().to_string();
    let mut checked = 0;
    for (method, template, protected) in operations() {
        let path = with_id(&template, &id);
        let body = body_for(&method, &template);
        if protected {
            let res = app.call(&method, &path, None, body.as_ref()).await;
            res.assert_problem(401, "unauthorized");
            assert_eq!(
                res.header("www-authenticate"),
                Some("Bearer"),
                "{method} {template}"
            );
            checked += 1;
        }
        if template.starts_with("/api/v1/admin/") {
            assert!(protected, "{method} {template} must require a token");
            app.call(&method, &path, Some(&member_a.access), body.as_ref())
                .await
                .assert_problem(403, "forbidden");
        }
    }
    assert!(checked >= 14, "only {checked} protected routes found");
}

async fn another_tenants_admin_gets_404_and_changes_nothing(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let target = world.member_a.user_id.clone();
    let user_path = format!("/api/v1/admin/users/{target}");
    let before = app.get_as(&user_path, &world.admin_a.access).await.json();
    let mut checked = 0;
    for (method, template, _) in operations() {
        if !template.starts_with("/api/v1/admin/") || !template.contains('{') {
            continue;
        }
        let path = with_id(&template, &target);
        let res = app
            .call(
                &method,
                &path,
                Some(&world.admin_b.access),
                body_for(&method, &template).as_ref(),
            )
            .await;
        res.assert_problem(404, "not_found");
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} id routes found");
    let after = app.get_as(&user_path, &world.admin_a.access).await.json();
    assert_eq!(before, after, "the row is unchanged");
    // Its sessions too: the member is still signed in.
    assert_eq!(
        app.get_as("/api/v1/me", &world.member_a.access)
            .await
            .status,
        200
    );
}

backend_tests!(
    protected_routes_need_a_token_and_admin_routes_an_admin,
    another_tenants_admin_gets_404_and_changes_nothing,
);
