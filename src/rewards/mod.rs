//! Rewards: a catalogue with stock, limits and availability windows, and the
//! redemptions that turn points into things, never overselling.

pub mod admin;
pub mod catalogue_cache;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod rules;
pub mod service;
