//! How malformed requests are reported: every extractor failure becomes a
//! problem+json with the standard code (400, 413, 415, 404) instead of actix's
//! plain-text default, naming the field or parameter where there is one.

use actix_web::error::{JsonPayloadError, PathError, PayloadError};
use actix_web::{HttpRequest, web};

use crate::error::{ApiError, FieldError};
use crate::pagination::{PageQuery, PageRequest};

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

/// Whether client text holds a control character Hearth refuses: any C0
/// character or DEL, except tab, line feed and carriage return where
/// `line_breaks` allows them (JSON bodies, whose free-text fields may span
/// lines). PostgreSQL cannot store NUL at all, and the others only ever reach
/// logs and screens as mischief.
pub fn has_control_character(text: &str, line_breaks: bool) -> bool {
    text.chars()
        .any(|c| (c.is_ascii_control()) && !(line_breaks && matches!(c, '\t' | '\n' | '\r')))
}

/// The query string deserialised into `T`, like `web::Query`, except that a
/// parameter holding a control character, or one that does not parse (a bad
/// number, an out-of-range date, an unknown name), is a 400 `bad_request`
/// naming that parameter in `errors`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    /// The parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned> actix_web::FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// A list's query string: the page every list shares ([`PageQuery`]:
/// `limit` and `cursor`, said once there) and the list's own filters `F`.
/// Each part is parsed like [`Query`]; `F` may refuse names it does not know,
/// as the page's names are not passed to it.
#[derive(Debug)]
pub struct Paged<F> {
    /// The validated page.
    pub page: PageRequest,
    /// The list's own filters.
    pub filters: F,
}

impl<F: serde::de::DeserializeOwned> actix_web::FromRequest for Paged<F> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(parse_paged(req.query_string()))
    }
}

fn parse_paged<F: serde::de::DeserializeOwned>(query: &str) -> Result<Paged<F>, ApiError> {
    let (page, filters): (Vec<_>, Vec<_>) = form_urlencoded::parse(query.as_bytes())
        .partition(|(name, _)| PageQuery::NAMES.contains(&name.as_ref()));
    let encode = |pairs: Vec<_>| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    };
    let filters = parse_query::<F>(&encode(filters))?;
    let page = parse_query::<PageQuery>(&encode(page))?.parse()?;
    Ok(Paged { page, filters })
}

fn parse_query<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    if let Some((name, _)) = pairs
        .clone()
        .find(|(k, v)| has_control_character(k, false) || has_control_character(v, false))
    {
        let name = if has_control_character(&name, false) {
            name.escape_default().to_string()
        } else {
            name.into_owned()
        };
        return Err(bad_parameter(
            &name,
            "control_character",
            "must not contain control characters".to_string(),
        ));
    }
    let deserializer = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let name = e.path().to_string();
        let message = e.into_inner().to_string();
        if name == "." {
            ApiError::bad_request(format!("Invalid query string: {message}"))
        } else {
            bad_parameter(&name, "invalid_value", message)
        }
    })
}

fn bad_parameter(name: &str, code: &str, message: String) -> ApiError {
    ApiError::bad_request(format!("Invalid query parameter `{name}`: {message}"))
        .with_errors(vec![FieldError::new(name, code, message)])
}

/// Path settings: a path segment that cannot be an id names no resource: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err: PathError, _req| ApiError::not_found().into())
}
