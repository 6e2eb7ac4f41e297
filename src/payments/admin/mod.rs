//! Admins' money routes: charges, payments, refunds, voids, statements and reports.

pub mod charges;
pub mod payments;
pub mod refunds;
