//! Identity decisions without I/O: what an admin may do to their own account,
//! and how a self-registered account starts.

use crate::auth::{Role, UserStatus};
use crate::db::UserId;
use crate::error::{ApiError, ErrorCode};
use crate::tenants::RegistrationPolicy;

/// An admin cannot demote or suspend their own account (409
/// `cannot_modify_self`): a tenant must never lose its last admin by accident.
pub fn ensure_not_self_demotion(
    admin: &UserId,
    target: &UserId,
    role: Option<Role>,
    status: Option<UserStatus>,
) -> Result<(), ApiError> {
    if admin == target && (role == Some(Role::User) || status == Some(UserStatus::Suspended)) {
        return Err(ApiError::new(ErrorCode::CannotModifySelf)
            .with_detail("An admin cannot demote or suspend their own account."));
    }
    Ok(())
}

/// The status a self-registered account starts in, by the tenant's policy;
/// 403 `registration_closed` when it takes none.
pub fn registered_status(policy: RegistrationPolicy) -> Result<UserStatus, ApiError> {
    match policy {
        RegistrationPolicy::Open => Ok(UserStatus::Active),
        RegistrationPolicy::Approval => Ok(UserStatus::Pending),
        RegistrationPolicy::Closed => Err(ApiError::new(ErrorCode::RegistrationClosed)
            .with_detail("This organisation does not accept registrations; ask an admin.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_admin_may_change_others_and_harmless_things_of_their_own() {
        let (me, other) = (UserId::new(), UserId::new());
        let demote = Some(Role::User);
        let suspend = Some(UserStatus::Suspended);
        assert!(ensure_not_self_demotion(&me, &other, demote, suspend).is_ok());
        assert!(ensure_not_self_demotion(&me, &me, Some(Role::Admin), None).is_ok());
        assert!(ensure_not_self_demotion(&me, &me, demote, None).is_err());
        assert!(ensure_not_self_demotion(&me, &me, None, suspend).is_err());
    }

    #[test]
    fn a_registration_starts_as_the_tenant_says_or_is_refused() {
        let open = registered_status(RegistrationPolicy::Open).unwrap();
        assert_eq!(open, UserStatus::Active);
        let approval = registered_status(RegistrationPolicy::Approval).unwrap();
        assert_eq!(approval, UserStatus::Pending);
        let closed = registered_status(RegistrationPolicy::Closed).unwrap_err();
        assert!(closed.is(ErrorCode::RegistrationClosed));
    }
}
