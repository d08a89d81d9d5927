//! Accounts of partner editors, reviewers and administrators.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::organisation::{OrganisationRef, OrganisationSummary};
use super::text::Problems;
use super::vocabulary::{KeyScope, Role};
use crate::config::Secret;
use crate::error::{ApiError, FieldError};

pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 1024;

/// An authenticated, active user, signed in or calling through one of their API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Uuid,
    pub organisation_id: Uuid,
    pub role: Role,
    /// The key the request came with; `None` for a signed-in user.
    pub key: Option<KeyGrant>,
}

/// An API key in use: which one, and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    pub id: Uuid,
    pub scopes: Vec<KeyScope>,
}

impl Principal {
    /// Administration (accounts, organisations, every organisation's drafts) is never
    /// delegated to a key: an administrator's key acts like a reviewer's.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin && self.key.is_none()
    }

    /// Reviewers and admins may publish, unpublish and return case studies of any
    /// organisation; whether this request may is `allows(KeyScope::Review)`.
    pub fn is_reviewer(&self) -> bool {
        matches!(self.role, Role::Reviewer | Role::Admin)
    }

    pub fn can_review(&self) -> bool {
        self.is_reviewer() && self.allows(KeyScope::Review)
    }

    /// A signed-in user may do all their role allows; a key only what its scopes name.
    pub fn allows(&self, scope: KeyScope) -> bool {
        self.key
            .as_ref()
            .is_none_or(|key| key.scopes.contains(&scope))
    }

    /// Drafts and pending revisions of its organisations' case studies: `write` reads what
    /// it may change.
    pub fn reads_drafts(&self) -> bool {
        self.allows(KeyScope::Read) || self.allows(KeyScope::Write)
    }

    /// Case studies submitted for review, to a reviewer: `review` reads what it may publish.
    pub fn reads_submitted(&self) -> bool {
        self.is_reviewer() && (self.allows(KeyScope::Read) || self.allows(KeyScope::Review))
    }

    /// 403 naming the scope the key lacks.
    pub fn require(&self, scope: KeyScope) -> Result<(), ApiError> {
        if self.allows(scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this API key does not have the `{scope}` scope"
            )))
        }
    }

    /// Budgets are per key, so one busy integration does not slow its user's own edits.
    pub fn rate_key(&self) -> String {
        match &self.key {
            Some(key) => format!("api-key {}", key.id),
            None => format!("user {}", self.user_id),
        }
    }
}

/// Who makes a change, for the history and the audit trail. The loaders (demo data,
/// import) and the command line act as nobody.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub principal: Option<Principal>,
    pub client: Option<String>,
}

impl Actor {
    pub fn user(principal: &Principal, client: String) -> Self {
        Self {
            principal: Some(principal.clone()),
            client: Some(client),
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        self.principal.as_ref().map(|p| p.user_id)
    }

    /// The API key the change came through, if it did.
    pub fn api_key_id(&self) -> Option<Uuid> {
        self.principal.as_ref()?.key.as_ref().map(|key| key.id)
    }
}

/// A user as administrators (and the user themselves) see them. Never carries the password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    #[schema(example = "editor@sbha.example")]
    pub email: String,
    pub role: Role,
    pub organisation: OrganisationSummary,
    /// False once deactivated: the account can no longer sign in, and its tokens stop working.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// A new account, as an administrator creates it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "editor@sbha.example", "password": "a long passphrase of words", "organisation": "scottish-borders-housing-association", "role": "editor"}))]
pub struct UserInput {
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    /// At least 12 characters, and not what guessing tries first: the commonest passwords,
    /// runs of the keyboard or the alphabet, a few characters repeated.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1024)]
    pub password: Secret,
    /// The slug or id of an existing organisation.
    #[schema(min_length = 1)]
    pub organisation: String,
    pub role: Role,
}

#[derive(Debug)]
pub struct NewUser {
    pub email: String,
    pub password: Secret,
    pub organisation: OrganisationRef,
    pub role: Role,
}

impl UserInput {
    pub fn parse(self) -> Result<NewUser, Vec<FieldError>> {
        let mut problems = Problems::default();
        let email = parse_email(&mut problems, "email", &self.email);
        if let Err(message) = check_password_policy(&self.password) {
            problems.add("password", message);
        }
        let organisation = OrganisationRef::parse(self.organisation.trim())
            .map_err(|message| problems.add("organisation", message))
            .ok();
        let organisation = organisation.unwrap_or(OrganisationRef::Slug(String::new()));
        problems.finish(NewUser {
            email,
            password: self.password,
            organisation,
            role: self.role,
        })
    }
}

/// An address we can store and compare: trimmed, one `@`, something on either side.
pub fn parse_email(problems: &mut Problems, field: &str, value: &str) -> String {
    let email = problems.required_line(field, value, EMAIL_MAX);
    let well_formed = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    }) && !email.contains(char::is_whitespace);
    if !email.is_empty() && !well_formed {
        problems.add(field, "must be an email address");
    }
    email
}

/// Checks a new password against the policy; the message names what is wrong. Length
/// first, then what guessing tries first whatever the length: few different characters,
/// runs along the alphabet, the digits or the keyboard, and the commonest passwords,
/// repeated or padded with digits and symbols.
pub fn check_password_policy(password: &Secret) -> Result<(), String> {
    let password = password.expose();
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err(format!("must be at least {PASSWORD_MIN} characters"));
    }
    if length > PASSWORD_MAX {
        return Err(format!("must be at most {PASSWORD_MAX} characters"));
    }
    let lower = password.to_lowercase();
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() < 5 {
        return Err("uses too few different characters; a few unrelated words work well".into());
    }
    let run = |sequence: &str| {
        let repeated = sequence.repeat(PASSWORD_MAX / sequence.len() + 2);
        let reversed: String = repeated.chars().rev().collect();
        repeated.contains(&lower) || reversed.contains(&lower)
    };
    if RUNS.iter().any(|sequence| run(sequence)) {
        return Err("is a run of the alphabet, the digits or the keyboard".into());
    }
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    if !letters.is_empty() && made_of_common_words(&letters) {
        return Err("is one of the most common passwords, however it is padded".into());
    }
    Ok(())
}

/// Sequences guessers walk along.
const RUNS: [&str; 3] = [
    "abcdefghijklmnopqrstuvwxyz",
    "0123456789",
    "qwertyuiopasdfghjklzxcvbnm",
];

/// Words at the top of every list of leaked passwords.
const COMMON_PASSWORDS: [&str; 40] = [
    "password",
    "passw",
    "pass",
    "qwerty",
    "asdf",
    "zxcv",
    "letmein",
    "welcome",
    "iloveyou",
    "love",
    "admin",
    "administrator",
    "root",
    "user",
    "login",
    "monkey",
    "dragon",
    "football",
    "baseball",
    "soccer",
    "sunshine",
    "princess",
    "shadow",
    "master",
    "trustno",
    "starwars",
    "superman",
    "batman",
    "changeme",
    "secret",
    "hello",
    "freedom",
    "whatever",
    "computer",
    "abc",
    "summer",
    "winter",
    "casebook",
    "default",
    "guest",
];

/// Whether `letters` is nothing but common passwords one after another (a word break).
fn made_of_common_words(letters: &str) -> bool {
    let letters: Vec<char> = letters.chars().collect();
    let mut reachable = vec![false; letters.len() + 1];
    reachable[0] = true;
    for start in 0..letters.len() {
        if !reachable[start] {
            continue;
        }
        for word in COMMON_PASSWORDS {
            let word: Vec<char> = word.chars().collect();
            if letters[start..].starts_with(&word) {
                reachable[start + word.len()] = true;
            }
        }
    }
    reachable[letters.len()]
}

/// A user changing their own password. Every sign-in of theirs ends, this one included.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    #[schema(value_type = String, format = Password)]
    pub current_password: Secret,
    /// As for a new account: at least 12 characters, and not what guessing tries first.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1024)]
    pub new_password: Secret,
}

/// An administrator setting a user's password (a forgotten one, or a leaked one). Every
/// sign-in of the user ends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// As for a new account: at least 12 characters, and not what guessing tries first.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1024)]
    pub password: Secret,
}

/// A role change, by an administrator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_wants_long_passwords() {
        assert!(check_password_policy(&Secret::new("short")).is_err());
        assert!(check_password_policy(&Secret::new("long enough passphrase")).is_ok());
    }

    #[test]
    fn the_policy_refuses_what_guessers_try_first() {
        for weak in [
            "aaaaaaaaaaaaaaaa",
            "abababababababab",
            "112233112233",
            "abcdefghijklm",
            "987654321098",
            "qwertyuiopasdf",
            "Password2024!",
            "passwordpassword",
            "iloveyou12345",
            "Letmein!Letmein!",
        ] {
            assert!(check_password_policy(&Secret::new(weak)).is_err(), "{weak}");
        }
        for strong in [
            "correct horse battery staple",
            "a long passphrase for tests",
            "Kelso gardeners 1987!",
            "839201948573",
        ] {
            assert!(
                check_password_policy(&Secret::new(strong)).is_ok(),
                "{strong}"
            );
        }
    }
}
