//! Tenants: the organisations one deployment serves. Created by the operator with
//! `hearth tenant create`, never over HTTP; members read theirs and admins
//! change its settings (`/tenant`, `/admin/tenant`). Every tenant-owned table references
//! `tenants(id)`, and every tenant-owned query filters on the tenant id taken from
//! a verified access token (see `auth::extract::TenantCtx`).

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod repo;
pub mod service;

pub use model::{NewTenant, RegistrationPolicy, Tenant, WeekStart};
// What the areas may use of tenants: finding one, or visiting each.
pub use repo::{
    calendar, calendar_for, find_by_slug, get as tenant, ids as tenant_ids, purge_older_than,
};
