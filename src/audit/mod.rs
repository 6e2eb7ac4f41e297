//! Audit: every admin write and every auth security event leaves an event,
//! written in the same transaction as the change it records (so there is never a
//! change without its event, nor an event for a change that rolled back).

pub mod admin;
pub mod dto;
pub mod model;
pub mod repo;
pub mod service;

pub use model::AuditEntry;
pub use service::{admin_action, record};
