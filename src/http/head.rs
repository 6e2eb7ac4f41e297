//! `HEAD` wherever `GET` works (RFC 9110 §9.3.2): the request is routed as a
//! `GET`, and the HTTP/1 encoder, which remembers that the request was a
//! `HEAD`, sends the status and headers (`Content-Length` included) without
//! the body. Actix's method guards would otherwise answer 405.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

/// The middleware function (`actix_web::middleware::from_fn`).
pub async fn as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}
