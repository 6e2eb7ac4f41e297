//! Households: a family, a flat or a shared house in a tenant. Points, reward
//! limits, attendance reports and dues all roll up to it.
//!
//! Members join with the household's join code (or an admin assigns them); a
//! member is in at most one household, and the composite foreign key
//! `(tenant_id, household_id)` makes the database refuse a household of another
//! tenant even if a query forgot its filter.

pub mod admin_handlers;
pub mod dto;
pub mod member_handlers;
pub mod model;
pub mod repo;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(member_handlers::mine)
        .service(member_handlers::join)
        .service(admin_handlers::list)
        .service(admin_handlers::create)
        .service(admin_handlers::get)
        .service(admin_handlers::update)
        .service(admin_handlers::archive)
        .service(admin_handlers::rotate_join_code)
        .service(admin_handlers::add_member)
        .service(admin_handlers::remove_member);
}
