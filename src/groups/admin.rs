//! `/admin/groups…`: groups and their rosters. Every write is audited in its
//! transaction; another tenant's group is a 404 like a missing one.

use actix_web::{HttpResponse, delete, get, patch, post, put, web};

use crate::auth::AdminUser;
use crate::db::{Db, GroupId};
use crate::error::ApiError;
use crate::groups::dto::{
    CreateGroupRequest, GroupDetail, GroupResponse, SetMembersRequest, UpdateGroupRequest,
};
use crate::groups::service;
use crate::http::extractors::Query;
use crate::pagination::{Page, PageQuery};
use crate::request_context::RequestMeta;
use crate::validation::{Valid, ValidBatch};

/// List groups
///
/// The tenant's groups, newest first, with the size of each roster.
#[utoipa::path(
    tag = "admin-groups",
    operation_id = "list_groups",
    params(PageQuery),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "One page of groups.", body = Page<GroupResponse>,
         links(("GetGroup" = (operation_id = "get_group", parameters(("id" = "$response.body#/data/0/id")))))),
    )
)]
#[get("/admin/groups")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    query: Query<PageQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<GroupResponse>>, ApiError> {
    let page = query.parse()?;
    let groups = db
        .read(move |conn| service::list(conn, &ctx, &page))
        .await?;
    Ok(web::Json(groups))
}

/// Create a group
///
/// Create a group (a class, a collection team) with an empty roster.
#[utoipa::path(
    tag = "admin-groups",
    operation_id = "create_group",
    request_body = CreateGroupRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 201, description = "Created.", body = GroupDetail,
         links(
            ("GetGroup" = (operation_id = "get_group", parameters(("id" = "$response.body#/id")))),
            ("SetGroupMembers" = (operation_id = "set_group_members", parameters(("id" = "$response.body#/id"))))
         )),
        (status = 409, description = "`conflict`: another group has this name."),
    )
)]
#[post("/admin/groups")]
pub async fn create(
    AdminUser(ctx): AdminUser,
    Valid(body): Valid<CreateGroupRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let group = db
        .write(move |conn| service::create(conn, &ctx, body, &meta))
        .await?;
    Ok(HttpResponse::Created().json(group))
}

/// Get a group
///
/// One group with its roster.
#[utoipa::path(
    tag = "admin-groups",
    operation_id = "get_group",
    params(("id" = String, Path, format = Uuid, description = "Group id")),
    security(("bearer" = ["admin"])),
    responses((status = 200, description = "The group and its roster.", body = GroupDetail))
)]
#[get("/admin/groups/{id}")]
pub async fn get_one(
    AdminUser(ctx): AdminUser,
    id: web::Path<GroupId>,
    db: web::Data<Db>,
) -> Result<web::Json<GroupDetail>, ApiError> {
    let id = id.into_inner();
    let group = db.read(move |conn| service::get(conn, &ctx, &id)).await?;
    Ok(web::Json(group))
}

/// Update a group
///
/// Rename a group or change its description.
#[utoipa::path(
    tag = "admin-groups",
    operation_id = "update_group",
    params(("id" = String, Path, format = Uuid, description = "Group id")),
    request_body = UpdateGroupRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The group.", body = GroupDetail),
        (status = 409, description = "`conflict`: another group has this name."),
    )
)]
#[patch("/admin/groups/{id}")]
pub async fn update(
    AdminUser(ctx): AdminUser,
    id: web::Path<GroupId>,
    Valid(body): Valid<UpdateGroupRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<GroupDetail>, ApiError> {
    let id = id.into_inner();
    let group = db
        .write(move |conn| service::update(conn, &ctx, &id, body, &meta))
        .await?;
    Ok(web::Json(group))
}

/// Delete a group
///
/// Delete a group and its roster. Events that named it keep their records;
/// their roster no longer counts its members.
#[utoipa::path(
    tag = "admin-groups",
    operation_id = "delete_group",
    params(("id" = String, Path, format = Uuid, description = "Group id")),
    security(("bearer" = ["admin"])),
    responses((status = 204, description = "Deleted."))
)]
#[delete("/admin/groups/{id}")]
pub async fn remove(
    AdminUser(ctx): AdminUser,
    id: web::Path<GroupId>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    db.write(move |conn| service::delete(conn, &ctx, &id, &meta))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set a group's roster
///
/// Replace the roster with up to 2,000 members and dependants of the
/// organisation, all or nothing: a 422 names every bad entry
/// (`user_ids[i]`: `unknown_user` or `duplicate`) and changes nothing.
#[utoipa::path(
    tag = "admin-groups",
    operation_id = "set_group_members",
    params(("id" = String, Path, format = Uuid, description = "Group id")),
    request_body = SetMembersRequest,
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "The group and its new roster.", body = GroupDetail),
        (status = 413, description = "`payload_too_large`: the body is over 1 MiB."),
    )
)]
#[put("/admin/groups/{id}/members")]
pub async fn set_members(
    AdminUser(ctx): AdminUser,
    id: web::Path<GroupId>,
    ValidBatch(body): ValidBatch<SetMembersRequest>,
    db: web::Data<Db>,
    meta: RequestMeta,
) -> Result<web::Json<GroupDetail>, ApiError> {
    let id = id.into_inner();
    let group = db
        .write(move |conn| service::set_members(conn, &ctx, &id, &body.user_ids, &meta))
        .await?;
    Ok(web::Json(group))
}
