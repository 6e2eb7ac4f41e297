//! The caller's own account: `/me`, password, sessions, member code.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::audit::{self, AuditEntry};
use crate::auth::{Auth, AuthUser, TenantCtx, password};
use crate::db::{Db, SessionId};
use crate::error::{ApiError, FieldError};
use crate::households;
use crate::http::extractors::Query;
use crate::identity::dto::{
    ChangePasswordRequest, CodeResponse, HouseholdSummary, MeResponse, SessionResponse,
    UpdateMeRequest,
};
use crate::identity::repo::{sessions, users};
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

async fn load_me(db: &Db, ctx: TenantCtx) -> Result<MeResponse, ApiError> {
    db.read(move |conn| {
        let user =
            users::get(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)?;
        let household = match &user.household_id {
            Some(id) => {
                households::repo::get(conn, &ctx.tenant_id, id)?.map(|h| HouseholdSummary {
                    id: h.id.into(),
                    name: h.name,
                })
            }
            None => None,
        };
        Ok(MeResponse {
            user: user.into(),
            household,
        })
    })
    .await
}

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
    Ok(web::Json(load_me(&db, ctx).await?))
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
    let scope = ctx.clone();
    db.write(move |conn| {
        users::update_profile(
            conn,
            &scope.tenant_id,
            &scope.user_id,
            body.display_name.as_deref().map(str::trim),
            body.phone.as_ref().map(|p| p.as_deref()),
        )?;
        Ok(())
    })
    .await?;
    Ok(web::Json(load_me(&db, ctx).await?))
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
    let me = {
        let ctx = ctx.clone();
        db.read(move |conn| {
            users::get(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)
        })
        .await?
    };
    password::check_policy(
        "new_password",
        &body.new_password,
        &[&me.email, &me.display_name],
    )
    .map_err(|e| ApiError::validation(vec![e]))?;
    let verified = auth
        .passwords
        .verify(body.current_password, Some(me.password_hash))
        .await?;
    if !verified.matches {
        return Err(ApiError::validation(vec![FieldError::new(
            "current_password",
            "incorrect",
            "is not your current password",
        )]));
    }
    let hash = auth.passwords.hash(body.new_password).await?;
    let ended = db
        .write(move |conn| {
            users::set_password_hash(conn, &ctx.tenant_id, &ctx.user_id, &hash)?;
            let ended = sessions::revoke_all(
                conn,
                &ctx.tenant_id,
                &ctx.user_id,
                Some(&ctx.session_id),
                "password_change",
            )?;
            audit::record(
                conn,
                &ctx.tenant_id,
                AuditEntry::new("user.password_change", &meta)
                    .by(&ctx.user_id)
                    .on("user", ctx.user_id.as_str()),
            )?;
            Ok(ended)
        })
        .await?;
    auth.sessions.invalidate(&ended);
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
    let (request, current) = (page.clone(), ctx.session_id.clone());
    let rows = db
        .read(move |conn| {
            Ok(sessions::list_live(
                conn,
                &ctx.tenant_id,
                &ctx.user_id,
                &request,
            )?)
        })
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |s| (s.created_at, s.id.to_string()),
        |s| SessionResponse::new(s, &current),
    )))
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
    db.write(move |conn| {
        if !sessions::revoke(
            conn,
            &ctx.tenant_id,
            &ctx.user_id,
            &target,
            "revoked_by_user",
        )? {
            return Err(ApiError::not_found());
        }
        audit::record(
            conn,
            &ctx.tenant_id,
            AuditEntry::new("auth.session_revoke", &meta)
                .by(&ctx.user_id)
                .on("session", target.as_str()),
        )?;
        Ok(())
    })
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
    clock: web::Data<crate::clock::Clock>,
) -> Result<web::Json<CodeResponse>, ApiError> {
    let (code, expires) = auth
        .member_codes
        .issue(&ctx.tenant_id, &ctx.user_id, clock.unix_secs());
    let expires_at = chrono::DateTime::from_timestamp(i64::try_from(expires).unwrap_or(0), 0)
        .ok_or_else(|| ApiError::internal("member code expiry out of range"))?
        .naive_utc();
    Ok(web::Json(CodeResponse { code, expires_at }))
}
