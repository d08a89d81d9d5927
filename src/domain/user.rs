//! Accounts of partner editors, reviewers and administrators.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::organisation::{OrganisationRef, OrganisationSummary};
use super::text::Problems;
use super::vocabulary::Role;
use crate::auth::passwords;
use crate::config::Secret;
use crate::error::FieldError;

pub const EMAIL_MAX: usize = 254;

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
    /// At least 12 characters.
    #[schema(value_type = String, format = Password, min_length = 12, max_length = 1024)]
    pub password: Secret,
    /// The organisation's slug or id.
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
        if let Err(message) = passwords::check_policy(&self.password) {
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

/// A role change, by an administrator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}
