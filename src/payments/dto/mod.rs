//! Payments request and response bodies, by resource.

mod charges;
mod payments;
mod statements;

pub use charges::*;
pub use payments::*;
pub use statements::*;
