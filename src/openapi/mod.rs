//! The OpenAPI document: the base (info, security scheme, shared error
//! responses) plus every route, collected by utoipa-actix-web from the
//! `#[utoipa::path]` of each handler. Served at `/api/v1/openapi.json`, printed by
//! `hearth openapi`, committed as `openapi/openapi.json` (a test fails when stale).

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToResponse};
use utoipa_actix_web::AppExt;

use crate::error::{FieldError, Problem};

mod exact;
mod webhooks;

/// Error codes every client should handle; areas add their own in their routes.
const DESCRIPTION: &str = "\
Hearth is a multi-tenant API for community programmes: households earn points, \
redeem rewards, check in to events and pay their dues.

**Errors** are `application/problem+json` (RFC 9457) with a stable `code`: \
`validation_failed` (422, with field `errors`), `bad_request` (400: malformed JSON, \
unknown or mistyped field, bad query parameter), `unauthorized` (401), `forbidden` (403), \
`not_found` (404, also for another tenant's ids), `method_not_allowed` (405), \
`payload_too_large` (413), `unsupported_media_type` (415), `rate_limited` (429, with \
`Retry-After`), `conflict` (409), `service_unavailable` (503, with `Retry-After`), \
`internal` (500, no detail). Every response carries `X-Request-Id`; quote it when \
reporting a problem.

**Lists** take `limit` (1-100, default 20) and an opaque `cursor`, and answer \
`{\"data\": [...], \"next_cursor\": \"…\" | null}`, newest first unless stated. A \
cursor that this API did not issue is 400 `bad_request` (field `cursor`, code \
`invalid_cursor`).

**Input rules**, the same on every route and both databases: text may not contain \
control characters (NUL and the other C0 characters, and DEL; tab, line feed and \
carriage return are allowed in JSON bodies): 422 `validation_failed` naming each \
field (code `control_character`), or 400 `bad_request` naming the query \
parameter. Dates and date-times are years 1900-9999; a value that does not parse \
into its field's type is 400 `bad_request` with the field in `errors` (code \
`invalid_value`). Path ids are UUIDs; anything else names no resource (404). \
`HEAD` is answered wherever `GET` is. Should the database still refuse a value as \
data (a bug at this boundary), the answer is 400 `bad_request` and nothing is \
written, never a 500.";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = DESCRIPTION,
        license(name = "MIT", identifier = "MIT"),
    ),
    servers((url = "/", description = "This server (paths include the /api/v1 prefix)")),
    modifiers(&BearerAuth),
    components(
        // Bound and Day appear in query parameters only, which utoipa does
        // not collect schemas from.
        schemas(Problem, FieldError, crate::datetime::Bound, crate::datetime::Day),
        responses(
            BadRequest, Unauthorized, Forbidden, NotFound, PayloadTooLarge,
            UnsupportedMediaType, ValidationFailed, RateLimited, Internal, ServiceUnavailable
        )
    ),
    tags(
        (name = "auth", description = "Sign-in, token refresh, sign-out, registration and password reset."),
        (name = "me", description = "The caller's own account, sessions and member code."),
        (name = "tenant", description = "The caller's organisation: name, currency, time zone, first day of the week."),
        (name = "households", description = "The caller's household; joining one with a code; its statement and receipts."),
        (name = "admin-tenant", description = "Admins: the tenant's settings."),
        (name = "admin-users", description = "Admins: users of the tenant."),
        (name = "admin-households", description = "Admins: households, their members and dependants."),
        (name = "admin-imports", description = "Admins: onboarding a roll of households from CSV."),
        (name = "admin-groups", description = "Admins: groups (classes, teams) and their rosters, which events may name."),
        (name = "points", description = "The caller's points ledger."),
        (name = "admin-points", description = "Admins: point rules, awards, adjustments and reversals."),
        (name = "rewards", description = "The reward catalogue; redeeming, and the caller's own redemptions."),
        (name = "admin-rewards", description = "Admins: the catalogue, stock and limits; fulfilling and rejecting redemptions."),
        (name = "attendance", description = "Events; checking in with an event's code; the caller's own attendance."),
        (name = "admin-attendance", description = "Admins: events, check-in codes, staff scans, bulk marking and reports."),
        (name = "admin-payments", description = "Admins: charges, recurring dues, payments, refunds, voids, statements and settlement summaries."),
        (name = "admin-exports", description = "Admins and staff: the ledger, attendance, payments and settlement as CSV files, streamed."),
        (name = "audit", description = "Admins: the audit trail."),
        (name = "webhooks", description = "Admins and integrators: webhook endpoints (signed per Standard Webhooks), their deliveries, and the events Hearth tells the outside, to catch up after downtime. Each delivery's body is listed under `webhooks`."),
        (name = "operations", description = "Health and readiness probes."),
    )
)]
struct BaseDoc;

/// Adds the bearer-JWT security scheme named `bearer`.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from `POST /api/v1/auth/login`, valid 15 minutes. \
                         Its claims carry the user's `role` (`user`, `staff`, `admin`) and \
                         `scopes`. On `/api/v1/admin` routes each security requirement names \
                         who may call: `admin` (role admin, which holds every scope), or a \
                         staff scope (`attendance`, `points`, `redemptions`, `payments`) held by \
                         a staff member. Role and scope changes reach live tokens within the \
                         session cache's TTL.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The base document that routes are added to.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = BaseDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// The complete document, built from the same route configuration the server uses.
pub fn spec() -> utoipa::openapi::OpenApi {
    let mut api = actix_web::App::new()
        .into_utoipa_app()
        .openapi(base())
        .configure(crate::routes::configure(None))
        .split_for_parts()
        .1;
    api.webhooks = Some(webhooks::webhooks());
    api.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(webhooks::SIGNATURE_SCHEME, webhooks::signature_scheme());
    add_standard_responses(&mut api);
    exact::reference_page_items(&mut api);
    exact::either_or_bodies(&mut api);
    exact::headers_not_nullable(&mut api);
    exact::response_fields_required(&mut api);
    prune_unused_schemas(&mut api);
    api
}

/// Drops component schemas nothing refers to (utoipa registers the item types
/// of generic pages although it inlines them), until none is left.
fn prune_unused_schemas(api: &mut utoipa::openapi::OpenApi) {
    loop {
        let json = serde_json::to_value(&*api).expect("the OpenAPI document serialises");
        let Some(schemas) = json["components"]["schemas"].as_object() else {
            return;
        };
        let unused: Vec<String> = schemas
            .keys()
            .filter(|name| {
                let reference = format!("\"#/components/schemas/{name}\"");
                let mut others = json.clone();
                others["components"]["schemas"]
                    .as_object_mut()
                    .map(|all| all.remove(name.as_str()));
                !others.to_string().contains(&reference)
            })
            .cloned()
            .collect();
        if unused.is_empty() {
            return;
        }
        if let Some(components) = api.components.as_mut() {
            for name in &unused {
                components.schemas.remove(name);
            }
        }
    }
}

/// Adds the error responses that follow from an operation's shape, so that every
/// route documents them alike and handlers list only their own specific ones:
/// 400/413/415/422 with a body (400 also with query parameters or an
/// `Idempotency-Key` header, which is refused when malformed), 401 with a
/// token, 403 on admin routes, 404 with a path id, 429 and 500/503 everywhere.
fn add_standard_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Ref, RefOr};
    for (path, item) in &mut api.paths.paths {
        let admin = path.starts_with("/api/v1/admin/");
        let operations = [
            (&mut item.get, true),
            (&mut item.put, false),
            (&mut item.post, false),
            (&mut item.delete, false),
            (&mut item.patch, false),
        ];
        let present = operations
            .into_iter()
            .filter_map(|(op, read)| op.as_mut().map(|op| (op, read)));
        for (op, read) in present {
            let has_param = |place: ParameterIn| {
                op.parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
            };
            let (query, path_id) = (has_param(ParameterIn::Query), has_param(ParameterIn::Path));
            let header = has_param(ParameterIn::Header);
            let body = op.request_body.is_some();
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            describe_access(op, admin, secured, read, header);
            if !secured {
                // Say "no authentication" explicitly rather than by omission.
                op.security = Some(Vec::new());
            }
            let wanted = [
                (body || query || header, "400", "BadRequest"),
                (secured, "401", "Unauthorized"),
                (admin, "403", "Forbidden"),
                (path_id, "404", "NotFound"),
                (body, "413", "PayloadTooLarge"),
                (body, "415", "UnsupportedMediaType"),
                (body, "422", "ValidationFailed"),
                (true, "429", "RateLimited"),
                (true, "500", "Internal"),
                (true, "503", "ServiceUnavailable"),
            ];
            problem_bodies(op);
            for (applies, status, component) in wanted {
                if applies {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(component)));
                }
            }
        }
    }
}

/// Gives every error response an operation lists itself (its own codes, in
/// its description) the problem+json body, so handlers write only the status
/// and the codes.
fn problem_bodies(op: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr};
    for (status, response) in &mut op.responses.responses {
        let RefOr::T(response) = response else {
            continue;
        };
        if (status.starts_with('4') || status.starts_with('5')) && response.content.is_empty() {
            let problem = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build();
            response
                .content
                .insert(crate::error::PROBLEM_JSON.to_string(), RefOr::T(problem));
        }
    }
}

/// Ends each operation's description with who may call it and, for reads,
/// that nothing changes, so no client has to infer either from the path.
fn describe_access(
    op: &mut utoipa::openapi::path::Operation,
    admin: bool,
    secured: bool,
    read: bool,
    idempotent: bool,
) {
    let desks: Vec<String> = op
        .security
        .iter()
        .flatten()
        .filter_map(|requirement| serde_json::to_value(requirement).ok())
        .filter_map(|requirement| requirement["bearer"].as_array().cloned())
        .flatten()
        .filter_map(|scope| scope.as_str().map(str::to_string))
        .filter(|scope| scope != "admin")
        .collect();
    let who = match (admin, secured, desks.as_slice()) {
        (true, _, []) => "admins of the caller's tenant (a bearer token of role `admin`); \
            staff and members get 403."
            .to_string(),
        (true, _, [one]) => format!(
            "admins of the caller's tenant, and staff holding the `{one}` scope (bearer \
             scopes: `admin`, or `{one}`); other staff and members get 403."
        ),
        (true, _, _) => "admins of the caller's tenant, and staff holding any scope; staff \
            without scopes and members get 403."
            .to_string(),
        (false, true, _) => "any signed-in user of the tenant (a bearer token); it acts on \
            the caller's own data."
            .to_string(),
        (false, false, _) => "anyone; no token is needed.".to_string(),
    };
    let mut text = op.description.take().unwrap_or_default();
    text.push_str(&format!("\n\n**Who may call it:** {who}"));
    if read {
        text.push_str("\n\n**Changes:** nothing; it only reads.");
    }
    if idempotent {
        text.push_str(
            "\n\n**Retries:** send an `Idempotency-Key`; a retry with the same key and body \
             replays the first response instead of acting twice.",
        );
    }
    op.description = Some(text);
}

/// The document as pretty JSON with a trailing newline (the committed form).
pub fn spec_json() -> String {
    let mut json = spec()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}

/// Declares a reusable problem+json response component for a standard error.
macro_rules! problem_response {
    ($(#[doc = $doc:literal])* $name:ident, $status:literal, $code:literal, $title:literal, $detail:literal $(, $header:literal)?) => {
        $(#[doc = $doc])*
        #[derive(ToResponse)]
        #[response(
            content_type = "application/problem+json",
            $(headers(($header = u64, description = "Seconds to wait before retrying.")),)?
            example = json!({"type": concat!("/problems/", $code), "title": $title,
                "status": $status, "detail": $detail, "code": $code,
                "request_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"})
        )]
        pub struct $name(pub Problem);
    };
}

problem_response!(
    /// Malformed JSON, an unknown or mistyped field, or a bad query parameter (`bad_request`).
    BadRequest, 400, "bad_request", "Bad request",
    "The request body is not valid: unknown field `role`"
);
problem_response!(
    /// Missing, invalid or expired access token, or an ended session (`unauthorized`).
    Unauthorized, 401, "unauthorized", "Unauthorized", "A valid access token is required."
);
problem_response!(
    /// The caller's role does not allow this operation (`forbidden`).
    Forbidden, 403, "forbidden", "Forbidden", "Your role does not allow this operation."
);
problem_response!(
    /// No such resource in the caller's tenant (`not_found`).
    NotFound, 404, "not_found", "Not found", "No such resource."
);
problem_response!(
    /// The body exceeds the size limit of the route (`payload_too_large`).
    PayloadTooLarge, 413, "payload_too_large", "Payload too large",
    "The request body exceeds the size limit of this route."
);
problem_response!(
    /// The body is not `application/json` (`unsupported_media_type`).
    UnsupportedMediaType, 415, "unsupported_media_type", "Unsupported media type",
    "Send the body as application/json."
);
/// An unexpected failure (`internal`); the body carries no detail. Quote the
/// request id when reporting it.
#[derive(ToResponse)]
#[response(
    content_type = "application/problem+json",
    example = json!({"type": "/problems/internal", "title": "Internal server error",
        "status": 500, "code": "internal", "request_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"})
)]
pub struct Internal(pub Problem);
problem_response!(
    /// One or more fields are invalid (`validation_failed`, with `errors`).
    ValidationFailed, 422, "validation_failed", "Validation failed",
    "One or more fields are invalid."
);
problem_response!(
    /// Too many requests from this client or for this account (`rate_limited`).
    RateLimited, 429, "rate_limited", "Too many requests", "Rate limit exceeded; retry in 6 s.",
    "Retry-After"
);
problem_response!(
    /// The database is unreachable or the pool is exhausted (`service_unavailable`).
    ServiceUnavailable, 503, "service_unavailable", "Service unavailable",
    "The service is temporarily unavailable; retry shortly.", "Retry-After"
);
