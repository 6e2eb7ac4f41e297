//! Households: a family, a flat or a shared house in a tenant. Points, reward
//! limits, attendance reports and dues all roll up to it.
//!
//! Members join with the household's join code (or an admin assigns them); a
//! member is in at most one household, and the composite foreign key
//! `(tenant_id, household_id)` makes the database refuse a household of another
//! tenant even if a query forgot its filter.

pub mod admin;
pub mod dto;
pub mod guardian;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;

// What other areas may use of households: finding them, and the errors a
// member without one (or with a wrong code) gets.
pub use guardian::my_dependant;
pub use repo::{
    Member, check_live_ids, find_by_join_code, get as household, insert_many as insert_households,
    live_by_names as live_households_by_names, live_ids, live_ids_with_created_at, members,
};
pub use rules::{invalid_join_code, no_household};
