//! Admin household management: `/admin/households…`. Every write is audited in
//! its transaction; another tenant's household is a 404 like a missing one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};

use crate::auth::{AdminUser, StaffUser, desk};
use crate::db::{Db, DbConnection, HouseholdId, UserId};
use crate::error::ApiError;
use crate::households::dto::{
    AddMemberRequest, CreateDependantRequest, CreateHouseholdRequest, HouseholdDetail,
    HouseholdResponse, HouseholdsQuery, JoinCodeResponse, UpdateHouseholdRequest,
};
use crate::households::service;
use crate::http::extractors::Paged;
use crate::idempotency;
use crate::identity::UserResponse;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// List households
///
/// The tenant's households, newest first, with member counts.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "list_households",
    params(HouseholdsQuery, PageQuery),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"]), ("bearer" = ["points"]), ("bearer" = ["redemptions"]), ("bearer" = ["payments"])),
    responses(
        (status = 200, description = "One page of households.", body = Page<HouseholdResponse>,
         links(("GetHousehold" = (operation_id = "get_household", parameters(("id" = "$response.body#/data/0/id")))))),
    )
)]
#[get("/admin/households")]
pub async fn list(
    StaffUser(ctx, _): StaffUser<desk::Any>,
    Paged { page, filters }: Paged<HouseholdsQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<HouseholdResponse>>, ApiError> {
    let filter = filters.into_filter()?;
    let households = db
        .read(move |conn| service::list(conn, &ctx, &filter, &page))
        .await?;
    Ok(web::Json(households))
}

/// Create a household
///
/// Create a household; it gets a fresh join code.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "create_household",
    request_body = CreateHouseholdRequest,
    security(("bearer" = ["admin"])),
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
        .write(move |conn| service::create(conn, &ctx, body, &meta))
        .await?;
    Ok(HttpResponse::Created().json(household))
}

/// Get a household
///
/// One household with its members.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "get_household",
    params(("id" = String, Path, format = Uuid, description = "Household id")),
    security(("bearer" = ["admin"]), ("bearer" = ["attendance"]), ("bearer" = ["points"]), ("bearer" = ["redemptions"]), ("bearer" = ["payments"])),
    responses((status = 200, description = "The household and its members.", body = HouseholdDetail))
)]
#[get("/admin/households/{id}")]
pub async fn get(
    StaffUser(ctx, _): StaffUser<desk::Any>,
    id: web::Path<HouseholdId>,
    db: web::Data<Db>,
) -> Result<web::Json<HouseholdDetail>, ApiError> {
    let id = id.into_inner();
    Ok(web::Json(
        db.read(move |conn| service::get(conn, &ctx, &id)).await?,
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
    security(("bearer" = ["admin"])),
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
    let updated = db
        .write(move |conn| service::update(conn, &ctx, &id, body, &meta))
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
    security(("bearer" = ["admin"])),
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
    db.write(move |conn| service::archive(conn, &ctx, &id, &meta))
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
    security(("bearer" = ["admin"])),
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
        .write(move |conn| service::rotate_join_code(conn, &ctx, &id, &meta))
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
    security(("bearer" = ["admin"])),
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
        .write(move |conn| service::add_member(conn, &ctx, &id, &body.user_id, &meta))
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
    security(("bearer" = ["admin"])),
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
    db.write(move |conn| service::remove_member(conn, &ctx, &id, &user, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a dependant
///
/// Add a person without a login (a child, a neighbour without a phone) to
/// this household: no email, no password, never a session. Print them a
/// badge card (`POST /admin/users/{id}/badge`) to scan at events. Send an
/// `Idempotency-Key` so a retry never adds them twice.
#[utoipa::path(
    tag = "admin-households",
    operation_id = "add_household_dependant",
    params(("id" = String, Path, format = Uuid, description = "Household id"), idempotency::KeyHeader),
    request_body = CreateDependantRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "The dependant.", body = UserResponse,
         headers(("Idempotent-Replayed" = String, description = "`true` when this is a stored response replayed for a retried key."))),
        (status = 409, description = "`household_archived`."),
        (status = 422, description = "`validation_failed` (`birth_year: in_future`) or `idempotency_key_reused`."),
    )
)]
#[post("/admin/households/{id}/dependants")]
pub async fn add_dependant(
    req: HttpRequest,
    AdminUser(ctx): AdminUser,
    id: web::Path<HouseholdId>,
    Valid(body): Valid<CreateDependantRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let (scope, id) = (ctx.clone(), id.into_inner());
    let run = move |conn: &mut DbConnection| {
        let dependant = service::add_dependant(conn, &scope, &id, &body, &meta)?;
        idempotency::body(&UserResponse::from(dependant))
    };
    let action = "admin.households.add_dependant";
    idempotency::run(&db, &req, &ctx, action, StatusCode::CREATED, run).await
}
