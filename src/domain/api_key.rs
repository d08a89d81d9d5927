//! Keys for machine clients. Each key acts for the user who made it, within its scopes, so an
//! integrator's workers need neither a password nor a shared refresh token (whose reuse
//! detection would revoke them all).

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::{Queryable, Selectable};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::text::Problems;
use super::vocabulary::{KeyScope, Role};
use crate::error::FieldError;

/// What every secret starts with, so a key is told from a JWT (and found by secret scanners).
pub const KEY_PREFIX: &str = "cbk_";
pub const NAME_MAX: usize = 100;
/// A key with no `expires_at` lasts this long; none lasts longer than `LIFETIME_MAX_DAYS`.
pub const LIFETIME_DEFAULT_DAYS: i64 = 90;
pub const LIFETIME_MAX_DAYS: i64 = 366;
/// Live (unrevoked, unexpired) keys one user may hold.
pub const KEYS_PER_USER_MAX: i64 = 25;

/// An API key as its user and administrators see it. The secret is never shown again.
#[derive(Debug, Clone, Serialize, ToSchema, Queryable, Selectable)]
#[diesel(table_name = crate::db::schema::api_keys, check_for_backend(diesel::pg::Pg))]
pub struct ApiKey {
    pub id: Uuid,
    /// The user the key acts for: it can do no more than they can, and dies with their account.
    pub user_id: Uuid,
    #[schema(example = "Partner website sync")]
    pub name: String,
    pub scopes: Vec<KeyScope>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// When the key last called the API (to the minute); absent if never.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it was revoked; absent while it works.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A key just made, with its secret: the only time the secret is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedApiKey {
    #[serde(flatten)]
    pub api_key: ApiKey,
    /// Send it as `Authorization: Bearer <key>`. Keep it like a password: only a hash of it
    /// is stored, so it cannot be shown again.
    #[schema(example = "cbk_3q2-7wEvvbQ0cHhX0lYxq0mJ1w3c8wq1m0pQv3lZ9aE")]
    pub key: String,
}

/// A new key, as its user asks for it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Partner website sync", "scopes": ["read", "write"], "expires_at": "2027-06-30T00:00:00Z"}))]
pub struct ApiKeyInput {
    /// What the key is for, so it can be recognised in a list and in the audit trail.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// `review` only for reviewers and administrators. A scope named twice counts once.
    #[schema(min_items = 1, max_items = 3)]
    pub scopes: Vec<KeyScope>,
    /// When the key stops working (RFC 3339, in the future, at most 366 days ahead); 90 days
    /// from now when absent.
    #[schema(format = DateTime, example = "2027-06-30T00:00:00Z")]
    pub expires_at: Option<String>,
}

#[derive(Debug)]
pub struct NewApiKey {
    pub name: String,
    pub scopes: Vec<KeyScope>,
    pub expires_at: DateTime<Utc>,
}

impl ApiKeyInput {
    /// A key never grants more than its creator's role allows.
    pub fn parse(self, creator: Role, now: DateTime<Utc>) -> Result<NewApiKey, Vec<FieldError>> {
        let mut problems = Problems::default();
        let name = problems.required_line("name", &self.name, NAME_MAX);
        let mut scopes = self.scopes;
        if scopes.len() > 3 {
            problems.add("scopes", "must name at most 3 scopes");
        }
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            problems.add("scopes", "name at least one scope: read, write or review");
        }
        if scopes.contains(&KeyScope::Review) && !matches!(creator, Role::Reviewer | Role::Admin) {
            problems.add(
                "scopes",
                "only reviewers and administrators may give a key the `review` scope",
            );
        }
        let expires_at = match self.expires_at.as_deref() {
            None => now + Duration::days(LIFETIME_DEFAULT_DAYS),
            Some(text) => match DateTime::parse_from_rfc3339(text) {
                Ok(at) if at <= now => {
                    problems.add("expires_at", "must be in the future");
                    now
                }
                Ok(at) if at > now + Duration::days(LIFETIME_MAX_DAYS) => {
                    problems.add(
                        "expires_at",
                        format!("must be at most {LIFETIME_MAX_DAYS} days from now"),
                    );
                    now
                }
                Ok(at) => at.with_timezone(&Utc),
                Err(_) => {
                    problems.add(
                        "expires_at",
                        "must be an RFC 3339 date and time, e.g. 2027-06-30T00:00:00Z",
                    );
                    now
                }
            },
        };
        problems.finish(NewApiKey {
            name,
            scopes,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(scopes: &[KeyScope], expires_at: Option<&str>) -> ApiKeyInput {
        ApiKeyInput {
            name: "Website sync".into(),
            scopes: scopes.to_vec(),
            expires_at: expires_at.map(str::to_owned),
        }
    }

    fn fields(result: Result<NewApiKey, Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| problem.field)
            .collect()
    }

    #[test]
    fn a_key_gets_no_more_than_its_creator_has() {
        let now = Utc::now();
        let review = input(&[KeyScope::Read, KeyScope::Review], None);
        assert_eq!(fields(review.parse(Role::Editor, now)), ["scopes"]);
        let review = input(&[KeyScope::Review, KeyScope::Read], None);
        let key = review.parse(Role::Reviewer, now).unwrap();
        assert_eq!(key.scopes, [KeyScope::Read, KeyScope::Review]);
        assert_eq!(key.expires_at, now + Duration::days(LIFETIME_DEFAULT_DAYS));
    }

    #[test]
    fn expiry_is_a_real_time_in_the_coming_year() {
        let now = Utc::now();
        for bad in ["tomorrow", "2001-01-01T00:00:00Z", "2999-01-01T00:00:00Z"] {
            let parsed = input(&[KeyScope::Read], Some(bad)).parse(Role::Editor, now);
            assert_eq!(fields(parsed), ["expires_at"], "{bad}");
        }
        let soon = (now + Duration::days(30)).to_rfc3339();
        let key = input(&[KeyScope::Write], Some(&soon))
            .parse(Role::Editor, now)
            .unwrap();
        assert_eq!(key.expires_at.to_rfc3339(), soon);
        assert_eq!(fields(input(&[], None).parse(Role::Admin, now)), ["scopes"]);
    }
}
