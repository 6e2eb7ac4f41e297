//! Hearth: a multi-tenant JSON REST API for community programmes.
//!
//! Layers point down: `startup` and `routes` (every route, in one place) on
//! top; then one folder per area (identity, households, points, rewards,
//! attendance, payments, audit), each with the same files (`model`, `dto`,
//! `repo`, `rules`, `service`, and handlers by audience: `member`, `admin`,
//! `public`); below them the plumbing (`auth`, `http`, `idempotency`,
//! `validation`, `pagination`, `error`, `request_context`, `db`). The
//! operator's commands live in `tools`, which nothing else imports.
//! ARCHITECTURE.md describes the layout and the checks that hold it.

pub mod attendance;
pub mod audit;
pub mod auth;
pub mod backoff;
pub mod calendar;
pub mod clock;
pub mod codes;
pub mod config;
pub mod datetime;
pub mod db;
pub mod error;
pub mod export;
pub mod groups;
pub mod health;
pub mod households;
pub mod http;
pub mod idempotency;
pub mod identity;
pub mod imports;
pub mod logging;
pub mod mail;
pub mod malloc;
pub mod openapi;
pub mod outbox;
pub mod pagination;
pub mod payments;
pub mod periodic;
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
