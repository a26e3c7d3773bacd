//! How a delivery is signed, so that a receiver can check it came from Baqylau, unaltered
//! and recently (README, "Webhooks"):
//!
//! - `X-Baqylau-Timestamp`: Unix seconds when this attempt was sent;
//! - `X-Baqylau-Signature`: `sha256=` and the lowercase hex HMAC-SHA256, keyed with the
//!   webhook's secret, of the timestamp, a `.`, and the raw request body bytes.
//!
//! A receiver recomputes the HMAC over the exact bytes it received, compares in constant
//! time, and rejects timestamps more than five minutes from its clock: a captured request
//! replayed later fails, and its timestamp cannot be changed without the secret.
//! `X-Baqylau-Event-Id` is the same on every attempt of an event, for receivers to drop
//! duplicates (delivery is at least once).

use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "X-Baqylau-Signature";
pub const TIMESTAMP_HEADER: &str = "X-Baqylau-Timestamp";
pub const EVENT_HEADER: &str = "X-Baqylau-Event";
pub const EVENT_ID_HEADER: &str = "X-Baqylau-Event-Id";
pub const DELIVERY_HEADER: &str = "X-Baqylau-Delivery";

/// `sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// What a receiver does: the signature matches and the timestamp is within `tolerance`
/// seconds of `now`.
pub fn verify(
    secret: &[u8],
    timestamp: i64,
    body: &[u8],
    header: &str,
    now: i64,
    tolerance: i64,
) -> bool {
    use subtle::ConstantTimeEq;
    let expected = signature(secret, timestamp, body);
    (now - timestamp).abs() <= tolerance && bool::from(expected.as_bytes().ct_eq(header.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_timestamp_dot_body() {
        // HMAC-SHA256("secret", "1700000000.{}"), computed independently.
        let sig = signature(b"secret", 1_700_000_000, b"{}");
        assert_eq!(
            sig,
            "sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
        );
        assert!(verify(
            b"secret",
            1_700_000_000,
            b"{}",
            &sig,
            1_700_000_100,
            300
        ));
        assert!(!verify(
            b"secret",
            1_700_000_000,
            b"{}",
            &sig,
            1_700_001_000,
            300
        ));
        assert!(!verify(
            b"other",
            1_700_000_000,
            b"{}",
            &sig,
            1_700_000_000,
            300
        ));
        assert!(!verify(
            b"secret",
            1_700_000_001,
            b"{}",
            &sig,
            1_700_000_001,
            300
        ));
    }
}
