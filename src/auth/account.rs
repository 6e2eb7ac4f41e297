//! What the token layer needs to know of an account: its kind, role, scopes
//! and status. They live here, below identity, because every authenticated
//! request reads them; identity stores and changes them.

use std::fmt;
use std::str::FromStr;

use crate::text_enum::text_enum;

text_enum!(
    /// What a user may do: `user` (member), `staff` (the desks its scopes
    /// name) or `admin` (everything in the tenant).
    Role {
        /// A member.
        User = "user",
        /// A tenant administrator.
        Admin = "admin",
        /// A volunteer or employee who works some desks (see [`Scope`]).
        Staff = "staff",
    }
);

text_enum!(
    /// Whether a person signs in.
    UserKind {
        /// Has an email and (once set) a password.
        Member = "member",
        /// A child or anyone else without a login: no email, no password, no
        /// session; a guardian in the household acts for them.
        Dependant = "dependant",
    }
);

text_enum!(
    /// A desk a staff member may work.
    Scope {
        /// Event lists, scans and bulk marking.
        Attendance = "attendance",
        /// Awards by rule and quantity (no free amounts, adjustments or reversals).
        Points = "points",
        /// Claim-code scans and fulfilment.
        Redemptions = "redemptions",
        /// Recording payments and reading statements (no voids, refunds or charges).
        Payments = "payments",
    }
);

impl Scope {
    /// Every scope, in canonical order.
    pub const ALL: [Scope; 4] = [
        Scope::Attendance,
        Scope::Points,
        Scope::Redemptions,
        Scope::Payments,
    ];

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The scopes a person holds: a set, stored and shown in canonical order
/// (`"attendance payments"` in the `users.scopes` column, an array in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Scopes(u8);

impl Scopes {
    /// No scope.
    pub const NONE: Scopes = Scopes(0);

    /// Whether `scope` is held.
    pub fn contains(self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// The scopes held, in canonical order.
    pub fn iter(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    /// Whether no scope is held.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Self {
        Scopes(scopes.into_iter().fold(0, |bits, s| bits | s.bit()))
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Scope::as_str).collect();
        f.write_str(&names.join(" "))
    }
}

impl FromStr for Scopes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split_whitespace().map(str::parse).collect()
    }
}

/// Read from `users.scopes`; an unknown scope fails the query.
impl TryFrom<String> for Scopes {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

/// Written to `users.scopes`.
impl From<Scopes> for String {
    fn from(scopes: Scopes) -> Self {
        scopes.to_string()
    }
}

impl serde::Serialize for Scopes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// From a JSON array of scope names; a name twice is the same as once.
impl<'de> serde::Deserialize<'de> for Scopes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Vec::<Scope>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

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

    use super::{Role, Scope, Scopes};

    #[test]
    fn scopes_are_a_set_in_canonical_order() {
        let scopes: Scopes = "payments attendance payments".parse().unwrap();
        assert!(scopes.contains(Scope::Payments) && scopes.contains(Scope::Attendance));
        assert!(!scopes.contains(Scope::Points));
        assert_eq!(scopes.to_string(), "attendance payments");
        assert_eq!(
            serde_json::to_value(scopes).unwrap(),
            serde_json::json!(["attendance", "payments"])
        );
        assert_eq!("".parse::<Scopes>().unwrap(), Scopes::NONE);
        assert!("attendance superpowers".parse::<Scopes>().is_err());
        let json: Scopes = serde_json::from_str(r#"["points","points"]"#).unwrap();
        assert_eq!(json.iter().collect::<Vec<_>>(), vec![Scope::Points]);
    }

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
