//! The caller's own account: `/me`, password, sessions, member code.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::auth::{Auth, AuthUser};
use crate::clock::Clock;
use crate::db::{Db, SessionId};
use crate::error::ApiError;
use crate::http::extractors::Query;
use crate::identity::dto::{
    ChangePasswordRequest, CodeResponse, MeResponse, SessionResponse, UpdateMeRequest,
};
use crate::identity::service::me;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Get my profile
///
/// The caller's profile, role and status.
#[utoipa::path(
    tag = "me",
    operation_id = "get_me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller.", body = MeResponse),
    )
)]
#[get("/me")]
pub async fn get_me(
    AuthUser(ctx): AuthUser,
    db: web::Data<Db>,
) -> Result<web::Json<MeResponse>, ApiError> {
    Ok(web::Json(db.read(move |conn| me::me(conn, &ctx)).await?))
}

/// Update my profile
///
/// Change the caller's display name or phone.
#[utoipa::path(
    tag = "me",
    operation_id = "update_me",
    request_body = UpdateMeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated profile.", body = MeResponse),
    )
)]
#[patch("/me")]
pub async fn update_me(
    AuthUser(ctx): AuthUser,
    Valid(body): Valid<UpdateMeRequest>,
    db: web::Data<Db>,
) -> Result<web::Json<MeResponse>, ApiError> {
    let updated = db.write(move |conn| me::update(conn, &ctx, &body)).await?;
    Ok(web::Json(updated))
}

/// Change my password
///
/// Change the caller's password. Every other session of the account ends; this
/// one stays signed in.
#[utoipa::path(
    tag = "me",
    operation_id = "change_password",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; the other sessions have ended."),
        (status = 422, description = "`validation_failed` (`current_password: incorrect`, or the new password breaks the policy)."),
    )
)]
#[post("/me/password")]
pub async fn change_password(
    AuthUser(ctx): AuthUser,
    Valid(body): Valid<ChangePasswordRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    me::change_password(&db, &auth, ctx, body, meta).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List my sessions
///
/// The caller's live sessions (devices), newest first.
#[utoipa::path(
    tag = "me",
    operation_id = "list_my_sessions",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of live sessions.", body = Page<SessionResponse>,
         links(("RevokeSession" = (operation_id = "revoke_my_session", parameters(("id" = "$response.body#/data/0/id")))))),
    )
)]
#[get("/me/sessions")]
pub async fn list_sessions(
    AuthUser(ctx): AuthUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<SessionResponse>>, ApiError> {
    let page = query.parse()?;
    let sessions = db.read(move |conn| me::sessions(conn, &ctx, &page)).await?;
    Ok(web::Json(sessions))
}

/// Revoke one of my sessions
///
/// End one of the caller's sessions (e.g. a lost phone).
#[utoipa::path(
    tag = "me",
    operation_id = "revoke_my_session",
    params(("id" = String, Path, format = Uuid, description = "Session id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The session has ended."),
    )
)]
#[delete("/me/sessions/{id}")]
pub async fn revoke_session(
    AuthUser(ctx): AuthUser,
    id: web::Path<SessionId>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let session = id.into_inner();
    let target = session.clone();
    db.write(move |conn| me::revoke_session(conn, &ctx, &target, &meta))
        .await?;
    auth.sessions.invalidate([&session]);
    Ok(HttpResponse::NoContent().finish())
}

/// Get my member code
///
/// A short-lived signed code naming the caller, to show as a QR code for staff
/// to scan at events. Fetch a new one when it expires.
#[utoipa::path(
    tag = "me",
    operation_id = "get_member_code",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The code and its expiry.", body = CodeResponse),
    )
)]
#[get("/me/member-code")]
pub async fn member_code(
    AuthUser(ctx): AuthUser,
    auth: web::Data<Auth>,
    clock: web::Data<Clock>,
) -> Result<web::Json<CodeResponse>, ApiError> {
    Ok(web::Json(me::member_code(&auth, &ctx, clock.unix_secs())?))
}
