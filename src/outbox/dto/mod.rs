//! Outbox request and response bodies: events as integrators receive them,
//! and webhook endpoints with their deliveries.

mod events;
mod webhooks;

pub use events::*;
pub use webhooks::*;
