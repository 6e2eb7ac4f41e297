//! Messages, what they are about, and what each kind says.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::mail_messages;
use crate::db::{MailMessageId, TenantId, UserId};
use crate::text_enum::text_enum;

text_enum!(
    /// What a message is.
    MailKind {
        /// A self-service password reset code.
        PasswordReset = "password_reset",
        /// A charge was issued to the household.
        ChargeIssued = "charge_issued",
        /// A charge is due in a few days.
        ChargeDueSoon = "charge_due_soon",
        /// A charge is overdue.
        ChargeOverdue = "charge_overdue",
        /// A redemption is ready (fulfilled).
        RedemptionFulfilled = "redemption_fulfilled",
        /// A redemption was refused.
        RedemptionRejected = "redemption_rejected",
    }
);

text_enum!(
    /// Where a message stands.
    MailStatus {
        /// Waiting to be sent (again).
        Pending = "pending",
        /// Accepted by the SMTP server.
        Sent = "sent",
        /// Not sent before its use ran out.
        Expired = "expired",
        /// Refused for good, or out of attempts.
        Failed = "failed",
    }
);

/// What a message is about, for opt-outs: a member may turn off every topic
/// but their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// Their account (reset codes): always sent.
    Account,
    /// Their household's dues: charges issued, due soon, overdue.
    Dues,
    /// Their rewards: fulfilled or refused.
    Rewards,
}

impl MailKind {
    /// The topic it belongs to.
    pub fn topic(self) -> Topic {
        match self {
            Self::PasswordReset => Topic::Account,
            Self::ChargeIssued | Self::ChargeDueSoon | Self::ChargeOverdue => Topic::Dues,
            Self::RedemptionFulfilled | Self::RedemptionRejected => Topic::Rewards,
        }
    }

    /// How long after it is written it is still worth sending: a reset code
    /// lives an hour; a notice a few days (later, it would mislead).
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            Self::PasswordReset => chrono::Duration::hours(1),
            Self::ChargeDueSoon => chrono::Duration::days(2),
            Self::ChargeIssued
            | Self::ChargeOverdue
            | Self::RedemptionFulfilled
            | Self::RedemptionRejected => chrono::Duration::days(5),
        }
    }

    /// Whether its bodies carry a secret, erased once the message is sent
    /// or expired.
    pub fn is_secret(self) -> bool {
        self == Self::PasswordReset
    }
}

/// What a charge notice says (amounts already formatted in the currency).
#[derive(Debug, Clone, Serialize)]
pub struct ChargeNotice {
    /// The household's name.
    pub household: String,
    /// What the charge is for.
    pub description: String,
    /// Its amount, e.g. `12.50 EUR`.
    pub amount: String,
    /// What is still owed on it.
    pub outstanding: String,
    /// When it is due.
    pub due_date: NaiveDate,
}

/// What a redemption notice says.
#[derive(Debug, Clone, Serialize)]
pub struct RedemptionNotice {
    /// The reward's name.
    pub reward: String,
    /// The points it cost (refunded when refused).
    pub cost_points: i64,
    /// Why it was refused, if the admin said.
    pub reason: Option<String>,
}

/// A message to write, with what its template needs: each kind takes its
/// own context, so a template can never miss a value.
#[derive(Debug, Clone)]
pub enum Letter {
    /// A one-time reset code.
    PasswordReset {
        /// The code, as the member types it.
        code: String,
        /// Minutes until it stops working.
        valid_minutes: i64,
    },
    /// A charge was issued.
    ChargeIssued(ChargeNotice),
    /// A charge is due soon.
    ChargeDueSoon(ChargeNotice),
    /// A charge is overdue.
    ChargeOverdue(ChargeNotice),
    /// A redemption was fulfilled.
    RedemptionFulfilled(RedemptionNotice),
    /// A redemption was rejected.
    RedemptionRejected(RedemptionNotice),
}

impl Letter {
    /// Its kind.
    pub fn kind(&self) -> MailKind {
        match self {
            Self::PasswordReset { .. } => MailKind::PasswordReset,
            Self::ChargeIssued(_) => MailKind::ChargeIssued,
            Self::ChargeDueSoon(_) => MailKind::ChargeDueSoon,
            Self::ChargeOverdue(_) => MailKind::ChargeOverdue,
            Self::RedemptionFulfilled(_) => MailKind::RedemptionFulfilled,
            Self::RedemptionRejected(_) => MailKind::RedemptionRejected,
        }
    }
}

/// Someone a message can go to: a member with an address.
#[derive(Debug, Clone, Queryable)]
pub struct Recipient {
    /// Who.
    pub user_id: UserId,
    /// Their (normalised) address.
    pub email: String,
    /// Their name, for the greeting.
    pub display_name: String,
}

/// A stored message.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mail_messages)]
pub struct MailMessage {
    /// Id (also the `Message-ID`, so a resend is recognisably the same).
    pub id: MailMessageId,
    /// Tenant.
    pub tenant_id: TenantId,
    /// What it is.
    pub kind: MailKind,
    /// To whom.
    pub user_id: UserId,
    /// Their address when it was written.
    pub to_address: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub text_body: String,
    /// HTML body.
    pub html_body: String,
    /// Where it stands.
    pub status: MailStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// When it is next due.
    pub next_attempt_at: NaiveDateTime,
    /// The claim of the instance sending it.
    pub claim: Option<String>,
    /// Until when that claim holds.
    pub claimed_until: Option<NaiveDateTime>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the SMTP server accepted it.
    pub sent_at: Option<NaiveDateTime>,
    /// When it is no longer worth sending.
    pub expires_at: NaiveDateTime,
    /// When it was written.
    pub created_at: NaiveDateTime,
}
