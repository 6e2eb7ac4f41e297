//! Attendance request and response bodies, by resource.

mod events;
mod records;

pub use events::*;
pub use records::*;
