//! Payments rows as stored, and their typed states: charges, payments,
//! refunds and their allocations (`money`), and charge schedules
//! (`schedules`).

mod money;
mod schedules;

pub use money::*;
pub use schedules::*;
