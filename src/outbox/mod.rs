//! The outbox: what Hearth tells the outside. Every business event (points
//! awarded, a payment recorded, …) is written by [`emit`] inside the
//! transaction of the change it describes, so there is never an event for a
//! change that rolled back, nor a change whose event was lost. Deliveries
//! (webhooks, email) read from here after the commit; integrators who were
//! down page through `GET /admin/webhook-events` to catch up.

pub mod admin;
pub mod dto;
pub mod model;
pub mod repo;
pub mod service;

pub use model::WebhookEventType;
pub use service::{emit, emit_all, purge};
