//! Tenant-scoped queries of charges, payments, refunds, their allocations,
//! and charge schedules.

mod allocations;
mod charges;
mod payments;
mod refunds;
mod schedules;

pub use allocations::*;
pub use charges::*;
pub use payments::*;
pub use refunds::*;
pub use schedules::*;
