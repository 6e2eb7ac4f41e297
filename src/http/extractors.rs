//! How malformed requests are reported: every extractor failure becomes a
//! problem+json with the standard code (400, 413, 415, 404) instead of actix's
//! plain-text default.

use actix_web::error::{JsonPayloadError, PathError, PayloadError, QueryPayloadError};
use actix_web::{HttpRequest, web};

use crate::error::ApiError;

/// JSON body settings for ordinary routes (`limit` bytes; batch routes override it).
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| json_error(err).into())
}

/// Maps a JSON body failure to its status: 413 too large, 415 not JSON, 400 for
/// anything unparsable (syntax, wrong type, unknown field).
pub fn json_error(err: JsonPayloadError) -> ApiError {
    match err {
        JsonPayloadError::OverflowKnownLength { .. }
        | JsonPayloadError::Overflow { .. }
        | JsonPayloadError::Payload(PayloadError::Overflow) => ApiError::payload_too_large(),
        JsonPayloadError::ContentType => ApiError::unsupported_media_type(),
        JsonPayloadError::Deserialize(e) if e.is_eof() && e.line() == 1 && e.column() == 0 => {
            ApiError::bad_request("The request body is empty; send a JSON object.")
        }
        JsonPayloadError::Deserialize(e) => {
            ApiError::bad_request(format!("The request body is not valid: {e}"))
        }
        other => ApiError::bad_request(format!("The request body could not be read: {other}")),
    }
}

/// Query string settings: a bad parameter is a 400 naming it.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req: &HttpRequest| {
        let QueryPayloadError::Deserialize(e) = err else {
            return ApiError::bad_request("Invalid query string.").into();
        };
        ApiError::bad_request(format!("Invalid query parameter: {e}")).into()
    })
}

/// Path settings: a path segment that cannot be an id names no resource: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, _req| ApiError::not_found().into())
}
