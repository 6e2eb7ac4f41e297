//! Point rules: admins create, change and archive them, per tenant.

use serde_json::json;

use crate::backend_tests;
use crate::helpers::{TestBackend, spawn_app};

async fn admins_manage_point_rules(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.clone();
    let created = app
        .post_as(
            "/api/v1/admin/point-rules",
            &admin,
            &json!({"name": " PET bottles ", "unit": "kg", "points_per_unit": 10}),
        )
        .await;
    assert_eq!(created.status, 201);
    let rule = created.json();
    assert_eq!(
        (rule["name"].as_str(), rule["points_per_unit"].as_i64()),
        (Some("PET bottles"), Some(10))
    );
    let path = format!("/api/v1/admin/point-rules/{}", rule["id"].as_str().unwrap());

    // JSON Schema's integers include 12.0; generated clients may send that.
    let whole = app
        .post_as(
            "/api/v1/admin/point-rules",
            &admin,
            &json!({"name": "Glass", "unit": "kg", "points_per_unit": 12.0}),
        )
        .await;
    assert_eq!(whole.status, 201);
    assert_eq!(whole.json()["points_per_unit"], 12);
    app.call(
        "DELETE",
        &format!(
            "/api/v1/admin/point-rules/{}",
            whole.json()["id"].as_str().unwrap()
        ),
        Some(&admin),
        None,
    )
    .await;

    let patched = app
        .call(
            "PATCH",
            &path,
            Some(&admin),
            Some(&json!({"points_per_unit": 12})),
        )
        .await
        .json();
    assert_eq!(
        (
            patched["points_per_unit"].as_i64(),
            patched["unit"].as_str()
        ),
        (Some(12), Some("kg"))
    );

    for bad in [
        json!({"name": "", "unit": "kg", "points_per_unit": 1}),
        json!({"name": "x", "unit": "  ", "points_per_unit": 1}),
        json!({"name": "x", "unit": "kg", "points_per_unit": 0}),
        json!({"name": "x", "unit": "kg", "points_per_unit": 1_000_001}),
        json!({"name": "x", "unit": "kg", "points_per_unit": -5}),
    ] {
        app.post_as("/api/v1/admin/point-rules", &admin, &bad)
            .await
            .assert_problem(422, "validation_failed");
    }
    for bad in [
        json!({"name": "x", "unit": "kg", "points_per_unit": 1.5}),
        json!({"name": "x", "unit": "kg", "points_per_unit": "10"}),
        json!({"name": "x", "unit": "kg"}),
    ] {
        app.post_as("/api/v1/admin/point-rules", &admin, &bad)
            .await
            .assert_problem(400, "bad_request");
    }

    // Another tenant's admin sees nothing and changes nothing.
    let other = world.admin_b.access.clone();
    app.call(
        "PATCH",
        &path,
        Some(&other),
        Some(&json!({"points_per_unit": 99})),
    )
    .await
    .assert_problem(404, "not_found");
    app.call("DELETE", &path, Some(&other), None)
        .await
        .assert_problem(404, "not_found");
    let theirs = app.get_as("/api/v1/admin/point-rules", &other).await.json();
    assert!(theirs["data"].as_array().unwrap().is_empty());

    assert_eq!(
        app.call("DELETE", &path, Some(&admin), None).await.status,
        204
    );
    assert_eq!(
        app.call("DELETE", &path, Some(&admin), None).await.status,
        204
    );
    app.call(
        "PATCH",
        &path,
        Some(&admin),
        Some(&json!({"points_per_unit": 99})),
    )
    .await
    .assert_problem(409, "rule_archived");
    let live = app.get_as("/api/v1/admin/point-rules", &admin).await.json();
    assert!(live["data"].as_array().unwrap().is_empty());
    let all = app
        .get_as("/api/v1/admin/point-rules?archived=true", &admin)
        .await
        .json();
    assert_eq!(all["data"][0]["points_per_unit"], 12);
    assert!(all["data"][0]["archived_at"].is_string());
}

backend_tests!(admins_manage_point_rules);
