//! Whether a session may still be used, as the database says: the one query
//! every cold authenticated request makes.

use diesel::prelude::*;

use crate::auth::account::{Role, Scopes, UserStatus};
use crate::db::schema::{sessions, users};
use crate::db::{DbConnection, SessionId, TenantId, UserId};

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
        /// The user's scopes now (staff only).
        scopes: Scopes,
    },
    /// Revoked, or the user is no longer active.
    Ended,
}

impl SessionState {
    /// The role and scopes to grant a token that claims to be `user` of
    /// `tenant`: `None` when the session has ended or belongs to somebody else.
    pub fn access_for(&self, tenant: &TenantId, user: &UserId) -> Option<(Role, Scopes)> {
        match self {
            Self::Active {
                tenant: t,
                user: u,
                role,
                scopes,
            } if t == tenant && u == user => Some((*role, *scopes)),
            _ => None,
        }
    }
}

/// What a session of `tenant` is now: its owner and the owner's current role
/// while it is live and the owner active, `Ended` otherwise, `None` when the
/// tenant has no such session. The owner is returned rather than matched so
/// that the caller can refuse a token naming somebody else's session without
/// mistaking that session for ended.
pub fn find_in_tenant(
    conn: &mut DbConnection,
    tenant: &TenantId,
    session: &SessionId,
) -> QueryResult<Option<SessionState>> {
    let row: Option<(UserId, bool, String, String, String)> = sessions::table
        .inner_join(crate::same_tenant!(users on sessions.user_id))
        .filter(sessions::tenant_id.eq(tenant))
        .filter(sessions::id.eq(session))
        .select((
            sessions::user_id,
            sessions::revoked_at.is_null(),
            users::status,
            users::role,
            users::scopes,
        ))
        .first(conn)
        .optional()?;
    let Some((user, live, status, role, scopes)) = row else {
        return Ok(None);
    };
    if !live || status != UserStatus::Active.as_str() {
        return Ok(Some(SessionState::Ended));
    }
    let unreadable = |column: &str, e: String| {
        diesel::result::Error::DeserializationError(format!("users.{column}: {e}").into())
    };
    let role: Role = role.parse().map_err(|e| unreadable("role", e))?;
    let scopes: Scopes = scopes.parse().map_err(|e| unreadable("scopes", e))?;
    Ok(Some(SessionState::Active {
        tenant: tenant.clone(),
        user,
        role,
        scopes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_grants_its_role_only_to_its_owner() {
        let (tenant, user) = (TenantId::new(), UserId::new());
        let scopes: Scopes = "points".parse().unwrap();
        let state = SessionState::Active {
            tenant: tenant.clone(),
            user: user.clone(),
            role: Role::Staff,
            scopes,
        };
        assert_eq!(
            state.access_for(&tenant, &user),
            Some((Role::Staff, scopes))
        );
        assert_eq!(state.access_for(&tenant, &UserId::new()), None);
        assert_eq!(state.access_for(&TenantId::new(), &user), None);
        assert_eq!(SessionState::Ended.access_for(&tenant, &user), None);
    }
}
