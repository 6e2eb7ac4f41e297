//! Every machine code a problem body can carry, with the status and title it
//! always comes with. A code is a type, not a string: areas name a variant,
//! compare variants, and the OpenAPI test checks this list against the codes
//! the document promises (`tests/api/openapi_doc.rs`).

use actix_web::http::StatusCode;

macro_rules! error_codes {
    ($($variant:ident = ($status:ident, $code:literal, $title:literal),)+) => {
        /// A stable machine code (`problem.code`), its HTTP status and title.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(#[doc = $title] $variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order they are declared.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as clients read it (`insufficient_points`).
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)+ }
            }

            /// The short summary of the problem type.
            pub const fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title,)+ }
            }

            /// The status every response with this code has.
            pub const fn status(self) -> StatusCode {
                match self { $(ErrorCode::$variant => StatusCode::$status,)+ }
            }
        }
    };
}

error_codes! {
    BadRequest = (BAD_REQUEST, "bad_request", "Bad request"),
    Unauthorized = (UNAUTHORIZED, "unauthorized", "Unauthorized"),
    InvalidCredentials = (UNAUTHORIZED, "invalid_credentials", "Invalid credentials"),
    RefreshTokenReused = (UNAUTHORIZED, "refresh_token_reused", "Refresh token reused"),
    Forbidden = (FORBIDDEN, "forbidden", "Forbidden"),
    AccountPending = (FORBIDDEN, "account_pending", "Account pending"),
    AccountSuspended = (FORBIDDEN, "account_suspended", "Account suspended"),
    RegistrationClosed = (FORBIDDEN, "registration_closed", "Registration closed"),
    SelfCheckInDisabled = (FORBIDDEN, "self_check_in_disabled", "Self check-in disabled"),
    NotFound = (NOT_FOUND, "not_found", "Not found"),
    NoHousehold = (NOT_FOUND, "no_household", "No household"),
    MethodNotAllowed = (METHOD_NOT_ALLOWED, "method_not_allowed", "Method not allowed"),
    Conflict = (CONFLICT, "conflict", "Conflict"),
    AlreadyCheckedIn = (CONFLICT, "already_checked_in", "Already checked in"),
    AlreadyInHousehold = (CONFLICT, "already_in_household", "Already in a household"),
    AlreadyReversed = (CONFLICT, "already_reversed", "Already reversed"),
    AlreadyVoid = (CONFLICT, "already_void", "Already void"),
    CannotModifySelf = (CONFLICT, "cannot_modify_self", "Cannot modify yourself"),
    CheckInClosed = (CONFLICT, "check_in_closed", "Check-in closed"),
    CheckInNotOpen = (CONFLICT, "check_in_not_open", "Check-in not open"),
    EmailTaken = (CONFLICT, "email_taken", "Email taken"),
    CurrencyLocked = (CONFLICT, "currency_locked", "Currency locked"),
    EventCancelled = (CONFLICT, "event_cancelled", "Event cancelled"),
    EventFull = (CONFLICT, "event_full", "Event full"),
    EventNotStarted = (CONFLICT, "event_not_started", "Event not started"),
    HouseholdArchived = (CONFLICT, "household_archived", "Household archived"),
    HouseholdHasBalance = (CONFLICT, "household_has_balance", "Household has a balance"),
    InsufficientCredit = (CONFLICT, "insufficient_credit", "Insufficient credit"),
    InsufficientPoints = (CONFLICT, "insufficient_points", "Insufficient points"),
    LimitReached = (CONFLICT, "limit_reached", "Limit reached"),
    NoLogin = (CONFLICT, "no_login", "No login"),
    NotPending = (CONFLICT, "not_pending", "Not pending"),
    NotReversible = (CONFLICT, "not_reversible", "Not reversible"),
    OutOfStock = (CONFLICT, "out_of_stock", "Out of stock"),
    PaymentRefunded = (CONFLICT, "payment_refunded", "Payment refunded"),
    RedemptionNotPending = (CONFLICT, "redemption_not_pending", "Redemption not pending"),
    RewardArchived = (CONFLICT, "reward_archived", "Reward archived"),
    RewardUnavailable = (CONFLICT, "reward_unavailable", "Reward unavailable"),
    RuleArchived = (CONFLICT, "rule_archived", "Rule archived"),
    WebhookDisabled = (CONFLICT, "webhook_disabled", "Webhook disabled"),
    PayloadTooLarge = (PAYLOAD_TOO_LARGE, "payload_too_large", "Payload too large"),
    UnsupportedMediaType = (UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "Unsupported media type"),
    ValidationFailed = (UNPROCESSABLE_ENTITY, "validation_failed", "Validation failed"),
    IdempotencyKeyReused = (UNPROCESSABLE_ENTITY, "idempotency_key_reused", "Idempotency key reused"),
    InvalidCode = (UNPROCESSABLE_ENTITY, "invalid_code", "Invalid code"),
    InvalidMemberCode = (UNPROCESSABLE_ENTITY, "invalid_member_code", "Invalid member code"),
    RateLimited = (TOO_MANY_REQUESTS, "rate_limited", "Too many requests"),
    Internal = (INTERNAL_SERVER_ERROR, "internal", "Internal server error"),
    ServiceUnavailable = (SERVICE_UNAVAILABLE, "service_unavailable", "Service unavailable"),
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn codes_are_unique_snake_case_and_errors() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{} twice", code.as_str());
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_')
            );
            assert!(code.status().is_client_error() || code.status().is_server_error());
        }
    }

    /// Lemmy's rule: a code nobody produces is a promise to clients that
    /// nothing keeps. Every variant but those built here in `error` is named
    /// somewhere else in `src/`.
    #[test]
    fn every_code_is_produced_somewhere() {
        let mut sources = String::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).expect("src is readable") {
                let path = entry.expect("directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if !path.ends_with("error/code.rs") {
                    sources.push_str(&std::fs::read_to_string(&path).expect("source is text"));
                }
            }
        }
        for code in ErrorCode::ALL {
            let name = format!("ErrorCode::{code:?}");
            assert!(
                sources.contains(&name),
                "{name} is declared but never produced"
            );
        }
    }
}
