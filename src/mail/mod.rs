//! Mail for people: password reset codes, dues notices and reminders,
//! rewards that are ready or refused.
//!
//! An area that has something to tell a person calls [`post`] inside the
//! transaction of the change, with a [`Letter`]: the message is rendered
//! then (plain text and HTML, from `templates/`) and written as a row of
//! `mail_messages`, so a change that rolls back sends nothing and a
//! committed one is never lost. Every instance's [`Postman`] sends the
//! rows after the commit over SMTP, one instance per message at a time,
//! retrying with backoff while the server is down; a request never waits
//! for (or fails with) the SMTP server.
//!
//! Who hears what: a member with an email address and a login, never a
//! dependant; account mail (reset codes) always, the rest unless the
//! member opted out of its [`Topic`] (`PATCH /me`).

pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

pub use model::{ChargeNotice, Letter, RedemptionNotice, Topic};
pub use repo::recipient;
pub use rules::format_amount;
pub use service::post::{post, post_to_household};
pub use service::postman::{Postman, run_periodically as run_postman};
pub use service::purge;
