//! [`ApiError`]: a code, an optional detail, field errors and extension
//! members, rendered as problem+json. 5xx bodies never carry internals: the
//! cause goes to the log together with the request id.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};

use super::code::ErrorCode;
use super::problem::{FieldError, PROBLEM_JSON, Problem, STANDARD_MEMBERS};
use crate::request_context;

/// A failure to report to the client. Build one with the constructors below.
/// Boxed so that `Result<T, ApiError>` stays one pointer wide on the happy path.
pub struct ApiError(Box<Inner>);

struct Inner {
    code: ErrorCode,
    /// The code's status, except for a bare 4xx from outside our handlers
    /// (see [`ApiError::for_status`]).
    status: StatusCode,
    detail: Option<String>,
    errors: Vec<FieldError>,
    extensions: serde_json::Map<String, serde_json::Value>,
    retry_after_secs: Option<u64>,
    /// The underlying cause, logged for 5xx, never sent.
    cause: Option<String>,
}

impl ApiError {
    /// A problem with `code`; its status and title come with it. Areas name
    /// their own documented codes (`ErrorCode::InsufficientPoints`, …).
    pub fn new(code: ErrorCode) -> Self {
        Self(Box::new(Inner {
            code,
            status: code.status(),
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
        if self.0.code == ErrorCode::ValidationFailed {
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
        Self::new(ErrorCode::BadRequest).with_detail(detail)
    }

    /// 422 `validation_failed` with the list of failing fields.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self::new(ErrorCode::ValidationFailed)
            .with_detail("One or more fields are invalid.")
            .with_errors(errors)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Unauthorized).with_detail(detail)
    }

    /// 403 `forbidden`.
    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden).with_detail("Your role does not allow this operation.")
    }

    /// 404 `not_found`. A row of another tenant is reported exactly like a missing one.
    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound).with_detail("No such resource.")
    }

    /// 409 `conflict` (generic; areas prefer their own specific codes).
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict).with_detail(detail)
    }

    /// 429 `rate_limited` with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(ErrorCode::RateLimited)
            .with_detail(format!(
                "Rate limit exceeded; retry in {} s.",
                retry_after_secs.max(1)
            ))
            .with_retry_after(retry_after_secs)
    }

    /// 503 `service_unavailable`: the database is down, locked or the pool is exhausted.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        let mut err = Self::new(ErrorCode::ServiceUnavailable)
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
        let mut err = Self::new(ErrorCode::Internal);
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
            // Any other 4xx actix chose (408, 414, 431, …) keeps its status.
            s => {
                let mut err = Self::new(ErrorCode::BadRequest)
                    .with_detail(s.canonical_reason().unwrap_or("Bad request").to_string());
                err.0.status = s;
                err
            }
        }
    }

    /// 405 `method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(ErrorCode::MethodNotAllowed)
            .with_detail("This path does not support that method.")
    }

    /// 413 `payload_too_large`.
    pub fn payload_too_large() -> Self {
        Self::new(ErrorCode::PayloadTooLarge)
            .with_detail("The request body exceeds the size limit of this route.")
    }

    /// 415 `unsupported_media_type`.
    pub fn unsupported_media_type() -> Self {
        Self::new(ErrorCode::UnsupportedMediaType).with_detail("Send the body as application/json.")
    }

    /// The detail and field errors as plain text, for the command line.
    pub fn describe(&self) -> String {
        let mut text = self
            .0
            .detail
            .clone()
            .unwrap_or_else(|| self.0.code.title().to_string());
        for e in &self.0.errors {
            text.push_str(&format!("\n  {}: {}", e.field, e.message));
        }
        text
    }

    /// The stable machine code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// Whether this is a problem with `code`.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.0.code == code
    }

    /// Builds the problem body, stamping the current request id.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("/problems/{}", self.0.code.as_str().replace('_', "-")),
            title: self.0.code.title().to_string(),
            status: self.0.status.as_u16(),
            // 5xx never carry internals, not even a detail a developer wrote.
            detail: if self.0.status.is_server_error() && self.0.status != 503 {
                None
            } else {
                self.0.detail.clone()
            },
            code: self.0.code.as_str().to_string(),
            request_id: request_context::request_id(),
            errors: self.0.errors.clone(),
            extensions: self.0.extensions.clone(),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.0.status.as_u16(), self.0.code.as_str())?;
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
                request_context::request_id().unwrap_or_default(),
                self
            );
        } else if self.0.cause.is_some() {
            log::warn!(
                "request {} refused by the database: {:?}",
                request_context::request_id().unwrap_or_default(),
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
