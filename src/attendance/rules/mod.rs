//! Attendance decisions without I/O: check-in windows and check-in codes.

pub mod check_in_code;
pub mod scan;
pub mod window;
