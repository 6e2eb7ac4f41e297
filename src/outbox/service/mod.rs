//! Outbox use-cases: writing and listing events (`events`), the admin's
//! webhook endpoints (`webhooks`), and delivering to them (`delivery`,
//! which sends through `sender`).

pub mod delivery;
pub mod events;
pub mod sender;
pub mod webhooks;
