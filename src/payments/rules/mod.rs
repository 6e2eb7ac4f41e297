//! Money decisions without I/O: how money is spread over charges and which
//! dates a payment or a summary may have (`money`), and when a schedule's
//! periods start (`schedule`).

mod money;
mod schedule;

pub use money::*;
pub use schedule::*;
