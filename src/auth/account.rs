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
