//! Admins' money routes: charges, payments, voids, statements and reports.

pub mod charges;
pub mod payments;
