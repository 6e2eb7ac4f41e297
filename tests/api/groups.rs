//! Groups and rosters: a class is named once, its roster is set all or
//! nothing, and an event for it counts and lists the class, not the tenant.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::dependants::two_households;
use crate::events::{at, clean_up, create_event};
use crate::helpers::{TestBackend, count, spawn_app};

async fn a_roster_is_set_all_or_nothing(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, _) = two_households(&app).await;
    let admin = &world.admin_a.access;
    let created = app
        .post_as(
            "/api/v1/admin/groups",
            admin,
            &json!({"name": " Class 2B "}),
        )
        .await;
    assert_eq!(
        created.status,
        201,
        "{}",
        String::from_utf8_lossy(&created.body)
    );
    let group = created.json();
    assert_eq!(
        (&group["name"], &group["member_count"]),
        (&json!("Class 2B"), &json!(0))
    );
    app.post_as("/api/v1/admin/groups", admin, &json!({"name": "Class 2B"}))
        .await
        .assert_problem(409, "conflict");

    let members = format!(
        "/api/v1/admin/groups/{}/members",
        group["id"].as_str().unwrap()
    );
    let ann = world.member_a.user_id.as_str();
    let stranger = uuid::Uuid::now_v7().to_string();
    let bad = json!({"user_ids": [ann, stranger, ann, world.admin_b.user_id]});
    let refused = app
        .call("PUT", &members, Some(admin), Some(&bad))
        .await
        .assert_problem(422, "validation_failed");
    let named: Vec<(&str, &str)> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        vec![
            ("user_ids[1]", "unknown_user"),
            ("user_ids[2]", "duplicate"),
            ("user_ids[3]", "unknown_user")
        ]
    );
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM group_members"), 0);
    let too_many: Vec<String> = (0..2001)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    app.call(
        "PUT",
        &members,
        Some(admin),
        Some(&json!({"user_ids": too_many})),
    )
    .await
    .assert_problem(422, "validation_failed");

    let set = app
        .call(
            "PUT",
            &members,
            Some(admin),
            Some(&json!({"user_ids": [mia, ann]})),
        )
        .await;
    assert_eq!(set.status, 200);
    let mut expected = vec![mia.clone(), ann.to_string()];
    expected.sort();
    assert_eq!(set.json()["user_ids"], json!(expected));
    assert_eq!(set.json()["member_count"], 2);
    let list = app.get_as("/api/v1/admin/groups", admin).await.json();
    assert_eq!(list["data"][0]["member_count"], 2);

    let one = format!("/api/v1/admin/groups/{}", group["id"].as_str().unwrap());
    let renamed = app
        .call(
            "PATCH",
            &one,
            Some(admin),
            Some(&json!({"name": "Class 3B", "description": "Ms Reyes"})),
        )
        .await
        .json();
    assert_eq!(
        (&renamed["name"], &renamed["description"]),
        (&json!("Class 3B"), &json!("Ms Reyes"))
    );
    assert_eq!(
        app.call("DELETE", &one, Some(admin), None).await.status,
        204
    );
    app.get_as(&one, admin)
        .await
        .assert_problem(404, "not_found");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM group_members"), 0);
}

fn statuses(page: &Value) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["display_name"].as_str().unwrap().to_string(),
                row["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

async fn a_class_event_counts_and_lists_its_roster(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let (world, mia, _) = two_households(&app).await;
    let admin = &world.admin_a.access;
    let crowd = app.members(&world.tenant_a, 5, 0).await;
    let group = app
        .post_as("/api/v1/admin/groups", admin, &json!({"name": "Class 2B"}))
        .await
        .json();
    let group_id = group["id"].as_str().unwrap();
    let roster = json!({"user_ids": [mia, world.member_a.user_id, crowd[0].user_id]});
    let members = format!("/api/v1/admin/groups/{group_id}/members");
    assert_eq!(
        app.call("PUT", &members, Some(admin), Some(&roster))
            .await
            .status,
        200
    );

    app.state.clock.pin(at("2026-11-28 08:00:00"));
    let mut body = clean_up();
    body["group_ids"] = json!([uuid::Uuid::now_v7().to_string()]);
    let refused = app
        .post_as("/api/v1/admin/events", admin, &body)
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(refused["errors"][0]["field"], "group_ids[0]");
    assert_eq!(refused["errors"][0]["code"], "unknown_group");
    body["group_ids"] = json!([group_id]);
    let class = create_event(&app, admin, body).await;
    assert_eq!(class["group_ids"], json!([group_id]));
    let everyone = create_event(&app, admin, clean_up()).await;
    assert_eq!(everyone["group_ids"], json!([]));

    app.state.clock.pin(at("2026-11-28 09:00:00"));
    let id = class["id"].as_str().unwrap();
    let marking = format!("/api/v1/admin/events/{id}/attendance");
    // Marked: one of the class, and Bob, who came although not on the roster.
    let marks = json!({"records": [
        {"user_id": mia, "status": "present"},
        {"user_id": world.other_member_a.user_id, "status": "late"}]});
    assert_eq!(
        app.call("PUT", &marking, Some(admin), Some(&marks))
            .await
            .status,
        200
    );

    let summary = app
        .get_as(&format!("{marking}/summary"), admin)
        .await
        .json();
    assert_eq!(
        (summary["present"].clone(), summary["late"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        summary["not_recorded"], 2,
        "Ann and one crowd member of the class"
    );
    let whole = format!(
        "/api/v1/admin/events/{}/attendance/summary",
        everyone["id"].as_str().unwrap()
    );
    let tenant_wide = app.get_as(&whole, admin).await.json();
    assert_eq!(
        tenant_wide["not_recorded"], 8,
        "every active member of the tenant"
    );

    let list = app.get_as(&marking, admin).await;
    assert_eq!(list.status, 200, "{}", String::from_utf8_lossy(&list.body));
    let list = list.json();
    assert_eq!(
        statuses(&list),
        vec![
            ("Crowd member".to_string(), "not_recorded".to_string()),
            ("Mia".to_string(), "present".to_string()),
            ("ann".to_string(), "not_recorded".to_string()),
            ("bob".to_string(), "late".to_string()),
        ]
    );
    let recorded = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["user_id"] == mia.as_str())
        .unwrap();
    assert!(recorded["id"].is_string() && recorded["points_awarded"] == 20);
    // Pages of two walk the same four rows.
    let first = app
        .get_as(&format!("{marking}?limit=2"), admin)
        .await
        .json();
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = app
        .get_as(&format!("{marking}?limit=2&cursor={cursor}"), admin)
        .await
        .json();
    assert_eq!(
        first["data"].as_array().unwrap().len() + second["data"].as_array().unwrap().len(),
        4
    );
    assert!(second["next_cursor"].is_null());

    // Dropping the groups makes it a tenant-wide event again.
    let patched = app
        .call(
            "PATCH",
            &format!("/api/v1/admin/events/{id}"),
            Some(admin),
            Some(&json!({"group_ids": []})),
        )
        .await
        .json();
    assert_eq!(patched["group_ids"], json!([]));
    let summary = app
        .get_as(&format!("{marking}/summary"), admin)
        .await
        .json();
    assert_eq!(
        summary["not_recorded"], 6,
        "the tenant but the two recorded"
    );
}

backend_tests!(
    a_roster_is_set_all_or_nothing,
    a_class_event_counts_and_lists_its_roster,
);
