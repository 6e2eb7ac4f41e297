//! Points request and response bodies, by resource.

mod entries;
mod leaderboards;
mod point_rules;

pub use entries::*;
pub use leaderboards::*;
pub use point_rules::*;
