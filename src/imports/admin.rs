//! `POST /admin/imports/households`: a roll of households in one request.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, post, web};
use futures_util::StreamExt;

use crate::auth::{AdminUser, Auth};
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::idempotency;
use crate::imports::dto::{ImportCounts, ImportQuery, ImportReport};
use crate::imports::roll;
use crate::imports::service::{self, StoredImport};
use crate::request_context::RequestMeta;

/// The largest roll accepted: 5,000 rows of generous width.
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// The body as sent, if it is CSV (415 otherwise) within [`MAX_BYTES`] (413).
async fn csv_body(req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let is_csv = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("text/csv"));
    if !is_csv {
        return Err(ApiError::unsupported_media_type().with_detail("Send the roll as text/csv."));
    }
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("The body could not be read: {e}")))?;
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(ApiError::payload_too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Import households
///
/// Onboard a roll: CSV (`text/csv`, UTF-8, a header row; at most 5,000 rows
/// and 4 MiB), one person a row, with the columns `household_name` and
/// `display_name` (required), `address`, `zone`, `email` (required for a
/// member, empty for a dependant), `kind` (`member`, the default, or
/// `dependant`) and `groups` (group names separated by `;`). Header names
/// ignore case and spaces; rows are grouped into households by name, and a
/// name that one live household already has joins it. Groups are found by
/// exact name or created.
///
/// Every failure is in one 422 `validation_failed` (`errors[]`, each with
/// `row` — 1 is the first row after the header, 0 the header — `column` and
/// `code`), and nothing is written. `?dry_run=true` checks everything the
/// same way and answers 200 with what would be created, writing nothing. A
/// real run writes all of it or nothing and answers 201 with the counts and,
/// for each new login member
/// (`pending` until they set a password), a one-time reset code valid 14
/// days to hand out. Send an `Idempotency-Key`: a retry replays the same
/// answer, codes included, and creates nothing new.
#[utoipa::path(
    tag = "admin-imports",
    operation_id = "import_households",
    params(ImportQuery, idempotency::KeyHeader),
    request_body(content = String, content_type = "text/csv", description = "The roll.",
        example = "household_name,display_name,email,kind,groups\nThe Smiths,Ann Smith,ann@example.org,member,Class 2B\nThe Smiths,Mia Smith,,dependant,Class 2B\n"),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "Dry run: what would be created.", body = ImportCounts),
        (status = 201, description = "Imported: the counts and the codes to hand out.", body = ImportReport,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 413, description = "`payload_too_large`: over 4 MiB."),
        (status = 415, description = "`unsupported_media_type` (the body is not text/csv)."),
        (status = 422, description = "`validation_failed` naming each bad row and column (malformed CSV too: \
quotes, encoding, column count), or `idempotency_key_reused`."),
    )
)]
#[post("/admin/imports/households")]
pub async fn households(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    query: Query<ImportQuery>,
    payload: web::Payload,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let dry_run = query.0.dry_run.unwrap_or(false);
    // A dry run writes nothing and needs no key, but a malformed one is
    // still the client's mistake to hear about.
    idempotency::key_of(&req)?;
    let body = csv_body(&req, payload).await?;
    let rows = roll::parse(&body);
    let rows = rows.map_err(ApiError::validation)?;
    if dry_run {
        let scope = ctx.clone();
        let (plan, errors) = db
            .read(move |conn| service::plan(conn, &scope, rows, true))
            .await?;
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        return Ok(HttpResponse::Ok().json(plan.counts));
    }
    req.extensions_mut()
        .insert(idempotency::bytes_digest(&body));
    let (scope, writer) = (ctx.clone(), auth.clone());
    let ttl = auth.settings.invite_code_ttl_secs;
    let run = move |conn: &mut DbConnection| {
        let (plan, errors) = service::plan(conn, &scope, rows, false)?;
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let stored = service::apply(conn, &scope, plan, (&writer.invite_codes, ttl), &meta)?;
        idempotency::body(&stored)
    };
    let shown = ctx.clone();
    let reveal = move |stored: serde_json::Value| {
        let stored: StoredImport = serde_json::from_value(stored)
            .map_err(|e| ApiError::internal(format!("stored import: {e}")))?;
        idempotency::body(&stored.reveal(&shown, &auth.invite_codes))
    };
    let action = "admin.imports.households";
    idempotency::run_revealing(&db, &req, &ctx, action, StatusCode::CREATED, run, reveal).await
}
