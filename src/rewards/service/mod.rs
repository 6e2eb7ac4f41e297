//! Rewards use-cases: the catalogue, and redeeming and closing redemptions.

pub mod catalogue;
pub mod redemptions;
