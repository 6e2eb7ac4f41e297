//! Payments use-cases: every movement of money, and statements.

pub mod money;
pub mod statements;
