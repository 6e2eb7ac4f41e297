//! Attendance: events with check-in windows, rotating check-in codes, staff
//! scans (also uploaded later by offline scanners), bulk marking, and the
//! points that follow each record's status through the ledger.

pub mod admin_handlers;
pub mod check_in_code;
pub mod dto;
pub mod earning;
pub mod handlers;
pub mod marking;
pub mod model;
pub mod record_handlers;
pub mod repo;
pub mod rules;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::list)
        .service(handlers::get_one)
        .service(handlers::check_in)
        .service(handlers::mine)
        .service(admin_handlers::list)
        .service(admin_handlers::create)
        .service(admin_handlers::get_one)
        .service(admin_handlers::update)
        .service(admin_handlers::cancel)
        .service(admin_handlers::code)
        .service(record_handlers::scan)
        .service(record_handlers::mark)
        .service(record_handlers::list)
        .service(record_handlers::summary);
}
