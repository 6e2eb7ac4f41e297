//! Badge cards: permanent codes for people without a phone (a child, an
//! elderly neighbour), printed as a QR and scanned at events like a member
//! code. `badge.<badge id>.<tag>`, the tag an HMAC of the tenant and the badge
//! id under a key derived from the signing secret: unguessable, verifiable on
//! any instance, and absent from the database, whose `badges` row only says
//! whose card it is and whether it is still live. A copy of the database
//! therefore holds no usable card, and the code can be shown again (an
//! idempotent retry of issuing) without ever being stored.

use crate::auth::signing::PurposeKeys;
use crate::config::AuthSettings;
use crate::db::{BadgeId, TenantId};

const PREFIX: &str = "badge";

/// Makes and reads badge codes.
pub struct BadgeCodes {
    keys: PurposeKeys,
}

impl BadgeCodes {
    /// Keys derived from the JWT secrets (a key of their own).
    pub fn new(settings: &AuthSettings) -> Self {
        Self {
            keys: PurposeKeys::derive(settings, b"hearth badge v1"),
        }
    }

    fn message(tenant: &TenantId, badge: &BadgeId) -> String {
        format!("{tenant}|{badge}")
    }

    /// The code printed on badge `badge` of `tenant`.
    pub fn code(&self, tenant: &TenantId, badge: &BadgeId) -> String {
        let tag = self.keys.tag(&Self::message(tenant, badge));
        format!("{PREFIX}.{badge}.{tag}")
    }

    /// Whether `code` looks like a badge code at all (else it may be a member code).
    pub fn is_badge(code: &str) -> bool {
        code.trim().starts_with(PREFIX) && code.trim()[PREFIX.len()..].starts_with('.')
    }

    /// The badge a code names, if it is genuine and of `tenant` (whether the
    /// card is still live is the database's to say).
    pub fn badge(&self, tenant: &TenantId, code: &str) -> Option<BadgeId> {
        let mut parts = code.trim().splitn(3, '.');
        let (Some(PREFIX), Some(id), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
            return None;
        };
        let badge: BadgeId = id.parse().ok()?;
        self.keys
            .verify(&Self::message(tenant, &badge), tag)
            .then_some(badge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn codes(secret: &str, previous: &[&str]) -> BadgeCodes {
        let mut settings = Settings::load_from("test", Default::default())
            .unwrap()
            .auth;
        settings.jwt_secret = secret.into();
        settings.jwt_previous_secrets = previous.iter().map(|s| s.to_string()).collect();
        BadgeCodes::new(&settings)
    }

    const A: &str = "key-a-0123456789-0123456789-0123456789";
    const B: &str = "key-b-0123456789-0123456789-0123456789";

    #[test]
    fn a_badge_code_names_its_badge_in_its_tenant_only() {
        let codes = codes(A, &[]);
        let (tenant, badge) = (TenantId::new(), BadgeId::new());
        let code = codes.code(&tenant, &badge);
        assert!(BadgeCodes::is_badge(&code));
        assert_eq!(codes.badge(&tenant, &code), Some(badge.clone()));
        assert_eq!(
            codes.badge(&tenant, &format!(" {code} ")),
            Some(badge.clone())
        );
        assert_eq!(codes.badge(&TenantId::new(), &code), None);
        let other = code.replace(badge.as_str(), BadgeId::new().as_str());
        assert_eq!(codes.badge(&tenant, &other), None);
        for junk in ["", "badge", "badge.x.y", "badge..", &code[..code.len() - 1]] {
            assert_eq!(codes.badge(&tenant, junk), None, "{junk:?}");
        }
        assert!(!BadgeCodes::is_badge(
            "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b.1.x"
        ));
    }

    #[test]
    fn badges_survive_a_secret_rotation_while_the_old_secret_is_listed() {
        let (tenant, badge) = (TenantId::new(), BadgeId::new());
        let code = codes(A, &[]).code(&tenant, &badge);
        assert_eq!(codes(B, &[A]).badge(&tenant, &code), Some(badge));
        assert_eq!(codes(B, &[]).badge(&tenant, &code), None);
    }
}
