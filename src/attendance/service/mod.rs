//! Attendance use-cases: recording attendance and the points it earns.

pub mod earning;
pub mod events;
pub mod export;
pub mod marking;
