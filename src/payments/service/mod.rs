//! Payments use-cases: every movement of money (charges, payments,
//! refunds), statements, and the mail that tells households (`notices`).

pub mod charges;
pub mod dues;
pub mod exports;
pub mod money;
pub mod notices;
pub mod payments;
pub mod receipts;
pub mod refunds;
pub mod schedules;
pub mod statements;
