//! Writing messages, in the transaction of what caused them.

use crate::clock;
use crate::db::{DbConnection, HouseholdId, MailMessageId, TenantId, UserId};
use crate::error::ApiError;
use crate::mail::model::{Letter, MailMessage, MailStatus, Recipient};
use crate::mail::repo;
use crate::mail::rules::{Addressing, render};
use crate::tenants;

/// Writes `letter` to user `user` of the tenant, unless its topic cannot
/// reach them (a dependant, no address, suspended, opted out); returns
/// whether it was written.
pub fn post(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    letter: &Letter,
) -> Result<bool, ApiError> {
    let topic = letter.kind().topic();
    let Some(recipient) = repo::recipient(conn, tenant, user, topic)? else {
        return Ok(false);
    };
    write(conn, tenant, &[recipient], letter).map(|n| n == 1)
}

/// Writes `letter` to every member of `household` its topic can reach;
/// returns how many messages were written.
pub fn post_to_household(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    letter: &Letter,
) -> Result<usize, ApiError> {
    let topic = letter.kind().topic();
    let recipients = repo::household_recipients(conn, tenant, household, topic)?;
    write(conn, tenant, &recipients, letter)
}

fn write(
    conn: &mut DbConnection,
    tenant: &TenantId,
    recipients: &[Recipient],
    letter: &Letter,
) -> Result<usize, ApiError> {
    if recipients.is_empty() {
        return Ok(0);
    }
    let tenant_name = tenants::tenant(conn, tenant)?
        .map(|t| t.name)
        .ok_or_else(ApiError::not_found)?;
    let kind = letter.kind();
    let now = clock::now();
    let rows = recipients
        .iter()
        .map(|to| {
            let addressing = Addressing {
                name: &to.display_name,
                tenant: &tenant_name,
            };
            let rendered = render(letter, addressing).map_err(ApiError::internal)?;
            Ok(MailMessage {
                id: MailMessageId::new(),
                tenant_id: tenant.clone(),
                kind,
                user_id: to.user_id.clone(),
                to_address: to.email.clone(),
                subject: rendered.subject,
                text_body: rendered.text,
                html_body: rendered.html,
                status: MailStatus::Pending,
                attempts: 0,
                next_attempt_at: now,
                claim: None,
                claimed_until: None,
                last_error: None,
                sent_at: None,
                expires_at: now + kind.lifetime(),
                created_at: now,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    repo::insert_messages(conn, &rows)?;
    Ok(rows.len())
}
