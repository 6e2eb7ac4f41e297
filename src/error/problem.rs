//! The problem+json body (RFC 9457) every error response carries.

use serde::Serialize;
use utoipa::ToSchema;

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
    /// For an uploaded file (a CSV import): the data row (1 is the first row
    /// after the header); absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// For an uploaded file: the column, when the failure is one column's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
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
            row: None,
            column: None,
        }
    }

    /// A failure of an uploaded file's `row` (and `column`, when it is one
    /// column's); the field names the column, or the whole `row`.
    pub fn in_row(
        row: usize,
        column: Option<&str>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            field: column.unwrap_or("row").to_string(),
            code: code.into(),
            message: message.into(),
            row: Some(row),
            column: column.map(str::to_string),
        }
    }
}

/// The members every problem body may carry, which extensions must not reuse.
pub(super) const STANDARD_MEMBERS: [&str; 7] = [
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
