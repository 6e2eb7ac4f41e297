//! Points use-cases: awards and leaderboards.

pub mod awards;
pub mod corrections;
pub mod leaderboards;
pub mod ledger;
pub mod point_rules;
pub mod standings;
