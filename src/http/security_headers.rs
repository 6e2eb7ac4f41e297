//! Security headers on every response, errors included (applied by the
//! outermost middleware, `request_id`).

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The API serves JSON only: nothing may be loaded, framed or sniffed.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// Swagger UI needs its own scripts, styles and inline images, and fetches the spec.
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; frame-ancestors 'none'";
/// Two years, subdomains included (the preload list minimum).
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Whether a path belongs to the docs page (which gets its own CSP and may be cached).
fn is_docs(path: &str) -> bool {
    path == "/docs" || path.starts_with("/docs/")
}

/// The header policy, registered as app data so the middleware can read it.
#[derive(Debug, Clone, Copy)]
pub struct SecurityHeaders {
    /// Send `Strict-Transport-Security` (enable only behind HTTPS).
    pub hsts: bool,
}

/// Sets the security headers on a response for `path`.
pub fn apply(headers: &mut HeaderMap, path: &str, hsts: bool) {
    let docs = is_docs(path);
    let mut set = |name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        header::CONTENT_SECURITY_POLICY,
        if docs { DOCS_CSP } else { API_CSP },
    );
    if !docs {
        // Responses carry personal data and balances: never store them.
        set(header::CACHE_CONTROL, "no-store");
    }
    if hsts {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
}
