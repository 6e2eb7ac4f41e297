//! Mail queries, every one pinned to a tenant: who may be written to, the
//! messages, and the claim on due ones (through `db::claim`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{UserKind, UserStatus};
use crate::db::claim::Claim;
use crate::db::schema::{mail_messages, users};
use crate::db::{DbConnection, HouseholdId, MailMessageId, TenantId, UserId};
use crate::mail::model::{MailMessage, MailStatus, Recipient, Topic};

/// The members of the tenant that `topic` may reach: a login member (never
/// a dependant) with an address, active (or, for their account, waiting
/// for a first code too), who has not turned the topic off.
fn reachable(tenant: &TenantId, topic: Topic) -> users::BoxedQuery<'_, crate::db::MultiBackend> {
    let query = users::table
        .filter(users::tenant_id.eq(tenant))
        .filter(users::kind.eq(UserKind::Member.as_str()))
        .filter(users::email.is_not_null())
        .into_boxed();
    match topic {
        Topic::Account => query.filter(
            users::status.eq_any([UserStatus::Active.as_str(), UserStatus::Pending.as_str()]),
        ),
        Topic::Dues => query
            .filter(users::status.eq(UserStatus::Active.as_str()))
            .filter(users::notify_dues.eq(true)),
        Topic::Rewards => query
            .filter(users::status.eq(UserStatus::Active.as_str()))
            .filter(users::notify_rewards.eq(true)),
    }
}

/// Columns of a [`Recipient`].
type RecipientColumns = (
    users::id,
    diesel::dsl::AssumeNotNull<users::email>,
    users::display_name,
);

fn recipient_columns() -> RecipientColumns {
    (
        users::id,
        users::email.assume_not_null(),
        users::display_name,
    )
}

/// User `user`, when `topic` may reach them.
pub fn recipient(
    conn: &mut DbConnection,
    tenant: &TenantId,
    user: &UserId,
    topic: Topic,
) -> QueryResult<Option<Recipient>> {
    reachable(tenant, topic)
        .filter(users::id.eq(user))
        .select(recipient_columns())
        .first(conn)
        .optional()
}

/// The members of `household` that `topic` may reach, in a stable order.
pub fn household_recipients(
    conn: &mut DbConnection,
    tenant: &TenantId,
    household: &HouseholdId,
    topic: Topic,
) -> QueryResult<Vec<Recipient>> {
    reachable(tenant, topic)
        .filter(users::household_id.eq(household))
        .order(users::id)
        .select(recipient_columns())
        .load(conn)
}

/// Writes messages (in the transaction of what caused them).
pub fn insert_messages(conn: &mut DbConnection, rows: &[MailMessage]) -> QueryResult<()> {
    crate::insert_rows!(conn, mail_messages::table, rows).map(drop)
}

/// Whether the tenant has a pending message due at `now`: a cheap read
/// that spares an idle look its write transaction.
pub fn any_due(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    mail_messages::table
        .filter(mail_messages::tenant_id.eq(tenant))
        .filter(mail_messages::status.eq(MailStatus::Pending))
        .filter(mail_messages::next_attempt_at.le(now))
        .select(mail_messages::id)
        .first::<MailMessageId>(conn)
        .optional()
        .map(|found| found.is_some())
}

/// Marks the tenant's pending messages past their use as expired, erasing
/// their bodies (a reset code must not outlive its hour in the database).
pub fn expire(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        mail_messages::table
            .filter(mail_messages::tenant_id.eq(tenant))
            .filter(mail_messages::status.eq(MailStatus::Pending))
            .filter(mail_messages::expires_at.le(now)),
    )
    .set((
        mail_messages::status.eq(MailStatus::Expired),
        mail_messages::text_body.eq(""),
        mail_messages::html_body.eq(""),
        mail_messages::claim.eq(None::<String>),
        mail_messages::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}

/// Claims up to `limit` of the tenant's messages due at `now` that no live
/// claim holds (see `db::claim`: run it in a write transaction), and
/// returns them.
pub fn claim_due(
    conn: &mut DbConnection,
    tenant: &TenantId,
    now: NaiveDateTime,
    limit: i64,
    claim: Claim<'_>,
) -> QueryResult<Vec<MailMessage>> {
    let due = mail_messages::table
        .filter(mail_messages::tenant_id.eq(tenant))
        .filter(mail_messages::status.eq(MailStatus::Pending))
        .filter(mail_messages::next_attempt_at.le(now))
        .filter(
            mail_messages::claimed_until
                .is_null()
                .or(mail_messages::claimed_until.lt(now)),
        )
        .order((mail_messages::next_attempt_at, mail_messages::id))
        .limit(limit)
        .select(mail_messages::id);
    if !crate::claim_rows!(conn, mail_messages, tenant, due, claim)? {
        return Ok(Vec::new());
    }
    mail_messages::table
        .filter(mail_messages::tenant_id.eq(tenant))
        .filter(mail_messages::claim.eq(claim.token))
        .order((mail_messages::next_attempt_at, mail_messages::id))
        .select(MailMessage::as_select())
        .load(conn)
}

/// Where a message stands after an attempt.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Sent, failed for good, or pending again.
    pub status: MailStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When it is next due (pending), or stays as it was.
    pub next_attempt_at: NaiveDateTime,
    /// Why the attempt failed.
    pub last_error: Option<String>,
    /// When the server accepted it.
    pub sent_at: Option<NaiveDateTime>,
    /// Whether to erase its bodies (a secret, no longer needed).
    pub erase: bool,
}

/// Writes the outcome of the attempt made under `token` and releases the
/// claim; false when the claim had lapsed and another took the message.
pub fn finish(
    conn: &mut DbConnection,
    tenant: &TenantId,
    id: &MailMessageId,
    token: &str,
    outcome: &Outcome,
) -> QueryResult<bool> {
    let target = mail_messages::table
        .filter(mail_messages::tenant_id.eq(tenant))
        .filter(mail_messages::id.eq(id))
        .filter(mail_messages::claim.eq(token));
    let erased = outcome.erase.then_some((
        mail_messages::text_body.eq(""),
        mail_messages::html_body.eq(""),
    ));
    let updated = diesel::update(target)
        .set((
            mail_messages::status.eq(outcome.status),
            mail_messages::attempts.eq(outcome.attempts),
            mail_messages::next_attempt_at.eq(outcome.next_attempt_at),
            mail_messages::last_error.eq(outcome.last_error.as_deref()),
            mail_messages::sent_at.eq(outcome.sent_at),
            mail_messages::claim.eq(None::<String>),
            mail_messages::claimed_until.eq(None::<NaiveDateTime>),
            erased,
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// How many of the tenant's messages wait to be sent.
pub fn count_pending(conn: &mut DbConnection, tenant: &TenantId) -> QueryResult<i64> {
    mail_messages::table
        .filter(mail_messages::tenant_id.eq(tenant))
        .filter(mail_messages::status.eq(MailStatus::Pending))
        .count()
        .get_result(conn)
}

/// Deletes the tenant's messages written before `cutoff`, whatever their
/// status; returns how many.
pub fn delete_before(
    conn: &mut DbConnection,
    tenant: &TenantId,
    cutoff: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::delete(
        mail_messages::table
            .filter(mail_messages::tenant_id.eq(tenant))
            .filter(mail_messages::created_at.lt(cutoff)),
    )
    .execute(conn)
}
