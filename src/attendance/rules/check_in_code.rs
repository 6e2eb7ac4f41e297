//! The rotating check-in code an event displays as a QR: an HMAC-SHA256 (first
//! 96 bits) of the event and the current 60-second window under the event's own
//! secret. A code is accepted in its window and the next one, so a member who
//! scans just before the display rotates is not turned away; a code of another
//! event, or an older one, is not. Compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::db::EventId;

type HmacSha256 = Hmac<Sha256>;

/// Seconds a code is displayed before the next one replaces it.
pub const WINDOW_SECS: u64 = 60;
const MAC_BYTES: usize = 12;

/// A fresh per-event secret (256 bits, hex).
pub fn new_secret() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    crate::auth::tokens::hex(&bytes)
}

fn mac(secret: &str, event: &EventId, window: u64) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(format!("{event}|{window}").as_bytes());
    mac
}

/// The code to display at `unix_secs`, and when its window ends (seconds).
pub fn current(secret: &str, event: &EventId, unix_secs: u64) -> (String, u64) {
    let window = unix_secs / WINDOW_SECS;
    let tag = mac(secret, event, window).finalize().into_bytes();
    (
        URL_SAFE_NO_PAD.encode(&tag[..MAC_BYTES]),
        (window + 1) * WINDOW_SECS,
    )
}

/// Whether `code` is the event's code of the window of `unix_secs` or of the
/// one before.
pub fn verify(secret: &str, event: &EventId, code: &str, unix_secs: u64) -> bool {
    let Ok(tag) = URL_SAFE_NO_PAD.decode(code.trim()) else {
        return false;
    };
    if tag.len() != MAC_BYTES {
        return false;
    }
    let window = unix_secs / WINDOW_SECS;
    [Some(window), window.checked_sub(1)]
        .into_iter()
        .flatten()
        .any(|w| mac(secret, event, w).verify_truncated_left(&tag).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_works_in_its_window_and_the_next_only() {
        let (secret, event) = (new_secret(), EventId::new());
        let (code, window_end) = current(&secret, &event, 6_000);
        assert_eq!(window_end, 6_060);
        assert!(verify(&secret, &event, &code, 6_000));
        assert!(
            verify(&secret, &event, &code, 6_119),
            "the previous window is accepted"
        );
        assert!(
            !verify(&secret, &event, &code, 6_120),
            "two windows later it has expired"
        );
        assert!(
            !verify(&secret, &event, &code, 5_999),
            "not before its window"
        );
        assert!(
            !verify(&secret, &EventId::new(), &code, 6_000),
            "another event's code"
        );
        assert!(
            !verify(&new_secret(), &event, &code, 6_000),
            "another secret"
        );
        for junk in ["", "!!", "AAAA", &code[..code.len() - 1]] {
            assert!(!verify(&secret, &event, junk, 6_000), "{junk:?}");
        }
    }
}
