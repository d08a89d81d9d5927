//! Access tokens: short-lived JWTs signed with HS256 under a key id, verified against every
//! configured key so keys can be rotated without logging everyone out.

use std::collections::HashMap;

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::TokenSettings;
use crate::domain::vocabulary::Role;

/// Tolerated clock difference between machines, in seconds.
const LEEWAY_SECS: u64 = 5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    /// The user's organisation when the token was issued.
    pub org: Uuid,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    /// The sign-in this token belongs to (its refresh tokens' family): signing out, or a
    /// changed password, ends it and every token issued for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

/// Why a token was refused; the text goes to the client in `WWW-Authenticate`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token is not valid")]
    Invalid,
}

pub struct TokenKeys {
    signing_key_id: String,
    signing: EncodingKey,
    verifying: HashMap<String, DecodingKey>,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl_secs: i64,
    /// A browser's sign-in: renewed by every page asked for, ended by this much idleness.
    pub session_idle_secs: i64,
}

impl TokenKeys {
    pub fn new(settings: &TokenSettings) -> Self {
        let verifying: HashMap<String, DecodingKey> = settings
            .keys
            .iter()
            .map(|(id, key)| {
                (
                    id.clone(),
                    DecodingKey::from_secret(key.expose().as_bytes()),
                )
            })
            .collect();
        let signing_key = settings
            .keys
            .iter()
            .find(|(id, _)| *id == settings.signing_key_id)
            .map(|(_, key)| key.expose().as_bytes())
            .expect("configuration always holds the signing key");
        // Only HS256, and every claim we rely on must be present and right.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            signing_key_id: settings.signing_key_id.clone(),
            signing: EncodingKey::from_secret(signing_key),
            verifying,
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            access_ttl_secs: settings.access_ttl.as_secs() as i64,
            session_idle_secs: settings.session_idle.as_secs() as i64,
        }
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        organisation_id: Uuid,
        role: Role,
        session: Option<Uuid>,
    ) -> String {
        self.issue_lasting(
            user_id,
            organisation_id,
            role,
            session,
            self.access_ttl_secs,
        )
    }

    /// A token valid for `seconds`: an access token's lifetime, or a browser session's.
    pub fn issue_lasting(
        &self,
        user_id: Uuid,
        organisation_id: Uuid,
        role: Role,
        session: Option<Uuid>,
        seconds: i64,
    ) -> String {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: user_id,
            org: organisation_id,
            role,
            iat: now,
            exp: now + seconds,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sid: session,
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.signing_key_id.clone());
        jsonwebtoken::encode(&header, &claims, &self.signing).expect("HS256 signing cannot fail")
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        // The header names the key; an unknown key id, or none, is refused before any crypto.
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.verifying.get(kid))
            .ok_or(TokenError::Invalid)?;
        let data =
            jsonwebtoken::decode::<Claims>(token, key, &self.validation).map_err(|error| {
                match error.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                    _ => TokenError::Invalid,
                }
            })?;
        // A token "issued" in the future was not issued by us.
        if data.claims.iat > Utc::now().timestamp() + LEEWAY_SECS as i64 {
            return Err(TokenError::Invalid);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use std::time::Duration;

    fn settings(keys: &[(&str, &str)]) -> TokenSettings {
        TokenSettings {
            signing_key_id: keys[0].0.to_owned(),
            keys: keys
                .iter()
                .map(|(id, key)| (id.to_string(), Secret::new(*key)))
                .collect(),
            ephemeral: false,
            issuer: "casebook".into(),
            audience: "casebook-api".into(),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(3600),
            session_idle: Duration::from_secs(3600),
        }
    }

    const KEY_A: &str = "a-key-of-at-least-thirty-two-bytes-long";
    const KEY_B: &str = "another-key-of-at-least-thirty-two-bytes";

    #[test]
    fn a_token_verifies_with_its_claims() {
        let keys = TokenKeys::new(&settings(&[("a", KEY_A)]));
        let (user, org) = (Uuid::new_v4(), Uuid::new_v4());
        let claims = keys
            .verify(&keys.issue(user, org, Role::Editor, None))
            .unwrap();
        assert_eq!(
            (claims.sub, claims.org, claims.role),
            (user, org, Role::Editor)
        );
        assert_eq!(claims.exp - claims.iat, 900);
    }

    #[test]
    fn rotated_keys_keep_verifying_until_removed() {
        let old = TokenKeys::new(&settings(&[("old", KEY_A)]));
        let token = old.issue(Uuid::new_v4(), Uuid::new_v4(), Role::Admin, None);
        let rotated = TokenKeys::new(&settings(&[("new", KEY_B), ("old", KEY_A)]));
        assert!(rotated.verify(&token).is_ok());
        let retired = TokenKeys::new(&settings(&[("new", KEY_B)]));
        assert_eq!(retired.verify(&token), Err(TokenError::Invalid));
    }

    #[test]
    fn unsigned_and_foreign_tokens_are_refused() {
        let keys = TokenKeys::new(&settings(&[("a", KEY_A)]));
        let token = keys.issue(Uuid::new_v4(), Uuid::new_v4(), Role::Admin, None);
        let payload = token.split('.').nth(1).unwrap();
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT","kid":"a"}"#);
        assert_eq!(
            keys.verify(&format!("{none_header}.{payload}.")),
            Err(TokenError::Invalid)
        );
        let other = TokenKeys::new(&settings(&[("a", KEY_B)]));
        assert_eq!(
            keys.verify(&other.issue(Uuid::new_v4(), Uuid::new_v4(), Role::Admin, None)),
            Err(TokenError::Invalid)
        );
        assert_eq!(keys.verify("not.a.token"), Err(TokenError::Invalid));
    }
}
