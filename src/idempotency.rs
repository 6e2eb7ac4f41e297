//! Idempotency keys for the creating POSTs that move points or money.
//!
//! A client sends `Idempotency-Key: <1-255 visible ASCII>`. Scope: (tenant, user,
//! route). The key, the effect and the response are written in one
//! transaction, so a stored key always means the effect happened and left its
//! response, and a request that fails leaves no key behind (the client can
//! retry it). A retry with the same key and the same request gets the stored
//! response again with `Idempotent-Replayed: true`; the same key with a
//! different request is 422 `idempotency_key_reused`. A retry that arrives
//! while the first is still running waits for it (its insert of the key waits
//! for the first transaction) and then gets the same answer, replayed; if the
//! first failed, the retry runs. Keys expire after 24 hours.
//!
//! One transaction instead of a reservation committed first: an idempotent
//! write costs one commit (one fsync) and a few statements, not two.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use chrono::Duration;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::auth::TenantCtx;
use crate::auth::tokens::hex;
use crate::clock;
use crate::db::schema::{idempotency_keys, tenants};
use crate::db::{Db, DbConnection, IdempotencyKeyId, TenantId};
use crate::error::{ApiError, ErrorCode};

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The replay marker header.
pub static REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a completed response is kept.
const RETENTION_HOURS: i64 = 24;

/// The `Idempotency-Key` request header as the OpenAPI document states it, for
/// `params(idempotency::KeyHeader)` on every ⟲ route. Only documents: the key
/// is read from the request by [`run`].
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct KeyHeader {
    /// 1-255 visible ASCII characters; retries with the same key and body replay the first response.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = r"^[!-~]+$"
    )]
    _key: Option<String>,
}

/// The digest of a request body, recorded by the body extractor so the key can
/// be bound to exactly one request.
#[derive(Debug, Clone)]
pub struct BodyDigest(pub String);

/// Digest of a body that is not JSON (an uploaded file), as sent.
pub fn bytes_digest(body: &[u8]) -> BodyDigest {
    BodyDigest(hex(&Sha256::digest(body)))
}

/// Digest of a parsed JSON body (object keys are sorted, so formatting and key
/// order do not change it).
pub fn body_digest(body: &serde_json::Value) -> BodyDigest {
    BodyDigest(hex(&Sha256::digest(body.to_string().as_bytes())))
}

/// The key of a request, if it sent a valid one (400 for a malformed one, on
/// routes that run without the key too, such as an import's dry run).
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default();
    let valid = (1..=255).contains(&key.len()) && key.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if !valid {
        return Err(ApiError::bad_request(
            "Idempotency-Key must be 1-255 visible ASCII characters.",
        ));
    }
    Ok(Some(key.to_string()))
}

/// What a keyed request answers: its own effect's value, or the stored
/// answer of the request that held the key first.
enum Answer {
    First(serde_json::Value),
    Replay(i32, String),
}

/// What the store says about a key.
enum Reservation {
    /// Ours: run the effect.
    Reserved(IdempotencyKeyId),
    /// Completed before: (request hash, stored status and body).
    Existing(String, i32, String),
}

fn request_hash(req: &HttpRequest) -> String {
    let body = req
        .extensions()
        .get::<BodyDigest>()
        .map(|d| d.0.clone())
        .unwrap_or_default();
    hex(&Sha256::digest(
        format!("{} {}\n{body}", req.method(), req.path()).as_bytes(),
    ))
}

/// A stored key.
#[derive(Queryable)]
struct StoredKey {
    id: IdempotencyKeyId,
    request_hash: String,
    response_status: Option<i32>,
    response_body: Option<String>,
    expires_at: chrono::NaiveDateTime,
}

fn find(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    route: &str,
    key: &str,
) -> QueryResult<Option<StoredKey>> {
    idempotency_keys::table
        .filter(idempotency_keys::tenant_id.eq(&ctx.tenant_id))
        .filter(idempotency_keys::user_id.eq(ctx.user_id.as_str()))
        .filter(idempotency_keys::route.eq(route))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select((
            idempotency_keys::id,
            idempotency_keys::request_hash,
            idempotency_keys::response_status,
            idempotency_keys::response_body,
            idempotency_keys::expires_at,
        ))
        .first(conn)
        .optional()
}

/// One stored key, selected by tenant and id (one shard's row).
type KeyRow<'a> = diesel::dsl::Filter<
    diesel::dsl::Filter<
        idempotency_keys::table,
        diesel::dsl::Eq<idempotency_keys::tenant_id, &'a TenantId>,
    >,
    diesel::dsl::Eq<idempotency_keys::id, &'a IdempotencyKeyId>,
>;

/// The stored key `id` of `tenant`.
fn key_row<'a>(tenant: &'a TenantId, id: &'a IdempotencyKeyId) -> KeyRow<'a> {
    idempotency_keys::table
        .filter(idempotency_keys::tenant_id.eq(tenant))
        .filter(idempotency_keys::id.eq(id))
}

/// Reserves `key` for this request, inside the transaction of its effect,
/// or finds the completed request that holds it. A concurrent twin's insert
/// makes ours wait (see [`insert_if_absent!`](crate::insert_if_absent)) until
/// it commits, so a key that is taken always has its response stored.
fn reserve(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    route: &str,
    key: &str,
    hash: &str,
) -> Result<Reservation, ApiError> {
    let now = clock::now();
    let id = IdempotencyKeyId::new();
    let row = (
        idempotency_keys::id.eq(&id),
        idempotency_keys::tenant_id.eq(&ctx.tenant_id),
        idempotency_keys::user_id.eq(ctx.user_id.as_str()),
        idempotency_keys::route.eq(route),
        idempotency_keys::idempotency_key.eq(key),
        idempotency_keys::request_hash.eq(hash),
        idempotency_keys::created_at.eq(now),
        idempotency_keys::expires_at.eq(now + Duration::hours(RETENTION_HOURS)),
    );
    if crate::insert_if_absent!(conn, idempotency_keys::table, row)? {
        return Ok(Reservation::Reserved(id));
    }
    let stored = find(conn, ctx, route, key)?.ok_or_else(|| {
        ApiError::internal("an idempotency key is taken but its row cannot be read")
    })?;
    if stored.expires_at <= now {
        // Expired but not yet purged: the key is free again.
        diesel::delete(key_row(&ctx.tenant_id, &stored.id)).execute(conn)?;
        diesel::insert_into(idempotency_keys::table)
            .values(row)
            .execute(conn)?;
        return Ok(Reservation::Reserved(id));
    }
    match stored.response_status.zip(stored.response_body) {
        Some((code, body)) => Ok(Reservation::Existing(stored.request_hash, code, body)),
        None => Err(ApiError::internal(
            "an idempotency key was committed without its response",
        )),
    }
}

/// The JSON body an effect of [`run`] answers with.
pub fn body<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(format!("serialise response: {e}")))
}

fn respond(status: StatusCode, body: String, replayed: bool) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header((CONTENT_TYPE, "application/json"));
    if replayed {
        res.insert_header((REPLAYED.clone(), HeaderValue::from_static("true")));
    }
    res.body(body)
}

/// Runs `effect` (inside a write transaction) at most once per idempotency key,
/// answering `status` with the JSON it returns, or replaying the stored answer.
/// `route` names the operation (its scope), e.g. `points.award`.
pub async fn run<F>(
    db: &Db,
    req: &HttpRequest,
    ctx: &TenantCtx,
    route: &'static str,
    status: StatusCode,
    effect: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<serde_json::Value, ApiError> + Send + 'static,
{
    run_revealing(db, req, ctx, route, status, effect, Ok).await
}

/// [`run`] for answers that carry a secret the database must never hold (a
/// badge code, a one-time code): `effect` returns the answer without it, and
/// that is what is stored; `reveal` adds the secret, derived again from what
/// is stored and a server key, to the first answer and to every replay.
pub async fn run_revealing<F, R>(
    db: &Db,
    req: &HttpRequest,
    ctx: &TenantCtx,
    route: &'static str,
    status: StatusCode,
    effect: F,
    reveal: R,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<serde_json::Value, ApiError> + Send + 'static,
    R: Fn(serde_json::Value) -> Result<serde_json::Value, ApiError>,
{
    let answer = |status, stored: &str, replayed| -> Result<HttpResponse, ApiError> {
        let value = serde_json::from_str(stored)
            .map_err(|e| ApiError::internal(format!("stored response: {e}")))?;
        Ok(respond(status, reveal(value)?.to_string(), replayed))
    };
    let Some(key) = key_of(req)? else {
        let body = db.write(effect).await?;
        return Ok(respond(status, reveal(body)?.to_string(), false));
    };
    let hash = request_hash(req);
    let scope = ctx.clone();
    let stored_status = i32::from(status.as_u16());
    let outcome = db
        .write(
            move |conn| match reserve(conn, &scope, route, &key, &hash)? {
                Reservation::Reserved(id) => {
                    let value = effect(conn)?;
                    diesel::update(key_row(&scope.tenant_id, &id))
                        .set((
                            idempotency_keys::response_status.eq(stored_status),
                            idempotency_keys::response_body.eq(value.to_string()),
                        ))
                        .execute(conn)?;
                    Ok(Answer::First(value))
                }
                Reservation::Existing(stored_hash, _, _) if stored_hash != hash => {
                    Err(ApiError::new(ErrorCode::IdempotencyKeyReused)
                        .with_detail("This Idempotency-Key was used for a different request."))
                }
                Reservation::Existing(_, code, body) => Ok(Answer::Replay(code, body)),
            },
        )
        .await?;
    match outcome {
        // The first answer is revealed from the value itself: only a replay
        // has to read the stored text back.
        Answer::First(value) => Ok(respond(status, reveal(value)?.to_string(), false)),
        Answer::Replay(code, body) => {
            let status = StatusCode::from_u16(u16::try_from(code).unwrap_or(500))
                .map_err(|e| ApiError::internal(format!("stored status: {e}")))?;
            answer(status, &body, true)
        }
    }
}

/// Deletes expired keys, one tenant at a time (each delete stays on one
/// tenant's shard and holds its locks briefly); returns how many.
pub fn purge_expired(conn: &mut DbConnection) -> QueryResult<usize> {
    let now = clock::now();
    let mut purged = 0;
    let tenant_ids = tenants::table.select(tenants::id).load::<TenantId>(conn)?;
    for tenant in tenant_ids {
        purged += diesel::delete(
            idempotency_keys::table
                .filter(idempotency_keys::tenant_id.eq(&tenant))
                .filter(idempotency_keys::expires_at.lt(now)),
        )
        .execute(conn)?;
    }
    Ok(purged)
}
