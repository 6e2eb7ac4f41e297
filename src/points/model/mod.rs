//! Ledger entries, their kinds, point rules and award quantities.

mod entries;
mod leaderboard;
mod quantity;

pub use entries::*;
pub use leaderboard::*;
pub use quantity::*;
