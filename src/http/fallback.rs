//! The default service: 405 (with `Allow`) when the path exists under another
//! method, 404 otherwise. Actix registers each `#[get]`/`#[post]` handler as its
//! own guarded resource, so it cannot tell the two apart by itself; the OpenAPI
//! document, which lists every route and its methods, can, and the few routes
//! outside it (the document itself and the Swagger UI) are added by name.

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

/// Every documented path template with the methods it accepts.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Param,
    /// `{tail:.*}`: the rest of the path, whatever it is.
    Tail,
}

/// Read-only routes served beside the documented API: the document itself and
/// the Swagger UI with its assets.
const DOCS_ROUTES: [&str; 3] = ["/api/v1/openapi.json", "/docs", "/docs/{tail:.*}"];

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_matches('/')
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with(":.*}") {
                Segment::Tail
            } else if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s.to_string())
            }
        })
        .collect()
}

impl RouteTable {
    /// Builds the table from the OpenAPI document and the docs routes.
    pub fn from_openapi(api: &OpenApi) -> Self {
        let documented = api.paths.paths.iter().map(|(template, item)| {
            let methods = [
                (&item.get, Method::GET),
                (&item.put, Method::PUT),
                (&item.post, Method::POST),
                (&item.delete, Method::DELETE),
                (&item.patch, Method::PATCH),
            ]
            .into_iter()
            .filter(|(op, _)| op.is_some())
            .map(|(_, m)| m)
            .collect();
            (segments(template), methods)
        });
        let docs = DOCS_ROUTES
            .iter()
            .map(|template| (segments(template), vec![Method::GET]));
        Self {
            routes: documented.chain(docs).collect(),
        }
    }

    /// The methods documented for `path`, if it matches a route.
    fn methods_for(&self, path: &str) -> Option<&[Method]> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes.iter().find_map(|(segments, methods)| {
            let tail = segments.last() == Some(&Segment::Tail);
            let fixed = &segments[..segments.len() - usize::from(tail)];
            let matches = (parts.len() == fixed.len() || tail && parts.len() > fixed.len())
                && fixed.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Param => !p.is_empty(),
                    Segment::Literal(l) => l == p,
                    Segment::Tail => true,
                });
            matches.then_some(methods.as_slice())
        })
    }
}

/// The default service handler.
pub async fn not_found_or_not_allowed(
    req: HttpRequest,
    table: web::Data<RouteTable>,
) -> HttpResponse {
    match table.methods_for(req.path()) {
        Some(methods) => {
            // HEAD is answered wherever GET is (see `http::head`).
            let head = methods.contains(&Method::GET).then_some("HEAD");
            let allow = methods
                .iter()
                .map(Method::as_str)
                .chain(head)
                .collect::<Vec<_>>()
                .join(", ");
            let mut res = ApiError::method_not_allowed().error_response();
            res.headers_mut().insert(
                header::ALLOW,
                header::HeaderValue::from_str(&allow).expect("method names are valid"),
            );
            res
        }
        None => ApiError::not_found()
            .with_detail("No route matches this path.")
            .error_response(),
    }
}
