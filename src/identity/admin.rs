//! Admin user management: `/admin/users…`. Every write is audited in its own
//! transaction; another tenant's user is a 404 like a missing one.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::Duration;

use crate::audit;
use crate::auth::{AdminUser, Auth, TenantCtx, tokens};
use crate::auth::{Role, UserStatus};
use crate::clock;
use crate::codes::random_code;
use crate::db::{Db, DbConnection, UserId};
use crate::error::{ApiError, ErrorCode};
use crate::http::extractors::Query;
use crate::identity::dto::{
    CodeResponse, CreateUserRequest, UpdateUserRequest, UserResponse, UsersQuery,
};
use crate::identity::model::User;
use crate::identity::repo::users::UserFilter;
use crate::identity::repo::{credentials, sessions, users};
use crate::identity::service::accounts::{self, NewAccount};
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Longest accepted user search text (as documented on `q`).
const MAX_SEARCH: usize = 100;

/// Length of admin-issued reset codes: 12 symbols ≈ 59 bits.
const RESET_CODE_LENGTH: usize = 12;

fn audit_user(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    action: &str,
    user: &UserId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    Ok(audit::admin_action(
        conn,
        ctx,
        action,
        "user",
        user.as_str(),
        meta,
    )?)
}

fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &UserId) -> Result<User, ApiError> {
    users::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// List users
///
/// The tenant's users, newest first, with filters.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "list_users",
    params(UsersQuery),
    security(("bearer" = [])),
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
    AdminUser(ctx): AdminUser,
    query: Query<UsersQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<UserResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    if query
        .q
        .as_ref()
        .is_some_and(|q| q.chars().count() > MAX_SEARCH)
    {
        return Err(ApiError::bad_request(format!(
            "q must be at most {MAX_SEARCH} characters"
        )));
    }
    let filter = UserFilter {
        status: query.status,
        role: query.role,
        household_id: query.household_id,
        q: query
            .q
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty()),
    };
    let request = page.clone();
    let rows = db
        .read(move |conn| Ok(users::list(conn, &ctx.tenant_id, &filter, &request)?))
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |u| (u.created_at, u.id.to_string()),
        UserResponse::from,
    )))
}

/// Create a user
///
/// Create an active user (member or admin) directly.
#[utoipa::path(
    tag = "admin-users",
    operation_id = "create_user",
    request_body = CreateUserRequest,
    security(("bearer" = [])),
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
    let account = NewAccount {
        tenant: ctx.tenant_id.clone(),
        email: body.email,
        display_name: body.display_name,
        password: body.password,
        role: body.role.unwrap_or(Role::User),
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
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user.", body = UserResponse),
    )
)]
#[get("/admin/users/{id}")]
pub async fn get_user(
    AdminUser(ctx): AdminUser,
    id: web::Path<UserId>,
    db: web::Data<Db>,
) -> Result<web::Json<UserResponse>, ApiError> {
    let id = id.into_inner();
    let user = db.read(move |conn| find(conn, &ctx, &id)).await?;
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
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated user.", body = UserResponse),
        (status = 409, description = "`cannot_modify_self`."),
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
    let wanted_status = body.status.map(UserStatus::from);
    if id == ctx.user_id
        && (body.role == Some(Role::User) || wanted_status == Some(UserStatus::Suspended))
    {
        return Err(ApiError::new(ErrorCode::CannotModifySelf)
            .with_detail("An admin cannot demote or suspend their own account."));
    }
    let (updated, ended) = db
        .write(move |conn| {
            let before = find(conn, &ctx, &id)?;
            if let Some(name) = &body.display_name {
                users::update_profile(conn, &ctx.tenant_id, &id, Some(name.trim()), None)?;
                audit_user(conn, &ctx, "user.update", &id, &meta)?;
            }
            let role = body.role.filter(|r| *r != before.role);
            let status = wanted_status.filter(|s| *s != before.status);
            if role.is_some() || status.is_some() {
                users::update_role_status(conn, &ctx.tenant_id, &id, role, status)?;
            }
            if role.is_some() {
                audit_user(conn, &ctx, "user.role_change", &id, &meta)?;
            }
            // Sessions whose cached role or status this instance must forget now
            // (other instances notice within the session cache TTL).
            let mut changed = Vec::new();
            if role.is_some() {
                changed = sessions::live_ids(conn, &ctx.tenant_id, &id)?;
            }
            match status {
                Some(UserStatus::Suspended) => {
                    changed = sessions::revoke_all(conn, &ctx.tenant_id, &id, None, "suspended")?;
                    audit_user(conn, &ctx, "user.suspend", &id, &meta)?;
                }
                Some(_) => audit_user(conn, &ctx, "user.reactivate", &id, &meta)?,
                None => {}
            }
            Ok((find(conn, &ctx, &id)?, changed))
        })
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
    security(("bearer" = [])),
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
        .write(move |conn| {
            if users::approve(conn, &ctx.tenant_id, &id)? == 0 {
                find(conn, &ctx, &id)?;
                return Err(ApiError::new(ErrorCode::NotPending)
                    .with_detail("This user is not waiting for approval."));
            }
            audit_user(conn, &ctx, "user.approve", &id, &meta)?;
            find(conn, &ctx, &id)
        })
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
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The code (shown once) and its expiry.", body = CodeResponse),
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
    let id = id.into_inner();
    let code = random_code(RESET_CODE_LENGTH);
    let hash = tokens::hash_token(&code);
    let ttl = i64::try_from(auth.settings.reset_code_ttl_secs).unwrap_or(3600);
    let expires_at = clock::now() + Duration::seconds(ttl);
    db.write(move |conn| {
        find(conn, &ctx, &id)?;
        credentials::issue_reset_code(conn, &ctx.tenant_id, &id, &ctx.user_id, &hash, expires_at)?;
        audit_user(conn, &ctx, "user.password_reset_code", &id, &meta)
    })
    .await?;
    Ok(HttpResponse::Created().json(CodeResponse { code, expires_at }))
}
