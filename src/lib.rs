//! Hearth: a multi-tenant JSON REST API for community programmes.
//!
//! Layout: cross-cutting pieces at the top (`config`, `error`, `db`, `http`,
//! `openapi`, `startup`), then one folder per area (`tenants`, …) holding its
//! routes, DTOs, rules and tenant-scoped queries. See `DESIGN.md`.

pub mod attendance;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod codes;
pub mod config;
pub mod datetime;
pub mod db;
pub mod error;
pub mod health;
pub mod households;
pub mod http;
pub mod idempotency;
pub mod identity;
pub mod logging;
pub mod openapi;
pub mod pagination;
pub mod payments;
pub mod points;
pub mod request_context;
pub mod rewards;
pub mod routes;
pub mod startup;
pub mod tenants;
mod text_enum;
pub mod tools;
pub mod ttl_cache;
pub mod validation;
