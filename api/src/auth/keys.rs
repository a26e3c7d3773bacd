//! API keys: `bq_<prefix>_<secret>`. The prefix finds the row; only a SHA-256 of the
//! whole key is stored, compared in constant time.

use rand::RngCore;
use subtle::ConstantTimeEq;

use super::tokens::{random_token, sha256_hex};

/// A new key: (the full key to show once, its prefix, its stored hash).
pub fn generate() -> (String, String, String) {
    let mut prefix = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut prefix);
    let prefix = hex::encode(prefix);
    let key = format!("bq_{prefix}_{}", random_token(32));
    let hash = sha256_hex(&key);
    (key, prefix, hash)
}

/// Splits a presented key into (prefix, secret); `None` when it is not shaped like one.
pub fn split(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("bq_")?;
    let (prefix, secret) = rest.split_once('_')?;
    let hex_prefix = prefix.len() == 12 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
    (hex_prefix && !secret.is_empty()).then_some((prefix, secret))
}

pub fn matches(presented: &str, stored_hash: &str) -> bool {
    sha256_hex(presented)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_split_and_match() {
        let (key, prefix, hash) = generate();
        let (p, secret) = split(&key).unwrap();
        assert_eq!(p, prefix);
        assert!(secret.len() >= 40);
        assert!(matches(&key, &hash));
        assert!(!matches(&format!("{key}x"), &hash));
    }

    #[test]
    fn malformed_keys_do_not_split() {
        assert!(split("nope").is_none());
        assert!(split("bq_short_secret").is_none());
        assert!(split("bq_0123456789ab_").is_none());
    }
}
