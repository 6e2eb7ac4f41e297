//! What the token layer needs to know of an account: its role and status.
//! They live here, below identity, because every authenticated request reads
//! them; identity stores and changes them.

use crate::text_enum::text_enum;

text_enum!(
    /// What a user may do: `user` (member) or `admin`.
    Role {
        /// A member.
        User = "user",
        /// A tenant administrator.
        Admin = "admin",
    }
);

text_enum!(
    /// Account status.
    UserStatus {
        /// Registered, waiting for an admin's approval.
        Pending = "pending",
        /// May sign in.
        Active = "active",
        /// Locked out by an admin; all sessions revoked.
        Suspended = "suspended",
    }
);

#[cfg(test)]
mod tests {
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    use super::Role;

    /// A role the code does not know (a migration ahead of it, a hand-edited
    /// row) fails the query; it never quietly becomes a member.
    #[test]
    fn an_unknown_stored_value_is_an_error_not_a_guess() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        let known: Role = diesel::select(sql::<Text>("'admin'"))
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(known, Role::Admin);
        let unknown = diesel::select(sql::<Text>("'superuser'")).get_result::<Role>(&mut conn);
        assert!(matches!(
            unknown,
            Err(diesel::result::Error::DeserializationError(_))
        ));
    }
}
