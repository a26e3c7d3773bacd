//! Password hashing: Argon2id with the OWASP Password Storage Cheat Sheet's minimum
//! (m = 19 MiB, t = 2, p = 1), which is the argon2 crate's default.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shortest accepted password (NIST SP 800-63B recommends at least 8; we ask for 12).
pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2 failed: {e}"))
}

/// Constant-time verification. A malformed stored hash never verifies.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Burns the same work as a real verification, so that an unknown email answers as
/// slowly as a wrong password and response times do not reveal which accounts exist.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("baqylau-timing-equaliser").unwrap_or_default());
    let _ = verify(password, stored);
}

/// A password chosen for an account: checked, then hashed, before any database work —
/// hashing takes tens of milliseconds of CPU and must not hold a pooled connection (or an
/// async worker: call [`NewPassword::prepare`] on a blocking thread).
#[derive(Clone)]
pub struct NewPassword(Result<String, &'static str>);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_ok() {
            "NewPassword(<hash>)"
        } else {
            "NewPassword(<refused>)"
        })
    }
}

impl NewPassword {
    /// Checks the length rules and, when they hold, hashes.
    pub fn prepare(plain: &str) -> anyhow::Result<NewPassword> {
        Ok(NewPassword(match check_strength(plain) {
            Ok(()) => Ok(hash(plain)?),
            Err(message) => Err(message),
        }))
    }

    /// The hash to store, or the reason the password was refused.
    pub fn hash(&self) -> Result<&str, &'static str> {
        self.0.as_deref().map_err(|m| *m)
    }
}

/// Length rules, counted in characters (Kazakh letters are two bytes each).
pub fn check_strength(password: &str) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        Err("must be at least 12 characters long")
    } else if n > MAX_PASSWORD_CHARS {
        Err("must be at most 256 characters long")
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash("correct horse battery").unwrap();
        let b = hash("correct horse battery").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterY", &a));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn strength_counts_characters() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("құпиясөз-ұзын").is_ok());
        assert!(check_strength(&"x".repeat(257)).is_err());
    }
}
