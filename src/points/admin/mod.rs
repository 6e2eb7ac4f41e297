//! Admins' points routes: awards, corrections, point rules and the ledger.

pub mod awards;
pub mod corrections;
pub mod ledger;
pub mod point_rules;
