//! One access line per request: method, route, status, duration, request id.
//! Never a token, a password, a code or a body: the route pattern is logged, not
//! the raw path or query, so ids and codes in URLs stay out of the log too.

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

/// Who made the request, recorded by the authentication extractor for the log.
#[derive(Debug, Clone)]
pub struct LoggedIdentity {
    /// Tenant id.
    pub tenant: String,
    /// User id.
    pub user: String,
}

/// The middleware function (`actix_web::middleware::from_fn`).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().clone();
    let result = next.call(req).await;
    let (status, route, identity) = match &result {
        Ok(res) => {
            let request = res.request();
            (
                res.status(),
                request.match_pattern(),
                request.extensions().get::<LoggedIdentity>().cloned(),
            )
        }
        Err(err) => (err.as_response_error().status_code(), None, None),
    };
    let (tenant, user) =
        identity.map_or_else(|| ("-".into(), "-".into()), |who| (who.tenant, who.user));
    log::info!(
        target: "hearth::access",
        "{method} {} {} {:.1}ms request_id={} tenant={tenant} user={user}",
        route.as_deref().unwrap_or("-"),
        status.as_u16(),
        started.elapsed().as_secs_f64() * 1000.0,
        crate::request_context::request_id().unwrap_or_default(),
    );
    result
}
