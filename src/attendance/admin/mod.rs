//! Admins' attendance routes: events and their codes; scans, marking and reports.

pub mod events;
pub mod records;
