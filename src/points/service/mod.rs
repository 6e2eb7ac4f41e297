//! Points use-cases: awards and leaderboards.

pub mod awards;
pub mod leaderboards;
