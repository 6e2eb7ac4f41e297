//! The one error type of the API and its problem+json (RFC 9457) rendering.
//!
//! Every failure a client can see is an [`ApiError`]: a status, a stable machine
//! `code` (documented in the OpenAPI document), a human `title`, an optional
//! `detail` and, for validation failures, field-level `errors`. Handlers return
//! `Result<_, ApiError>`; diesel, pool and blocking errors convert into it here, in
//! one place, so the mapping from "what went wrong" to "what the client sees" never
//! drifts between areas. 5xx bodies never carry internals: the cause goes to the
//! log together with the request id.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::request_id;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One field-level validation failure, e.g. `items[3].user_id`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// Path of the offending field in the request (`email`, `items[3].amount`).
    #[schema(example = "slug")]
    pub field: String,
    /// Stable machine code of the failure (`required`, `too_long`, `invalid_format`, …).
    #[schema(example = "invalid_format")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "must be 3-40 characters of a-z, 0-9 and '-'")]
    pub message: String,
}

impl FieldError {
    /// A failure of `field` with a machine `code` and a human `message`.
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// The members every problem body may carry, which extensions must not reuse.
const STANDARD_MEMBERS: [&str; 7] = [
    "type",
    "title",
    "status",
    "detail",
    "code",
    "request_id",
    "errors",
];

/// The problem+json body (RFC 9457) shared by every error response.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "/problems/not-found",
    "title": "Not found",
    "status": 404,
    "detail": "No such resource.",
    "code": "not_found",
    "request_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"
}))]
pub struct Problem {
    /// URI reference naming the problem type: `/problems/<code with dashes>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the problem type.
    pub title: String,
    /// HTTP status code, repeated for clients that lose it.
    pub status: u16,
    /// Explanation of this occurrence; absent for 5xx.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code; see the API reference for the list.
    pub code: String,
    /// The request id (also in the `X-Request-Id` header) to quote in support requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Field-level failures (only for `validation_failed` and batch errors).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Extension members (RFC 9457 §3.2) a client can show, such as `balance`
    /// and `needed` of `insufficient_points`; each operation documents its own.
    #[serde(flatten)]
    #[schema(ignore)]
    pub extensions: serde_json::Map<String, serde_json::Value>,
}

/// A failure to report to the client. Build one with the constructors below.
/// Boxed so that `Result<T, ApiError>` stays one pointer wide on the happy path.
pub struct ApiError(Box<Inner>);

struct Inner {
    status: StatusCode,
    code: Cow<'static, str>,
    title: Cow<'static, str>,
    detail: Option<String>,
    errors: Vec<FieldError>,
    extensions: serde_json::Map<String, serde_json::Value>,
    retry_after_secs: Option<u64>,
    /// The underlying cause, logged for 5xx, never sent.
    cause: Option<String>,
}

impl ApiError {
    /// A problem with an explicit status, stable code and title. Areas use this for
    /// their own documented codes (`insufficient_points`, `out_of_stock`, …).
    pub fn new(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        title: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self(Box::new(Inner {
            status,
            code: code.into(),
            title: title.into(),
            detail: None,
            errors: Vec::new(),
            extensions: serde_json::Map::new(),
            retry_after_secs: None,
            cause: None,
        }))
    }

    /// Adds the human explanation of this occurrence.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    /// Adds field-level errors.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.0.errors = errors;
        self
    }

    /// Adds an extension member: a fact about this occurrence a client can act
    /// on (`"balance": 120`).
    pub fn with_extension(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        debug_assert!(
            !STANDARD_MEMBERS.contains(&name),
            "extension member {name} would hide a standard member"
        );
        self.0.extensions.insert(name.to_string(), value.into());
        self
    }

    /// Places the field errors under `prefix`, for a part of a larger request:
    /// `amount` becomes `items[3].amount`.
    pub fn within(mut self, prefix: &str) -> Self {
        for error in &mut self.0.errors {
            error.field = format!("{prefix}.{}", error.field);
        }
        self
    }

    /// The field errors of a 422 `validation_failed`, or the error itself.
    pub fn into_field_errors(self) -> Result<Vec<FieldError>, Self> {
        if self.0.code == "validation_failed" {
            Ok(self.0.errors)
        } else {
            Err(self)
        }
    }

    /// Sets the `Retry-After` header (seconds).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.0.retry_after_secs = Some(secs.max(1));
        self
    }

    /// 400 `bad_request`: malformed JSON, unknown field, bad query parameter.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", "Bad request").with_detail(detail)
    }

    /// 422 `validation_failed` with the list of failing fields.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            "Validation failed",
        )
        .with_detail("One or more fields are invalid.")
        .with_errors(errors)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Unauthorized").with_detail(detail)
    }

    /// 403 `forbidden`.
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden")
            .with_detail("Your role does not allow this operation.")
    }

    /// 404 `not_found`. A row of another tenant is reported exactly like a missing one.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found").with_detail("No such resource.")
    }

    /// 409 `conflict` (generic; areas prefer their own specific codes).
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", "Conflict").with_detail(detail)
    }

    /// 429 `rate_limited` with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "Too many requests",
        )
        .with_detail(format!(
            "Rate limit exceeded; retry in {} s.",
            retry_after_secs.max(1)
        ))
        .with_retry_after(retry_after_secs)
    }

    /// 503 `service_unavailable`: the database is down, locked or the pool is exhausted.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        let mut err = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service unavailable",
        )
        .with_detail("The service is temporarily unavailable; retry shortly.")
        .with_retry_after(1);
        err.0.cause = Some(cause.to_string());
        err
    }

    /// 400 `bad_request` for a value the database refused as data (a CHECK or
    /// NOT NULL constraint, or PostgreSQL's class 22 "data exception"). The
    /// request boundary should have refused it first, so this is a bug to fix
    /// there; until then the client learns its request cannot be stored (it
    /// would fail the same way again, so it is not a server fault to retry),
    /// nothing was written (the transaction rolled back), and the operator
    /// finds the cause in a WARN line with the request id.
    pub fn unstorable_value(cause: impl fmt::Display) -> Self {
        let mut err = Self::bad_request(
            "A value in the request cannot be stored; check the ranges and formats the API documents.",
        );
        err.0.cause = Some(cause.to_string());
        err
    }

    /// 500 `internal`; the cause is logged, never sent.
    pub fn internal(cause: impl fmt::Display) -> Self {
        let mut err = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
        );
        err.0.cause = Some(cause.to_string());
        err
    }

    /// The generic problem for a bare status produced outside our handlers
    /// (actix's own 404/405, a CORS refusal, …).
    pub fn for_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::METHOD_NOT_ALLOWED => Self::method_not_allowed(),
            StatusCode::PAYLOAD_TOO_LARGE => Self::payload_too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::unsupported_media_type(),
            StatusCode::UNAUTHORIZED => Self::unauthorized("Authentication is required."),
            StatusCode::FORBIDDEN => Self::forbidden(),
            StatusCode::TOO_MANY_REQUESTS => Self::rate_limited(1),
            StatusCode::SERVICE_UNAVAILABLE => Self::unavailable("upstream 503"),
            s if s.is_server_error() => Self::internal(format!("bare {s} response")),
            s => Self::new(s, "bad_request", "Bad request")
                .with_detail(s.canonical_reason().unwrap_or("Bad request").to_string()),
        }
    }

    /// 405 `method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Method not allowed",
        )
        .with_detail("This path does not support that method.")
    }

    /// 413 `payload_too_large`.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "Payload too large",
        )
        .with_detail("The request body exceeds the size limit of this route.")
    }

    /// 415 `unsupported_media_type`.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
        )
        .with_detail("Send the body as application/json.")
    }

    /// The detail and field errors as plain text, for the command line.
    pub fn describe(&self) -> String {
        let mut text = self
            .0
            .detail
            .clone()
            .unwrap_or_else(|| self.0.title.to_string());
        for e in &self.0.errors {
            text.push_str(&format!("\n  {}: {}", e.field, e.message));
        }
        text
    }

    /// The stable machine code.
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// Builds the problem body, stamping the current request id.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("/problems/{}", self.0.code.replace('_', "-")),
            title: self.0.title.to_string(),
            status: self.0.status.as_u16(),
            // 5xx never carry internals, not even a detail a developer wrote.
            detail: if self.0.status.is_server_error() && self.0.status != 503 {
                None
            } else {
                self.0.detail.clone()
            },
            code: self.0.code.to_string(),
            request_id: request_id::current(),
            errors: self.0.errors.clone(),
            extensions: self.0.extensions.clone(),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.0.code)?;
        if let Some(cause) = &self.0.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for ApiError {}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status
    }

    fn error_response(&self) -> HttpResponse {
        if self.0.status.is_server_error() {
            log::error!(
                "request {} failed: {:?}",
                request_id::current().unwrap_or_default(),
                self
            );
        } else if self.0.cause.is_some() {
            log::warn!(
                "request {} refused by the database: {:?}",
                request_id::current().unwrap_or_default(),
                self
            );
        }
        let mut response = HttpResponse::build(self.0.status);
        response.content_type(PROBLEM_JSON);
        if let Some(secs) = self.0.retry_after_secs {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(secs)));
        }
        if self.0.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.json(self.problem())
    }
}

impl From<DieselError> for ApiError {
    fn from(err: DieselError) -> Self {
        match &err {
            DieselError::NotFound => Self::not_found(),
            DieselError::DatabaseError(kind, info) => match kind {
                DatabaseErrorKind::UniqueViolation => {
                    Self::conflict("A resource with the same unique value already exists.")
                }
                DatabaseErrorKind::ForeignKeyViolation => {
                    Self::conflict("The request refers to a resource that does not exist.")
                }
                DatabaseErrorKind::SerializationFailure => {
                    Self::conflict("A concurrent update interfered; retry the request.")
                        .with_retry_after(1)
                }
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                    Self::unavailable(&err)
                }
                // SQLite reports lock contention past busy_timeout as a plain error.
                _ if is_sqlite_busy(info.message()) => Self::unavailable(&err),
                DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                    Self::unstorable_value(&err)
                }
                _ if is_data_exception(info.message()) => Self::unstorable_value(&err),
                _ => Self::internal(&err),
            },
            _ => Self::internal(&err),
        }
    }
}

/// PostgreSQL's data exceptions (SQLSTATE class 22: a NUL byte, a date or
/// number out of range, text too long), which diesel reports as `Unknown`
/// with the server's message only. English messages, as PostgreSQL sends them
/// unless `lc_messages` says otherwise.
fn is_data_exception(message: &str) -> bool {
    [
        "invalid byte sequence for encoding",
        "out of range",
        "value too long for type",
        "invalid input syntax for type",
    ]
    .iter()
    .any(|pattern| message.contains(pattern))
}

fn is_sqlite_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(err: diesel::r2d2::PoolError) -> Self {
        Self::unavailable(format!("connection pool: {err}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal(format!("blocking task: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_type_is_derived_from_the_code() {
        let p = ApiError::new(StatusCode::CONFLICT, "insufficient_points", "x").problem();
        assert_eq!(p.problem_type, "/problems/insufficient-points");
        assert_eq!(p.status, 409);
    }

    #[test]
    fn internal_errors_never_carry_a_detail() {
        let p = ApiError::internal("password=hunter2 at db.rs:10")
            .with_detail("leaky")
            .problem();
        assert_eq!(p.detail, None);
        assert_eq!(p.code, "internal");
    }

    #[test]
    fn unique_violation_maps_to_conflict_and_lock_to_unavailable() {
        struct Info(&'static str);
        impl diesel::result::DatabaseErrorInformation for Info {
            fn message(&self) -> &str {
                self.0
            }
            fn details(&self) -> Option<&str> {
                None
            }
            fn hint(&self) -> Option<&str> {
                None
            }
            fn table_name(&self) -> Option<&str> {
                None
            }
            fn column_name(&self) -> Option<&str> {
                None
            }
            fn constraint_name(&self) -> Option<&str> {
                None
            }
            fn statement_position(&self) -> Option<i32> {
                None
            }
        }
        let unique = DieselError::DatabaseError(
            DatabaseErrorKind::UniqueViolation,
            Box::new(Info("duplicate")),
        );
        assert_eq!(ApiError::from(unique).0.status, StatusCode::CONFLICT);
        let locked = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("database is locked")),
        );
        assert_eq!(
            ApiError::from(locked).0.status,
            StatusCode::SERVICE_UNAVAILABLE
        );
        let nul = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("invalid byte sequence for encoding \"UTF8\": 0x00")),
        );
        assert_eq!(ApiError::from(nul).0.status, StatusCode::BAD_REQUEST);
        let check = DieselError::DatabaseError(
            DatabaseErrorKind::CheckViolation,
            Box::new(Info("CHECK constraint failed: ends_at > starts_at")),
        );
        assert_eq!(ApiError::from(check).0.status, StatusCode::BAD_REQUEST);
        let trigger = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("point_entries is append-only")),
        );
        assert_eq!(
            ApiError::from(trigger).0.status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
