//! What a household's adults may do for its dependants: the one check every
//! guardian route (ledger, attendance, redeeming on their behalf) makes.
//! Kept apart from the service, which reads payments, so that areas below
//! payments can use it.

use crate::auth::{TenantCtx, UserKind};
use crate::db::{DbConnection, UserId};
use crate::error::ApiError;
use crate::identity;
use crate::identity::model::User;

/// The dependant `id` of the caller's household, for a guardian acting or
/// looking on their behalf. Anyone else (an adult, another household's
/// dependant, a stranger) is a 404, as if there were no such person.
pub fn my_dependant(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    id: &UserId,
) -> Result<User, ApiError> {
    let me = identity::user(conn, &ctx.tenant_id, &ctx.user_id)?.ok_or_else(ApiError::not_found)?;
    identity::user(conn, &ctx.tenant_id, id)?
        .filter(|them| them.kind == UserKind::Dependant)
        .filter(|them| me.household_id.is_some() && them.household_id == me.household_id)
        .ok_or_else(ApiError::not_found)
}
