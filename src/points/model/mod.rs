//! Ledger entries, their kinds, point rules and award quantities.

mod entries;
mod quantity;

pub use entries::*;
pub use quantity::*;
