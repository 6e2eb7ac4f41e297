//! Onboarding a whole roll at once: `POST /admin/imports/households` reads a
//! CSV of people (one row each, grouped into households by name), checks
//! every row and column, and writes households, members, dependants, groups
//! and rosters in one transaction, or with `dry_run` only reports.
//!
//! [`roll`] parses and checks what the file alone can tell; [`service`]
//! checks it against the tenant (emails taken, households and groups that
//! exist) and writes it.

pub mod admin;
pub mod dto;
pub mod roll;
pub mod service;
