//! Identity: users, sessions, sign-in and account administration.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod public;
pub mod repo;
pub mod rules;
pub mod service;
