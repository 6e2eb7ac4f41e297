//! Identity: users, sessions, sign-in and account administration.
//!
//! - `model`: roles, statuses, the user row; `dto`: request/response bodies.
//! - `users`, `sessions`, `credentials`: tenant-scoped queries.
//! - `signin`: login with lockout, refresh rotation with reuse detection.
//! - `auth_handlers`, `me_handlers`, `admin_handlers`: the routes.

pub mod accounts;
pub mod admin_handlers;
pub mod auth_handlers;
pub mod credentials;
pub mod dto;
pub mod me_handlers;
pub mod model;
pub mod sessions;
pub mod signin;
pub mod users;

pub use model::{Role, UserStatus};

use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1/auth` (the strictly rate-limited scope).
pub fn auth_routes(cfg: &mut ServiceConfig) {
    cfg.service(auth_handlers::register)
        .service(auth_handlers::login)
        .service(auth_handlers::refresh)
        .service(auth_handlers::logout)
        .service(auth_handlers::reset_password);
}

/// Routes under `/api/v1`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(me_handlers::get_me)
        .service(me_handlers::update_me)
        .service(me_handlers::change_password)
        .service(me_handlers::list_sessions)
        .service(me_handlers::revoke_session)
        .service(me_handlers::member_code)
        .service(admin_handlers::list_users)
        .service(admin_handlers::create_user)
        .service(admin_handlers::get_user)
        .service(admin_handlers::update_user)
        .service(admin_handlers::approve_user)
        .service(admin_handlers::issue_reset_code)
        .service(crate::audit::handlers::list);
}
