//! Public authentication routes under `/api/v1/auth` (strictly rate limited), and
//! logout.

use actix_web::{HttpResponse, post, web};

use crate::auth::{Auth, AuthUser};
use crate::db::Db;
use crate::error::ApiError;
use crate::identity::dto::{
    LoginRequest, LoginResponse, PasswordResetRequest, RefreshRequest, RegisterRequest,
    ResetCodeRequest, TokenPair, UserResponse,
};
use crate::identity::service::accounts::{self};
use crate::identity::service::recovery;
use crate::identity::service::signin::{self, Credentials};
use crate::request_context::RequestMeta;
use crate::validation::Valid;

/// Register an account
///
/// Create an account in a tenant. Depending on the tenant's policy it is active
/// at once (`open`), waits for an admin (`approval`), or is refused (`closed`).
#[utoipa::path(
    tag = "auth",
    operation_id = "register",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered; `status` is `active` or `pending`.", body = UserResponse),
        (status = 403, description = "`registration_closed`: the tenant does not accept registrations."),
        (status = 409, description = "`email_taken`."),
        (status = 422, description = "`validation_failed` (also `tenant: unknown_tenant`, `password: too_common`)."),
    )
)]
#[post("/register")]
pub async fn register(
    Valid(body): Valid<RegisterRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let created = accounts::register(&db, &auth.passwords, body, meta).await?;
    Ok(HttpResponse::Created().json(UserResponse::from(created)))
}

/// Sign in
///
/// Sign in; answers an access token, a refresh token and the user. Unknown
/// tenant, unknown email and wrong password get the same 401. Five failures in
/// 15 minutes lock the account for the rest of the window (429 with Retry-After).
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in.", body = LoginResponse),
        (status = 401, description = "`invalid_credentials`."),
        (status = 403, description = "`account_pending` or `account_suspended`."),
        (status = 429, description = "`rate_limited`: too many attempts from this IP or for this account."),
    )
)]
#[post("/login")]
pub async fn login(
    Valid(body): Valid<LoginRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<web::Json<LoginResponse>, ApiError> {
    let credentials = Credentials {
        tenant: body.tenant,
        email: body.email,
        password: body.password,
    };
    Ok(web::Json(
        signin::login(&db, &auth.into_inner(), credentials, meta).await?,
    ))
}

/// Refresh the tokens
///
/// Exchange a refresh token for a new pair (the old one stops working). Presenting
/// a used refresh token ends its session.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair.", body = TokenPair),
        (status = 401, description = "`unauthorized` (unknown, expired or ended) or `refresh_token_reused` (the session is now revoked)."),
    )
)]
#[post("/refresh")]
pub async fn refresh(
    Valid(body): Valid<RefreshRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<web::Json<TokenPair>, ApiError> {
    Ok(web::Json(
        signin::refresh(&db, &auth.into_inner(), body.refresh_token, meta).await?,
    ))
}

/// Sign out of this session
///
/// End the caller's session only; the user's other devices stay signed in.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "The session has ended."),
    )
)]
#[post("/logout")]
pub async fn logout(
    AuthUser(ctx): AuthUser,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    let session = ctx.session_id.clone();
    db.write(move |conn| signin::logout(conn, &ctx, &meta))
        .await?;
    auth.sessions.invalidate([&session]);
    Ok(HttpResponse::NoContent().finish())
}

/// Ask for a password reset code by mail
///
/// Mails a one-time code (valid 1 hour, replacing any earlier unused one) to
/// the account with this email address in this tenant, for
/// `POST /auth/password-reset`. The answer is the same 202 whether or not
/// such an account exists, so it reveals nothing; an account asked for more
/// than 3 times an hour gets no further mail that hour. Dependants, suspended
/// accounts and tenants without mail configured get no mail either.
#[utoipa::path(
    tag = "auth",
    operation_id = "request_password_reset",
    request_body = ResetCodeRequest,
    responses(
        (status = 202, description = "Accepted: if the account exists and may reset its password, a code is on its way."),
        (status = 429, description = "`rate_limited`: more than 10 requests from this address for this tenant within the hour (see Retry-After)."),
    )
)]
#[post("/password-reset/request")]
pub async fn request_password_reset(
    Valid(body): Valid<ResetCodeRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    recovery::request_code(&db, &auth, body, meta).await?;
    Ok(HttpResponse::Accepted().finish())
}

/// Reset a password with a one-time code
///
/// Set a new password with a one-time code, issued by an admin or mailed on
/// request (valid 1 hour). Ends every session of the account.
#[utoipa::path(
    tag = "auth",
    operation_id = "reset_password",
    request_body = PasswordResetRequest,
    responses(
        (status = 204, description = "Password changed; every session has ended."),
        (status = 422, description = "`invalid_code` (wrong, used or expired code, or unknown account) or `validation_failed`."),
    )
)]
#[post("/password-reset")]
pub async fn reset_password(
    Valid(body): Valid<PasswordResetRequest>,
    db: web::Data<Db>,
    auth: web::Data<Auth>,
    meta: RequestMeta,
) -> Result<HttpResponse, ApiError> {
    recovery::reset_password(&db, &auth, body, meta).await?;
    Ok(HttpResponse::NoContent().finish())
}
