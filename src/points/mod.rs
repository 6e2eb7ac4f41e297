//! Points: an append-only ledger with a cached balance, rules, awards,
//! adjustments, reversals and leaderboards.

pub mod awards;
pub mod correction_handlers;
pub mod dto;
pub mod entries;
pub mod handlers;
pub mod leaderboard_handlers;
pub mod leaderboards;
pub mod ledger;
pub mod model;
pub mod quantity;
pub mod rule_handlers;
pub mod rules;

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(handlers::award)
        .service(handlers::award_batch)
        .service(correction_handlers::adjust)
        .service(correction_handlers::reverse)
        .service(handlers::my_entries)
        .service(handlers::all_entries)
        .service(leaderboard_handlers::members)
        .service(leaderboard_handlers::households)
        .service(rule_handlers::list)
        .service(rule_handlers::create)
        .service(rule_handlers::update)
        .service(rule_handlers::archive);
}
