//! Webhooks: what an integrator's receiver sees. A receiver of our own on
//! loopback (`tests/webhooks/receiver.py`) verifies every delivery with the
//! official Standard Webhooks library, not with Hearth's code; the tests
//! drive delivery by hand (`Deliverer::deliver_due`) or start the workers of
//! two instances on one database.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::net::ToSocketAddrs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hearth::config::WebhookSettings;
use hearth::outbox::Deliverer;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, count, created, eventually, second_instance, spawn_app, spawn_app_with,
};
use crate::python::python;

const WEBHOOKS: &str = "/api/v1/admin/webhooks";

/// A running receiver, stopped when dropped.
struct Receiver {
    child: Child,
    port: u16,
    http: reqwest::Client,
}

/// One delivery as the receiver got it.
#[derive(Debug, Clone)]
struct Received {
    webhook_id: String,
    signature: String,
    /// Indexes of the configured secrets that verify it.
    verified_with: Vec<u64>,
    body: Value,
    arrived_at: f64,
    answered: u16,
}

impl Receiver {
    fn start() -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/webhooks/receiver.py");
        let mut child = Command::new(python())
            .arg(script)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the receiver");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().expect("stdout"))
            .read_line(&mut line)
            .expect("the receiver's port");
        let port = line.trim().parse().expect("a port");
        // reqwest's TLS (unused on loopback) needs the process's provider.
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self {
            child,
            port,
            http: reqwest::Client::new(),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hearth", self.port)
    }

    /// Verify with `secrets`; answer 500 to the next `fail_first` deliveries.
    async fn configure(&self, secrets: &[&str], fail_first: u32) {
        let res = self
            .http
            .post(format!("http://127.0.0.1:{}/_config", self.port))
            .body(json!({"secrets": secrets, "fail_first": fail_first}).to_string())
            .send()
            .await
            .expect("configure the receiver");
        assert_eq!(res.status().as_u16(), 204);
    }

    async fn received(&self) -> Vec<Received> {
        let text = self
            .http
            .get(format!("http://127.0.0.1:{}/_received", self.port))
            .send()
            .await
            .expect("ask the receiver")
            .text()
            .await
            .expect("the receiver's answer");
        let all: Vec<Value> = serde_json::from_str(&text).expect("JSON");
        all.into_iter()
            .map(|r| Received {
                webhook_id: r["webhook_id"].as_str().unwrap_or_default().into(),
                signature: r["signature"].as_str().unwrap_or_default().into(),
                verified_with: r["verified_with"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_u64().unwrap())
                    .collect(),
                body: serde_json::from_str(r["body"].as_str().unwrap()).expect("a JSON body"),
                arrived_at: r["arrived_at"].as_f64().unwrap(),
                answered: u16::try_from(r["answered"].as_u64().unwrap()).unwrap(),
            })
            .collect()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Registers an endpoint for `types` at `url`; returns it with its secret.
async fn subscribe(app: &TestApp, admin: &str, url: &str, types: &[&str]) -> Value {
    let res = app
        .post_as(WEBHOOKS, admin, &json!({"url": url, "event_types": types}))
        .await;
    assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
    res.json()
}

/// A receiver that verifies with the secret of a new endpoint for
/// `points.awarded`, answering 500 to the first `fail_first` deliveries.
async fn listening(app: &TestApp, admin: &str, fail_first: u32) -> (Receiver, Value) {
    let receiver = Receiver::start();
    let webhook = subscribe(app, admin, &receiver.url(), &["points.awarded"]).await;
    receiver
        .configure(&[webhook["secret"].as_str().unwrap()], fail_first)
        .await;
    (receiver, webhook)
}

/// Awards `user` 5 points: one `points.awarded` event.
async fn award(app: &TestApp, admin: &str, user: &str) {
    created(
        app,
        admin,
        "/api/v1/admin/points/awards",
        json!({"user_id": user, "amount": 5, "reason": "Drop-off"}),
    )
    .await;
}

/// A deliverer for `app` with its own settings changed by `adjust`.
fn deliverer(app: &TestApp, adjust: impl FnOnce(&mut WebhookSettings)) -> Deliverer {
    let mut settings = app.state.settings.webhooks.clone();
    adjust(&mut settings);
    Deliverer::new(app.state.db.clone(), settings).expect("deliverer")
}

async fn deliveries(app: &TestApp, admin: &str, webhook: &Value) -> Vec<Value> {
    let path = format!("{WEBHOOKS}/{}/deliveries", webhook["id"].as_str().unwrap());
    let res = app.get_as(&path, admin).await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    res.json()["data"].as_array().unwrap().clone()
}

fn id_of(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

async fn a_recorded_payment_is_delivered_once_signed_as_the_api_returns_it(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let receiver = Receiver::start();
    let webhook = subscribe(&app, admin, &receiver.url(), &["payment.recorded"]).await;
    let secret = webhook["secret"].as_str().unwrap();
    assert!(secret.starts_with("whsec_"), "{secret}");
    receiver.configure(&[secret], 0).await;
    // The secret is shown once: reading the endpoint again never shows it.
    let read = app
        .get_as(&format!("{WEBHOOKS}/{}", id_of(&webhook)), admin)
        .await
        .json();
    assert_eq!(read["secret"], Value::Null);
    assert_eq!(read["event_types"], json!(["payment.recorded"]));
    assert_eq!(read["enabled"], true);

    let household = created(
        &app,
        admin,
        "/api/v1/admin/households",
        json!({"name": "Okafors"}),
    )
    .await;
    let payment = created(
        &app,
        admin,
        "/api/v1/admin/payments",
        json!({"household_id": household["id"], "amount": 1250, "method": "cash"}),
    )
    .await;
    // Points are told too, but this endpoint did not subscribe to them.
    award(&app, admin, &world.member_a.user_id).await;

    let deliverer = deliverer(&app, |_| {});
    assert_eq!(deliverer.deliver_due().await.unwrap(), 1);
    assert_eq!(deliverer.deliver_due().await.unwrap(), 0, "nothing is due");
    let received = receiver.received().await;
    assert_eq!(received.len(), 1, "{received:?}");
    let got = &received[0];
    assert_eq!(got.verified_with, vec![0], "standardwebhooks verifies it");
    assert_eq!(got.body["type"], "payment.recorded");
    assert_eq!(got.body["tenant"], json!(world.tenant_a));
    assert_eq!(got.webhook_id, got.body["id"].as_str().unwrap());
    let as_read = app
        .get_as(
            &format!("/api/v1/admin/payments/{}", id_of(&payment)),
            admin,
        )
        .await
        .json();
    assert_eq!(
        got.body["data"], as_read,
        "data is the resource as GET returns it"
    );

    let listed = deliveries(&app, admin, &webhook).await;
    assert_eq!(listed.len(), 1);
    let delivery = &listed[0];
    assert_eq!(delivery["status"], "delivered");
    assert_eq!(delivery["event_type"], "payment.recorded");
    assert_eq!(delivery["event_id"], got.body["id"]);
    assert_eq!(delivery["next_attempt_at"], Value::Null);
    let attempts = delivery["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0]["status_code"], 204);
    assert_eq!(attempts[0]["error"], Value::Null);
    assert!(attempts[0]["latency_ms"].as_i64().unwrap() >= 0);
}

async fn a_failing_receiver_is_retried_each_time_a_little_later(backend: TestBackend) {
    // Waits of about 200, 400 and 800 ms (±20 %): never overlapping.
    let app = spawn_app_with(backend, |s| s.webhooks.retry_base_ms = 200).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let (receiver, webhook) = listening(&app, admin, 3).await;
    award(&app, admin, &world.member_a.user_id).await;
    let deliverer = deliverer(&app, |_| {});
    let deadline = Instant::now() + Duration::from_secs(20);
    while receiver.received().await.len() < 4 && Instant::now() < deadline {
        deliverer.deliver_due().await.unwrap();
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
    let received = receiver.received().await;
    let answered: Vec<u16> = received.iter().map(|r| r.answered).collect();
    assert_eq!(answered, vec![500, 500, 500, 204], "delivered on the 4th");
    let ids: HashSet<&str> = received.iter().map(|r| r.webhook_id.as_str()).collect();
    assert_eq!(ids.len(), 1, "every attempt carries the same webhook-id");
    assert!(received.iter().all(|r| r.verified_with == vec![0]));
    let gaps: Vec<f64> = received
        .windows(2)
        .map(|w| w[1].arrived_at - w[0].arrived_at)
        .collect();
    assert!(
        gaps[0] >= 0.15 && gaps[0] < gaps[1] && gaps[1] < gaps[2],
        "each wait longer than the last: {gaps:?}"
    );
    let listed = deliveries(&app, admin, &webhook).await;
    assert_eq!(listed[0]["status"], "delivered");
    let codes: Vec<&Value> = listed[0]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["status_code"])
        .collect();
    assert_eq!(codes, [&json!(500), &json!(500), &json!(500), &json!(204)]);
    assert_eq!(
        listed[0]["attempts"][0]["error"],
        "the receiver answered 500"
    );
}

async fn a_change_that_rolls_back_is_never_delivered(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let (receiver, _) = listening(&app, admin, 0).await;
    // The first item is awarded, then the second is refused: all rolls back.
    app.post_as(
        "/api/v1/admin/points/awards/batch",
        admin,
        &json!({"items": [
            {"user_id": world.member_a.user_id, "amount": 10, "reason": "ok"},
            {"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "amount": 10, "reason": "nobody"},
        ]}),
    )
    .await
    .assert_problem(422, "validation_failed");
    assert_eq!(deliverer(&app, |_| {}).deliver_due().await.unwrap(), 0);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM webhook_events"), 0);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM webhook_deliveries"),
        0
    );
    assert!(receiver.received().await.is_empty());
}

async fn two_instances_deliver_every_event_once(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let other = second_instance(&app).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let (receiver, _) = listening(&app, admin, 0).await;
    let items: Vec<Value> = (0..500)
        .map(|i| json!({"user_id": world.member_a.user_id, "amount": 1, "reason": format!("Bag {i}")}))
        .collect();
    created(
        &app,
        admin,
        "/api/v1/admin/points/awards/batch",
        json!({"items": items}),
    )
    .await;
    // Each instance's own worker, as `hearth serve` starts it.
    let workers: Vec<_> = [&app, &other]
        .into_iter()
        .map(|instance| {
            let mut settings = instance.state.settings.webhooks.clone();
            settings.delivery_interval_ms = 20;
            // Time enough for a receiver busy with both instances' batches:
            // a send that timed out would be sent again (at least once).
            settings.timeout_ms = 30_000;
            hearth::outbox::run_webhook_deliveries(instance.state.db.clone(), settings)
                .expect("worker")
                .expect("delivery is on")
        })
        .collect();
    let all_delivered = eventually(Duration::from_secs(120), async || {
        count(
            &app,
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'delivered'",
        ) == 500
    })
    .await;
    drop(workers);
    assert!(all_delivered, "500 deliveries delivered");
    let received = receiver.received().await;
    let ids: HashSet<&str> = received.iter().map(|r| r.webhook_id.as_str()).collect();
    assert_eq!(ids.len(), 500, "none lost");
    assert_eq!(received.len(), 500, "none sent twice");
    assert!(received.iter().all(|r| r.verified_with == vec![0]));
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM webhook_attempts"),
        500,
        "one attempt each"
    );
}

async fn a_rotated_secret_signs_beside_the_new_one_for_a_day(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let receiver = Receiver::start();
    let webhook = subscribe(&app, admin, &receiver.url(), &["points.awarded"]).await;
    let path = format!("{WEBHOOKS}/{}", id_of(&webhook));
    let old = webhook["secret"].as_str().unwrap().to_string();
    let rotated = created(&app, admin, &format!("{path}/rotate-secret"), json!({})).await;
    let new = rotated["secret"].as_str().unwrap().to_string();
    assert_ne!(old, new);
    assert!(rotated["previous_secret_expires_at"].is_string());
    receiver.configure(&[&old, &new], 0).await;
    let deliverer = deliverer(&app, |_| {});

    let test = app
        .post_as(&format!("{path}/test"), admin, &json!({}))
        .await;
    assert_eq!(test.status, 202, "{}", String::from_utf8_lossy(&test.body));
    assert_eq!(test.json()["event_type"], "webhook.test");
    assert_eq!(deliverer.deliver_due().await.unwrap(), 1);
    let first = receiver.received().await[0].clone();
    assert_eq!(first.verified_with, vec![0, 1], "both secrets verify");
    assert_eq!(first.signature.split(' ').count(), 2);
    assert_eq!(first.body["type"], "webhook.test");
    assert_eq!(first.body["data"]["id"], webhook["id"]);

    // A day later the old secret no longer signs.
    let mut conn = app.db.connect();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(
            "UPDATE webhook_endpoints SET previous_secret_until = '2000-01-01 00:00:00'",
        ),
        &mut conn,
    )
    .unwrap();
    let read = app.get_as(&path, admin).await.json();
    assert_eq!(read["previous_secret_expires_at"], Value::Null);
    created(&app, admin, &format!("{path}/test"), json!({})).await;
    assert_eq!(deliverer.deliver_due().await.unwrap(), 1);
    let second = receiver.received().await[1].clone();
    assert_eq!(second.verified_with, vec![1], "only the new secret");
    assert_eq!(second.signature.split(' ').count(), 1);
}

async fn private_targets_are_refused_when_saved(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| s.webhooks.allow_private_targets = false).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    for url in [
        "http://127.0.0.1:8080/hooks",
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.1.2.3/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[::ffff:192.168.0.1]/hooks",
        "http://example.org/hooks",
        "https://user:secret@example.org/hooks",
        "not a url",
    ] {
        let res = app
            .post_as(
                WEBHOOKS,
                admin,
                &json!({"url": url, "event_types": ["payment.recorded"]}),
            )
            .await;
        let problem = res.assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], "url", "{url}");
        assert_eq!(problem["errors"][0]["code"], "invalid_target", "{url}");
    }
    // A public name is accepted (whether or not it resolves here).
    let ok = subscribe(
        &app,
        admin,
        "https://hooks.example.org/hearth",
        &["payment.recorded"],
    )
    .await;
    // And a change of target is checked the same way.
    let res = app
        .call(
            "PATCH",
            &format!("{WEBHOOKS}/{}", id_of(&ok)),
            Some(admin),
            Some(&json!({"url": "https://192.168.1.1/"})),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM webhook_endpoints"),
        1
    );
}

/// This machine's host name, which /etc/hosts maps to loopback.
fn name_of_loopback() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .expect("host name")
        .trim()
        .to_string();
    let resolved: Vec<_> = (name.as_str(), 443)
        .to_socket_addrs()
        .map(Iterator::collect)
        .unwrap_or_default();
    assert!(
        !resolved.is_empty()
            && resolved
                .iter()
                .all(|a: &std::net::SocketAddr| a.ip().is_loopback()),
        "this test needs the host name {name} to resolve to loopback (it does in /etc/hosts \
         on the project's machines): {resolved:?}"
    );
    name
}

async fn a_name_that_resolves_to_loopback_is_refused_at_delivery(backend: TestBackend) {
    // Saved where private targets are allowed (or while the name was public),
    // then delivered by an instance where they are not.
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let receiver = Receiver::start();
    let url = format!("https://{}:{}/hearth", name_of_loopback(), receiver.port);
    let webhook = subscribe(&app, admin, &url, &["points.awarded"]).await;
    award(&app, admin, &world.member_a.user_id).await;
    let strict = deliverer(&app, |s| s.allow_private_targets = false);
    assert_eq!(strict.deliver_due().await.unwrap(), 1);
    assert!(receiver.received().await.is_empty(), "nothing reached it");
    let delivery = deliveries(&app, admin, &webhook).await[0].clone();
    assert_eq!(delivery["status"], "pending", "it is retried later");
    let attempt = &delivery["attempts"][0];
    assert_eq!(attempt["status_code"], Value::Null);
    let error = attempt["error"].as_str().unwrap();
    assert!(
        error.contains("refused") && error.contains("resolves to") && error.contains("127.0.0.1"),
        "{error}"
    );
}

async fn endpoints_are_validated_and_belong_to_their_tenant(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let url = "http://127.0.0.1:9/hearth";
    for (body, field, code) in [
        (
            json!({"url": url, "event_types": ["points.given"]}),
            "",
            "bad_request",
        ),
        (json!({"url": url, "event_types": []}), "event_types", ""),
        (
            json!({"url": url, "event_types": ["points.awarded", "points.awarded"]}),
            "event_types[1]",
            "duplicate",
        ),
        (
            json!({"url": url, "event_types": ["webhook.test"]}),
            "event_types[0]",
            "not_subscribable",
        ),
        (
            json!({"url": url, "event_types": ["points.awarded"], "secret": "mine"}),
            "",
            "bad_request",
        ),
    ] {
        let res = app.post_as(WEBHOOKS, admin, &body).await;
        if code == "bad_request" {
            res.assert_problem(400, "bad_request");
            continue;
        }
        let problem = res.assert_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["field"], field, "{body}");
        if !code.is_empty() {
            assert_eq!(problem["errors"][0]["code"], code, "{body}");
        }
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM webhook_endpoints"),
        0
    );

    let first = subscribe(&app, admin, url, &["payment.voided", "payment.recorded"]).await;
    assert_eq!(
        first["event_types"],
        json!(["payment.recorded", "payment.voided"]),
        "types come back in canonical order"
    );
    let second = subscribe(&app, admin, url, &["points.awarded"]).await;
    let page = app
        .get_as(&format!("{WEBHOOKS}?limit=1"), admin)
        .await
        .json();
    assert_eq!(page["data"][0]["id"], second["id"], "newest first");
    let cursor = page["next_cursor"].as_str().expect("a next page");
    let rest = app
        .get_as(&format!("{WEBHOOKS}?limit=1&cursor={cursor}"), admin)
        .await
        .json();
    assert_eq!(rest["data"][0]["id"], first["id"]);

    let path = format!("{WEBHOOKS}/{}", id_of(&first));
    let changed = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"event_types": ["charge.issued"], "description": "Bursar"})),
        )
        .await;
    assert_eq!(changed.status, 200);
    let changed = changed.json();
    assert_eq!(changed["event_types"], json!(["charge.issued"]));
    assert_eq!(changed["description"], "Bursar");
    let paused = app
        .call(
            "PATCH",
            &path,
            Some(admin),
            Some(&json!({"enabled": false})),
        )
        .await
        .json();
    assert_eq!(paused["enabled"], false);
    assert_eq!(paused["disabled_reason"], "disabled by an admin");

    // Another organisation's admin finds nothing; a member may not look.
    let theirs = world.admin_b.access.as_str();
    let member = world.member_a.access.as_str();
    for (method, route) in [
        ("GET", path.clone()),
        ("PATCH", path.clone()),
        ("DELETE", path.clone()),
        ("POST", format!("{path}/rotate-secret")),
        ("POST", format!("{path}/test")),
        ("GET", format!("{path}/deliveries")),
    ] {
        let body = (method != "GET" && method != "DELETE").then(|| json!({}));
        app.call(method, &route, Some(theirs), body.as_ref())
            .await
            .assert_problem(404, "not_found");
        app.call(method, &route, Some(member), body.as_ref())
            .await
            .assert_problem(403, "forbidden");
    }
    let listed = app.get_as(WEBHOOKS, theirs).await.json();
    assert_eq!(listed["data"], json!([]));
    assert_eq!(app.get_as(&path, admin).await.json()["enabled"], false);

    let gone = app.call("DELETE", &path, Some(admin), None).await;
    assert_eq!(gone.status, 204);
    app.get_as(&path, admin)
        .await
        .assert_problem(404, "not_found");
    let audited = count(
        &app,
        "SELECT COUNT(*) AS n FROM audit_events WHERE action LIKE 'webhook.%'",
    );
    assert_eq!(audited, 5, "two creates, two updates and a delete");
}

backend_tests!(
    a_recorded_payment_is_delivered_once_signed_as_the_api_returns_it,
    a_failing_receiver_is_retried_each_time_a_little_later,
    a_change_that_rolls_back_is_never_delivered,
    two_instances_deliver_every_event_once,
    a_rotated_secret_signs_beside_the_new_one_for_a_day,
    private_targets_are_refused_when_saved,
    a_name_that_resolves_to_loopback_is_refused_at_delivery,
    exhausted_retries_disable_the_endpoint_until_an_admin_enables_it,
    endpoints_are_validated_and_belong_to_their_tenant,
);

async fn exhausted_retries_disable_the_endpoint_until_an_admin_enables_it(backend: TestBackend) {
    let app = spawn_app_with(backend, |s| {
        s.webhooks.max_attempts = 3;
        s.webhooks.retry_base_ms = 20;
    })
    .await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let (receiver, webhook) = listening(&app, admin, 1000).await;
    let path = format!("{WEBHOOKS}/{}", id_of(&webhook));
    award(&app, admin, &world.member_a.user_id).await;
    let deliverer = deliverer(&app, |_| {});
    let gave_up = eventually(Duration::from_secs(20), async || {
        deliverer.deliver_due().await.unwrap();
        deliveries(&app, admin, &webhook).await[0]["status"] == "failed"
    })
    .await;
    assert!(gave_up, "the delivery fails after 3 attempts");
    assert_eq!(receiver.received().await.len(), 3);
    let read = app.get_as(&path, admin).await.json();
    assert_eq!(read["enabled"], false);
    let reason = read["disabled_reason"].as_str().unwrap();
    assert!(
        reason.contains("3 attempts") && reason.contains("500"),
        "{reason}"
    );
    // While disabled nothing is sent, and asking for it says why.
    app.post_as(&format!("{path}/test"), admin, &json!({}))
        .await
        .assert_problem(409, "webhook_disabled");
    let delivery = deliveries(&app, admin, &webhook).await[0].clone();
    let retry = format!("{WEBHOOKS}/deliveries/{}/retry", id_of(&delivery));
    app.post_as(&retry, admin, &json!({}))
        .await
        .assert_problem(409, "webhook_disabled");

    let enabled = app
        .call("PATCH", &path, Some(admin), Some(&json!({"enabled": true})))
        .await;
    assert_eq!(enabled.status, 200);
    assert_eq!(enabled.json()["disabled_reason"], Value::Null);
    receiver
        .configure(&[webhook["secret"].as_str().unwrap()], 0)
        .await;
    let again = app.post_as(&retry, admin, &json!({})).await;
    assert_eq!(
        again.status,
        202,
        "{}",
        String::from_utf8_lossy(&again.body)
    );
    assert_eq!(again.json()["status"], "pending");
    assert_eq!(deliverer.deliver_due().await.unwrap(), 1);
    let delivery = deliveries(&app, admin, &webhook).await[0].clone();
    assert_eq!(delivery["status"], "delivered");
    assert_eq!(delivery["attempts"].as_array().unwrap().len(), 4);
}
