//! The extractors every protected handler takes: [`AuthUser`] (any active
//! user), [`AdminUser`] (role admin) and [`StaffUser`] (an admin, or staff who
//! hold the [`Desk`]'s scope). They fail closed: no token, a token we did not
//! sign, an expired or wrong-type token, or a session that has ended all give
//! 401 with `WWW-Authenticate: Bearer`; a caller without the role or scope a
//! route needs gets 403.
//!
//! Every `/admin` handler names its extractor, and its `#[utoipa::path]`
//! states the same requirement as bearer scopes (`admin`, or the desk's scope
//! with `admin` as the alternative); `tests/api/staff_scopes.rs` walks every
//! operation with every kind of caller and holds the two to each other.
//!
//! The tenant comes only from the verified token. Handlers pass the resulting
//! [`TenantCtx`] to every repository function, which filters on its tenant id.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use std::marker::PhantomData;

use crate::auth::account::{Role, Scope, Scopes};
use crate::auth::session_state;
use crate::auth::state::Auth;
use crate::db::{Db, SessionId, TenantId, UserId};
use crate::error::ApiError;
use crate::http::access_log::LoggedIdentity;

/// Who is calling, as proven by their access token and current session.
#[derive(Debug, Clone)]
pub struct TenantCtx {
    /// The caller's tenant: every query is scoped to it.
    pub tenant_id: TenantId,
    /// The caller.
    pub user_id: UserId,
    /// The caller's current role (re-read with the session, not trusted from the token).
    pub role: Role,
    /// The caller's current scopes (staff only; re-read with the role).
    pub scopes: Scopes,
    /// The session the token belongs to.
    pub session_id: SessionId,
}

/// An authenticated, active user of any role.
#[derive(Debug, Clone)]
pub struct AuthUser(pub TenantCtx);

/// An authenticated, active admin.
#[derive(Debug, Clone)]
pub struct AdminUser(pub TenantCtx);

/// A desk of `/admin` that staff may work: who may use its routes.
pub trait Desk {
    /// Whether a staff member holding `scopes` may.
    fn admits(scopes: Scopes) -> bool;
}

/// The desks, one per scope, and [`desk::Any`] for the lookups every desk needs.
pub mod desk {
    use super::{Desk, Scope, Scopes};

    macro_rules! scoped_desk {
        ($($name:ident),+) => {$(
            #[doc = concat!("Staff holding the `", stringify!($name), "` scope.")]
            #[derive(Debug, Clone)]
            pub struct $name;
            impl Desk for $name {
                fn admits(scopes: Scopes) -> bool {
                    scopes.contains(Scope::$name)
                }
            }
        )+};
    }
    scoped_desk!(Attendance, Points, Redemptions, Payments);

    /// Staff holding any scope (finding the person in front of them).
    #[derive(Debug, Clone)]
    pub struct Any;
    impl Desk for Any {
        fn admits(scopes: Scopes) -> bool {
            !scopes.is_empty()
        }
    }
}

/// An authenticated, active admin, or a staff member whom desk `D` admits.
#[derive(Debug, Clone)]
pub struct StaffUser<D: Desk>(pub TenantCtx, pub PhantomData<D>);

impl TenantCtx {
    /// Whether the caller is a full admin (staff work only their desks).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

fn unauthorized() -> ApiError {
    ApiError::unauthorized("A valid access token is required.")
}

/// Verifies the bearer token and the session behind it.
async fn authenticate(req: &HttpRequest) -> Result<TenantCtx, ApiError> {
    let auth = req
        .app_data::<web::Data<Auth>>()
        .ok_or_else(|| ApiError::internal("Auth is not registered as app data"))?;
    let db = req
        .app_data::<web::Data<Db>>()
        .ok_or_else(|| ApiError::internal("Db is not registered as app data"))?;
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthorized)?;
    let claims = auth.tokens.verify(token).map_err(|e| {
        log::debug!("access token refused: {e:?}");
        unauthorized()
    })?;
    let state = match auth.sessions.get(&claims.sid) {
        Some(state) => state,
        None => {
            let (tenant, session) = (claims.tid.clone(), claims.sid.clone());
            let state = db
                .read(move |conn| Ok(session_state::find_in_tenant(conn, &tenant, &session)?))
                .await?
                .ok_or_else(unauthorized)?;
            auth.sessions.put(claims.sid.clone(), state.clone());
            state
        }
    };
    // The token must be the session owner's: a validly signed token naming
    // another user's session is no more than a token without one.
    let (role, scopes) = state
        .access_for(&claims.tid, &claims.sub)
        .ok_or_else(unauthorized)?;
    req.extensions_mut().insert(LoggedIdentity {
        tenant: claims.tid.to_string(),
        user: claims.sub.to_string(),
    });
    Ok(TenantCtx {
        tenant_id: claims.tid,
        user_id: claims.sub,
        role,
        scopes,
        session_id: claims.sid,
    })
}

/// The caller, when `admits` lets them in (403 otherwise).
fn authorise(
    req: &HttpRequest,
    admits: fn(&TenantCtx) -> bool,
) -> LocalBoxFuture<'static, Result<TenantCtx, ApiError>> {
    let req = req.clone();
    Box::pin(async move {
        let ctx = authenticate(&req).await?;
        if admits(&ctx) {
            Ok(ctx)
        } else {
            Err(ApiError::forbidden())
        }
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authorised = authorise(req, |_| true);
        Box::pin(async move { authorised.await.map(AuthUser) })
    }
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authorised = authorise(req, TenantCtx::is_admin);
        Box::pin(async move { authorised.await.map(AdminUser) })
    }
}

impl<D: Desk + 'static> FromRequest for StaffUser<D> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let authorised = authorise(req, |ctx| match ctx.role {
            Role::Admin => true,
            Role::Staff => D::admits(ctx.scopes),
            Role::User => false,
        });
        Box::pin(async move { Ok(StaffUser(authorised.await?, PhantomData)) })
    }
}
