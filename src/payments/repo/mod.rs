//! Tenant-scoped queries of charges, payments, refunds, their allocations,
//! and charge schedules.

// The filter's macro is used by the modules after it.
#[macro_use]
mod filter;
mod allocations;
mod charges;
mod payments;
mod refunds;
mod schedules;

pub use allocations::*;
pub use charges::*;
pub use filter::MoneyFilter;
pub use payments::*;
pub use refunds::*;
pub use schedules::*;
