//! The one error type of the API and its problem+json (RFC 9457) rendering.
//!
//! Every failure a client can see is an [`ApiError`] built from an
//! [`ErrorCode`] (which owns the status and title), with an optional `detail`,
//! field-level `errors` and extension members. Domain code returns
//! `Result<_, ApiError>` and names codes, never statuses; storage errors
//! convert here (`database.rs`), in one place.

mod api_error;
mod code;
mod database;
mod problem;

pub use api_error::ApiError;
pub use code::ErrorCode;
pub use problem::{FieldError, PROBLEM_JSON, Problem};
