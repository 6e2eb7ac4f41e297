//! Payments: charges households owe, payments they make, allocations that tie
//! them together (append-only), household credit, voids, receipts and
//! settlement reports.

pub mod allocation;
pub mod charge_handlers;
pub mod dto;
pub mod member_handlers;
pub mod model;
pub mod money;
pub mod payment_handlers;
pub mod repo;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(member_handlers::my_statement)
        .service(member_handlers::receipt)
        .service(charge_handlers::create)
        .service(charge_handlers::create_batch)
        .service(charge_handlers::list)
        .service(charge_handlers::void)
        .service(payment_handlers::create)
        .service(payment_handlers::list)
        // Before `/admin/payments/{id}`, which would otherwise claim it.
        .service(payment_handlers::summary)
        .service(payment_handlers::get_one)
        .service(payment_handlers::void)
        .service(payment_handlers::household_statement);
}
