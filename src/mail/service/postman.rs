//! Sending messages, at least once.
//!
//! Every instance runs a [`Postman`] on a thread of its own: each look
//! expires the messages past their use, claims a tenant's due ones with a
//! token and a lease in a short transaction (`repo::claim_due`), hands them
//! to the SMTP server one by one outside any transaction, and writes each
//! outcome under its claim as soon as the server answers. A message is
//! sent by one instance at a time; an SMTP server that is down only delays
//! mail (each message waits longer, up to `max_attempts`, and expires when
//! its use runs out), and a refusal for good (5xx) fails the message at
//! once.

use std::time::Duration;

use chrono::NaiveDateTime;
use rand::Rng;

use crate::backoff::retry_delay;
use crate::clock;
use crate::config::MailSettings;
use crate::db::claim::Claim;
use crate::db::{Db, DbConnection, TenantId, write_tx};
use crate::error::ApiError;
use crate::mail::model::{MailMessage, MailStatus};
use crate::mail::repo::{self, Outcome};
use crate::mail::service::smtp::{Refusal, Smtp};
use crate::periodic::{self, JobHandle};
use crate::tenants;

/// How much longer than the server's deadlines a claim holds: time to write
/// the outcome before another instance may take the message.
const LEASE_MARGIN: Duration = Duration::from_secs(30);

/// SMTP steps a send may wait on (connect, greeting, TLS, AUTH, MAIL, RCPT,
/// DATA, the end of data), each within `timeout_ms`.
const STEPS_PER_SEND: u32 = 8;

/// Claims, sends and records messages.
#[derive(Clone)]
pub struct Postman {
    db: Db,
    smtp: Smtp,
    settings: MailSettings,
}

impl Postman {
    /// A postman on `db` for the server `settings` name.
    pub fn new(db: Db, settings: MailSettings) -> Result<Self, String> {
        Ok(Self {
            smtp: Smtp::new(&settings)?,
            db,
            settings,
        })
    }

    /// One look: sends every tenant's messages that are due now (at most
    /// `batch` per tenant); returns how many it attempted.
    pub fn send_due(&self) -> Result<usize, ApiError> {
        let mut conn = self.db.pool().get().map_err(ApiError::internal)?;
        let mut attempted = 0;
        for tenant in tenants::tenant_ids(&mut conn)? {
            attempted += self.send_for(&mut conn, &tenant)?;
        }
        Ok(attempted)
    }

    fn send_for(&self, conn: &mut DbConnection, tenant: &TenantId) -> Result<usize, ApiError> {
        let now = clock::now();
        // Most looks find nothing: ask in a read before taking a write
        // transaction (on SQLite, the database's one write lock).
        if !repo::any_due(conn, tenant, now)? {
            return Ok(0);
        }
        let token = uuid::Uuid::now_v7().to_string();
        let batch = u32::try_from(self.settings.batch).unwrap_or(u32::MAX);
        let lease = self.settings.timeout() * STEPS_PER_SEND * batch + LEASE_MARGIN;
        let claim = Claim {
            token: &token,
            until: now + lease,
        };
        let limit = i64::try_from(self.settings.batch).unwrap_or(i64::MAX);
        let claimed = write_tx(conn, |conn| -> Result<_, ApiError> {
            repo::expire(conn, tenant, now)?;
            Ok(repo::claim_due(conn, tenant, now, limit, claim)?)
        })?;
        for message in &claimed {
            let answer = self.smtp.send(message);
            let outcome = outcome_of(message, answer, &self.settings, clock::now());
            let finished = write_tx(conn, |conn| {
                repo::finish(conn, tenant, &message.id, &token, &outcome)
            })?;
            if !finished {
                log::warn!(
                    "mail {} outlived its claim; another instance has it now",
                    message.id
                );
            }
        }
        Ok(claimed.len())
    }
}

/// Where `message` stands after the server's `answer` at `now`.
fn outcome_of(
    message: &MailMessage,
    answer: Result<(), Refusal>,
    settings: &MailSettings,
    now: NaiveDateTime,
) -> Outcome {
    let attempts = message.attempts.saturating_add(1);
    let exhausted = u32::try_from(attempts).unwrap_or(u32::MAX) >= settings.max_attempts;
    let secret = message.kind.is_secret();
    let done = |status, last_error, sent_at| Outcome {
        status,
        attempts,
        next_attempt_at: message.next_attempt_at,
        last_error,
        sent_at,
        erase: secret,
    };
    match answer {
        Ok(()) => done(MailStatus::Sent, None, Some(now)),
        Err(Refusal::Permanent(why)) => done(MailStatus::Failed, Some(why), None),
        Err(Refusal::Transient(why)) if exhausted => done(MailStatus::Failed, Some(why), None),
        Err(Refusal::Transient(why)) => {
            let wait = retry_delay(
                attempts.unsigned_abs(),
                settings.retry_base(),
                rand::rng().random(),
            );
            Outcome {
                status: MailStatus::Pending,
                attempts,
                next_attempt_at: now + wait,
                last_error: Some(why),
                sent_at: None,
                erase: false,
            }
        }
    }
}

/// Runs a [`Postman`] every `settings.send_interval_ms` on a thread of its
/// own until the handle is dropped; `None` when mail is off (no server) or
/// sending is off on this instance. Says which at start-up.
pub fn run_periodically(db: Db, settings: MailSettings) -> Result<Option<JobHandle>, String> {
    if !settings.is_on() {
        log::info!(
            "mail is off (no [mail] host): messages are written and expire unsent; \
             set HEARTH_MAIL__HOST to send them"
        );
        return Ok(None);
    }
    if settings.send_interval_ms == 0 {
        log::info!("mail sending is off on this instance (mail.send_interval_ms = 0)");
        return Ok(None);
    }
    let interval = Duration::from_millis(settings.send_interval_ms);
    log::info!(
        "mail goes through {}:{} ({:?})",
        settings.host,
        settings.port,
        settings.tls
    );
    let postman = Postman::new(db, settings)?;
    Ok(Some(periodic::every("mail", interval, move || {
        if let Err(e) = postman.send_due() {
            log::warn!("mail: {e}");
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MailTls;
    use crate::db::{MailMessageId, UserId};
    use crate::mail::model::MailKind;

    fn settings() -> MailSettings {
        MailSettings {
            host: "smtp.example.org".into(),
            port: 587,
            tls: MailTls::Starttls,
            username: String::new(),
            password: String::new(),
            from: "Hearth <no-reply@example.org>".into(),
            send_interval_ms: 1000,
            batch: 20,
            timeout_ms: 1000,
            retry_base_ms: 1000,
            max_attempts: 3,
        }
    }

    fn message(kind: MailKind, attempts: i32) -> MailMessage {
        let now = clock::now();
        MailMessage {
            id: MailMessageId::new(),
            tenant_id: TenantId::new(),
            kind,
            user_id: UserId::new(),
            to_address: "ann@example.org".into(),
            subject: "s".into(),
            text_body: "t".into(),
            html_body: "h".into(),
            status: MailStatus::Pending,
            attempts,
            next_attempt_at: now,
            claim: None,
            claimed_until: None,
            last_error: None,
            sent_at: None,
            expires_at: now,
            created_at: now,
        }
    }

    #[test]
    fn a_server_that_is_down_delays_mail_until_the_attempts_run_out() {
        let now = clock::now();
        let down = || Err(Refusal::Transient("connection refused".into()));
        let first = outcome_of(
            &message(MailKind::ChargeIssued, 0),
            down(),
            &settings(),
            now,
        );
        assert_eq!(first.status, MailStatus::Pending);
        assert!(first.next_attempt_at >= now + chrono::Duration::milliseconds(800));
        assert_eq!(first.last_error.as_deref(), Some("connection refused"));
        let last = outcome_of(
            &message(MailKind::ChargeIssued, 2),
            down(),
            &settings(),
            now,
        );
        assert_eq!(last.status, MailStatus::Failed);
        assert_eq!(last.attempts, 3);
    }

    #[test]
    fn a_permanent_refusal_fails_at_once_and_a_secret_is_erased_when_done() {
        let now = clock::now();
        let refused = Err(Refusal::Permanent("550 no such user".into()));
        let reset = message(MailKind::PasswordReset, 0);
        let failed = outcome_of(&reset, refused, &settings(), now);
        assert_eq!(failed.status, MailStatus::Failed);
        assert!(failed.erase);
        let sent = outcome_of(&reset, Ok(()), &settings(), now);
        assert_eq!((sent.status, sent.sent_at), (MailStatus::Sent, Some(now)));
        assert!(sent.erase);
        let notice = outcome_of(
            &message(MailKind::ChargeIssued, 0),
            Ok(()),
            &settings(),
            now,
        );
        assert!(!notice.erase, "a notice keeps its bodies");
    }
}
