//! Tenants: the organisations one deployment serves. Created by the operator with
//! `hearth tenant create`, never over HTTP. Every tenant-owned table references
//! `tenants(id)`, and every tenant-owned query filters on the tenant id taken from
//! a verified access token (see `auth::extract::TenantCtx`).

pub mod model;
pub mod repo;

pub use model::{NewTenant, RegistrationPolicy, Tenant};
// What the areas may use of tenants: finding one.
pub use repo::{find_by_slug, get as tenant};
