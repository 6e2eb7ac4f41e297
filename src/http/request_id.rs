//! Request ids, and the guarantee that every response leaves with its security
//! headers and every error as problem+json.
//!
//! This is the outermost middleware. It adopts a well-formed incoming
//! `X-Request-Id` (else mints one), makes it available to the whole request through
//! a task-local (so `ApiError` can stamp it into bodies and logs without threading
//! it through every call), echoes it on the response, and rewrites any error
//! response that is not already problem+json (actix's own 404/405, a CORS refusal)
//! into one.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, ResponseError, web};

use super::security_headers::{self, SecurityHeaders};
use crate::error::{ApiError, PROBLEM_JSON};
use crate::request_context;

/// The request id header.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request id, also stored in the request extensions for handlers and logs.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Accepts a client-supplied id only if it is short and plain, so it is safe to
/// echo in headers and write to logs.
fn is_acceptable(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Largest non-problem error body carried over as the problem's `detail`.
const MAX_CARRIED_DETAIL: usize = 512;

/// The middleware function (`actix_web::middleware::from_fn`). Outermost, so it
/// also applies the security headers: errors raised by inner middleware skip every
/// layer between them and here.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(&X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_acceptable(v))
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_string);
    req.extensions_mut().insert(RequestId(id.clone()));
    let path = req.path().to_string();
    let hsts = req
        .app_data::<web::Data<SecurityHeaders>>()
        .is_some_and(|policy| policy.hsts);

    request_context::with_request_id(id.clone(), async move {
        let finish = |response: &mut HttpResponse<BoxBody>| {
            security_headers::apply(response.headers_mut(), &path, hsts);
            response.headers_mut().insert(
                X_REQUEST_ID.clone(),
                HeaderValue::from_str(&id).expect("validated or generated id is a valid header"),
            );
        };
        match next.call(req).await {
            Ok(res) => {
                let (request, response) = res.map_into_boxed_body().into_parts();
                let mut response = into_problem(response).await;
                finish(&mut response);
                Ok(ServiceResponse::new(request, response))
            }
            // An inner middleware failed; its request is gone, so hand actix a
            // finished response to send instead (built here, inside the scope,
            // so it carries the request id too).
            Err(err) => {
                let mut response = into_problem(err.error_response()).await;
                finish(&mut response);
                Err(InternalError::from_response(err, response).into())
            }
        }
    })
    .await
}

/// Rewrites a non-problem error response as problem+json, keeping its headers
/// (`Allow`, `Retry-After`, CORS) and, for short 4xx texts, the text as `detail`.
async fn into_problem(response: HttpResponse<BoxBody>) -> HttpResponse<BoxBody> {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let headers = response.headers().clone();
    let body = actix_web::body::to_bytes_limited(response.into_body(), MAX_CARRIED_DETAIL).await;
    let mut problem = ApiError::for_status(status);
    if status.is_client_error()
        && let Ok(Ok(bytes)) = body
        && let Ok(text) = std::str::from_utf8(&bytes)
        && !text.trim().is_empty()
    {
        problem = problem.with_detail(text.trim());
    }
    let mut rewritten = problem.error_response();
    for (name, value) in &headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rewritten.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rewritten
}

#[cfg(test)]
mod tests {
    use super::is_acceptable;

    #[test]
    fn only_plain_short_ids_are_adopted() {
        assert!(is_acceptable("abc-123_x.y"));
        assert!(!is_acceptable(""));
        assert!(!is_acceptable("a b"));
        assert!(!is_acceptable("line\nbreak"));
        assert!(!is_acceptable(&"x".repeat(129)));
    }
}
