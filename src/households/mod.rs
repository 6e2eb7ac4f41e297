//! Households: a family, a flat or a shared house in a tenant. Points, reward
//! limits, attendance reports and dues all roll up to it.
//!
//! Members join with the household's join code (or an admin assigns them); a
//! member is in at most one household, and the composite foreign key
//! `(tenant_id, household_id)` makes the database refuse a household of another
//! tenant even if a query forgot its filter.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;
