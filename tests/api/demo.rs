//! `hearth demo`: the published accounts sign in and find points to look at.

use crate::backend_tests;
use crate::helpers::{TestBackend, spawn_app};

async fn the_demo_tenant_has_accounts_rules_and_history(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let codes = hearth::demo::seed(&app.state.db).await.expect("seed");
    assert_eq!(codes.len(), 3);

    let [admin, ann, bob, cara] = hearth::demo::ACCOUNTS.map(|(email, _, password, _, _)| {
        let app = &app;
        async move { app.login(hearth::demo::TENANT, email, password).await }
    });
    let (admin, ann, bob, cara) = (admin.await, ann.await, bob.await, cara.await);
    let mut seen = Vec::new();
    for member in [&ann, &bob, &cara] {
        seen.push(app.get_as("/api/v1/me", &member.access).await.json()["points_balance"].clone());
    }
    // 2.5 kg PET × 10 + 40; 3.2 kg glass × 5 + 40 − 6; 4 kg cardboard × 3 + 15.
    assert_eq!(seen, [65, 50, 27]);
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
    assert_eq!(history["data"].as_array().unwrap().len(), 3);

    let again = hearth::demo::seed(&app.state.db).await.unwrap_err();
    assert_eq!(again.code(), "conflict", "the demo is created once");
}

backend_tests!(the_demo_tenant_has_accounts_rules_and_history);
