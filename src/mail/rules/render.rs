//! What a message says: its subject, plain text and HTML, rendered from the
//! templates beside this area (`src/mail/templates`, compiled into the
//! binary). HTML templates escape every value; text and subjects do not
//! need to, and a subject is kept to one line.

use std::sync::OnceLock;

use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use crate::mail::model::{ChargeNotice, Letter, Topic};

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: String,
}

/// Who a message greets and whose name it signs with.
#[derive(Debug, Clone, Copy)]
pub struct Addressing<'a> {
    /// The recipient's display name.
    pub name: &'a str,
    /// The tenant's display name.
    pub tenant: &'a str,
}

/// The longest subject kept (in characters); the rest is cut with `…`.
const SUBJECT_CHARS: usize = 150;

macro_rules! templates {
    ($($name:literal),+ $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),+]
    };
}

/// Every template, by name (the extension decides the escaping).
const TEMPLATES: &[(&str, &str)] = templates!(
    "layout.html",
    "footer.txt",
    "charge_table.html",
    "password_reset.subject",
    "password_reset.txt",
    "password_reset.html",
    "charge_issued.subject",
    "charge_issued.txt",
    "charge_issued.html",
    "charge_due_soon.subject",
    "charge_due_soon.txt",
    "charge_due_soon.html",
    "charge_overdue.subject",
    "charge_overdue.txt",
    "charge_overdue.html",
    "redemption_fulfilled.subject",
    "redemption_fulfilled.txt",
    "redemption_fulfilled.html",
    "redemption_rejected.subject",
    "redemption_rejected.txt",
    "redemption_rejected.html",
);

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A value a template names but its letter lacks is an error (caught
        // by the tests below), never an empty gap in a message.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_keep_trailing_newline(false);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("mail template {name} does not parse: {e}"));
        }
        env
    })
}

/// The line under every message that can be turned off, saying how.
fn opt_out(topic: Topic) -> Option<&'static str> {
    match topic {
        Topic::Account => None,
        Topic::Dues => Some(
            "You get these because dues notifications are on for you; \
             turn them off in the app's notification settings.",
        ),
        Topic::Rewards => Some(
            "You get these because rewards notifications are on for you; \
             turn them off in the app's notification settings.",
        ),
    }
}

/// What `letter` says to `to`.
pub fn render(letter: &Letter, to: Addressing<'_>) -> Result<Rendered, String> {
    let kind = letter.kind();
    let specific = match letter {
        Letter::PasswordReset {
            code,
            valid_minutes,
        } => context! { code, valid_minutes },
        Letter::ChargeIssued(notice)
        | Letter::ChargeDueSoon(notice)
        | Letter::ChargeOverdue(notice) => Value::from_serialize(ChargeView::from(notice)),
        Letter::RedemptionFulfilled(notice) | Letter::RedemptionRejected(notice) => {
            Value::from_serialize(notice)
        }
    };
    let base = context! {
        name => to.name,
        tenant => to.tenant,
        opt_out => opt_out(kind.topic()),
        ..specific
    };
    let env = environment();
    let one = |extension: &str, ctx: &Value| {
        let name = format!("{}.{extension}", kind.as_str());
        env.get_template(&name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("mail template {name}: {e:#}"))
    };
    let subject = one_line(&one("subject", &base)?);
    let with_subject = context! { subject => &subject, ..base.clone() };
    Ok(Rendered {
        text: one("txt", &base)? + "\n",
        html: one("html", &with_subject)?,
        subject,
    })
}

/// A charge notice with its date as people read it.
#[derive(Serialize)]
struct ChargeView<'a> {
    household: &'a str,
    description: &'a str,
    amount: &'a str,
    outstanding: &'a str,
    due_date: String,
}

impl<'a> From<&'a ChargeNotice> for ChargeView<'a> {
    fn from(n: &'a ChargeNotice) -> Self {
        Self {
            household: &n.household,
            description: &n.description,
            amount: &n.amount,
            outstanding: &n.outstanding,
            due_date: n.due_date.format("%A %-d %B %Y").to_string(),
        }
    }
}

/// `text` on one line (any run of whitespace, newlines included, is one
/// space: a header cannot be split), at most [`SUBJECT_CHARS`] long.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= SUBJECT_CHARS {
        return joined;
    }
    let cut: String = joined.chars().take(SUBJECT_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::model::{MailKind, RedemptionNotice};

    fn letter_of(kind: MailKind, hostile: &str) -> Letter {
        let charge = ChargeNotice {
            household: hostile.to_string(),
            description: hostile.to_string(),
            amount: "12.50 EUR".into(),
            outstanding: "2.50 EUR".into(),
            due_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
        };
        let redemption = RedemptionNotice {
            reward: hostile.to_string(),
            cost_points: 40,
            reason: Some(hostile.to_string()),
        };
        match kind {
            MailKind::PasswordReset => Letter::PasswordReset {
                code: "K7QMX4PR2HNB".into(),
                valid_minutes: 60,
            },
            MailKind::ChargeIssued => Letter::ChargeIssued(charge),
            MailKind::ChargeDueSoon => Letter::ChargeDueSoon(charge),
            MailKind::ChargeOverdue => Letter::ChargeOverdue(charge),
            MailKind::RedemptionFulfilled => Letter::RedemptionFulfilled(redemption),
            MailKind::RedemptionRejected => Letter::RedemptionRejected(redemption),
        }
    }

    const EVERY_KIND: [MailKind; 6] = [
        MailKind::PasswordReset,
        MailKind::ChargeIssued,
        MailKind::ChargeDueSoon,
        MailKind::ChargeOverdue,
        MailKind::RedemptionFulfilled,
        MailKind::RedemptionRejected,
    ];

    const HOSTILE: &str = "<script>alert(1)</script>\r\nBcc: x@evil.example";

    #[test]
    fn every_kind_renders_with_its_letter_and_escapes_html() {
        for kind in EVERY_KIND {
            let to = Addressing {
                name: "Ann <b>",
                tenant: "Green & Valley",
            };
            let rendered =
                render(&letter_of(kind, HOSTILE), to).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
            assert!(!rendered.subject.contains(['\r', '\n']), "{kind:?}");
            assert!(!rendered.subject.is_empty(), "{kind:?}");
            assert!(rendered.text.starts_with("Hello Ann <b>,"), "{kind:?}");
            assert!(rendered.html.contains("Hello Ann &lt;b&gt;,"), "{kind:?}");
            assert!(rendered.html.contains("Green &amp; Valley"), "{kind:?}");
            assert!(!rendered.html.contains("<script>"), "{kind:?}");
            assert!(rendered.text.contains("Green & Valley"), "{kind:?}");
            let opts_out = kind.topic() != Topic::Account;
            assert_eq!(
                rendered.text.contains("notification settings"),
                opts_out,
                "{kind:?}"
            );
        }
    }

    #[test]
    fn a_reset_mail_carries_its_code_in_both_bodies() {
        let letter = letter_of(MailKind::PasswordReset, "");
        let to = Addressing {
            name: "Ann",
            tenant: "Green Valley",
        };
        let rendered = render(&letter, to).unwrap();
        assert_eq!(rendered.subject, "Your Green Valley password reset code");
        assert!(rendered.text.contains("K7QMX4PR2HNB"));
        assert!(rendered.html.contains("K7QMX4PR2HNB"));
        assert!(rendered.text.contains("within 60 minutes"));
    }

    #[test]
    fn charge_mail_reads_the_due_date_in_words() {
        let to = Addressing {
            name: "Ann",
            tenant: "Green Valley",
        };
        let rendered = render(&letter_of(MailKind::ChargeOverdue, "Dues"), to).unwrap();
        assert!(rendered.text.contains("Friday 15 January 2027"));
        assert_eq!(
            rendered.subject,
            "Green Valley: 2.50 EUR for Dues is overdue"
        );
    }

    #[test]
    fn a_long_subject_is_cut_on_one_line() {
        let long = "word ".repeat(100);
        let cut = one_line(&long);
        assert!(cut.chars().count() <= SUBJECT_CHARS);
        assert!(cut.ends_with("word…"));
    }
}
