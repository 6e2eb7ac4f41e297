//! Rewards request and response bodies, by resource.

mod catalogue;
mod redemptions;

pub use catalogue::*;
pub use redemptions::*;
