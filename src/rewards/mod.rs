//! Rewards: a catalogue with stock, limits and availability windows, and the
//! redemptions that turn points into things, never overselling.

pub mod admin_handlers;
pub mod dto;
pub mod handlers;
pub mod model;
pub mod redemptions;
pub mod repo;
pub mod rules;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list)
        .service(handlers::get_one)
        .service(handlers::redeem)
        .service(handlers::my_redemptions)
        .service(handlers::my_redemption)
        .service(handlers::cancel)
        .service(admin_handlers::list)
        .service(admin_handlers::create)
        .service(admin_handlers::get_one)
        .service(admin_handlers::update)
        .service(admin_handlers::archive)
        .service(admin_handlers::list_redemptions)
        .service(admin_handlers::claim)
        .service(admin_handlers::fulfill)
        .service(admin_handlers::reject);
}
