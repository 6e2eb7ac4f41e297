//! Outbox rows as stored: events (`events`), and the webhook endpoints they
//! are delivered to with their deliveries and attempts (`webhooks`).

mod events;
mod webhooks;

pub use events::*;
pub use webhooks::*;
