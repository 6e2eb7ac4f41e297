//! Admins' money routes: charges, recurring dues, payments, refunds, voids, statements and reports.

pub mod charges;
pub mod payments;
pub mod refunds;
pub mod schedules;
