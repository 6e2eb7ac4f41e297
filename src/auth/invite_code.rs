//! One-time codes handed out with an imported roll: each new login member's
//! first reset code, derived from the code's row id under a key of its own
//! (an HMAC, 12 symbols of the typable alphabet) instead of drawn at random.
//! The database keeps only its hash, as for every reset code; deriving it
//! again is what lets a retried import show the same codes without them
//! ever being stored.

use crate::auth::signing::PurposeKeys;
use crate::codes::code_from_bytes;
use crate::config::AuthSettings;
use crate::db::{ResetCodeId, TenantId};

/// Symbols in a code, as many as an admin's reset code has.
pub const INVITE_CODE_LENGTH: usize = 12;

/// Derives invite codes.
pub struct InviteCodes {
    keys: PurposeKeys,
}

impl InviteCodes {
    /// Keys derived from the JWT secrets (a key of their own).
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            keys: PurposeKeys::derive(settings, b"hearth invite code v1"),
        }
    }

    /// The code of reset code row `id` of `tenant`.
    pub fn code(&self, tenant: &TenantId, id: &ResetCodeId) -> String {
        let digest = self.keys.digest(&format!("{tenant}|{id}"));
        code_from_bytes(&digest, INVITE_CODE_LENGTH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    #[test]
    fn a_code_is_the_same_for_its_row_and_different_for_any_other() {
        let codes = InviteCodes::new(
            &Settings::load_from("test", Default::default())
                .unwrap()
                .auth,
        );
        let (tenant, id) = (TenantId::new(), ResetCodeId::new());
        let code = codes.code(&tenant, &id);
        assert_eq!(code.len(), INVITE_CODE_LENGTH);
        assert_eq!(code, codes.code(&tenant, &id));
        assert_ne!(code, codes.code(&tenant, &ResetCodeId::new()));
        assert_ne!(code, codes.code(&TenantId::new(), &id));
        assert_eq!(
            crate::codes::normalise_code(&code),
            code,
            "typable as it is shown"
        );
    }
}
