//! Request validation: `validator` derives check shapes, and this module turns
//! their errors into the API's field-level `errors` (422 `validation_failed`),
//! with paths such as `items[3].amount`.

use actix_web::HttpMessage;
use serde::{Deserialize, Deserializer};
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};
// The one rule for control characters, for text that is not JSON too (an
// uploaded CSV).
pub use crate::http::extractors::has_control_character;

/// Validates a request body, reporting every failing field.
pub fn validate<T: Validate>(body: &T) -> Result<(), ApiError> {
    body.validate()
        .map_err(|errors| ApiError::validation(field_errors(&errors)))
}

/// JSON Schema counts `5.0` as the integer 5, and so do generated clients;
/// serde would refuse it for an integer field. Whole floats become integers
/// before deserialising; fractional ones stay floats and are refused there.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if !n.is_i64() && !n.is_u64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                #[expect(clippy::cast_possible_truncation, reason = "whole and within ±9e15")]
                let whole = f as i64;
                *value = serde_json::Value::from(whole);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        serde_json::Value::Object(fields) => {
            fields.values_mut().for_each(whole_numbers_as_integers)
        }
        _ => {}
    }
}

/// Flattens validator errors into `FieldError`s with dotted/indexed paths.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn collect(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map_or_else(|| e.code.replace('_', " "), ToString::to_string);
                    out.push(FieldError::new(path.clone(), e.code.to_string(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

/// `Some(None)` for an explicit `null`, `None` when the field is absent.
pub fn explicit_null<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// An optional nested object (`null` or absent = `None`) that must be a JSON
/// object: serde's derive would also build a struct from an array of its
/// fields' values (`[true, false]`), which the schema does not allow.
pub fn nested_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error as _;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(object @ serde_json::Value::Object(_)) => {
            T::deserialize(object).map(Some).map_err(D::Error::custom)
        }
        Some(_) => Err(D::Error::custom("expected an object")),
    }
}

/// Refuses names that are only white space (they are stored trimmed).
pub fn not_blank(text: &str) -> Result<(), validator::ValidationError> {
    // Empty text is the length rule's to report.
    if !text.is_empty() && text.trim().is_empty() {
        let mut e = validator::ValidationError::new("blank");
        e.message = Some("must not be blank".into());
        return Err(e);
    }
    Ok(())
}

/// A field error for one rule that derives cannot express.
pub fn invalid(field: &str, code: &str, message: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(field, code, message)])
}

/// Every string (and object key) of a body that holds a refused control
/// character, as field errors with the path of each (`items[2].reason`).
fn control_characters(value: &serde_json::Value, path: &str, out: &mut Vec<FieldError>) {
    let error = |path: &str| {
        FieldError::new(
            path,
            "control_character",
            "must not contain control characters (tab and line breaks are allowed)",
        )
    };
    match value {
        serde_json::Value::String(text) if has_control_character(text, true) => {
            out.push(error(path));
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                control_characters(item, &format!("{path}[{index}]"), out);
            }
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                let inner = if path.is_empty() {
                    key.escape_default().to_string()
                } else {
                    format!("{path}.{}", key.escape_default())
                };
                if has_control_character(key, false) {
                    out.push(error(&inner));
                } else {
                    control_characters(item, &inner, out);
                }
            }
        }
        _ => {}
    }
}

/// A parsed JSON body that must be an object deserialising into `T` (unknown
/// fields refused) and passing `T`'s validation. Records the body's digest for
/// idempotency keys. Serde alone would accept `[null, null]` for a struct of
/// optional fields, which no client means. Text with control characters is a
/// 422 naming each field; a value that does not deserialise is a 400 naming it.
fn from_json<T>(req: &actix_web::HttpRequest, mut value: serde_json::Value) -> Result<T, ApiError>
where
    T: serde::de::DeserializeOwned + Validate,
{
    whole_numbers_as_integers(&mut value);
    req.extensions_mut()
        .insert(crate::idempotency::body_digest(&value));
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "The request body must be a JSON object.",
        ));
    }
    let mut refused = Vec::new();
    control_characters(&value, "", &mut refused);
    if !refused.is_empty() {
        return Err(ApiError::validation(refused));
    }
    let body: T = serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        let message = e.into_inner().to_string();
        if field == "." {
            ApiError::bad_request(format!("The request body is not valid: {message}"))
        } else {
            ApiError::bad_request(format!(
                "The request body is not valid: `{field}` {message}"
            ))
            .with_errors(vec![FieldError::new(field, "invalid_value", message)])
        }
    })?;
    validate(&body)?;
    Ok(body)
}

/// A JSON request body (at most the configured `json_limit_bytes`) that is an
/// object, deserialises into `T` and passes `T`'s validation. Malformed JSON, a
/// non-object body or a wrong type is a 400; a failed rule is a 422 naming the
/// fields.
#[derive(Debug)]
pub struct Valid<T>(pub T);

impl<T> actix_web::FromRequest for Valid<T>
where
    T: serde::de::DeserializeOwned + Validate + 'static,
{
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let json = actix_web::web::Json::<serde_json::Value>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move { Ok(Valid(from_json(&req, json.await?.into_inner())?)) })
    }
}

/// Like [`Valid`], for routes whose body is optional: a request that sends
/// none (no `Content-Type`, no length or length 0) is `T::default()`; a body
/// that is sent is held to every rule of [`Valid`].
#[derive(Debug)]
pub struct ValidOrEmpty<T>(pub T);

impl<T> actix_web::FromRequest for ValidOrEmpty<T>
where
    T: serde::de::DeserializeOwned + Validate + Default + 'static,
{
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        use actix_web::http::header;
        let headers = req.headers();
        let sent = headers.contains_key(header::CONTENT_TYPE)
            || headers.contains_key(header::TRANSFER_ENCODING)
            || headers
                .get(header::CONTENT_LENGTH)
                .is_some_and(|length| length.as_bytes() != b"0");
        if !sent {
            return Box::pin(async { Ok(ValidOrEmpty(T::default())) });
        }
        let body = Valid::<T>::from_request(req, payload);
        Box::pin(async move { Ok(ValidOrEmpty(body.await?.0)) })
    }
}

/// The body limit of batch routes (`http.batch_json_limit_bytes`), as app data.
#[derive(Debug, Clone, Copy)]
pub struct BatchBodyLimit(pub usize);

/// Like [`Valid`], for batch routes: the body may be as large as
/// [`BatchBodyLimit`] (1 MiB by default) instead of the ordinary limit.
#[derive(Debug)]
pub struct ValidBatch<T>(pub T);

impl<T> actix_web::FromRequest for ValidBatch<T>
where
    T: serde::de::DeserializeOwned + Validate + 'static,
{
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let limit = req
            .app_data::<BatchBodyLimit>()
            .map_or(DEFAULT_BATCH_BODY_LIMIT, |l| l.0);
        let json = actix_web::dev::JsonBody::<serde_json::Value>::new(req, payload, None, true)
            .limit(limit);
        let req = req.clone();
        Box::pin(async move {
            let value = json.await.map_err(crate::http::extractors::json_error)?;
            Ok(ValidBatch(from_json(&req, value)?))
        })
    }
}

/// The batch body limit when none is configured (1 MiB, as API.md states).
const DEFAULT_BATCH_BODY_LIMIT: usize = 1 << 20;

/// Checks a batch all or nothing: the items' values if every one passed, else
/// one 422 naming every failing field as `items[i].field`. An item refused for
/// something other than field rules (a malformed value: 400) is reported as it
/// is, with its fields under the same path.
pub fn all_items<T>(
    results: impl IntoIterator<Item = Result<T, ApiError>>,
) -> Result<Vec<T>, ApiError> {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (index, result) in results.into_iter().enumerate() {
        match result {
            Ok(item) => items.push(item),
            Err(e) => errors.extend(e.within(&format!("items[{index}]")).into_field_errors()?),
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(ApiError::validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(body: serde_json::Value) -> Vec<String> {
        let mut out = Vec::new();
        control_characters(&body, "", &mut out);
        out.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn control_characters_are_found_wherever_they_are() {
        let body = serde_json::json!({
            "name": "ac\u{0}me",
            "reason": "two\nlines\tand a tab\r\n",
            "items": [{"note": "ok"}, {"note": "bell\u{7}"}],
            "nested": {"deeper": ["\u{1b}[31m"]},
            "del": "\u{7f}",
        });
        assert_eq!(
            refused(body),
            ["del", "items[1].note", "name", "nested.deeper[0]"]
        );
    }

    #[test]
    fn a_key_with_a_control_character_is_named_escaped() {
        assert_eq!(refused(serde_json::json!({"a\u{0}": 1})), ["a\\u{0}"]);
    }
}
