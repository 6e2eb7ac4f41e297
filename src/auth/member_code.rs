//! Member codes: short-lived signed codes a member shows (as a QR) for staff to
//! scan at events. `<user id>.<expiry>.<mac>`, where the MAC (HMAC-SHA256, first
//! 128 bits) covers the tenant, the user and the expiry, so a code can be neither
//! forged, extended, nor replayed in another tenant. Verified offline, in
//! constant time, with the current or a previous signing secret.

use crate::auth::signing::PurposeKeys;
use crate::config::AuthSettings;
use crate::db::{TenantId, UserId};

/// Issues and verifies member codes.
pub struct MemberCodes {
    keys: PurposeKeys,
    ttl_secs: u64,
}

/// Why a member code was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum MemberCodeError {
    /// Not a code we issued (or for another tenant).
    Invalid,
    /// A genuine code past its expiry.
    Expired,
}

impl MemberCodes {
    /// Keys derived from the JWT secrets (a separate key per purpose).
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            keys: PurposeKeys::derive(settings, b"hearth member code v1"),
            ttl_secs: settings.member_code_ttl_secs,
        }
    }

    fn message(tenant: &TenantId, user: &UserId, expires: u64) -> String {
        format!("{tenant}|{user}|{expires}")
    }

    /// A code for `user` valid until `now + ttl`; returns the code and its expiry.
    pub fn issue(&self, tenant: &TenantId, user: &UserId, now: u64) -> (String, u64) {
        let expires = now + self.ttl_secs;
        let tag = self.keys.tag(&Self::message(tenant, user, expires));
        (format!("{}.{expires}.{tag}", user.as_str()), expires)
    }

    /// The user a code names, if it was issued for `tenant` and is valid at `at`.
    pub fn verify(
        &self,
        tenant: &TenantId,
        code: &str,
        at: u64,
    ) -> Result<UserId, MemberCodeError> {
        let mut parts = code.trim().splitn(3, '.');
        let (Some(user), Some(expires), Some(tag)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(MemberCodeError::Invalid);
        };
        let user: UserId = user.parse().map_err(|_| MemberCodeError::Invalid)?;
        let expires: u64 = expires.parse().map_err(|_| MemberCodeError::Invalid)?;
        if !self
            .keys
            .verify(&Self::message(tenant, &user, expires), tag)
        {
            return Err(MemberCodeError::Invalid);
        }
        if at > expires {
            return Err(MemberCodeError::Expired);
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn codes() -> MemberCodes {
        MemberCodes::new(
            &Settings::load_from("test", Default::default())
                .unwrap()
                .auth,
        )
    }

    #[test]
    fn codes_verify_for_their_tenant_until_they_expire() {
        let codes = codes();
        let (tenant, user) = (TenantId::new(), UserId::new());
        let (code, expires) = codes.issue(&tenant, &user, 1_000);
        assert_eq!(codes.verify(&tenant, &code, 1_000), Ok(user.clone()));
        assert_eq!(codes.verify(&tenant, &code, expires), Ok(user));
        assert_eq!(
            codes.verify(&tenant, &code, expires + 1),
            Err(MemberCodeError::Expired)
        );
        assert_eq!(
            codes.verify(&TenantId::new(), &code, 1_000),
            Err(MemberCodeError::Invalid)
        );
    }

    #[test]
    fn tampered_codes_are_refused() {
        let codes = codes();
        let tenant = TenantId::new();
        let (code, expires) = codes.issue(&tenant, &UserId::new(), 1_000);
        let extended = code.replace(&expires.to_string(), &(expires + 3600).to_string());
        assert_eq!(
            codes.verify(&tenant, &extended, 1_000),
            Err(MemberCodeError::Invalid)
        );
        let other_user = format!("{}{}", UserId::new(), &code[36..]);
        assert_eq!(
            codes.verify(&tenant, &other_user, 1_000),
            Err(MemberCodeError::Invalid)
        );
        for junk in ["", "a.b.c", "x", &code[..code.len() - 2]] {
            assert_eq!(
                codes.verify(&tenant, junk, 1_000),
                Err(MemberCodeError::Invalid)
            );
        }
    }
}
