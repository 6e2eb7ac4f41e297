//! Hostile input to every operation of the OpenAPI document, on both databases.
//!
//! For each operation the test starts from a request that could succeed (the
//! documented example body, real ids of the caller's tenant in the path and in
//! the body) and spoils one part at a time: each path parameter, each query
//! parameter, each top-level body field, then the body as a whole. The values
//! are what a hostile or broken client sends: NUL and other control characters,
//! dates PostgreSQL or SQLite cannot store, crafted cursors, huge, negative and
//! fractional numbers, wrong types, deep nesting. Every answer must be below
//! 500, and a refused request (any non-2xx) must leave every table's row count
//! as it was.

use std::collections::BTreeMap;

use actix_web::test::TestRequest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use diesel::RunQueryDsl;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::helpers::{TestApp, TestBackend, TestResponse, default_peer, spawn_app};

/// Text no field should store.
fn hostile_texts() -> Vec<Value> {
    let long = "x".repeat(20_000);
    vec![
        json!("ac\u{0}me"),
        json!("\u{0}"),
        json!("bell\u{7} escape\u{1b}[31m"),
        json!("del\u{7f}"),
        json!(""),
        json!("   "),
        json!(long),
        json!("'; DROP TABLE users; --"),
        json!("\u{202e}evil\u{200b}"),
        json!("../../etc/passwd"),
    ]
}

/// Dates and times outside what either database stores, or malformed.
fn hostile_times() -> Vec<Value> {
    vec![
        json!("-250000-01-01T00:00:00Z"),
        json!("+250000-01-01T00:00:00Z"),
        json!("0000-01-01T00:00:00Z"),
        json!("9999-12-31T23:59:59-14:00"),
        json!("-250000-01-01"),
        json!("10000-01-01"),
        json!("2026-02-30"),
        json!("2026-11-29T25:00:00Z"),
    ]
}

/// Numbers at and past every edge, and numbers of the wrong kind.
fn hostile_numbers() -> Vec<Value> {
    let parse = |text: &str| serde_json::from_str::<Value>(text).expect("a JSON number");
    vec![
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(-1),
        json!(0),
        json!(1.5),
        json!(1e308),
        json!(-1e308),
        json!(9_007_199_254_740_993_u64),
        parse("1e400"),
        parse("123456789012345678901234567890"),
        json!("NaN"),
    ]
}

/// Values of the wrong type for nearly any field.
fn wrong_types() -> Vec<Value> {
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    vec![
        Value::Null,
        json!(true),
        json!([]),
        json!({}),
        json!({"$ne": null}),
        deep,
    ]
}

fn all_hostile_values() -> Vec<Value> {
    let mut values = hostile_texts();
    values.extend(hostile_times());
    values.extend(hostile_numbers());
    values.extend(wrong_types());
    values
}

/// Query values: every hostile scalar, as text, and crafted cursors.
fn hostile_query_values() -> Vec<String> {
    let mut values: Vec<String> = all_hostile_values()
        .into_iter()
        .filter_map(|v| match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
        .collect();
    for raw in [
        "0|\u{0}".to_string(),
        "-80000000000000000000|x".to_string(),
        format!("{}|0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", i64::MAX),
        "-9000000000000000|0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b".to_string(),
        "1790000000000000|x' OR '1'='1".to_string(),
    ] {
        values.push(URL_SAFE_NO_PAD.encode(raw));
    }
    values.push("!!not base64!!".to_string());
    values
}

/// Path segments that name no resource, or try to escape the route.
fn hostile_path_segments() -> Vec<String> {
    vec![
        "%00".into(),
        "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b%00".into(),
        "%01%1b".into(),
        "..%2F..%2Fadmin".into(),
        "99999999999999999999999".into(),
        "-1".into(),
        "x".repeat(5_000),
        uuid::Uuid::now_v7().to_string(),
    ]
}

/// Real rows of the caller's tenant, by the name a body or path uses for them.
#[derive(Default)]
struct Ids(BTreeMap<&'static str, String>);

impl Ids {
    /// The id for a path parameter of `template`: the resource named by the
    /// segment before it (`/admin/events/{id}` is an event).
    fn for_path(&self, template: &str, param: &str) -> String {
        let resource = if param == "user_id" {
            "user_id"
        } else {
            let before = template
                .split('/')
                .take_while(|s| *s != format!("{{{param}}}"))
                .last()
                .unwrap_or_default();
            match before {
                "households" => "household_id",
                "users" => "user_id",
                "events" => "event_id",
                "rewards" => "reward_id",
                "point-rules" => "rule_id",
                "charges" => "charge_id",
                "payments" => "payment_id",
                "entries" => "entry_id",
                "redemptions" => "redemption_id",
                _ => "",
            }
        };
        self.0
            .get(resource)
            .cloned()
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
    }

    /// `body` with every `*_id` / `*_ids` field naming a real row of its kind.
    fn fill(&self, body: &mut Value) {
        let Some(fields) = body.as_object_mut() else {
            return;
        };
        for (key, value) in fields.iter_mut() {
            let single = key.strip_suffix('s').unwrap_or(key);
            match value {
                Value::String(_) => {
                    if let Some(id) = self.0.get(key.as_str()) {
                        *value = json!(id);
                    }
                }
                Value::Array(items) => {
                    for item in items.iter_mut() {
                        if item.is_object() {
                            self.fill(item);
                        } else if let Some(id) = self.0.get(single) {
                            *item = json!(id);
                        }
                    }
                }
                Value::Object(_) => self.fill(value),
                _ => {}
            }
        }
    }
}

/// Row counts of every table, in one statement.
struct Census {
    sql: String,
}

#[derive(diesel::QueryableByName)]
struct Counts {
    #[diesel(sql_type = diesel::sql_types::Text)]
    counts: String,
}

#[derive(diesel::QueryableByName)]
struct TableName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

impl Census {
    fn new(app: &TestApp, backend: TestBackend) -> Self {
        let list = match backend {
            TestBackend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            TestBackend::Postgres => {
                "SELECT CAST(tablename AS TEXT) AS name FROM pg_tables \
                 WHERE schemaname = 'public' ORDER BY tablename"
            }
        };
        let mut conn = app.db.connect();
        let tables = diesel::sql_query(list)
            .load::<TableName>(&mut conn)
            .expect("table names");
        assert!(tables.len() > 10, "the schema has its tables");
        let parts: Vec<String> = tables
            .iter()
            .map(|t| format!("'{0}=' || (SELECT COUNT(*) FROM {0})", t.name))
            .collect();
        Self {
            sql: format!("SELECT {} AS counts", parts.join(" || ',' || ")),
        }
    }

    fn take(&self, app: &TestApp) -> String {
        let mut conn = app.db.connect();
        diesel::sql_query(&self.sql)
            .load::<Counts>(&mut conn)
            .expect("row counts")
            .remove(0)
            .counts
    }
}

/// One operation of the document.
struct Operation {
    method: String,
    template: String,
    path_params: Vec<String>,
    query_params: Vec<String>,
    example: Option<Value>,
}

fn operations(spec: &Value) -> Vec<Operation> {
    let schemas = &spec["components"]["schemas"];
    let mut out = Vec::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let named = |place: &str| -> Vec<String> {
                params
                    .iter()
                    .filter(|p| p["in"] == place)
                    .map(|p| p["name"].as_str().expect("name").to_string())
                    .collect()
            };
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            let example = match body["$ref"].as_str() {
                Some(r) => {
                    schemas[r.trim_start_matches("#/components/schemas/")]["example"].clone()
                }
                None => body["example"].clone(),
            };
            out.push(Operation {
                method: method.to_uppercase(),
                template: template.clone(),
                path_params: named("path"),
                query_params: named("query"),
                example: (!op["requestBody"].is_null()).then_some(example),
            });
        }
    }
    out
}

/// Everything the test sends, and where it stopped being right.
struct Run<'a> {
    app: &'a TestApp,
    census: Census,
    before: String,
    sent: usize,
    failures: Vec<String>,
}

impl Run<'_> {
    async fn send(&mut self, method: &str, uri: &str, token: Option<&str>, body: Option<Vec<u8>>) {
        let mut req = TestRequest::default()
            .method(method.parse().expect("method"))
            .uri(uri)
            .peer_addr(default_peer());
        if let Some(token) = token {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        if let Some(body) = body {
            req = req
                .insert_header(("content-type", "application/json"))
                .set_payload(body);
        }
        let res: TestResponse = self.app.send(req).await;
        self.sent += 1;
        let status = res.status.as_u16();
        let what = format!("{method} {}", uri.chars().take(160).collect::<String>());
        if status >= 500 {
            self.failures.push(format!(
                "{what} → {status} {}",
                String::from_utf8_lossy(&res.body)
            ));
        }
        let after = self.census.take(self.app);
        if !(200..300).contains(&status) && after != self.before {
            self.failures.push(format!(
                "{what} → {status} but rows changed: {} → {after}",
                self.before
            ));
        }
        self.before = after;
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Creates one row of each kind through the API and records its id.
/// `member` (with `member_id`) gets points to redeem; `target` is the user
/// whom admin operations act on (never the holder of a token the test uses).
async fn seed(
    app: &TestApp,
    spec: &Value,
    admin: &str,
    (member, member_id): (&str, &str),
    target: &str,
) -> Ids {
    let mut ids = Ids::default();
    ids.0.insert("user_id", target.to_string());
    let example = |path: &str| {
        operations(spec)
            .into_iter()
            .find(|o| o.method == "POST" && o.template == path)
            .and_then(|o| o.example)
            .unwrap_or_else(|| panic!("POST {path} has an example"))
    };
    let create =
        async |path: String, mut body: Value, token: &str, kind: &'static str, ids: &mut Ids| {
            ids.fill(&mut body);
            let res = app.post_as(&path, token, &body).await;
            assert!(
                res.status.is_success(),
                "seeding {path}: {}",
                String::from_utf8_lossy(&res.body)
            );
            let id = res.json()["id"].as_str().expect("an id").to_string();
            ids.0.insert(kind, id);
        };
    let household = example("/api/v1/admin/households");
    create(
        "/api/v1/admin/households".into(),
        household,
        admin,
        "household_id",
        &mut ids,
    )
    .await;
    let join = format!("/api/v1/admin/households/{}/members", ids.0["household_id"]);
    let res = app.post_as(&join, admin, &json!({"user_id": target})).await;
    assert!(
        res.status.is_success(),
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    let rule = example("/api/v1/admin/point-rules");
    create(
        "/api/v1/admin/point-rules".into(),
        rule,
        admin,
        "rule_id",
        &mut ids,
    )
    .await;
    let award = json!({"user_id": target, "amount": 500, "reason": "seed"});
    create(
        "/api/v1/admin/points/awards".into(),
        award,
        admin,
        "entry_id",
        &mut ids,
    )
    .await;
    let mut reward = example("/api/v1/admin/rewards");
    // Redeemable now, whatever window the documentation's example shows.
    for window in ["available_from", "available_until"] {
        reward.as_object_mut().expect("an object").remove(window);
    }
    create(
        "/api/v1/admin/rewards".into(),
        reward,
        admin,
        "reward_id",
        &mut ids,
    )
    .await;
    let event = example("/api/v1/admin/events");
    create(
        "/api/v1/admin/events".into(),
        event,
        admin,
        "event_id",
        &mut ids,
    )
    .await;
    let charge = example("/api/v1/admin/charges");
    create(
        "/api/v1/admin/charges".into(),
        charge,
        admin,
        "charge_id",
        &mut ids,
    )
    .await;
    let payment = example("/api/v1/admin/payments");
    create(
        "/api/v1/admin/payments".into(),
        payment,
        admin,
        "payment_id",
        &mut ids,
    )
    .await;
    let redeem = format!("/api/v1/rewards/{}/redemptions", ids.0["reward_id"]);
    let member_award = json!({"user_id": member_id, "amount": 100_000, "reason": "seed"});
    let res = app
        .post_as("/api/v1/admin/points/awards", admin, &member_award)
        .await;
    assert!(
        res.status.is_success(),
        "{}",
        String::from_utf8_lossy(&res.body)
    );
    create(redeem, json!({}), member, "redemption_id", &mut ids).await;
    ids
}

async fn every_operation_refuses_hostile_input_cleanly(backend: TestBackend) {
    let app = spawn_app(backend).await;
    let world = app.world().await;
    let spec = serde_json::to_value(hearth::openapi::spec()).expect("spec");
    let (admin, member) = (world.admin_a.access.clone(), world.member_a.access.clone());
    let ids = seed(
        &app,
        &spec,
        &admin,
        (&member, &world.member_a.user_id),
        &world.other_member_a.user_id,
    )
    .await;
    let census = Census::new(&app, backend);
    let before = census.take(&app);
    let mut run = Run {
        app: &app,
        census,
        before,
        sent: 0,
        failures: Vec::new(),
    };

    for op in operations(&spec) {
        let token = if op.template.starts_with("/api/v1/admin/") {
            Some(admin.as_str())
        } else if op.template.starts_with("/api/v1/auth/") || op.template.starts_with("/health") {
            None
        } else {
            Some(member.as_str())
        };
        let real_path = |spoiled: Option<(&str, &str)>| {
            let mut path = op.template.clone();
            for param in &op.path_params {
                let value = match spoiled {
                    Some((name, value)) if name == param => value.to_string(),
                    _ => ids.for_path(&op.template, param),
                };
                path = path.replace(&format!("{{{param}}}"), &value);
            }
            path
        };
        let mut base = op.example.clone();
        if let Some(body) = base.as_mut() {
            ids.fill(body);
        }
        let bytes = |body: &Option<Value>| body.as_ref().map(|b| b.to_string().into_bytes());

        for param in &op.path_params {
            for segment in hostile_path_segments() {
                let uri = real_path(Some((param, &segment)));
                run.send(&op.method, &uri, token, bytes(&base)).await;
            }
        }
        for param in &op.query_params {
            for value in hostile_query_values() {
                let uri = format!("{}?{}={}", real_path(None), param, encode(&value));
                run.send(&op.method, &uri, token, bytes(&base)).await;
            }
        }
        if let Some(Value::Object(fields)) = &base {
            let mut names: Vec<String> = fields.keys().cloned().collect();
            names.push("unknown_field".into());
            for name in names {
                for value in all_hostile_values() {
                    let mut body = fields.clone();
                    body.insert(name.clone(), value);
                    let body = Some(Value::Object(body));
                    run.send(&op.method, &real_path(None), token, bytes(&body))
                        .await;
                }
            }
        }
        if base.is_some() {
            let mut nested = json!({});
            for _ in 0..1_000 {
                nested = json!({ "a": nested });
            }
            let whole: Vec<Vec<u8>> = vec![
                b"[]".to_vec(),
                b"null".to_vec(),
                b"\"text\"".to_vec(),
                b"{\"a\":".to_vec(),
                b"{\"name\":\"\\ud800\"}".to_vec(),
                b"{\"name\":\"\xff\xfe\"}".to_vec(),
                b"{\"__proto__\":{\"role\":\"admin\"}}".to_vec(),
                nested.to_string().into_bytes(),
            ];
            for body in whole {
                run.send(&op.method, &real_path(None), token, Some(body))
                    .await;
            }
        }
    }

    eprintln!(
        "hostile input on {backend:?}: {} requests, {} failures",
        run.sent,
        run.failures.len()
    );
    assert!(
        run.sent > 3_000,
        "every operation was exercised: {} requests",
        run.sent
    );
    assert!(
        run.failures.is_empty(),
        "{} of {} hostile requests failed:\n{}",
        run.failures.len(),
        run.sent,
        run.failures.join("\n")
    );
}

backend_tests!(every_operation_refuses_hostile_input_cleanly);
