//! Payments request and response bodies, by resource.

mod charges;
mod payments;
mod refunds;
mod schedules;
mod statements;

pub use charges::*;
pub use payments::*;
pub use refunds::*;
pub use schedules::*;
pub use statements::*;
