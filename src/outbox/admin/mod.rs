//! Admins' outbox routes: the event list, and webhook endpoints with their deliveries.

pub mod events;
pub mod webhooks;
