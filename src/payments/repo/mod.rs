//! Tenant-scoped queries of charges, payments and their allocations.

mod allocations;
mod charges;
mod payments;

pub use allocations::*;
pub use charges::*;
pub use payments::*;
