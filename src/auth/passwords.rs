//! Passwords: argon2id, hashed and checked on the blocking pool so the async workers keep serving.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::config::Secret;

pub async fn hash(password: Secret) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

fn hash_blocking(password: &Secret) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Checks a password against a stored hash. Without a hash (no such account) it checks
/// against a dummy one, so the answer takes as long whether or not the email exists.
pub async fn verify(password: Secret, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let found = stored.is_some();
        let hash = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let matches = Argon2::default()
            .verify_password(password.expose().as_bytes(), hash.as_str())
            .is_ok();
        found && matches
    })
    .await
    .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_blocking(&Secret::new("a password nobody has, for timing only"))
            .expect("hashing works")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_password_verifies_only_against_its_own_hash() {
        let hash = hash(Secret::new("correct horse battery staple"))
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify(
                Secret::new("correct horse battery staple"),
                Some(hash.clone())
            )
            .await
        );
        assert!(!verify(Secret::new("Correct horse battery staple"), Some(hash)).await);
        assert!(!verify(Secret::new("a password nobody has, for timing only"), None).await);
    }
}
