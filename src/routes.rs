//! Every route of the API, in one place: what a client can call, by area
//! and audience. The server and the OpenAPI document are both built from
//! [`configure`], so they can never disagree. Order matters only where a
//! literal segment shares a position with a path id (noted below).

use actix_web::middleware::Condition;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::http::rate_limit::RateLimiters;
use crate::{
    attendance, audit, groups, health, households, identity, imports, outbox, payments, points,
    rewards, tenants,
};

/// Registers every documented route. `auth_limit` is the strict limiter for
/// `/api/v1/auth` (`None` when limits are disabled).
pub fn configure(auth_limit: Option<RateLimiters>) -> impl FnOnce(&mut ServiceConfig) {
    move |cfg| {
        cfg.service(health::live).service(health::ready);
        let enabled = auth_limit.is_some();
        let auth_limit = auth_limit.unwrap_or_else(RateLimiters::unlimited);
        cfg.service(
            scope("/api/v1")
                .service(
                    scope("/auth")
                        .wrap(Condition::new(enabled, auth_limit.auth()))
                        .configure(public),
                )
                .configure(members)
                .configure(admins),
        );
    }
}

/// `/api/v1/auth`: no token needed, strictly rate limited.
fn public(cfg: &mut ServiceConfig) {
    use identity::public as auth;
    cfg.service(auth::register)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::request_password_reset)
        .service(auth::reset_password);
}

/// Any signed-in user, acting on their own data.
fn members(cfg: &mut ServiceConfig) {
    use identity::member as me;
    cfg.service(me::get_me)
        .service(me::update_me)
        .service(me::change_password)
        .service(me::list_sessions)
        .service(me::revoke_session)
        .service(me::member_code);
    cfg.service(tenants::member::get);
    cfg.service(households::member::mine)
        .service(households::member::join)
        .service(households::member::add_dependant);
    cfg.service(points::member::my_entries)
        .service(points::member::dependant_entries)
        .service(points::member::members)
        .service(points::member::households);
    cfg.service(rewards::member::list)
        .service(rewards::member::get_one)
        .service(rewards::member::redeem)
        .service(rewards::member::my_redemptions)
        .service(rewards::member::my_redemption)
        .service(rewards::member::cancel);
    cfg.service(attendance::member::list)
        .service(attendance::member::get_one)
        .service(attendance::member::check_in)
        .service(attendance::member::mine)
        .service(attendance::member::dependant);
    cfg.service(payments::member::my_statement)
        .service(payments::member::receipt);
}

/// `/api/v1/admin/…`: admins of the caller's tenant.
fn admins(cfg: &mut ServiceConfig) {
    use identity::admin as users;
    cfg.service(users::list_users)
        .service(users::create_user)
        .service(users::get_user)
        .service(users::update_user)
        .service(users::approve_user)
        .service(users::issue_reset_code)
        .service(users::issue_badge)
        .service(users::revoke_badge)
        .service(audit::admin::list)
        .service(outbox::admin::events::list);
    use outbox::admin::webhooks;
    cfg.service(webhooks::list)
        .service(webhooks::create)
        .service(webhooks::get_one)
        .service(webhooks::update)
        .service(webhooks::remove)
        .service(webhooks::rotate_secret)
        .service(webhooks::test)
        .service(webhooks::deliveries)
        .service(webhooks::retry);
    cfg.service(tenants::admin::get)
        .service(tenants::admin::update);
    use households::admin as households;
    cfg.service(households::list)
        .service(households::create)
        .service(households::get)
        .service(households::update)
        .service(households::archive)
        .service(households::rotate_join_code)
        .service(households::add_member)
        .service(households::add_dependant)
        .service(households::remove_member);
    cfg.service(imports::admin::households);
    cfg.service(groups::admin::list)
        .service(groups::admin::create)
        .service(groups::admin::get_one)
        .service(groups::admin::update)
        .service(groups::admin::remove)
        .service(groups::admin::set_members);
    use points::admin::{awards, corrections, ledger, point_rules};
    cfg.service(awards::award)
        .service(awards::award_batch)
        .service(corrections::adjust)
        .service(corrections::reverse)
        .service(ledger::all_entries)
        .service(point_rules::list)
        .service(point_rules::create)
        .service(point_rules::update)
        .service(point_rules::archive);
    use rewards::admin as rewards;
    cfg.service(rewards::list)
        .service(rewards::create)
        .service(rewards::get_one)
        .service(rewards::update)
        .service(rewards::archive)
        .service(rewards::list_redemptions)
        .service(rewards::claim)
        .service(rewards::fulfill)
        .service(rewards::reject);
    use attendance::admin::{events, records};
    cfg.service(events::list)
        .service(events::create)
        .service(events::get_one)
        .service(events::update)
        .service(events::cancel)
        .service(events::code)
        .service(records::scan)
        .service(records::mark)
        .service(records::list)
        .service(records::summary);
    use payments::admin::{charges, payments as money, refunds, schedules};
    cfg.service(charges::create)
        .service(charges::create_batch)
        .service(charges::list)
        .service(charges::void)
        .service(money::create)
        .service(money::list)
        // Before `/admin/payments/{id}`, which would otherwise claim it.
        .service(money::summary)
        .service(money::get_one)
        .service(money::void)
        .service(money::household_statement)
        .service(refunds::create)
        .service(refunds::list)
        .service(refunds::get_one)
        .service(refunds::void)
        .service(schedules::create)
        .service(schedules::list)
        .service(schedules::get_one)
        .service(schedules::update)
        .service(schedules::stop);
    // The books as files, each beside the JSON it exports.
    cfg.service(ledger::export_ledger)
        .service(records::export_attendance)
        .service(money::export_payments)
        .service(money::export_settlement);
}
