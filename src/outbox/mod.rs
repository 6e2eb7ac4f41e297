//! The outbox: what Hearth tells the outside. Every business event (points
//! awarded, a payment recorded, …) is written by [`emit`] inside the
//! transaction of the change it describes, with its deliveries to the
//! webhook endpoints that subscribe to it, so there is never an event for
//! a change that rolled back, nor a change whose event was lost. Every
//! instance's [`Deliverer`] sends them after the commit, signed per
//! Standard Webhooks; integrators who were down page through
//! `GET /admin/webhook-events` to catch up.

pub mod admin;
pub mod dto;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

pub use model::WebhookEventType;
pub use service::delivery::{Deliverer, run_periodically as run_webhook_deliveries};
pub use service::events::{emit, emit_all, purge};
