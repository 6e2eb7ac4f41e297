//! Tenant-scoped queries of charges, payments, refunds and their allocations.

mod allocations;
mod charges;
mod payments;
mod refunds;

pub use allocations::*;
pub use charges::*;
pub use payments::*;
pub use refunds::*;
