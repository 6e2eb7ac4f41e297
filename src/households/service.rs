//! Household use-cases, each in the caller's transaction: the admin's
//! management, a member's own household, and the read model both show.
//! Every write leaves its audit event in the same transaction.

use crate::audit::{self, AuditEntry};
use chrono::Datelike;

use crate::auth::TenantCtx;
use crate::clock;
use crate::codes::normalise_code;
use crate::db::{DbConnection, HouseholdId, TenantId, UserId};
use crate::error::{ApiError, FieldError};
use crate::households::dto::{
    CreateDependantRequest, CreateHouseholdRequest, HouseholdDetail, HouseholdResponse,
    UpdateHouseholdRequest,
};
use crate::households::model::{Household, NewHousehold, new_join_code};
use crate::households::repo::{self, HouseholdFilter};
use crate::households::rules;
use crate::identity;
use crate::identity::UserResponse;
use crate::identity::model::{NewUser, User};
use crate::outbox::{self, WebhookEventType};
use crate::pagination::{Page, PageRequest};
use crate::payments;
use crate::request_context::RequestMeta;

/// Attempts at a join code that no other household of the tenant uses.
const JOIN_CODE_ATTEMPTS: usize = 5;

/// The household with its members, points and money (four queries, whatever
/// the member count).
pub fn detail(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: Household,
) -> Result<HouseholdDetail, ApiError> {
    let members = repo::members(conn, tenant, &household.id)?;
    let count = i64::try_from(members.len()).unwrap_or(i64::MAX);
    let (balance_due, credit) = payments::balances(conn, tenant, &household.id)?;
    Ok(HouseholdDetail {
        points_total: members.iter().map(|m| m.points_balance).sum(),
        balance_due,
        credit,
        household: HouseholdResponse::new(household, count),
        members: members.into_iter().map(Into::into).collect(),
    })
}

/// The tenant's household `id`, or 404.
fn find(conn: &mut DbConnection, ctx: &TenantCtx, id: &HouseholdId) -> Result<Household, ApiError> {
    repo::get(conn, &ctx.tenant_id, id)?.ok_or_else(ApiError::not_found)
}

/// The household `id` with its members.
pub fn get(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
) -> Result<HouseholdDetail, ApiError> {
    let household = find(conn, ctx, id)?;
    detail(conn, &ctx.tenant_id, household)
}

/// One page of the tenant's households with their member counts.
pub fn list(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    filter: &HouseholdFilter,
    page: &PageRequest,
) -> Result<Page<HouseholdResponse>, ApiError> {
    let rows = repo::list(conn, &ctx.tenant_id, filter, page)?;
    let ids: Vec<HouseholdId> = rows.iter().map(|h| h.id.clone()).collect();
    let counts = repo::member_counts(conn, &ctx.tenant_id, &ids)?;
    Ok(Page::from_rows(
        rows,
        page,
        |h| (h.created_at, h.id.to_string()),
        |h| {
            let count = counts.get(&h.id).copied().unwrap_or(0);
            HouseholdResponse::new(h, count)
        },
    ))
}

/// A join code no live or archived household of the tenant has. Codes are
/// random (≈ 40 bits), so a clash is rare; the unique constraint is the guard.
fn unused_join_code(conn: &mut DbConnection, tenant: &TenantId) -> Result<String, ApiError> {
    for _ in 0..JOIN_CODE_ATTEMPTS {
        let code = new_join_code();
        if !repo::join_code_taken(conn, tenant, &code)? {
            return Ok(code);
        }
    }
    Err(ApiError::internal(
        "no unused join code after several attempts",
    ))
}

/// Creates a household with a fresh join code.
pub fn create(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: CreateHouseholdRequest,
    meta: &RequestMeta,
) -> Result<HouseholdResponse, ApiError> {
    let now = clock::now();
    let new = NewHousehold {
        id: HouseholdId::new(),
        tenant_id: ctx.tenant_id.clone(),
        name: body.name.trim().to_string(),
        address: rules::optional_text(body.address.as_deref()),
        zone: rules::optional_text(body.zone.as_deref()),
        join_code: unused_join_code(conn, &ctx.tenant_id)?,
        created_at: now,
        updated_at: now,
    };
    repo::insert(conn, &new)?;
    audit::admin_action(
        conn,
        ctx,
        "household.create",
        "household",
        new.id.as_str(),
        meta,
    )?;
    Ok(HouseholdResponse::new(find(conn, ctx, &new.id)?, 0))
}

/// Changes name, address or zone of a live household (`null` clears the
/// last two).
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    body: UpdateHouseholdRequest,
    meta: &RequestMeta,
) -> Result<HouseholdDetail, ApiError> {
    rules::ensure_live(find(conn, ctx, id)?)?;
    let cleared =
        |v: &Option<Option<String>>| v.as_ref().map(|o| rules::optional_text(o.as_deref()));
    let (address, zone) = (cleared(&body.address), cleared(&body.zone));
    repo::update(
        conn,
        &ctx.tenant_id,
        id,
        body.name.as_deref().map(str::trim),
        address.as_ref().map(|a| a.as_deref()),
        zone.as_ref().map(|z| z.as_deref()),
    )?;
    audit::admin_action(
        conn,
        ctx,
        "household.update",
        "household",
        id.as_str(),
        meta,
    )?;
    get(conn, ctx, id)
}

/// Archives a settled household; archiving twice is a no-op.
pub fn archive(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    find(conn, ctx, id)?;
    // Holds the household so no payment or charge slips in between.
    payments::lock_household(conn, &ctx.tenant_id, id)?;
    let (balance_due, credit) = payments::balances(conn, &ctx.tenant_id, id)?;
    rules::ensure_settled(balance_due, credit)?;
    if repo::archive(conn, &ctx.tenant_id, id)? == 1 {
        audit::admin_action(
            conn,
            ctx,
            "household.archive",
            "household",
            id.as_str(),
            meta,
        )?;
    }
    Ok(())
}

/// Replaces a live household's join code; the old one stops working at once.
pub fn rotate_join_code(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    meta: &RequestMeta,
) -> Result<String, ApiError> {
    rules::ensure_live(find(conn, ctx, id)?)?;
    let code = unused_join_code(conn, &ctx.tenant_id)?;
    repo::set_join_code(conn, &ctx.tenant_id, id, &code)?;
    audit::admin_action(
        conn,
        ctx,
        "household.join_code_rotate",
        "household",
        id.as_str(),
        meta,
    )?;
    Ok(code)
}

/// Puts a user of the tenant in a live household, moving them out of any other.
pub fn add_member(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    user: &UserId,
    meta: &RequestMeta,
) -> Result<HouseholdDetail, ApiError> {
    rules::ensure_live(find(conn, ctx, id)?)?;
    let Some(before) = identity::user(conn, &ctx.tenant_id, user)? else {
        return Err(ApiError::validation(vec![FieldError::new(
            "user_id",
            "unknown_user",
            "no user of this organisation has this id",
        )]));
    };
    let moved = before.household_id.as_ref() != Some(id);
    if moved && before.household_id.is_some() {
        tell(conn, WebhookEventType::MemberLeft, before)?;
    }
    repo::assign(conn, &ctx.tenant_id, user, Some(id))?;
    if moved {
        tell_joined(conn, &ctx.tenant_id, user)?;
    }
    let entry = AuditEntry::new("household.member_add", meta).by(&ctx.user_id);
    audit::record(conn, &ctx.tenant_id, entry.on("user", user.as_str()))?;
    get(conn, ctx, id)
}

/// Takes a member out of a household (archived ones too); 404 when the user
/// is not in it.
pub fn remove_member(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    user: &UserId,
    meta: &RequestMeta,
) -> Result<(), ApiError> {
    find(conn, ctx, id)?;
    let member = identity::user(conn, &ctx.tenant_id, user)?
        .filter(|u| u.household_id.as_ref() == Some(id))
        .ok_or_else(ApiError::not_found)?;
    repo::assign(conn, &ctx.tenant_id, &member.id, None)?;
    let entry = AuditEntry::new("household.member_remove", meta).by(&ctx.user_id);
    audit::record(conn, &ctx.tenant_id, entry.on("user", member.id.as_str()))?;
    tell(conn, WebhookEventType::MemberLeft, member)
}

/// Writes a membership event whose data is `user` as admins read them:
/// for `member.left`, as they stood in the household they left (its
/// `household_id`), the way a deleted object's event carries it as it was.
fn tell(conn: &mut DbConnection, event: WebhookEventType, user: User) -> Result<(), ApiError> {
    let tenant = user.tenant_id.clone();
    outbox::emit(conn, &tenant, event, &UserResponse::from(user))
}

/// Writes `member.joined` for `user`, who has just been put in a household.
fn tell_joined(conn: &mut DbConnection, tenant: &TenantId, user: &UserId) -> Result<(), ApiError> {
    let joined = identity::user(conn, tenant, user)?.ok_or_else(ApiError::not_found)?;
    tell(conn, WebhookEventType::MemberJoined, joined)
}

/// Adds a dependant (a person without a login) to the live household `id`.
pub fn add_dependant(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &HouseholdId,
    body: &CreateDependantRequest,
    meta: &RequestMeta,
) -> Result<User, ApiError> {
    rules::ensure_live(find(conn, ctx, id)?)?;
    rules::ensure_born(body.birth_year, clock::now().year())?;
    let dependant = NewUser::dependant(&ctx.tenant_id, id, &body.display_name, body.birth_year);
    identity::insert_user(conn, &dependant)?;
    let entry = AuditEntry::new("household.dependant_add", meta).by(&ctx.user_id);
    audit::record(
        conn,
        &ctx.tenant_id,
        entry.on("user", dependant.id.as_str()),
    )?;
    let added =
        identity::user(conn, &ctx.tenant_id, &dependant.id)?.ok_or_else(ApiError::not_found)?;
    tell(conn, WebhookEventType::MemberJoined, added.clone())?;
    Ok(added)
}

/// Adds a dependant to the caller's own household (404 `no_household` when
/// they are in none, 409 `household_archived`).
pub fn add_my_dependant(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: &CreateDependantRequest,
    meta: &RequestMeta,
) -> Result<User, ApiError> {
    let me = identity::user(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)?;
    let id = me.household_id.ok_or_else(rules::no_household)?;
    add_dependant(conn, ctx, &id, body, meta)
}

/// The caller's household with its members, or 404 `no_household`.
pub fn mine(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<HouseholdDetail, ApiError> {
    let me = identity::user(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)?;
    let id = me.household_id.ok_or_else(rules::no_household)?;
    let household = repo::get(conn, &ctx.tenant_id, &id)?.ok_or_else(rules::no_household)?;
    detail(conn, &ctx.tenant_id, household)
}

/// The caller joins the open household whose join code is `code`.
pub fn join(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    code: &str,
    meta: &RequestMeta,
) -> Result<HouseholdDetail, ApiError> {
    let household = repo::find_by_join_code(conn, &ctx.tenant_id, &normalise_code(code))?
        .ok_or_else(|| rules::invalid_join_code("code"))?;
    if repo::join(conn, &ctx.tenant_id, &ctx.user_id, &household.id)? == 0 {
        return Err(rules::already_in_household());
    }
    tell_joined(conn, &ctx.tenant_id, &ctx.user_id)?;
    let entry = AuditEntry::new("household.join", meta).by(&ctx.user_id);
    audit::record(
        conn,
        &ctx.tenant_id,
        entry.on("household", household.id.as_str()),
    )?;
    mine(conn, ctx)
}
