//! Admin household management: `/admin/households…`. Every write is audited in
//! its transaction; another tenant's household is a 404 like a missing one.

use actix_web::{HttpResponse, delete, get, patch, post, web};

use crate::audit::{self, AuditEntry};
use crate::auth::{AdminUser, TenantCtx};
use crate::clock;
use crate::db::{Db, DbConnection, HouseholdId, UserId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::households::dto::{
    AddMemberRequest, CreateHouseholdRequest, HouseholdDetail, HouseholdResponse, HouseholdsQuery,
    JoinCodeResponse, UpdateHouseholdRequest,
};
use crate::households::model::{Household, NewHousehold, new_join_code};
use crate::households::repo::{self, HouseholdFilter};
use crate::households::service;
use crate::http::extractors::Query;
use crate::request_context::RequestMeta;
use crate::identity::repo::users;
use crate::pagination::{Page, PageQuery};
use crate::payments;
use crate::validation::Valid;

/// Attempts at a join code that no other household of the tenant uses.
const JOIN_CODE_ATTEMPTS: usize = 5;

fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &HouseholdId) -> Result<Household, ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// The household, if it is not archived: archived households are kept as
/// history and only read (and their members may still leave).
fn find_live(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
) -> Result<Household, ApiError> {
    let household = find(conn, ctx, id)?;
    if household.archived_at.is_some() {
        return Err(ApiError::new(ErrorCode::HouseholdArchived)
            .with_detail("Archived households are kept as history and cannot be changed."));
    }
    Ok(household)
}

fn detail(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
) -> Result<HouseholdDetail, ApiError> {
    let household = find(conn, ctx, id)?;
    service::detail(conn, &ctx.tenant_id, household)
}

fn audit_household(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    action: &str,
    id: &HouseholdId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    Ok(audit::admin_action(
        conn,
        ctx,
        action,
        "household",
        id.as_str(),
        meta,
    )?)
}

/// A join code no live or archived household of the tenant has. Codes are
/// random (≈ 40 bits), so a clash is rare; the unique constraint is the guard.
fn unused_join_code(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<String, ApiError> {
    for _ in 0..JOIN_CODE_ATTEMPTS {
        let code = new_join_code();
        if !repo::join_code_taken(conn, &ctx.tenant_id, &code)? {
            return Ok(code);
        }
    }
    Err(ApiError::internal(
        "no unused join code after several attempts",
    ))
}

/// List households
///
/// The tenant's households, newest first, with member counts.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "list_households",
    params(HouseholdsQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of households.", body = Page<HouseholdResponse>,
         links(("GetHousehold" = (operation_id = "get_household", parameters(("id" = "$response.body#/data/0/id")))))),
    )
)]
#[get("/admin/households")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<HouseholdsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<HouseholdResponse>>, ApiError> {
    let query = query.into_inner();
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .parse()?;
    for (name, value, max) in [("q", &query.q, 100), ("zone", &query.zone, 50)] {
        if value.as_ref().is_some_and(|v| v.chars().count() > max) {
            return Err(ApiError::bad_request(format!(
                "{name} must be at most {max} characters"
            )));
        }
    }
    let filter = HouseholdFilter {
        q: query
            .q
            .map(|q| q.trim().to_string())
            .filter(|q| !q.is_empty()),
        zone: query.zone,
        archived: query.archived,
    };
    let request = page.clone();
    let (rows, counts) = db
        .read(move |conn| {
            let rows = repo::list(conn, &ctx.tenant_id, &filter, &request)?;
            let ids: Vec<HouseholdId> = rows.iter().map(|h| h.id.clone()).collect();
            let counts = repo::member_counts(conn, &ctx.tenant_id, &ids)?;
            Ok((rows, counts))
        })
        .await?;
    Ok(web::Json(Page::from_rows(
        rows,
        &page,
        |h| (h.created_at, h.id.to_string()),
        |h| {
            let count = counts.get(&h.id).copied().unwrap_or(0);
            HouseholdResponse::new(h, count)
        },
    )))
}

/// Create a household
///
/// Create a household; it gets a fresh join code.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "create_household",
    request_body = CreateHouseholdRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created.", body = HouseholdResponse,
         links(
            ("GetHousehold" = (operation_id = "get_household", parameters(("id" = "$response.body#/id")))),
            ("UpdateHousehold" = (operation_id = "update_household", parameters(("id" = "$response.body#/id")))),
            ("RotateJoinCode" = (operation_id = "rotate_join_code", parameters(("id" = "$response.body#/id")))),
            ("AddMember" = (operation_id = "add_household_member", parameters(("id" = "$response.body#/id")))),
            ("ArchiveHousehold" = (operation_id = "archive_household", parameters(("id" = "$response.body#/id"))))
         )),
    )
)]
#[post("/admin/households")]
pub async fn create(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateHouseholdRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let household = db
        .write(move |conn| {
            let now = clock::now();
            let new = NewHousehold {
                id: HouseholdId::new(),
                tenant_id: ctx.tenant_id.clone(),
                name: body.name.trim().to_string(),
                address: body
                    .address
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty()),
                zone: body
                    .zone
                    .map(|z| z.trim().to_string())
                    .filter(|z| !z.is_empty()),
                join_code: unused_join_code(conn, &ctx)?,
                created_at: now,
                updated_at: now,
            };
            repo::insert(conn, &new)?;
            audit_household(conn, &ctx, "household.create", &new.id, &meta)?;
            find(conn, &ctx, &new.id)
        })
        .await?;
    Ok(HttpResponse::Created().json(HouseholdResponse::new(household, 0)))
}

/// Get a household
///
/// One household with its members.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "get_household",
    params(("id" = String, Path, format = Uuid, description = "Household id")),
    security(("bearer" = [])),
    responses((status = 200, description = "The household and its members.", body = HouseholdDetail))
)]
#[get("/admin/households/{id}")]
pub async fn get(
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    db: web::Data<Db>,
) -> Result<web::Json<HouseholdDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        db.read(move |conn| detail(conn, &ctx, &id)).await?,
    ))
}

/// Update a household
///
/// Change name, address or zone (`null` clears address or zone).
#[utoipa::path(
    tag = "admin-households",
    operation_id = "update_household",
    params(("id" = String, Path, format = Uuid, description = "Household id")),
    request_body = UpdateHouseholdRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated household.", body = HouseholdDetail),
        (status = 409, description = "`household_archived`."),
    )
)]
#[patch("/admin/households/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    Valid(body): Valid<UpdateHouseholdRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<HouseholdDetail>, ApiError> {
    let id = id.into_inner();
    let trimmed = |v: &Option<Option<String>>| {
        v.as_ref().map(|o| {
            o.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
    };
    let (address, zone) = (trimmed(&body.address), trimmed(&body.zone));
    let updated = db
        .write(move |conn| {
            find_live(conn, &ctx, &id)?;
            repo::update(
                conn,
                &ctx.tenant_id,
                &id,
                body.name.as_deref().map(str::trim),
                address.as_ref().map(|a| a.as_deref()),
                zone.as_ref().map(|z| z.as_deref()),
            )?;
            audit_household(conn, &ctx, "household.update", &id, &meta)?;
            detail(conn, &ctx, &id)
        })
        .await?;
    Ok(web::Json(updated))
}

/// Archive a household
///
/// Archive a household (soft delete): it can no longer be joined and leaves the
/// default lists; its members and history stay. Archiving twice is a no-op.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "archive_household",
    params(("id" = String, Path, format = Uuid, description = "Household id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Archived."),
        (status = 404, description = "`not_found`."),
        (status = 409, description = "`household_has_balance` (with `balance_due` and `credit`): it owes money or holds credit."),
    )
)]
#[delete("/admin/households/{id}")]
pub async fn archive(
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| {
        find(conn, &ctx, &id)?;
        // Holds the household so no payment or charge slips in between.
        payments::repo::lock_household(conn, &ctx.tenant_id, &id)?;
        let (balance_due, credit) = payments::repo::balances(conn, &ctx.tenant_id, &id)?;
        if balance_due != 0 || credit != 0 {
            return Err(ApiError::new(ErrorCode::HouseholdHasBalance)
                .with_detail(
                    "Settle what it owes and refund or use its credit before archiving it.",
                )
                .with_extension("balance_due", balance_due)
                .with_extension("credit", credit));
        }
        if repo::archive(conn, &ctx.tenant_id, &id)? == 1 {
            audit_household(conn, &ctx, "household.archive", &id, &meta)?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate a household's join code
///
/// Replace the join code; the old one stops working at once.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "rotate_join_code",
    params(("id" = String, Path, format = Uuid, description = "Household id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new code.", body = JoinCodeResponse),
        (status = 409, description = "`household_archived`."),
    )
)]
#[post("/admin/households/{id}/join-code")]
pub async fn rotate_join_code(
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<JoinCodeResponse>, ApiError> {
    let id = id.into_inner();
    let join_code = db
        .write(move |conn| {
            find_live(conn, &ctx, &id)?;
            let code = unused_join_code(conn, &ctx)?;
            repo::set_join_code(conn, &ctx.tenant_id, &id, &code)?;
            audit_household(conn, &ctx, "household.join_code_rotate", &id, &meta)?;
            Ok(code)
        })
        .await?;
    Ok(web::Json(JoinCodeResponse { join_code }))
}

/// Add (or move) a member
///
/// Put a user of the tenant in this household, moving them out of any other.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "add_household_member",
    params(("id" = String, Path, format = Uuid, description = "Household id")),
    request_body = AddMemberRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The household and its members.", body = HouseholdDetail,
         links(("RemoveHouseholdMember" = (operation_id = "remove_household_member",
            parameters(("id" = "$request.path.id"), ("user_id" = "$request.body#/user_id")))))),
        (status = 409, description = "`household_archived`."),
        (status = 422, description = "`validation_failed` (`user_id: unknown_user` when the user is not in this tenant)."),
    )
)]
#[post("/admin/households/{id}/members")]
pub async fn add_member(
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    Valid(body): Valid<AddMemberRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<HouseholdDetail>, ApiError> {
    let id = id.into_inner();
    let updated = db
        .write(move |conn| {
            find_live(conn, &ctx, &id)?;
            if users::get(conn, &ctx.tenant_id, &body.user_id)?.is_none() {
                return Err(ApiError::validation(vec![FieldError::new(
                    "user_id",
                    "unknown_user",
                    "no user of this organisation has this id",
                )]));
            }
            repo::assign(conn, &ctx.tenant_id, &body.user_id, Some(&id))?;
            audit::record(
                conn,
                &ctx.tenant_id,
                AuditEntry::new("household.member_add", &meta)
                    .by(&ctx.user_id)
                    .on("user", body.user_id.as_str()),
            )?;
            detail(conn, &ctx, &id)
        })
        .await?;
    Ok(web::Json(updated))
}

/// Remove a member
///
/// Take a member out of this household.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "remove_household_member",
    params(
        ("id" = String, Path, format = Uuid, description = "Household id"),
        ("user_id" = String, Path, format = Uuid, description = "User id"),
    ),
    security(("bearer" = [])),
    responses((status = 204, description = "Removed."))
)]
#[delete("/admin/households/{id}/members/{user_id}")]
pub async fn remove_member(
    AdminUser(ctx): AdminUser,
    path: web::Path<(HouseholdId, UserId)>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (id, user) = path.into_inner();
    db.write(move |conn| {
        find(conn, &ctx, &id)?;
        let member = users::get(conn, &ctx.tenant_id, &user)?
            .filter(|u| u.household_id.as_ref() == Some(&id))
            .ok_or_else(ApiError::not_found)?;
        repo::assign(conn, &ctx.tenant_id, &member.id, None)?;
        audit::record(
            conn,
            &ctx.tenant_id,
            AuditEntry::new("household.member_remove", &meta)
                .by(&ctx.user_id)
                .on("user", member.id.as_str()),
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
