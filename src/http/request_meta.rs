//! Reads [`RequestMeta`] (request id, client IP, device) off a request.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use super::client_ip::{TrustedProxies, client_ip};
use super::request_id::RequestId;
use crate::error::ApiError;
use crate::request_context::RequestMeta;

/// Longest User-Agent kept as a device description.
const MAX_USER_AGENT: usize = 200;

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let default_proxies = TrustedProxies::default();
        let proxies = req
            .app_data::<web::Data<TrustedProxies>>()
            .map_or(&default_proxies, |p| p.as_ref());
        let user_agent = req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect());
        ready(Ok(Self {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            ip: Some(client_ip(req, proxies).to_string()),
            user_agent,
        }))
    }
}
