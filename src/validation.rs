//! Request validation: `validator` derives check shapes, and this module turns
//! their errors into the API's field-level `errors` (422 `validation_failed`),
//! with paths such as `items[3].amount`.

use actix_web::HttpMessage;
use serde::{Deserialize, Deserializer};
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

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

/// A JSON request body that is an object, deserialises into `T` (unknown fields
/// refused) and passes `T`'s validation. Malformed JSON, a non-object body or a
/// wrong type is a 400; a failed rule is a 422 naming the fields. Serde alone
/// would accept `[null, null]` for a struct of optional fields, which no client
/// means.
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
        let req_for_digest = req.clone();
        Box::pin(async move {
            let mut value = json.await?.into_inner();
            whole_numbers_as_integers(&mut value);
            req_for_digest
                .extensions_mut()
                .insert(crate::idempotency::body_digest(&value));
            if !value.is_object() {
                return Err(
                    ApiError::bad_request("The request body must be a JSON object.").into(),
                );
            }
            let body: T = serde_json::from_value(value).map_err(|e| {
                ApiError::bad_request(format!("The request body is not valid: {e}"))
            })?;
            validate(&body)?;
            Ok(Valid(body))
        })
    }
}
