//! Settings: layered TOML (default, then the environment's file) and `HEARTH_…` variables, validated once at start-up.

mod load;
mod sections;
mod sizing;

pub use load::*;
pub use sections::*;
pub use sizing::*;
