//! Admin user management: `/admin/users…`. Every write is audited in its own
//! transaction; another tenant's user is a 404 like a missing one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};

use crate::auth::{AdminUser, Auth, Role, Scopes, StaffUser, UserStatus, desk};
use crate::db::{BadgeId, Db, DbConnection, UserId};
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::idempotency;
use crate::identity::dto::{
    BadgeResponse, CodeResponse, CreateUserRequest, IssuedBadge, UpdateUserRequest, UserResponse,
    UsersQuery,
};
use crate::identity::rules;
use crate::identity::service::accounts::{self, NewAccount};
use crate::identity::service::{badges, users};
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// List users
///
/// The tenant's users, newest first, with filters.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "list_users",
    params(UsersQuery, PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"]), ("bearer" = ["points"]), ("bearer" = ["redemptions"]), ("bearer" = ["payments"])),
    responses(
        (status = 200, description = "One page of users.", body = Page<UserResponse>,
         links(
            ("GetUser" = (operation_id = "get_user", parameters(("id" = "$response.body#/data/0/id")))),
            ("UpdateUser" = (operation_id = "update_user", parameters(("id" = "$response.body#/data/0/id")))),
            ("ApproveUser" = (operation_id = "approve_user", parameters(("id" = "$response.body#/data/0/id")))),
            ("IssueResetCode" = (operation_id = "issue_password_reset_code", parameters(("id" = "$response.body#/data/0/id"))))
         )),
    )
)]
#[get("/admin/users")]
pub async fn list_users(
    StaffUser(ctx, _): StaffUser<desk::Any>,
    Paged { page, filters }: Paged<UsersQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<UserResponse>>, ApiError> {
    let filter = filters.into_filter()?;
    let listed = db
        .read(move |conn| users::list(conn, &ctx, &filter, &page))
        .await?;
    Ok(web::Json(listed))
}

/// Create a user
///
/// Create an active user (member or admin) directly.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "create_user",
    request_body = CreateUserRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "Created, active.", body = UserResponse,
         links(
            ("GetUser" = (operation_id = "get_user", parameters(("id" = "$response.body#/id")))),
            ("UpdateUser" = (operation_id = "update_user", parameters(("id" = "$response.body#/id")))),
            ("ApproveUser" = (operation_id = "approve_user", parameters(("id" = "$response.body#/id")))),
            ("IssueResetCode" = (operation_id = "issue_password_reset_code", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 409, description = "`email_taken`."),
    )
)]
#[post("/admin/users")]
pub async fn create_user(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateUserRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let role = body.role.unwrap_or(Role::User);
    let account = NewAccount {
        tenant: ctx.tenant_id.clone(),
        email: body.email,
        display_name: body.display_name,
        password: body.password,
        role,
        scopes: rules::scopes_for(role, body.scopes, Scopes::NONE)?,
        status: UserStatus::Active,
        household_code: None,
    };
    let actor = Some(ctx.user_id);
    let created =
        accounts::create(&db, &auth.passwords, account, actor, "user.create", meta).await?;
    Ok(HttpResponse::Created().json(UserResponse::from(created)))
}

/// Get a user
///
/// One user of the tenant.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "get_user",
    params(("id" = String, Path, format = Uuid, description = "User id")),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"]), ("bearer" = ["points"]), ("bearer" = ["redemptions"]), ("bearer" = ["payments"])),
    responses(
        (status = 200, description = "The user.", body = UserResponse),
    )
)]
#[get("/admin/users/{id}")]
pub async fn get_user(
    StaffUser(ctx, _): StaffUser<desk::Any>,
    id: web::Path<UserId>,
    db: web::Data<Db>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let id = id.into_inner();
    let user = db.read(move |conn| users::find(conn, &ctx, &id)).await?;
    Ok(web::Json(user.into()))
}

/// Update a user
///
/// Change a user's name, role or status. Suspending ends every session of the
/// user. An admin cannot demote or suspend themselves (409 `cannot_modify_self`).
#[utoipa::path(
    tag = "admin-users",
    operation_id = "update_user",
    params(("id" = String, Path, format = Uuid, description = "User id")),
    request_body = UpdateUserRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The updated user.", body = UserResponse),
        (status = 409, description = "`cannot_modify_self`; `no_login`: a dependant keeps the member role and holds no scopes."),
    )
)]
#[patch("/admin/users/{id}")]
pub async fn update_user(
    AdminUser(ctx): AdminUser,
    id: web::Path<UserId>,
    Valid(body): Valid<UpdateUserRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<web::Json<UserResponse>, ApiError> {
    let id = id.into_inner();
    let (updated, ended) = db
        .write(move |conn| users::update(conn, &ctx, &id, &body, &meta))
        .await?;
    auth.sessions.invalidate(&ended);
    Ok(web::Json(updated.into()))
}

/// Approve a pending user
///
/// Approve a pending registration.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "approve_user",
    params(("id" = String, Path, format = Uuid, description = "User id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The user, now active.", body = UserResponse),
        (status = 409, description = "`not_pending`: the user is not waiting for approval."),
    )
)]
#[post("/admin/users/{id}/approve")]
pub async fn approve_user(
    AdminUser(ctx): AdminUser,
    id: web::Path<UserId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<UserResponse>, ApiError> {
    let id = id.into_inner();
    let user = db
        .write(move |conn| users::approve(conn, &ctx, &id, &meta))
        .await?;
    Ok(web::Json(user.into()))
}

/// Issue a password reset code
///
/// Issue a one-time password reset code for a user, valid for one hour, to hand
/// over in person or by phone. Earlier unused codes of the user stop working.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "issue_password_reset_code",
    params(("id" = String, Path, format = Uuid, description = "User id")),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The code (shown once) and its expiry.", body = CodeResponse),
        (status = 409, description = "`no_login`: a dependant has no password to reset."),
    )
)]
#[post("/admin/users/{id}/password-reset")]
pub async fn issue_reset_code(
    AdminUser(ctx): AdminUser,
    id: web::Path<UserId>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (id, ttl) = (id.into_inner(), auth.settings.reset_code_ttl_secs);
    let (code, expires_at) = db
        .write(move |conn| users::issue_reset_code(conn, &ctx, &id, ttl, &meta))
        .await?;
    Ok(HttpResponse::Created().json(CodeResponse { code, expires_at }))
}

/// Issue a badge card
///
/// Issue a permanent badge code for a member or a dependant, to print as a
/// QR for someone without a phone; staff scan it at events like a member
/// code. Issuing again revokes the previous card. The code is derived from
/// the server's signing secret and never stored, so it is shown in this
/// answer only (and in a replay of it: send an `Idempotency-Key`).
#[utoipa::path(
    tag = "admin-users",
    operation_id = "issue_badge",
    params(("id" = String, Path, format = Uuid, description = "User id"), idempotency::KeyHeader),
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The card to print.", body = BadgeResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 422, description = "`idempotency_key_reused`."),
    )
)]
#[post("/admin/users/{id}/badge")]
pub async fn issue_badge(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    id: web::Path<UserId>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id) = (ctx.clone(), id.into_inner());
    let run =
        move |conn: &mut DbConnection| idempotency::body(&badges::issue(conn, &scope, &id, &meta)?);
    let tenant = ctx.tenant_id.clone();
    let reveal = move |stored: serde_json::Value| {
        let issued: IssuedBadge = serde_json::from_value(stored)
            .map_err(|e| ApiError::internal(format!("stored badge: {e}")))?;
        let badge: BadgeId = issued
            .badge_id
            .parse()
            .map_err(|_| ApiError::internal("stored badge id"))?;
        let badge_code = auth.badge_codes.code(&tenant, &badge);
        idempotency::body(&BadgeResponse { badge_code, issued })
    };
    let action = "admin.users.issue_badge";
    idempotency::run_revealing(&db, &req, &ctx, action, StatusCode::CREATED, run, reveal).await
}

/// Revoke a badge card
///
/// Revoke the user's badge card: scanning it is refused from now on. Nothing
/// to revoke is no error.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "revoke_badge",
    params(("id" = String, Path, format = Uuid, description = "User id")),
    security(("bearer" = ["admin"])),
    responses((status = 204, description = "The user holds no live card."))
)]
#[delete("/admin/users/{id}/badge")]
pub async fn revoke_badge(
    AdminUser(ctx): AdminUser,
    id: web::Path<UserId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| badges::revoke(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
