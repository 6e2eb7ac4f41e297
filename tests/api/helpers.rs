//! The test harness: a real Hearth app on a fresh database, driven in-process
//! exactly as a client drives it over HTTP.
//!
//! Every database test exists twice, on SQLite (a temp file) and on PostgreSQL
//! (a fresh database cloned from a migrated template). The PostgreSQL half is
//! `#[ignore]`d, so a plain `cargo test` counts it as ignored; it runs with
//! `cargo test -- --include-ignored` and `HEARTH_TEST_POSTGRES_URL`, and fails
//! without a server rather than passing. Declare tests with [`backend_tests!`].

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::OnceLock;

use actix_service::{Service, ServiceExt, boxed};
use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::HeaderMap;
use actix_web::test::TestRequest;
use actix_web::web::Bytes;
use diesel::{Connection, PgConnection, RunQueryDsl};
use hearth::config::Settings;
use hearth::db::{Db, DbConnection, QueryCounter, build_pool, run_migrations};
use hearth::startup::{AppState, build_app};
use serde_json::Value;

/// The backend a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

/// Generates `<test>::sqlite` and `<test>::postgres` for each async
/// `fn <test>(backend: TestBackend)`. The PostgreSQL variants are ignored by a
/// plain `cargo test`, so it reports them as ignored rather than as passes that
/// ran nothing; `cargo test -- --include-ignored` with `HEARTH_TEST_POSTGRES_URL`
/// set runs them (CI does), and without the variable they fail.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name($crate::helpers::TestBackend::Sqlite).await
            }

            #[actix_web::test]
            #[ignore = "PostgreSQL: set HEARTH_TEST_POSTGRES_URL and pass --include-ignored"]
            async fn postgres() {
                $crate::helpers::require_postgres();
                super::$name($crate::helpers::TestBackend::Postgres).await
            }
        }
    )+};
}

/// Fails a PostgreSQL test that was asked to run without a server to run on.
pub fn require_postgres() {
    assert!(
        std::env::var("HEARTH_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()),
        "HEARTH_TEST_POSTGRES_URL is not set: the PostgreSQL tests need a server \
         (postgres://user@host:port/db, a user that may create databases)"
    );
}

/// The settings of `config/test.toml`, with the process environment ignored.
pub fn test_settings() -> Settings {
    // CI runs the suite a second time through PgBouncer in transaction mode,
    // with HEARTH_DATABASE__PREPARED_STATEMENTS=false; nothing else leaks in.
    let vars: HashMap<String, String> = std::env::vars()
        .filter(|(name, _)| name == "HEARTH_DATABASE__PREPARED_STATEMENTS")
        .collect();
    Settings::load_from("test", vars).expect("test settings load")
}

/// A fresh, migrated database that is removed when dropped.
pub struct TestDatabase {
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

impl TestDatabase {
    /// Creates an empty, migrated database on `backend`.
    pub fn create(backend: TestBackend) -> Self {
        match backend {
            TestBackend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("hearth.db").display());
                let mut conn = connect(&url);
                run_migrations(&mut conn).expect("sqlite migrations");
                Self {
                    url,
                    _sqlite_dir: Some(dir),
                    postgres_name: None,
                }
            }
            TestBackend::Postgres => {
                let admin = admin_url();
                let template = postgres_template(&admin);
                let name = format!("hearth_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&admin).expect("connect to postgres");
                diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}"))
                    .execute(&mut conn)
                    .expect("create test database");
                Self {
                    url: with_database(&admin, &name),
                    _sqlite_dir: None,
                    postgres_name: Some(name),
                }
            }
        }
    }

    /// A handle on the same database that does not remove it when dropped.
    pub fn shared(other: &TestDatabase) -> Self {
        Self {
            url: other.url.clone(),
            _sqlite_dir: None,
            postgres_name: None,
        }
    }

    /// A new direct connection (outside the app's pool).
    pub fn connect(&self) -> DbConnection {
        connect(&self.url)
    }

    /// Ends every server connection to the database, as a restart of
    /// PostgreSQL does (PostgreSQL only); returns how many were ended.
    pub fn end_connections(&self) -> usize {
        let name = self
            .postgres_name
            .as_ref()
            .expect("a PostgreSQL test database");
        let mut conn = PgConnection::establish(&admin_url()).expect("connect to postgres");
        diesel::sql_query(format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        ))
        .execute(&mut conn)
        .expect("terminate the database's connections")
    }

    /// Makes the database disappear under a running app (PostgreSQL only).
    pub fn drop_now(&self) {
        if let Some(name) = &self.postgres_name {
            let mut conn = PgConnection::establish(&admin_url()).expect("connect to postgres");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut conn)
                .expect("drop test database");
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if self.postgres_name.is_some() {
            self.drop_now();
        }
    }
}

fn connect(url: &str) -> DbConnection {
    hearth::db::establish(url, test_settings().database.prepared_statements).expect("connect")
}

fn admin_url() -> String {
    std::env::var("HEARTH_TEST_POSTGRES_URL").expect("HEARTH_TEST_POSTGRES_URL")
}

/// `url` pointing at database `name` instead.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The URL of the streaming replica's server (`tests/replica/start`).
pub fn replica_admin_url() -> String {
    std::env::var("HEARTH_TEST_REPLICA_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .expect(
            "HEARTH_TEST_REPLICA_URL is not set: the replica tests need a streaming replica \
             of HEARTH_TEST_POSTGRES_URL (tests/replica/start prints the URL)",
        )
}

/// A migrated template database named after the migrations' content, created once
/// across all test processes (guarded by an advisory lock).
fn postgres_template(admin: &str) -> String {
    static TEMPLATE: OnceLock<String> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let name = format!("hearth_template_{:016x}", migrations_fingerprint());
            let mut conn = PgConnection::establish(admin)
                .unwrap_or_else(|e| panic!("cannot connect to HEARTH_TEST_POSTGRES_URL: {e}"));
            diesel::sql_query("SELECT pg_advisory_lock(727274)")
                .execute(&mut conn)
                .expect("advisory lock");
            let exists = diesel::sql_query(format!(
                "SELECT 1 FROM pg_database WHERE datname = '{name}'"
            ))
            .execute(&mut conn)
            .expect("look up template")
                > 0;
            if !exists {
                let building = format!("{name}_building");
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .execute(&mut conn)
                    .expect("drop half-built template");
                diesel::sql_query(format!("CREATE DATABASE {building}"))
                    .execute(&mut conn)
                    .expect("create template");
                {
                    let mut tpl = self::connect(&with_database(admin, &building));
                    run_migrations(&mut tpl).expect("postgres migrations");
                }
                // Renamed only once complete, so a crash never leaves a half template.
                diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .execute(&mut conn)
                    .expect("publish template");
            }
            diesel::sql_query("SELECT pg_advisory_unlock(727274)")
                .execute(&mut conn)
                .expect("advisory unlock");
            name
        })
        .clone()
}

fn migrations_fingerprint() -> u64 {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    let mut files: Vec<_> = walk(&root);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        file.to_string_lossy().hash(&mut hasher);
        std::fs::read(&file)
            .expect("read migration")
            .hash(&mut hasher);
    }
    hasher.finish()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .expect("read migrations dir")
        .flat_map(|entry| {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

type BoxedApp = boxed::RcService<actix_http::Request, ServiceResponse<BoxBody>, actix_web::Error>;

/// A running app and its database.
pub struct TestApp {
    pub db: TestDatabase,
    pub state: AppState,
    /// Statements run by the app's pool so far.
    pub queries: QueryCounter,
    service: BoxedApp,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            crate::statement_shapes::assert_tenant_shaped(&self.queries.statements(), &self.db.url);
        }
    }
}

/// Asserts what concurrent requests with one idempotency key answer: all the
/// same 201 and body, one of them first (the others wait for it and replay it).
pub fn assert_one_answer(twins: &[TestResponse]) {
    for res in twins {
        assert_eq!(res.status, 201, "{}", String::from_utf8_lossy(&res.body));
        assert_eq!(res.json(), twins[0].json(), "every twin answers the same");
    }
    let first = twins
        .iter()
        .filter(|res| res.header("idempotent-replayed").is_none())
        .count();
    assert_eq!(first, 1, "one answer is the first, the others replay it");
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header as a string.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and that the body is a problem+json with `code`.
    pub fn assert_problem(&self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "error bodies are problem+json"
        );
        let body = self.json();
        assert_eq!(body["code"], code, "problem: {body}");
        assert_eq!(body["status"], status);
        assert_eq!(
            body["request_id"].as_str(),
            self.header("x-request-id"),
            "the body quotes the request id of the header"
        );
        body
    }
}

/// Starts the app on a fresh database with the test settings.
pub async fn spawn_app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the app on a fresh database after `customise` adjusts the settings.
pub async fn spawn_app_with(
    backend: TestBackend,
    customise: impl FnOnce(&mut Settings),
) -> TestApp {
    let db = TestDatabase::create(backend);
    let mut settings = test_settings();
    settings.database.url = db.url.clone();
    customise(&mut settings);
    start_app(db, settings).await
}

/// Starts an app on an explicit database URL that may be unreachable.
pub async fn spawn_app_on_url(backend: TestBackend, url: &str, pool_timeout_ms: u64) -> TestApp {
    let db = TestDatabase::create(backend);
    let mut settings = test_settings();
    settings.database.url = url.to_string();
    settings.database.pool_timeout_ms = pool_timeout_ms;
    start_app(db, settings).await
}

/// Builds the app for `settings` on `db`, counting the statements its pool runs.
pub async fn start_app(db: TestDatabase, settings: hearth::config::Settings) -> TestApp {
    let backend = hearth::db::Backend::from_url(&settings.database.url).expect("backend");
    // On PostgreSQL every statement is kept, and checked when the app is
    // dropped (see `statement_shapes`).
    let queries = if backend == hearth::db::Backend::Postgres {
        crate::statement_shapes::tenant_owned_tables(&db.url);
        QueryCounter::recording()
    } else {
        QueryCounter::default()
    };
    let mut pool_settings = settings.database.pool();
    pool_settings.query_counter = Some(queries.clone());
    let pool = build_pool(&settings.database.url, &pool_settings, false).expect("build pool");
    let db_handle = hearth::startup::with_configured_replica(Db::new(pool, backend), &settings)
        .expect("replica pool");
    let state = AppState::new(settings, db_handle);
    let service = actix_web::test::init_service(build_app(state.clone())).await;
    let service = boxed::rc_service(service.map(ServiceResponse::map_into_boxed_body));
    TestApp {
        db,
        state,
        queries,
        service,
    }
}

/// Runs `f` until it returns true or `timeout` passes.
pub async fn eventually(timeout: std::time::Duration, mut f: impl AsyncFnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if f().await {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The address in-process requests come from unless a test says otherwise.
pub fn default_peer() -> SocketAddr {
    "192.0.2.10:50000".parse().expect("address")
}

impl TestApp {
    /// Sends a request and reads the whole response.
    pub async fn send(&self, req: TestRequest) -> TestResponse {
        let req = req.to_request();
        let res = match self.service.call(req).await {
            Ok(res) => res.into_parts().1,
            Err(err) => err.error_response(),
        };
        let status = res.status();
        let headers = res.headers().clone();
        let body = actix_web::body::to_bytes(res.into_body())
            .await
            .unwrap_or_else(|_| panic!("read body"));
        TestResponse {
            status,
            headers,
            body,
        }
    }

    /// `GET path` from the default peer.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(TestRequest::get().uri(path).peer_addr(default_peer()))
            .await
    }
}

/// The password every test account gets unless a test says otherwise.
pub const PASSWORD: &str = "copper kettle under the stairs";

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Login {
    pub access: String,
    pub refresh: String,
    pub user_id: String,
}

/// Two tenants: `a` with an admin and two members, `b` with an admin.
pub struct World {
    pub tenant_a: String,
    pub admin_a: Login,
    pub member_a: Login,
    pub other_member_a: Login,
    pub admin_b: Login,
}

impl TestApp {
    /// Any request, optionally with a bearer token and a JSON body.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> TestResponse {
        let mut req = TestRequest::default()
            .method(method.parse().expect("method"))
            .uri(path)
            .peer_addr(default_peer());
        if let Some(token) = token {
            req = req.insert_header(("authorization", format!("Bearer {token}")));
        }
        if let Some(body) = body {
            req = req.set_json(body);
        }
        self.send(req).await
    }

    /// `GET` with a token.
    pub async fn get_as(&self, path: &str, token: &str) -> TestResponse {
        self.call("GET", path, Some(token), None).await
    }

    /// `POST` JSON with a token.
    pub async fn post_as(&self, path: &str, token: &str, body: &Value) -> TestResponse {
        self.call("POST", path, Some(token), Some(body)).await
    }

    /// `POST` JSON without a token.
    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.call("POST", path, None, Some(body)).await
    }

    /// Creates a tenant directly; returns its id.
    pub async fn tenant(&self, slug: &str, registration: &str) -> String {
        let tenant = hearth::tenants::NewTenant::parse(slug, slug, "EUR", "UTC", registration)
            .expect("valid tenant");
        let id = tenant.id().to_string();
        self.state
            .db
            .write(move |conn| Ok(hearth::tenants::repo::insert_unless_taken(conn, &tenant)?))
            .await
            .expect("insert tenant");
        id
    }

    /// Creates an active user with [`PASSWORD`]; returns its id.
    pub async fn user(&self, tenant_slug: &str, email: &str, role: hearth::auth::Role) -> String {
        self.user_with_scopes(tenant_slug, email, role, "").await
    }

    /// Creates an active staff member holding `scopes` (space-separated) and
    /// signs them in.
    pub async fn staff(&self, tenant_slug: &str, email: &str, scopes: &str) -> Login {
        self.user_with_scopes(tenant_slug, email, hearth::auth::Role::Staff, scopes)
            .await;
        self.login(tenant_slug, email, PASSWORD).await
    }

    async fn user_with_scopes(
        &self,
        tenant_slug: &str,
        email: &str,
        role: hearth::auth::Role,
        scopes: &str,
    ) -> String {
        let slug = tenant_slug.to_string();
        let tenant = self
            .state
            .db
            .read(move |conn| Ok(hearth::tenants::repo::find_by_slug(conn, &slug)?))
            .await
            .expect("find tenant")
            .expect("tenant exists");
        let account = hearth::identity::service::accounts::NewAccount {
            tenant: tenant.id,
            email: email.to_string(),
            display_name: email.split('@').next().unwrap_or(email).to_string(),
            password: PASSWORD.to_string(),
            role,
            scopes: scopes.parse().expect("known scopes"),
            status: hearth::auth::UserStatus::Active,
            household_code: None,
        };
        hearth::identity::service::accounts::create(
            &self.state.db,
            &self.state.auth.passwords,
            account,
            None,
            "user.create",
            Default::default(),
        )
        .await
        .expect("create user")
        .id
        .to_string()
    }

    /// Signs in (asserting success).
    pub async fn login(&self, tenant: &str, email: &str, password: &str) -> Login {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                &serde_json::json!({"tenant": tenant, "email": email, "password": password}),
            )
            .await;
        assert_eq!(
            res.status,
            200,
            "login failed: {}",
            String::from_utf8_lossy(&res.body)
        );
        let body = res.json();
        Login {
            access: body["access_token"].as_str().unwrap().to_string(),
            refresh: body["refresh_token"].as_str().unwrap().to_string(),
            user_id: body["user"]["id"].as_str().unwrap().to_string(),
        }
    }

    /// Creates and signs in the usual cast (see [`World`]).
    pub async fn world(&self) -> World {
        use hearth::auth::Role;
        let tenant_a = self.tenant("tenant-a", "open").await;
        self.tenant("tenant-b", "open").await;
        self.user("tenant-a", "admin@a.example", Role::Admin).await;
        self.user("tenant-a", "ann@a.example", Role::User).await;
        self.user("tenant-a", "bob@a.example", Role::User).await;
        self.user("tenant-b", "admin@b.example", Role::Admin).await;
        World {
            tenant_a,
            admin_a: self.login("tenant-a", "admin@a.example", PASSWORD).await,
            member_a: self.login("tenant-a", "ann@a.example", PASSWORD).await,
            other_member_a: self.login("tenant-a", "bob@a.example", PASSWORD).await,
            admin_b: self.login("tenant-b", "admin@b.example", PASSWORD).await,
        }
    }
}

impl TestApp {
    /// `n` active members of tenant `tenant_id`, each holding `points`, created
    /// and signed in directly (no password hashing), for tests that need a crowd.
    pub async fn members(&self, tenant_id: &str, n: usize, points: i64) -> Vec<Login> {
        use hearth::auth::{Role, UserStatus};
        use hearth::identity::model::NewUser;
        use hearth::identity::repo::users;
        use hearth::identity::service::signin;
        use hearth::points::model::EntryKind;
        use hearth::points::repo::ledger::{Posting, post};

        let tenant: hearth::db::TenantId = tenant_id.parse().expect("tenant id");
        let auth = self.state.auth.clone();
        self.state
            .db
            .write(move |conn| {
                let meta = hearth::request_context::RequestMeta::default();
                let mut logins = Vec::with_capacity(n);
                for _ in 0..n {
                    let id = hearth::db::UserId::new();
                    let new = NewUser::new(
                        &tenant,
                        format!("member-{id}@crowd.example"),
                        "Crowd member",
                        Some("not a usable hash".into()),
                        Role::User,
                        UserStatus::Active,
                    );
                    users::insert(conn, &new)?;
                    if points > 0 {
                        post(
                            conn,
                            &tenant,
                            Posting {
                                user: &new.id,
                                amount: points,
                                kind: EntryKind::Award,
                                reason: Some("starting points"),
                                rule: None,
                                source: None,
                                reverses: None,
                                earned: points,
                                actor: None,
                            },
                        )?;
                    }
                    let user = users::get(conn, &tenant, &new.id)?.expect("just inserted");
                    let pair = signin::start_session(conn, &auth, &user, &meta)?;
                    logins.push(Login {
                        access: pair.access_token,
                        refresh: pair.refresh_token,
                        user_id: user.id.to_string(),
                    });
                }
                Ok(logins)
            })
            .await
            .expect("create members")
    }
}

/// An app for tests that fire many requests at once: a larger pool and room
/// to queue for a connection instead of a 503.
pub async fn spawn_crowd_app(backend: TestBackend) -> TestApp {
    spawn_app_with(backend, |s| {
        s.database.pool_timeout_ms = 60_000;
        s.database.pool_size = 8;
    })
    .await
}

/// The caller's points balance, as `GET /me` shows it.
pub async fn balance(app: &TestApp, token: &str) -> i64 {
    app.get_as("/api/v1/me", token).await.json()["points_balance"]
        .as_i64()
        .expect("balance")
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// `POST` JSON with a token, asserting a 2xx; returns the body.
pub async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let res = app.post_as(path, token, &body).await;
    assert!(
        res.status.is_success(),
        "{path}: {} {}",
        res.status,
        String::from_utf8_lossy(&res.body)
    );
    res.json()
}

/// The `n` of a `SELECT COUNT(*) AS n …` run directly on the app's database.
pub fn count(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.db.connect();
    diesel::sql_query(sql)
        .load::<Count>(&mut conn)
        .expect("count query")[0]
        .n
}

/// Asserts `points_balance == sum(entries)` for every user of the database.
pub fn assert_balances_match_ledger(app: &TestApp) {
    let mismatched = count(
        app,
        "SELECT COUNT(*) AS n FROM users u WHERE u.points_balance <> \
         (SELECT COALESCE(SUM(e.amount), 0) FROM point_entries e \
          WHERE e.tenant_id = u.tenant_id AND e.user_id = u.id)",
    );
    assert_eq!(mismatched, 0, "balance == sum(entries) for every user");
}

/// Starts a second app instance on the database of `app` (its own caches and
/// limiters, like another process behind a load balancer).
pub async fn second_instance(app: &TestApp) -> TestApp {
    let settings = (*app.state.settings).clone();
    start_app(TestDatabase::shared(&app.db), settings).await
}

/// An award to `user` recorded at `when` (UTC, `YYYY-MM-DD HH:MM:SS`),
/// written as the ledger writes one: the entry and the member's counters
/// together. For placing points in a past (or coming) period.
pub fn award_at(app: &TestApp, user: &str, amount: i64, when: &str) {
    let mut conn = app.db.connect();
    let id = uuid::Uuid::now_v7();
    diesel::sql_query(format!(
        "INSERT INTO point_entries (id, tenant_id, user_id, household_id, amount, \
         balance_after, earned, kind, reason, created_at) \
         SELECT '{id}', tenant_id, id, household_id, {amount}, points_balance + {amount}, \
         {amount}, 'award', 'Drop-off', '{when}' FROM users WHERE id = '{user}'"
    ))
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(format!(
        "UPDATE users SET points_balance = points_balance + {amount}, \
         points_earned = points_earned + {amount} WHERE id = '{user}'"
    ))
    .execute(&mut conn)
    .unwrap();
}
