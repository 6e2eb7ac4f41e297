//! Mail: what a family's inbox gets. A real SMTP server on loopback
//! (`tests/mail/smtp_server.py`, aiosmtpd) receives every message; the
//! tests drive sending by hand (`Postman::send_due`) or start the postman's
//! thread, and run the reminders of two instances on one database at once.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hearth::config::{MailSettings, MailTls, Settings};
use hearth::mail::Postman;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{
    TestApp, TestBackend, count, created, eventually, second_instance, spawn_app_with,
};
use crate::python::python;
use crate::rewards::{create_reward, give_points};

const REQUEST_CODE: &str = "/api/v1/auth/password-reset/request";

/// A running SMTP server, stopped when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
    received: Arc<Mutex<Vec<Value>>>,
}

impl SmtpServer {
    /// Starts a server on `port` (0 = a free one).
    fn start(port: u16) -> Self {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mail/smtp_server.py");
        let mut child = Command::new(python())
            .arg(script)
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let first = lines.next().expect("the port line").expect("stdout");
        let port = first
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("not a port line: {first:?}"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&received);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                let message: Value = serde_json::from_str(&line).expect("a JSON line");
                sink.lock().unwrap().push(message);
            }
        });
        Self {
            child,
            port,
            received,
        }
    }

    /// The server gone (for a test of mail while it is down).
    fn stop(mut self) -> u16 {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.port
    }

    fn received(&self) -> Vec<Value> {
        self.received.lock().unwrap().clone()
    }

    fn to(&self, address: &str) -> Vec<Value> {
        self.received()
            .into_iter()
            .filter(|m| m["rcpt_tos"] == json!([address]))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Mail to the SMTP server on loopback `port`, without TLS (the server is
/// the test's own).
fn mail_to(port: u16) -> impl FnOnce(&mut Settings) {
    move |s| {
        s.mail = MailSettings {
            host: "127.0.0.1".into(),
            port,
            tls: MailTls::None,
            from: "Green Valley via Hearth <no-reply@hearth.test>".into(),
            ..s.mail.clone()
        };
    }
}

/// A postman for `app`'s database and settings.
fn postman(app: &TestApp) -> Postman {
    Postman::new(app.state.db.clone(), app.state.settings.mail.clone()).expect("postman")
}

/// One look of `postman`, off the test's runtime (it blocks on SMTP).
async fn send_due(postman: &Postman) -> usize {
    let postman = postman.clone();
    tokio::task::spawn_blocking(move || postman.send_due())
        .await
        .expect("the look ran")
        .expect("the look succeeded")
}

/// Sends until `server` has `n` messages (or the deadline passes).
async fn sent_until(postman: &Postman, server: &SmtpServer, n: usize) -> bool {
    eventually(Duration::from_secs(10), async || {
        send_due(postman).await;
        server.received().len() >= n
    })
    .await
}

/// The reset code in a mail's text.
fn code_in(message: &Value) -> String {
    let text = message["text"].as_str().expect("a plain-text part");
    let pattern = regex::Regex::new(r"(?m)^\s+([A-Z0-9]{12})\s*$").unwrap();
    pattern.captures(text).expect("a code line")[1].to_string()
}

/// Puts the world's two members of tenant A in one household with a
/// dependant; returns the household's id.
async fn household(app: &TestApp, admin: &str, members: &[&str]) -> String {
    let household = created(
        app,
        admin,
        "/api/v1/admin/households",
        json!({"name": "The Smiths"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    for member in members {
        let path = format!("/api/v1/admin/households/{household}/members");
        let res = app.post_as(&path, admin, &json!({"user_id": member})).await;
        assert!(
            res.status.is_success(),
            "{}",
            String::from_utf8_lossy(&res.body)
        );
    }
    let dependants = format!("/api/v1/admin/households/{household}/dependants");
    created(app, admin, &dependants, json!({"display_name": "Tom"})).await;
    household
}

async fn opt_out(app: &TestApp, token: &str, topic: &str) {
    let body = json!({"notifications": {topic: false}});
    let res = app
        .call("PATCH", "/api/v1/me", Some(token), Some(&body))
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.json()["notifications"][topic], false);
}

async fn a_reset_request_answers_alike_and_mails_a_code_that_works_once(backend: TestBackend) {
    let server = SmtpServer::start(0);
    let app = spawn_app_with(backend, mail_to(server.port)).await;
    app.world().await;
    let ask = async |tenant: &str, email: &str| {
        app.post_json(REQUEST_CODE, &json!({"tenant": tenant, "email": email}))
            .await
    };
    let unknown = ask("tenant-a", "nobody@a.example").await;
    let known = ask("tenant-a", " ANN@a.example ").await;
    let no_tenant = ask("no-such-tenant", "ann@a.example").await;
    for res in [&unknown, &known, &no_tenant] {
        assert_eq!(res.status, 202);
        assert_eq!(res.body, known.body, "the same body");
        let mut names: Vec<_> = res.headers.keys().map(|k| k.as_str()).collect();
        let mut known_names: Vec<_> = known.headers.keys().map(|k| k.as_str()).collect();
        names.sort_unstable();
        known_names.sort_unstable();
        assert_eq!(names, known_names, "the same headers");
    }

    assert!(sent_until(&postman(&app), &server, 1).await);
    send_due(&postman(&app)).await;
    let mail = server.received();
    assert_eq!(mail.len(), 1, "mail for the known account only: {mail:?}");
    let message = &mail[0];
    assert_eq!(message["rcpt_tos"], json!(["ann@a.example"]));
    assert_eq!(message["mail_from"], "no-reply@hearth.test");
    assert_eq!(message["content_type"], "multipart/alternative");
    assert!(
        message["subject"]
            .as_str()
            .unwrap()
            .contains("password reset code")
    );
    let code = code_in(message);
    assert!(message["html"].as_str().unwrap().contains(&code));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM mail_messages WHERE text_body = '' AND html_body = '' AND status = 'sent'"
        ),
        1,
        "a sent code is erased from the database"
    );

    let reset = |code: &str| {
        json!({"tenant": "tenant-a", "email": "ann@a.example", "code": code,
            "new_password": "a brand new kettle song"})
    };
    let first = app
        .post_json("/api/v1/auth/password-reset", &reset(&code))
        .await;
    assert_eq!(
        first.status,
        204,
        "{}",
        String::from_utf8_lossy(&first.body)
    );
    app.post_json("/api/v1/auth/password-reset", &reset(&code))
        .await
        .assert_problem(422, "invalid_code");
    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"tenant": "tenant-a", "email": "ann@a.example",
                "password": "a brand new kettle song"}),
        )
        .await;
    assert_eq!(login.status, 200);
}

async fn reset_requests_are_limited_per_account_and_per_address_on_every_instance(
    backend: TestBackend,
) {
    let server = SmtpServer::start(0);
    let app = spawn_app_with(backend, mail_to(server.port)).await;
    app.world().await;
    let other = second_instance(&app).await;
    for (n, instance) in [&app, &other, &app, &other].into_iter().enumerate() {
        let body = json!({"tenant": "tenant-a", "email": "ann@a.example"});
        let res = instance.post_json(REQUEST_CODE, &body).await;
        assert_eq!(res.status, 202, "request {n}");
    }
    assert!(sent_until(&postman(&app), &server, 3).await);
    send_due(&postman(&other)).await;
    assert_eq!(
        server.to("ann@a.example").len(),
        3,
        "three codes an hour, however many are asked for"
    );
    // Ten requests an hour from one address, known accounts or not.
    for n in 4..10 {
        let body = json!({"tenant": "tenant-a", "email": format!("guess{n}@a.example")});
        assert_eq!(other.post_json(REQUEST_CODE, &body).await.status, 202);
    }
    let body = json!({"tenant": "tenant-a", "email": "bob@a.example"});
    let refused = app.post_json(REQUEST_CODE, &body).await;
    refused.assert_problem(429, "rate_limited");
    let retry_after: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    send_due(&postman(&app)).await;
    assert!(server.to("bob@a.example").is_empty());
}

async fn an_overdue_charge_is_reminded_once_across_instances_and_runs(backend: TestBackend) {
    let server = SmtpServer::start(0);
    let app = spawn_app_with(backend, mail_to(server.port)).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let (ann, bob) = (&world.member_a, &world.other_member_a);
    let household = household(&app, admin, &[&ann.user_id, &bob.user_id]).await;
    opt_out(&app, &bob.access, "dues").await;
    let settings = json!({"reminders": {"days_before_due": null, "days_after_due": 7}});
    let res = app
        .call(
            "PATCH",
            "/api/v1/admin/tenant",
            Some(admin),
            Some(&settings),
        )
        .await;
    assert_eq!(res.status, 200, "{}", String::from_utf8_lossy(&res.body));
    assert_eq!(res.json()["reminders"], settings["reminders"]);
    for reminders in [
        json!([3, 7]),
        json!({"days_before_due": 61}),
        json!({"days_after_due": 0}),
    ] {
        let body = json!({"reminders": reminders});
        let res = app
            .call("PATCH", "/api/v1/admin/tenant", Some(admin), Some(&body))
            .await;
        assert!(
            matches!(res.status.as_u16(), 400 | 422),
            "{reminders}: {}",
            res.status
        );
    }
    let due = (chrono::Utc::now().date_naive() - chrono::Days::new(9)).to_string();
    created(
        &app,
        admin,
        "/api/v1/admin/charges",
        json!({"household_id": household, "description": "Autumn dues",
            "amount": 2500, "due_date": due}),
    )
    .await;

    // Eight runs of the job at once, four on each of two instances.
    let other = second_instance(&app).await;
    let runs: Vec<_> = (0..8)
        .map(|n| {
            let db = if n % 2 == 0 {
                &app.state.db
            } else {
                &other.state.db
            }
            .clone();
            std::thread::spawn(move || {
                let mut conn = db.pool().get().expect("a connection");
                hearth::payments::remind_due(&mut conn, chrono::Utc::now().naive_utc(), 100)
                    .expect("a run")
            })
        })
        .collect();
    let reminded: usize = runs.into_iter().map(|r| r.join().unwrap()).sum();
    assert_eq!(reminded, 1, "one run reminded, the others found it done");

    assert!(sent_until(&postman(&app), &server, 2).await);
    send_due(&postman(&other)).await;
    let to_ann = server.to("ann@a.example");
    let subjects: Vec<&str> = to_ann
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .collect();
    assert_eq!(to_ann.len(), 2, "the notice and one reminder: {subjects:?}");
    assert!(
        subjects
            .iter()
            .any(|s| s.ends_with("for Autumn dues is overdue")),
        "{subjects:?}"
    );
    assert!(
        subjects.iter().any(|s| s.contains("Autumn dues, 25.00")),
        "{subjects:?}"
    );
    assert!(
        server.to("bob@a.example").is_empty(),
        "bob turned dues mail off"
    );
    assert_eq!(server.received().len(), 2, "the dependant has no address");
}

async fn mail_waits_while_the_smtp_server_is_down_and_goes_when_it_is_back(backend: TestBackend) {
    let port = SmtpServer::start(0).stop();
    let app = spawn_app_with(backend, |s| {
        mail_to(port)(s);
        s.mail.send_interval_ms = 50;
    })
    .await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let ann = &world.member_a;
    give_points(&app, admin, &ann.user_id, 100).await;
    let reward = create_reward(
        &app,
        admin,
        json!({"name": "Cinema ticket", "cost_points": 30}),
    )
    .await;
    let path = format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    );
    let redemption = app
        .call("POST", &path, Some(&ann.access), None)
        .await
        .json();
    let fulfil = format!(
        "/api/v1/admin/redemptions/{}/fulfill",
        redemption["id"].as_str().unwrap()
    );
    let res = app.call("POST", &fulfil, Some(admin), None).await;
    assert_eq!(
        res.status, 200,
        "the SMTP server being down is no concern of the request"
    );

    let thread = hearth::mail::run_postman(app.state.db.clone(), app.state.settings.mail.clone())
        .expect("a postman")
        .expect("mail is on");
    let failing = "SELECT COUNT(*) AS n FROM mail_messages WHERE status = 'pending' \
                   AND attempts >= 2 AND last_error IS NOT NULL";
    assert!(
        eventually(Duration::from_secs(10), async || count(&app, failing) == 1).await,
        "the postman keeps trying"
    );
    let server = SmtpServer::start(port);
    assert!(
        eventually(Duration::from_secs(15), async || server.received().len()
            == 1)
        .await,
        "delivered once the server is back"
    );
    let message = &server.received()[0];
    assert_eq!(message["rcpt_tos"], json!(["ann@a.example"]));
    assert!(
        message["subject"]
            .as_str()
            .unwrap()
            .ends_with("your Cinema ticket is ready")
    );
    // The server hands the message over before it answers 250, and the
    // postman marks it sent only after that answer: wait for the mark.
    let sent = "SELECT COUNT(*) AS n FROM mail_messages WHERE status = 'sent'";
    assert!(
        eventually(Duration::from_secs(10), async || count(&app, sent) == 1).await,
        "marked sent once the server took it"
    );
    drop(thread);

    let mut off = app.state.settings.mail.clone();
    off.host = String::new();
    assert!(
        hearth::mail::run_postman(app.state.db.clone(), off)
            .unwrap()
            .is_none()
    );
}

async fn a_refused_redemption_mails_its_member_unless_they_opted_out(backend: TestBackend) {
    let server = SmtpServer::start(0);
    let app = spawn_app_with(backend, mail_to(server.port)).await;
    let world = app.world().await;
    let admin = world.admin_a.access.as_str();
    let (ann, bob) = (&world.member_a, &world.other_member_a);
    opt_out(&app, &bob.access, "rewards").await;
    for shape in [json!([null, null]), json!([false]), json!(true)] {
        let body = json!({"notifications": shape});
        app.call("PATCH", "/api/v1/me", Some(&bob.access), Some(&body))
            .await
            .assert_problem(400, "bad_request");
    }
    let reward = create_reward(
        &app,
        admin,
        json!({"name": "<b>Cinema</b> ticket", "cost_points": 30}),
    )
    .await;
    let path = format!(
        "/api/v1/rewards/{}/redemptions",
        reward["id"].as_str().unwrap()
    );
    for member in [ann, bob] {
        give_points(&app, admin, &member.user_id, 100).await;
        let redemption = app
            .call("POST", &path, Some(&member.access), None)
            .await
            .json();
        let reject = format!(
            "/api/v1/admin/redemptions/{}/reject",
            redemption["id"].as_str().unwrap()
        );
        let body = json!({"reason": "Sold out & sorry"});
        assert_eq!(app.post_as(&reject, admin, &body).await.status, 200);
    }
    assert!(sent_until(&postman(&app), &server, 1).await);
    send_due(&postman(&app)).await;
    let mail = server.received();
    assert_eq!(mail.len(), 1, "bob turned rewards mail off: {mail:?}");
    let message = &mail[0];
    assert_eq!(message["rcpt_tos"], json!(["ann@a.example"]));
    assert!(
        message["text"]
            .as_str()
            .unwrap()
            .contains("declined: Sold out & sorry")
    );
    let html = message["html"].as_str().unwrap();
    assert!(html.contains("&lt;b&gt;Cinema"), "escaped: {html}");
    assert!(!html.contains("<b>Cinema"), "escaped: {html}");
    assert!(html.contains("Sold out &amp; sorry"));
    let me = app.get_as("/api/v1/me", &bob.access).await.json();
    assert_eq!(me["notifications"], json!({"dues": true, "rewards": false}));
}

backend_tests!(
    a_reset_request_answers_alike_and_mails_a_code_that_works_once,
    reset_requests_are_limited_per_account_and_per_address_on_every_instance,
    an_overdue_charge_is_reminded_once_across_instances_and_runs,
    mail_waits_while_the_smtp_server_is_down_and_goes_when_it_is_back,
    a_refused_redemption_mails_its_member_unless_they_opted_out,
);
