//! Identity decisions without I/O: what an admin may do to their own account,
//! how a self-registered account starts, and how far self-service password
//! resets go.

use crate::auth::{Role, Scopes, UserKind, UserStatus};
use crate::db::UserId;
use crate::error::{ApiError, ErrorCode};
use crate::tenants::RegistrationPolicy;
use crate::validation::invalid;

/// Length of a password reset code (handed over by an admin, or mailed).
pub const RESET_CODE_LENGTH: usize = 12;

/// Self-service reset requests per account and hour that mail a code; more
/// are answered the same and mail nothing (no one learns the account exists,
/// and no one can flood a member's inbox).
pub const RESET_MAILS_PER_ACCOUNT_PER_HOUR: i64 = 3;

/// Self-service reset requests per client address, tenant and hour; more are
/// 429, known account or not (the limit says nothing about accounts). Every
/// instance counts the same rows.
pub const RESET_REQUESTS_PER_IP_PER_HOUR: i64 = 10;

/// An admin cannot demote or suspend their own account (409
/// `cannot_modify_self`): a tenant must never lose its last admin by accident.
pub fn ensure_not_self_demotion(
    admin: &UserId,
    target: &UserId,
    role: Option<Role>,
    status: Option<UserStatus>,
) -> Result<(), ApiError> {
    let demoted = role.is_some_and(|r| r != Role::Admin);
    if admin == target && (demoted || status == Some(UserStatus::Suspended)) {
        return Err(ApiError::new(ErrorCode::CannotModifySelf)
            .with_detail("An admin cannot demote or suspend their own account."));
    }
    Ok(())
}

/// The scopes a user holds once their role is `role`: the `asked` ones, or
/// for a staff member who keeps their role and is not asked, the `held` ones.
/// Only staff hold scopes (422 `scopes: staff_only`); leaving staff drops them.
pub fn scopes_for(role: Role, asked: Option<Scopes>, held: Scopes) -> Result<Scopes, ApiError> {
    match (role, asked) {
        (Role::Staff, Some(scopes)) => Ok(scopes),
        (Role::Staff, None) => Ok(held),
        (_, Some(scopes)) if !scopes.is_empty() => Err(invalid(
            "scopes",
            "staff_only",
            "only staff hold scopes; set role to staff",
        )),
        _ => Ok(Scopes::NONE),
    }
}

/// A dependant has no login: no reset code, no role but member (409
/// `no_login`).
pub fn ensure_has_login(kind: UserKind) -> Result<(), ApiError> {
    match kind {
        UserKind::Member => Ok(()),
        UserKind::Dependant => Err(ApiError::new(ErrorCode::NoLogin)
            .with_detail("A dependant does not sign in: no password, role or scopes.")),
    }
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
        assert!(ensure_not_self_demotion(&me, &me, Some(Role::Staff), None).is_err());
    }

    #[test]
    fn only_staff_hold_scopes() {
        let points: Scopes = "points".parse().unwrap();
        let both: Scopes = "points payments".parse().unwrap();
        assert_eq!(scopes_for(Role::Staff, Some(both), points).unwrap(), both);
        assert_eq!(scopes_for(Role::Staff, None, points).unwrap(), points);
        assert_eq!(scopes_for(Role::User, None, points).unwrap(), Scopes::NONE);
        assert_eq!(
            scopes_for(Role::Admin, Some(Scopes::NONE), points).unwrap(),
            Scopes::NONE
        );
        let err = scopes_for(Role::User, Some(points), Scopes::NONE).unwrap_err();
        assert!(err.is(ErrorCode::ValidationFailed));
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
