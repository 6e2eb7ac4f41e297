//! Identity: users, sessions, sign-in and account administration.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod public;
pub mod repo;
pub mod rules;
pub mod service;

// What other areas may use of identity: who a member is.
pub use repo::users::{existing_ids as existing_user_ids, get as user};
