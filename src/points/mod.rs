//! Points: an append-only ledger with a cached balance, rules, awards,
//! adjustments, reversals and leaderboards.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

// What other areas may use of points: the one way points move.
pub use repo::leaderboards::earned_by;
pub use repo::ledger::Posting;
pub use service::ledger::post;
