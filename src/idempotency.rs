//! Idempotency keys for the creating POSTs that move points or money.
//!
//! A client sends `Idempotency-Key: <1-255 visible ASCII>`. Scope: (tenant, user,
//! route). The effect runs and its answer is stored under the key in one
//! transaction, so a stored key always means the effect happened and left its
//! response, and a request that fails leaves no key behind (the client can
//! retry it). A retry with the same key and the same request gets the stored
//! response again with `Idempotent-Replayed: true`; the same key with a
//! different request is 422 `idempotency_key_reused`. Keys expire after 24 hours.
//!
//! The key goes in last, with the answer: one statement, one commit. A retry
//! runs its effect too, and when its insert of the key finds the first's (on
//! PostgreSQL it waits for a first still under way to commit), its
//! transaction rolls back, effect and all, and it answers the first's
//! response, replayed. A retry whose effect is refused (the points it would
//! spend are gone) looks for the key before it answers. If the first failed,
//! the retry's own effect stands.

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
use crate::db::{Db, DbConnection, IdempotencyKeyId, TenantId, write_tx};
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

/// Why a keyed transaction rolled back.
enum Rollback {
    /// The effect or a statement failed.
    Failed(ApiError),
    /// Another request holds the key: its row.
    Taken(StoredKey),
}

impl From<diesel::result::Error> for Rollback {
    fn from(e: diesel::result::Error) -> Self {
        Self::Failed(e.into())
    }
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

/// Who holds a key on which route.
struct KeyScope<'a> {
    ctx: &'a TenantCtx,
    route: &'a str,
    key: &'a str,
}

impl KeyScope<'_> {
    /// The key's row, if one is stored.
    fn find(&self, conn: &mut DbConnection) -> QueryResult<Option<StoredKey>> {
        idempotency_keys::table
            .filter(idempotency_keys::tenant_id.eq(&self.ctx.tenant_id))
            .filter(idempotency_keys::user_id.eq(self.ctx.user_id.as_str()))
            .filter(idempotency_keys::route.eq(self.route))
            .filter(idempotency_keys::idempotency_key.eq(self.key))
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

    /// Stores the key with the answer of the effect just run (inside its
    /// transaction), unless another request holds it: then that request's
    /// row, and the caller rolls back. See
    /// [`insert_if_absent!`](crate::insert_if_absent) for how a twin still
    /// under way on PostgreSQL makes this wait.
    fn store(
        &self,
        conn: &mut DbConnection,
        hash: &str,
        (status, body): (i32, &str),
    ) -> Result<(), Rollback> {
        let now = clock::now();
        let row = (
            idempotency_keys::id.eq(IdempotencyKeyId::new()),
            idempotency_keys::tenant_id.eq(&self.ctx.tenant_id),
            idempotency_keys::user_id.eq(self.ctx.user_id.as_str()),
            idempotency_keys::route.eq(self.route),
            idempotency_keys::idempotency_key.eq(self.key),
            idempotency_keys::request_hash.eq(hash),
            idempotency_keys::response_status.eq(status),
            idempotency_keys::response_body.eq(body),
            idempotency_keys::created_at.eq(now),
            idempotency_keys::expires_at.eq(now + Duration::hours(RETENTION_HOURS)),
        );
        if crate::insert_if_absent!(conn, idempotency_keys::table, row.clone())? {
            return Ok(());
        }
        let stored = self.find(conn)?.ok_or_else(|| {
            Rollback::Failed(ApiError::internal(
                "an idempotency key is taken but its row cannot be read",
            ))
        })?;
        if stored.expires_at > now {
            return Err(Rollback::Taken(stored));
        }
        // Expired but not yet purged: the key is free again.
        diesel::delete(
            idempotency_keys::table
                .filter(idempotency_keys::tenant_id.eq(&self.ctx.tenant_id))
                .filter(idempotency_keys::id.eq(&stored.id)),
        )
        .execute(conn)?;
        diesel::insert_into(idempotency_keys::table)
            .values(row)
            .execute(conn)?;
        Ok(())
    }
}

/// The stored answer of `stored` for a request hashing to `hash`: a replay,
/// or 422 when the key was used for another request.
fn replay(stored: StoredKey, hash: &str) -> Result<Answer, ApiError> {
    if stored.request_hash != hash {
        return Err(ApiError::new(ErrorCode::IdempotencyKeyReused)
            .with_detail("This Idempotency-Key was used for a different request."));
    }
    // Nullable only because keys were once reserved before their answer.
    match stored.response_status.zip(stored.response_body) {
        Some((code, body)) => Ok(Answer::Replay(code, body)),
        None => Err(ApiError::internal(
            "an idempotency key was stored without its response",
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
    let ctx = ctx.clone();
    let stored_status = i32::from(status.as_u16());
    // A primary connection of our own rather than `Db::write`: after a
    // rollback the same connection looks for the key.
    let outcome = db
        .read(move |conn| {
            let scope = KeyScope {
                ctx: &ctx,
                route,
                key: &key,
            };
            let first = write_tx(conn, |conn| {
                let value = effect(conn).map_err(Rollback::Failed)?;
                scope.store(conn, &hash, (stored_status, &value.to_string()))?;
                Ok(value)
            });
            match first {
                Ok(value) => Ok(Answer::First(value)),
                Err(Rollback::Taken(stored)) => replay(stored, &hash),
                // Refused, perhaps because a first attempt with this key
                // already spent what this one needed: that attempt's answer,
                // else this one's error (also when the look itself fails).
                Err(Rollback::Failed(error)) => match scope.find(conn) {
                    Ok(Some(stored)) if stored.expires_at > clock::now() => replay(stored, &hash),
                    _ => Err(error),
                },
            }
        })
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
