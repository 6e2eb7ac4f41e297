//! Household decisions without I/O: when a household may change, be joined
//! or be archived.

use crate::error::{ApiError, ErrorCode, FieldError};
use crate::households::model::Household;

/// A dependant's year of birth is not after `this_year` (422 `in_future`).
pub fn ensure_born(birth_year: Option<i32>, this_year: i32) -> Result<(), ApiError> {
    match birth_year {
        Some(year) if year > this_year => Err(ApiError::validation(vec![FieldError::new(
            "birth_year",
            "in_future",
            format!("must be {this_year} or earlier"),
        )])),
        _ => Ok(()),
    }
}

/// Archived households are kept as history and only read (their members may
/// still leave): 409 `household_archived` for any other change.
pub fn ensure_live(household: Household) -> Result<Household, ApiError> {
    if household.archived_at.is_some() {
        return Err(ApiError::new(ErrorCode::HouseholdArchived)
            .with_detail("Archived households are kept as history and cannot be changed."));
    }
    Ok(household)
}

/// A household is archived only when it owes nothing and holds no credit:
/// 409 `household_has_balance` (with both amounts) otherwise.
pub fn ensure_settled(balance_due: i64, credit: i64) -> Result<(), ApiError> {
    if balance_due != 0 || credit != 0 {
        return Err(ApiError::new(ErrorCode::HouseholdHasBalance)
            .with_detail("Settle what it owes and refund or use its credit before archiving it.")
            .with_extension("balance_due", balance_due)
            .with_extension("credit", credit));
    }
    Ok(())
}

/// 404 `no_household`: the caller is in no household.
pub fn no_household() -> ApiError {
    ApiError::new(ErrorCode::NoHousehold)
        .with_detail("You are not in a household yet; join one with its code.")
}

/// 422 `invalid_code` on `field`: no open household has this join code.
pub fn invalid_join_code(field: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidCode)
        .with_detail("No open household has this code; check it or ask for a new one.")
        .with_errors(vec![FieldError::new(
            field,
            "invalid_code",
            "no open household has this code",
        )])
}

/// 409 `already_in_household`: members move only by an admin's hand.
pub fn already_in_household() -> ApiError {
    ApiError::new(ErrorCode::AlreadyInHousehold)
        .with_detail("You are already in a household; ask an admin to move you.")
}

/// Text that is only blanks means "none".
pub fn optional_text(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dependant_is_born_by_this_year() {
        assert!(ensure_born(None, 2026).is_ok());
        assert!(ensure_born(Some(2026), 2026).is_ok());
        assert!(ensure_born(Some(2027), 2026).is_err());
    }

    #[test]
    fn only_a_settled_household_is_archived() {
        assert!(ensure_settled(0, 0).is_ok());
        let owing = ensure_settled(500, 0).unwrap_err();
        assert!(owing.is(ErrorCode::HouseholdHasBalance));
        assert_eq!(owing.problem().extensions["balance_due"], 500);
        assert!(ensure_settled(0, 20).is_err());
    }

    #[test]
    fn blank_text_means_none() {
        assert_eq!(optional_text(Some("  ")), None);
        assert_eq!(optional_text(Some(" North ")), Some("North".into()));
        assert_eq!(optional_text(None), None);
    }
}
