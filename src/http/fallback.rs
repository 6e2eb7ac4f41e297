//! The default service: 405 (with `Allow`) when the path exists under another
//! method, 404 otherwise. Actix registers each `#[get]`/`#[post]` handler as its
//! own guarded resource, so it cannot tell the two apart by itself; the OpenAPI
//! document, which lists every route and its methods, can.

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
}

impl RouteTable {
    /// Builds the table from the OpenAPI document.
    pub fn from_openapi(api: &OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = template
                    .trim_matches('/')
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_string())
                        }
                    })
                    .collect();
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
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods documented for `path`, if it matches a route.
    fn methods_for(&self, path: &str) -> Option<&[Method]> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        self.routes.iter().find_map(|(segments, methods)| {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Param => !p.is_empty(),
                    Segment::Literal(l) => l == p,
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
            let allow = methods
                .iter()
                .map(Method::as_str)
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
