//! Reading and changing a tenant's settings.

use crate::audit;
use crate::auth::TenantCtx;
use crate::datetime::Date;
use crate::db::DbConnection;
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::request_context::RequestMeta;
use crate::tenants::dto::{TenantResponse, TenantSettings, UpdateTenantRequest};
use crate::tenants::model::{Tenant, parse_currency, parse_name, store_terms};
use crate::tenants::repo::{self, SettingsChange};

fn current(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<Tenant, ApiError> {
    repo::get(conn, &ctx.tenant_id)?.ok_or_else(ApiError::not_found)
}

/// The caller's tenant, as members see it.
pub fn view(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<TenantResponse, ApiError> {
    Ok((&current(conn, ctx)?).into())
}

/// The caller's tenant's settings, as admins see them.
pub fn settings(conn: &mut DbConnection, ctx: &TenantCtx) -> Result<TenantSettings, ApiError> {
    Ok((&current(conn, ctx)?).into())
}

/// Applies an admin's changes (each field already checked by the body's
/// rules, all failures in one 422; here they are normalised): the currency
/// lock (409 `currency_locked` when it would change while a charge or payment
/// exists), then one update and its audit event.
pub fn update(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    body: UpdateTenantRequest,
    meta: &RequestMeta,
) -> Result<TenantSettings, ApiError> {
    let tenant = current(conn, ctx)?;
    let field = |e: FieldError| ApiError::validation(vec![e]);
    let change = SettingsChange {
        name: body
            .name
            .as_deref()
            .map(parse_name)
            .transpose()
            .map_err(field)?,
        currency: body
            .currency
            .as_deref()
            .map(parse_currency)
            .transpose()
            .map_err(field)?,
        timezone: body.timezone,
        week_starts_on: body.week_starts_on,
        registration: body.registration,
        leaderboards_show_dependants: body.leaderboards.map(|l| l.show_dependants),
        remind_days_before_due: body.reminders.as_ref().map(|r| r.days_before_due),
        remind_days_after_due: body.reminders.as_ref().map(|r| r.days_after_due),
        term_starts: body.term_starts.map(|days| {
            let days: Vec<_> = days.into_iter().map(Date::get).collect();
            store_terms(&days)
        }),
    };
    let currency_changes = change
        .currency
        .as_ref()
        .is_some_and(|code| *code != tenant.currency);
    if currency_changes && repo::has_money(conn, &ctx.tenant_id)? {
        return Err(
            ApiError::new(ErrorCode::CurrencyLocked).with_detail(format!(
                "The tenant has charges or payments in {}; its currency can no longer change.",
                tenant.currency
            )),
        );
    }
    repo::update_settings(conn, &ctx.tenant_id, &change)?;
    audit::admin_action(
        conn,
        ctx,
        "tenant.update",
        "tenant",
        ctx.tenant_id.as_str(),
        meta,
    )?;
    settings(conn, ctx)
}
