//! Attendance: events with check-in windows, rotating check-in codes, staff
//! scans (also uploaded later by offline scanners), bulk marking, and the
//! points that follow each record's status through the ledger.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;
