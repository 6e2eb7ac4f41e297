//! A per-instance cache of session validity, so that most authenticated requests
//! need no database query while logout, suspension and password changes still
//! reach every instance within the TTL (`auth.session_cache_ttl_secs`).
//!
//! An entry records whose session it is (tenant, user) as well as its state, and
//! a token is accepted only when its `tid`/`sub` are that owner: a token that
//! names another user's `sid` is refused, cold or cached, and cannot overwrite
//! the real session's entry (a lookup that finds no session in the token's
//! tenant caches nothing).
//!
//! The instance that revokes a session also drops its own entry at once; other
//! instances notice when their entry expires.

use crate::db::{SessionId, TenantId, UserId};
use crate::identity::Role;
use crate::ttl_cache::TtlCache;

/// What the database said about a session when it was last asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Live session of an active user, with the user's current role.
    Active {
        /// The session's tenant.
        tenant: TenantId,
        /// The session's user.
        user: UserId,
        /// The user's role now.
        role: Role,
    },
    /// Revoked, or the user is no longer active.
    Ended,
}

impl SessionState {
    /// The role to grant a token that claims to be `user` of `tenant`: `None`
    /// when the session has ended or belongs to somebody else.
    pub fn role_for(&self, tenant: &TenantId, user: &UserId) -> Option<Role> {
        match self {
            Self::Active {
                tenant: t,
                user: u,
                role,
            } if t == tenant && u == user => Some(*role),
            _ => None,
        }
    }
}

/// The cache: session → what the database said, trusted for the TTL.
pub type SessionCache = TtlCache<SessionId, SessionState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_grants_its_role_only_to_its_owner() {
        let (tenant, user) = (TenantId::new(), UserId::new());
        let state = SessionState::Active {
            tenant: tenant.clone(),
            user: user.clone(),
            role: Role::Admin,
        };
        assert_eq!(state.role_for(&tenant, &user), Some(Role::Admin));
        assert_eq!(state.role_for(&tenant, &UserId::new()), None);
        assert_eq!(state.role_for(&TenantId::new(), &user), None);
        assert_eq!(SessionState::Ended.role_for(&tenant, &user), None);
    }
}
