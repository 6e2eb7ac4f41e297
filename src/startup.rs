//! Building the application: state, middleware order, routes, and the server.
//!
//! Middleware, outermost first (actix applies the last `.wrap` outermost):
//! request id (+ security headers, + problem+json for every error) → access log →
//! CORS → read-your-writes (names the caller for the replica) → general rate
//! limit → routes (the `/api/v1/auth` scope adds the strict
//! limit). CORS sits outside the
//! limiters so preflights are answered without spending a client's budget, and
//! so that 429s still carry CORS headers a browser can read.

use std::sync::Arc;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::auth::Auth;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Backend, Db, Replica, build_pool, run_migrations};
use crate::http::client_ip::TrustedProxies;
use crate::http::fallback::{self, RouteTable};
use crate::http::rate_limit::RateLimiters;
use crate::http::security_headers::SecurityHeaders;
use crate::http::{access_log, extractors, head, read_your_writes, request_id};
use crate::periodic::{self, JobHandle};
use crate::points::service::leaderboards::BoardCache;
use crate::rewards::catalogue_cache::CatalogueCache;
use crate::validation::BatchBodyLimit;
use crate::{idempotency, identity, mail, openapi, outbox, payments, routes, tenants};

/// Everything the app needs, built once per process and cloned into each worker.
#[derive(Clone)]
pub struct AppState {
    /// Settings.
    pub settings: Arc<Settings>,
    /// Database handle.
    pub db: Db,
    /// Rate limiters (shared by all workers).
    pub limiters: RateLimiters,
    /// Authentication (key ring, session cache, password hashing).
    pub auth: web::Data<Auth>,
    /// Proxies whose X-Forwarded-For is believed.
    pub proxies: web::Data<TrustedProxies>,
    /// The OpenAPI document, serialised once: every worker serves these
    /// bytes (keeping the document itself would cost each worker megabytes).
    pub api_json: web::Bytes,
    /// Documented routes and their methods.
    pub route_table: Arc<RouteTable>,
    /// The clock time rules read (pinned by tests).
    pub clock: Clock,
    /// Recently computed leaderboards (shared by all workers).
    pub boards: web::Data<BoardCache>,
    /// The members' first catalogue pages (shared by all workers).
    pub catalogue: web::Data<CatalogueCache>,
}

impl AppState {
    /// Builds state around an existing database handle.
    pub fn new(settings: Settings, db: Db) -> Self {
        let proxies = TrustedProxies::parse(&settings.http.trusted_proxies)
            .expect("validated settings: trusted proxies parse");
        let limiters = RateLimiters::new(&settings.rate_limit, proxies.clone());
        let auth = web::Data::new(Auth::new(&settings.auth));
        let api = openapi::spec();
        let route_table = RouteTable::from_openapi(&api);
        let api_json = web::Bytes::from(api.to_json().expect("the OpenAPI document serialises"));
        let board_ttl = settings.leaderboards.cache_secs;
        let catalogue_ttl = Duration::from_secs(settings.catalogue.cache_secs);
        Self {
            settings: Arc::new(settings),
            db,
            limiters,
            auth,
            proxies: web::Data::new(proxies),
            api_json,
            route_table: Arc::new(route_table),
            clock: Clock::default(),
            boards: web::Data::new(BoardCache::new(Duration::from_secs(board_ttl))),
            catalogue: web::Data::new(CatalogueCache::new(catalogue_ttl)),
        }
    }
}

/// The CORS policy from the configured origin list.
fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            "x-request-id",
            "retry-after",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-after",
            "idempotent-replayed",
        ])
        .max_age(600);
    for origin in origins {
        cors = if origin == "*" {
            // Only reachable outside production (start-up refuses it there).
            cors.allow_any_origin()
        } else {
            cors.allowed_origin(origin)
        };
    }
    cors
}

/// Where the OpenAPI document is served.
const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// Builds the actix `App` for one worker.
pub fn build_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let settings = &state.settings;
    let limits = settings.rate_limit.enabled;
    // The docs routes come first: the `/api/v1` scope would otherwise claim
    // `/api/v1/openapi.json` and answer 404.
    let app = App::new()
        .service(
            web::resource("/docs")
                .get(|| async {
                    HttpResponse::TemporaryRedirect()
                        .insert_header((header::LOCATION, "/docs/"))
                        .finish()
                })
                .default_service(web::to(fallback::not_found_or_not_allowed)),
        )
        .service(
            SwaggerUi::new("/docs/{_:.*}")
                // No validator badge: it would load from a third-party host (blocked
                // by the docs CSP anyway) and tell it where the spec lives.
                .config(Config::new([OPENAPI_PATH]).validator_url("none")),
        )
        // The document answers GET (and HEAD) only; other methods land here
        // (405 with `Allow`) instead of in the `/api/v1` scope's 404.
        .service({
            let document = state.api_json.clone();
            web::resource(OPENAPI_PATH)
                .route(web::get().to(move || {
                    let document = document.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type(header::ContentType::json())
                            .body(document)
                    }
                }))
                .default_service(web::to(fallback::not_found_or_not_allowed))
        })
        .into_utoipa_app()
        .configure(routes::configure(limits.then(|| state.limiters.clone())))
        .into_app();
    app.app_data(web::Data::new(state.db.clone()))
        .app_data(web::Data::from(Arc::clone(&state.settings)))
        .app_data(state.auth.clone())
        .app_data(state.proxies.clone())
        .app_data(web::Data::from(Arc::clone(&state.route_table)))
        .app_data(web::Data::new(state.clock.clone()))
        .app_data(state.boards.clone())
        .app_data(state.catalogue.clone())
        .app_data(web::Data::new(SecurityHeaders {
            hsts: settings.http.hsts,
        }))
        .app_data(extractors::json_config(settings.http.json_limit_bytes))
        .app_data(BatchBodyLimit(settings.http.batch_json_limit_bytes))
        .app_data(extractors::path_config())
        .default_service(web::to(fallback::not_found_or_not_allowed))
        // actix-governor needs a concrete inner service, so the general limiter
        // is the first `.wrap` here and the auth limiter the first on its scope.
        .wrap(Condition::new(limits, state.limiters.general()))
        .wrap(from_fn(read_your_writes::middleware))
        .wrap(cors(&settings.http.cors_origins))
        .wrap(from_fn(head::as_get))
        .wrap(from_fn(access_log::middleware))
        .wrap(from_fn(request_id::middleware))
}

/// Opens the database named by the settings, failing with the real cause, and
/// applies pending migrations when `auto_migrate` is set.
pub fn connect(settings: &Settings, migrate: bool) -> Result<Db, String> {
    let url = &settings.database.url;
    let backend = Backend::from_url(url)?;
    let pool = build_pool(url, &settings.database.pool(), true)?;
    if migrate {
        let mut conn = pool
            .get()
            .map_err(|e| format!("cannot open a database connection: {e}"))?;
        let applied = run_migrations(&mut conn)?;
        if !applied.is_empty() {
            log::info!("applied migrations: {}", applied.join(", "));
        }
    }
    with_configured_replica(Db::new(pool, backend), settings)
}

/// `db` with the replica of `database.replica_url`, if one is configured.
/// Not connected now: a replica that is down must not stop the primary's
/// service from starting (its reads go to the primary until it is up).
pub fn with_configured_replica(db: Db, settings: &Settings) -> Result<Db, String> {
    let Some(replica_url) = settings.database.replica() else {
        return Ok(db);
    };
    let replica = build_pool(replica_url, &settings.database.pool(), false)?;
    let read_your_writes = Duration::from_secs(settings.database.read_your_writes_secs);
    Ok(db.with_replica(Replica::new(replica, read_your_writes)))
}

/// `hearth serve`: connects, migrates, and serves until stopped.
pub async fn serve(settings: Settings) -> Result<(), String> {
    let db = connect(&settings, settings.database.auto_migrate)?;
    warn_when_no_tenant(&db);
    let bind = (settings.server.host.clone(), settings.server.port);
    let sizing = settings.sizing();
    log::info!(
        "sizing: {} workers, {} pooled connections, {} concurrent password hashes, \
         at most {} blocking threads per worker",
        sizing.workers,
        sizing.pool_size,
        sizing.password_hashes,
        sizing.blocking_threads_per_worker
    );
    let cleanup = Duration::from_secs(settings.rate_limit.cleanup_interval_secs.max(1));
    let jobs = settings.jobs.clone();
    // Each job handle is kept until the server stops; dropping one ends its thread.
    let _purge = purge_hourly(db.clone(), jobs.outbox_retention_days);
    let state = AppState::new(settings, db);
    let _dues_job = (jobs.dues_interval_secs > 0).then(|| {
        payments::run_dues_job(
            state.db.clone(),
            state.clock.clone(),
            Duration::from_secs(jobs.dues_interval_secs),
            jobs.dues_batch,
        )
    });
    let _webhook_deliveries =
        outbox::run_webhook_deliveries(state.db.clone(), state.settings.webhooks.clone())?;
    let _postman = mail::run_postman(state.db.clone(), state.settings.mail.clone())?;
    state.limiters.prune_periodically(cleanup);
    let server = HttpServer::new(move || build_app(state.clone()))
        .workers(sizing.workers)
        .worker_max_blocking_threads(sizing.blocking_threads_per_worker)
        .bind(&bind)
        .map_err(|e| format!("cannot listen on {}:{}: {e}", bind.0, bind.1))?;
    log::info!(
        "Hearth listening on http://{}:{} (API docs at /docs)",
        bind.0,
        bind.1
    );
    // What startup built and dropped stays in the heap unless handed back;
    // the workers build their apps once running, so after they have.
    actix_web::rt::spawn(async {
        actix_web::rt::time::sleep(std::time::Duration::from_secs(1)).await;
        crate::malloc::release_freed();
    });
    server.run().await.map_err(|e| format!("server error: {e}"))
}

/// Every hour, on a thread of its own: expired idempotency keys, password
/// reset requests that no longer count, and outbox events and mail messages
/// past their retention (none when it is 0).
fn purge_hourly(db: Db, outbox_retention_days: u64) -> JobHandle {
    periodic::every("purge", Duration::from_secs(3600), move || {
        let mut conn = match db.pool().get() {
            Ok(conn) => conn,
            Err(e) => {
                log::warn!("cannot purge: {e}");
                return;
            }
        };
        match idempotency::purge_expired(&mut conn) {
            Ok(0) => {}
            Ok(n) => log::info!("purged {n} expired idempotency keys"),
            Err(e) => log::warn!("cannot purge idempotency keys: {e}"),
        }
        match identity::purge_reset_requests(&mut conn, crate::clock::now()) {
            Ok(_) => {}
            Err(e) => log::warn!("cannot purge password reset requests: {e}"),
        }
        if outbox_retention_days == 0 {
            return;
        }
        match outbox::purge(&mut conn, crate::clock::now(), outbox_retention_days) {
            Ok(0) => {}
            Ok(n) => log::info!("purged {n} outbox events past their retention"),
            Err(e) => log::warn!("cannot purge outbox events: {e}"),
        }
        match mail::purge(&mut conn, crate::clock::now(), outbox_retention_days) {
            Ok(0) => {}
            Ok(n) => log::info!("purged {n} mail messages past their retention"),
            Err(e) => log::warn!("cannot purge mail messages: {e}"),
        }
    })
}

fn warn_when_no_tenant(db: &Db) {
    let count = db
        .pool()
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut conn| tenants::repo::count(&mut conn).map_err(|e| e.to_string()));
    if count == Ok(0) {
        log::warn!(
            "no tenant exists yet: create one with `hearth tenant create --slug <slug> --name <name>`"
        );
    }
}
