//! Payments use-cases: every movement of money, and statements.

pub mod charges;
pub mod money;
pub mod payments;
pub mod receipts;
pub mod statements;
