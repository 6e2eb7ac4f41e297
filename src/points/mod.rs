//! Points: an append-only ledger with a cached balance, rules, awards,
//! adjustments, reversals and leaderboards.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;
