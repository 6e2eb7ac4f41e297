//! Keys for one purpose each (member codes, badge cards, derived one-time
//! codes), derived from the JWT signing secrets, and the truncated HMAC-SHA256
//! tags made with them. Every instance derives the same keys, so a tag made on
//! one verifies on any other; the current secret makes tags and the previous
//! ones still verify them, so a secret rotation does not void what is out.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::AuthSettings;

type HmacSha256 = Hmac<Sha256>;

/// Bytes of a tag as codes carry it (128 bits).
const TAG_BYTES: usize = 16;

/// The keys of one purpose: the current secret's first, then the previous ones'.
pub struct PurposeKeys {
    keys: Vec<Vec<u8>>,
}

impl PurposeKeys {
    /// Keys for `purpose` (a fixed label, e.g. `hearth member code v1`).
    pub fn derive(settings: &AuthSettings, purpose: &[u8]) -> Self {
        let derive = |secret: &str| {
            let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
                .expect("HMAC accepts keys of any length");
            mac.update(purpose);
            mac.finalize().into_bytes().to_vec()
        };
        Self {
            keys: std::iter::once(settings.jwt_secret.as_str())
                .chain(settings.previous_secrets())
                .map(derive)
                .collect(),
        }
    }

    fn mac(key: &[u8], message: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
        mac.update(message.as_bytes());
        mac
    }

    /// The full MAC of `message` under the current key.
    pub fn digest(&self, message: &str) -> [u8; 32] {
        Self::mac(&self.keys[0], message)
            .finalize()
            .into_bytes()
            .into()
    }

    /// The tag of `message` (base64url, 128 bits) under the current key.
    pub fn tag(&self, message: &str) -> String {
        URL_SAFE_NO_PAD.encode(&self.digest(message)[..TAG_BYTES])
    }

    /// Whether `tag` is the tag of `message` under any of the keys, compared
    /// in constant time.
    pub fn verify(&self, message: &str, tag: &str) -> bool {
        let Ok(tag) = URL_SAFE_NO_PAD.decode(tag) else {
            return false;
        };
        tag.len() == TAG_BYTES
            && self
                .keys
                .iter()
                .any(|key| Self::mac(key, message).verify_truncated_left(&tag).is_ok())
    }
}
