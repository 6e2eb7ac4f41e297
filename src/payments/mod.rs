//! Payments: charges households owe, payments they make, allocations that tie
//! them together (append-only), household credit, refunds, voids, receipts,
//! recurring dues and settlement reports.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

// What other areas may use of payments: a household's money, and the lock
// every movement of it takes.
pub use repo::{balances, lock_household};
// What the server runs beside the routes: the recurring-dues job.
pub use service::dues::{issue_due, run_periodically as run_dues_job};
pub use service::notices::remind_due;
