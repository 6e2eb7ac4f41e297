//! Outbox queries, every one pinned to a tenant: events, webhook endpoints,
//! and deliveries with their attempts.

mod deliveries;
mod endpoints;
mod events;

pub use deliveries::*;
pub use endpoints::*;
pub use events::*;
