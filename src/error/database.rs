//! How storage failures reach the client: the one mapping from diesel, pool
//! and blocking errors to problems, so it never drifts between areas.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use super::api_error::ApiError;

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
    use crate::error::code::ErrorCode;

    #[test]
    fn problem_type_is_derived_from_the_code() {
        let p = ApiError::new(ErrorCode::InsufficientPoints).problem();
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
        assert_eq!(ApiError::from(unique).code(), ErrorCode::Conflict);
        let locked = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("database is locked")),
        );
        assert_eq!(ApiError::from(locked).code(), ErrorCode::ServiceUnavailable);
        let nul = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("invalid byte sequence for encoding \"UTF8\": 0x00")),
        );
        assert_eq!(ApiError::from(nul).code(), ErrorCode::BadRequest);
        let check = DieselError::DatabaseError(
            DatabaseErrorKind::CheckViolation,
            Box::new(Info("CHECK constraint failed: ends_at > starts_at")),
        );
        assert_eq!(ApiError::from(check).code(), ErrorCode::BadRequest);
        let trigger = DieselError::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new(Info("point_entries is append-only")),
        );
        assert_eq!(ApiError::from(trigger).code(), ErrorCode::Internal);
    }
}
