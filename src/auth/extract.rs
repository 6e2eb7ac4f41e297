//! The extractors every protected handler takes: [`AuthUser`] (any active user)
//! and [`AdminUser`] (role admin). They fail closed: no token, a token we did not
//! sign, an expired or wrong-type token, or a session that has ended all give 401
//! with `WWW-Authenticate: Bearer`; a non-admin on an admin route gets 403.
//!
//! The tenant comes only from the verified token. Handlers pass the resulting
//! [`TenantCtx`] to every repository function, which filters on its tenant id.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::auth::account::Role;
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
    /// The session the token belongs to.
    pub session_id: SessionId,
}

/// An authenticated, active user of any role.
#[derive(Debug, Clone)]
pub struct AuthUser(pub TenantCtx);

/// An authenticated, active admin.
#[derive(Debug, Clone)]
pub struct AdminUser(pub TenantCtx);

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
    let role = state
        .role_for(&claims.tid, &claims.sub)
        .ok_or_else(unauthorized)?;
    req.extensions_mut().insert(LoggedIdentity {
        tenant: claims.tid.to_string(),
        user: claims.sub.to_string(),
    });
    Ok(TenantCtx {
        tenant_id: claims.tid,
        user_id: claims.sub,
        role,
        session_id: claims.sid,
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await.map(AuthUser) })
    }
}

impl FromRequest for AdminUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let ctx = authenticate(&req).await?;
            if ctx.role != Role::Admin {
                return Err(ApiError::forbidden());
            }
            Ok(AdminUser(ctx))
        })
    }
}
