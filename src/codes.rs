//! Human-typable random codes (password reset codes; later join and claim codes):
//! an alphabet without look-alikes (no I, L, O, 0, 1), read case-insensitively,
//! with spaces and dashes ignored. Each character carries ~4.95 bits.

use rand::Rng;

/// 31 symbols that cannot be mistaken for one another (~4.95 bits each).
const SYMBOLS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A random code of `len` characters from the unambiguous alphabet.
pub fn random_code(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(SYMBOLS[rng.random_range(0..SYMBOLS.len())]))
        .collect()
}

/// A code of `len` characters drawn from `bytes` (a MAC), for codes that are
/// derived rather than random; `bytes` must hold at least `len`.
pub fn code_from_bytes(bytes: &[u8], len: usize) -> String {
    bytes
        .iter()
        .take(len)
        .map(|b| char::from(SYMBOLS[usize::from(*b) % SYMBOLS.len()]))
        .collect()
}

/// The canonical form of a typed code: upper case, without spaces and dashes.
pub fn normalise_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unambiguous_symbols_and_normalise() {
        let code = random_code(64);
        assert_eq!(code.len(), 64);
        assert!(code.chars().all(|c| SYMBOLS.contains(&(c as u8))));
        assert!(!code.contains(['I', 'L', 'O', '0', '1']));
        assert_eq!(normalise_code(" abc-def 23 "), "ABCDEF23");
        assert_ne!(random_code(12), random_code(12));
    }
}
