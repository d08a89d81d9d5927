//! Accounts, sessions, API keys and organisations. Every change here is one transaction with its
//! audit record, and the handlers and the command line call the same functions, so an
//! account made from the command line passes the same rules as one made over HTTP.

use diesel_async::AsyncConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::passwords;
use crate::auth::tokens::TokenKeys;
use crate::config::{Secret, TokenSettings};
use crate::db::audit::{self, AuditEvent};
use crate::db::refresh_tokens::{self, Exchange, Issued};
use crate::db::{PgConnection, api_keys, case_studies, organisations, secrets, users};
use crate::domain::api_key::{ApiKey, IssuedApiKey, KEY_PREFIX, KEYS_PER_USER_MAX, NewApiKey};
use crate::domain::organisation::{NewOrganisation, Organisation};
use crate::domain::text::Problems;
use crate::domain::user::{
    Actor, NewUser, PasswordChange, PasswordReset, Principal, User, check_password_policy,
    parse_email,
};
use crate::domain::vocabulary::{AuditKind, ChangeKind, Role};
use crate::editorial;
use crate::error::ApiError;
use crate::state::Limits;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "editor@sbha.example", "password": "a long passphrase of words"}))]
pub struct Credentials {
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: Secret,
}

/// Tokens for the API: send `Authorization: Bearer <access_token>`.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT, valid for `expires_in` seconds.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Exchange it at `/api/v1/auth/refresh` for new tokens, without the password. It works
    /// once; presenting it again revokes every token issued from it.
    pub refresh_token: String,
    #[schema(example = 2592000)]
    pub refresh_expires_in: i64,
}

/// What signing in needs beside the database: the budgets and the keys.
pub struct Sessions<'a> {
    pub limits: &'a Limits,
    pub keys: &'a TokenKeys,
    pub settings: &'a TokenSettings,
}

impl Sessions<'_> {
    /// Checks the password (as slowly for an unknown email as for a known one, within the
    /// client's and the account's budgets) and opens a session. Failures are audited.
    pub async fn sign_in(
        &self,
        conn: &mut PgConnection,
        credentials: Credentials,
        client: String,
    ) -> Result<TokenResponse, ApiError> {
        let user = self.verified(conn, credentials, &client).await?;
        let tokens = self.tokens_for(conn, &user, None).await?;
        audit::record(conn, AuditKind::Login, signed_in(&user, client)).await?;
        Ok(tokens)
    }

    /// Signs a browser in, with the same checks and audit: a sign-in without a refresh token
    /// to hand out (pages renew it as they are asked for), and a token lasting as long as a
    /// browser may stay idle.
    pub async fn sign_in_browser(
        &self,
        conn: &mut PgConnection,
        credentials: Credentials,
        client: String,
    ) -> Result<String, ApiError> {
        let user = self.verified(conn, credentials, &client).await?;
        let Issued { family_id, .. } =
            refresh_tokens::issue(conn, user.id, None, self.settings.refresh_ttl).await?;
        audit::record(conn, AuditKind::Login, signed_in(&user, client)).await?;
        Ok(self.keys.issue_lasting(
            user.id,
            user.organisation.id,
            user.role,
            Some(family_id),
            self.keys.session_idle_secs,
        ))
    }

    /// The account these credentials open, checked within the client's and the account's
    /// budgets; failures are audited.
    async fn verified(
        &self,
        conn: &mut PgConnection,
        credentials: Credentials,
        client: &str,
    ) -> Result<User, ApiError> {
        self.limits.login_client.check(client)?;
        // No account has an address with NUL in it, and PostgreSQL could not even look for one.
        let email = credentials.email.trim().replace('\0', "");
        let found = match email.len() == credentials.email.trim().len() {
            true => users::credentials(conn, &email).await?,
            false => None,
        };
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), Some(hash)),
            None => (None, None),
        };
        // An account's budget is keyed by the account found, so every spelling of its
        // address that the lookup accepts shares it; and kept per client, so a stranger
        // guessing from elsewhere does not lock its user out. A larger budget across all
        // clients stops guessing spread over many addresses.
        let account = match &user {
            Some(user) => user.id.to_string(),
            None => email.to_lowercase(),
        };
        self.limits
            .login_account
            .check(&format!("{account} from {client}"))?;
        self.limits.login_account_everywhere.check(&account)?;
        // Checked against a dummy hash when there is no account, so both take as long.
        let verified = passwords::verify(credentials.password, hash).await;
        match user {
            Some(user) if verified => Ok(user),
            tried => {
                // People type passwords into the email field: only an address is kept.
                let mut problems = Problems::default();
                let address = parse_email(&mut problems, "email", &email);
                let detail = problems
                    .finish(())
                    .is_ok()
                    .then(|| serde_json::json!({ "email": address.to_lowercase() }));
                let event = AuditEvent {
                    user_id: tried.map(|u| u.id),
                    client: Some(client.to_owned()),
                    detail,
                    ..AuditEvent::default()
                };
                audit::record(conn, AuditKind::LoginFailed, event).await?;
                Err(ApiError::InvalidCredentials)
            }
        }
    }

    /// Exchanges a refresh token for new tokens; a token presented twice revokes its family.
    pub async fn refresh(
        &self,
        conn: &mut PgConnection,
        refresh_token: &Secret,
        client: String,
    ) -> Result<TokenResponse, ApiError> {
        self.limits.login_client.check(&client)?;
        let ttl = self.settings.refresh_ttl;
        match refresh_tokens::exchange(conn, refresh_token.expose(), ttl).await? {
            Exchange::Rotated { user_id, token } => {
                let Some(user) = users::find_active(conn, user_id).await? else {
                    refresh_tokens::revoke_for_user(conn, user_id).await?;
                    return Err(ApiError::InvalidToken("the account is not active"));
                };
                let tokens = self.tokens_for(conn, &user, Some(token)).await?;
                let event = signed_in(&user, client);
                audit::record(conn, AuditKind::TokenRefreshed, event).await?;
                Ok(tokens)
            }
            Exchange::Reused { user_id } => {
                let event = AuditEvent {
                    user_id: Some(user_id),
                    client: Some(client),
                    ..AuditEvent::default()
                };
                audit::record(conn, AuditKind::TokenReuseDetected, event).await?;
                Err(ApiError::InvalidToken(
                    "the refresh token was already used; sign in again",
                ))
            }
            Exchange::Refused => Err(ApiError::InvalidToken("the refresh token is not valid")),
        }
    }

    async fn tokens_for(
        &self,
        conn: &mut PgConnection,
        user: &User,
        rotated: Option<Issued>,
    ) -> Result<TokenResponse, ApiError> {
        let Issued { token, family_id } = match rotated {
            Some(issued) => issued,
            None => refresh_tokens::issue(conn, user.id, None, self.settings.refresh_ttl).await?,
        };
        let session = Some(family_id);
        Ok(TokenResponse {
            access_token: self
                .keys
                .issue(user.id, user.organisation.id, user.role, session),
            token_type: "Bearer",
            expires_in: self.keys.access_ttl_secs,
            refresh_token: token,
            refresh_expires_in: self.settings.refresh_ttl.as_secs() as i64,
        })
    }
}

/// A user's own change of password: the current one must be given, and guessing it counts
/// against the same budget as signing in.
pub async fn change_password(
    conn: &mut PgConnection,
    limits: &Limits,
    principal: &Principal,
    change: PasswordChange,
    client: String,
) -> Result<(), ApiError> {
    limits
        .login_account
        .check(&format!("{} from {client}", principal.user_id))?;
    check_password_policy(&change.new_password)
        .map_err(|message| ApiError::validation("new_password", message))?;
    let stored = users::password_hash(conn, principal.user_id).await?;
    if !passwords::verify(change.current_password, stored).await {
        return Err(ApiError::validation(
            "current_password",
            "is not your current password",
        ));
    }
    let user = users::find(conn, principal.user_id)
        .await?
        .ok_or(ApiError::NotFound("user"))?;
    let actor = Actor::user(principal, client);
    set_password(
        conn,
        &user,
        change.new_password,
        &actor,
        AuditKind::PasswordChanged,
    )
    .await
}

/// An administrator's reset of another user's password.
pub async fn reset_password(
    conn: &mut PgConnection,
    user: &User,
    reset: PasswordReset,
    actor: &Actor,
) -> Result<(), ApiError> {
    // One's own password is changed with the current one (`/auth/password`).
    refuse_own_account(actor, user, "reset the password of")?;
    check_password_policy(&reset.password)
        .map_err(|message| ApiError::validation("password", message))?;
    set_password(conn, user, reset.password, actor, AuditKind::PasswordReset).await
}

/// Stores the new password and ends every sign-in of the user: their refresh tokens are
/// revoked, and with them every access token issued for those sign-ins.
async fn set_password(
    conn: &mut PgConnection,
    user: &User,
    password: Secret,
    actor: &Actor,
    kind: AuditKind,
) -> Result<(), ApiError> {
    let hash = passwords::hash(password).await?;
    conn.transaction(async |conn| {
        users::set_password_hash(conn, user.id, &hash).await?;
        refresh_tokens::revoke_for_user(conn, user.id).await?;
        record_user(conn, kind, actor, user, None).await
    })
    .await
}

/// Signs a browser out: ends its sign-in, so its token no longer works anywhere.
pub async fn sign_out_browser(
    conn: &mut PgConnection,
    principal: &Principal,
    session: Uuid,
    client: String,
) -> Result<(), ApiError> {
    refresh_tokens::end_session(conn, session).await?;
    let event = AuditEvent {
        user_id: Some(principal.user_id),
        actor_id: Some(principal.user_id),
        client: Some(client),
        ..AuditEvent::default()
    };
    audit::record(conn, AuditKind::Logout, event).await
}

/// Signs out: revokes a refresh token and every token refreshed from it.
pub async fn sign_out(
    conn: &mut PgConnection,
    refresh_token: &Secret,
    client: String,
) -> Result<(), ApiError> {
    if let Some(user_id) = refresh_tokens::revoke(conn, refresh_token.expose()).await? {
        let event = AuditEvent {
            user_id: Some(user_id),
            actor_id: Some(user_id),
            client: Some(client),
            ..AuditEvent::default()
        };
        audit::record(conn, AuditKind::Logout, event).await?;
    }
    Ok(())
}

fn signed_in(user: &User, client: String) -> AuditEvent {
    AuditEvent {
        actor_id: Some(user.id),
        user_id: Some(user.id),
        organisation_id: Some(user.organisation.id),
        client: Some(client),
        ..AuditEvent::default()
    }
}

/// Creates an account in an existing organisation (a 422 naming `organisation` if there
/// is none such).
pub async fn create_user(
    conn: &mut PgConnection,
    new: NewUser,
    actor: &Actor,
) -> Result<User, ApiError> {
    let organisation = organisations::resolve(conn, &[&new.organisation])
        .await?
        .map_err(|_| {
            ApiError::validation(
                "organisation",
                format!("no organisation `{}`", new.organisation),
            )
        })?
        .remove(&new.organisation)
        .expect("resolved");
    let hash = passwords::hash(new.password).await?;
    conn.transaction(async |conn| {
        let user = users::insert(conn, &new.email, organisation.id, new.role, &hash).await?;
        record_user(conn, AuditKind::UserCreated, actor, &user, None).await?;
        Ok(user)
    })
    .await
}

/// Deactivates an account and revokes its refresh tokens; its access tokens stop working
/// at once because every request checks the account. Deactivating twice changes nothing.
pub async fn deactivate_user(
    conn: &mut PgConnection,
    user: &User,
    actor: &Actor,
) -> Result<(), ApiError> {
    refuse_own_account(actor, user, "deactivate")?;
    conn.transaction(async |conn| {
        if users::deactivate(conn, user.id).await? {
            refresh_tokens::revoke_for_user(conn, user.id).await?;
            api_keys::revoke_for_user(conn, user.id).await?;
            record_user(conn, AuditKind::UserDeactivated, actor, user, None).await?;
        }
        Ok(())
    })
    .await
}

pub async fn change_role(
    conn: &mut PgConnection,
    user: &User,
    role: Role,
    actor: &Actor,
) -> Result<(), ApiError> {
    refuse_own_account(actor, user, "change the role of")?;
    if user.role == role {
        return Ok(());
    }
    conn.transaction(async |conn| {
        users::set_role(conn, user.id, role).await?;
        let detail = serde_json::json!({"from": user.role, "to": role});
        record_user(conn, AuditKind::RoleChanged, actor, user, Some(detail)).await
    })
    .await
}

/// An administrator cannot lock themselves out; another administrator can.
fn refuse_own_account(actor: &Actor, user: &User, what: &str) -> Result<(), ApiError> {
    if actor.user_id() == Some(user.id) {
        Err(ApiError::Conflict(format!(
            "administrators cannot {what} their own account; ask another administrator"
        )))
    } else {
        Ok(())
    }
}

async fn record_user(
    conn: &mut PgConnection,
    kind: AuditKind,
    actor: &Actor,
    user: &User,
    detail: Option<serde_json::Value>,
) -> Result<(), ApiError> {
    let event = AuditEvent {
        user_id: Some(user.id),
        organisation_id: Some(user.organisation.id),
        ..actor_event(actor, detail)
    };
    audit::record(conn, kind, event).await
}

/// Makes an API key for the signed-in user. The secret is in the answer and nowhere else.
pub async fn create_api_key(
    conn: &mut PgConnection,
    principal: &Principal,
    new: NewApiKey,
    client: String,
) -> Result<IssuedApiKey, ApiError> {
    let secret = format!("{KEY_PREFIX}{}", secrets::generate()?);
    let actor = Actor::user(principal, client);
    conn.transaction(async |conn| {
        // Counted under a lock on the account, so two requests at once cannot both pass.
        users::lock(conn, principal.user_id).await?;
        if api_keys::live_count(conn, principal.user_id).await? >= KEYS_PER_USER_MAX {
            return Err(ApiError::Conflict(format!(
                "you already have {KEYS_PER_USER_MAX} working API keys; revoke one first"
            )));
        }
        let api_key = api_keys::insert(conn, principal.user_id, &new, &secret).await?;
        record_key(conn, AuditKind::ApiKeyCreated, &actor, principal, &api_key).await?;
        Ok(IssuedApiKey {
            api_key,
            key: secret,
        })
    })
    .await
}

/// The caller's keys; every key for an administrator.
pub async fn list_api_keys(
    conn: &mut PgConnection,
    principal: &Principal,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<ApiKey>, ApiError> {
    let owner = (!principal.is_admin()).then_some(principal.user_id);
    api_keys::list(conn, owner, after, limit).await
}

/// Revokes a key of the caller's (any key, for an administrator); it stops working at once.
/// Others' keys are not found, so their ids reveal nothing.
pub async fn revoke_api_key(
    conn: &mut PgConnection,
    principal: &Principal,
    id: Uuid,
    client: String,
) -> Result<(), ApiError> {
    let actor = Actor::user(principal, client);
    conn.transaction(async |conn| {
        let api_key = api_keys::find(conn, id)
            .await?
            .filter(|key| principal.is_admin() || key.user_id == principal.user_id)
            .ok_or(ApiError::NotFound("API key"))?;
        if api_key.revoked_at.is_none() {
            api_keys::revoke(conn, id).await?;
            record_key(conn, AuditKind::ApiKeyRevoked, &actor, principal, &api_key).await?;
        }
        Ok(())
    })
    .await
}

async fn record_key(
    conn: &mut PgConnection,
    kind: AuditKind,
    actor: &Actor,
    principal: &Principal,
    api_key: &ApiKey,
) -> Result<(), ApiError> {
    let detail = serde_json::json!({
        "api_key": api_key.id,
        "name": api_key.name,
        "scopes": api_key.scopes,
    });
    let event = AuditEvent {
        user_id: Some(api_key.user_id),
        organisation_id: Some(principal.organisation_id),
        ..actor_event(actor, Some(detail))
    };
    audit::record(conn, kind, event).await
}

/// A change to an organisation.
pub enum OrganisationChange<'a> {
    Create(&'a NewOrganisation),
    Update(Uuid, &'a NewOrganisation),
}

/// Makes the change and its audit record in one transaction: neither without the other.
pub async fn write_organisation(
    conn: &mut PgConnection,
    change: OrganisationChange<'_>,
    actor: &Actor,
) -> Result<Organisation, ApiError> {
    conn.transaction(async |conn| {
        let (organisation, kind) = match change {
            OrganisationChange::Create(new) => (
                organisations::insert(conn, new).await?,
                AuditKind::OrganisationCreated,
            ),
            OrganisationChange::Update(id, changed) => {
                let updated = organisations::update(conn, id, changed).await?;
                // Published case studies show its name: to mirrors and harvesters, they changed.
                let named = case_studies::published_naming(conn, id).await?;
                let changed: Vec<_> = named
                    .into_iter()
                    .map(|c| (c, ChangeKind::Updated))
                    .collect();
                editorial::live_changed(conn, &changed).await?;
                (updated, AuditKind::OrganisationUpdated)
            }
        };
        let event = AuditEvent {
            organisation_id: Some(organisation.id),
            ..actor_event(actor, None)
        };
        audit::record(conn, kind, event).await?;
        Ok(organisation)
    })
    .await
}

/// Who acted, for an audit record; a change by nobody signed in came from the command line.
fn actor_event(actor: &Actor, detail: Option<serde_json::Value>) -> AuditEvent {
    let detail = match (&actor.principal, detail) {
        (None, None) => Some(serde_json::json!({"via": "command line"})),
        (_, detail) => detail,
    };
    AuditEvent {
        actor_id: actor.user_id(),
        api_key_id: actor.api_key_id(),
        client: actor.client.clone(),
        detail,
        ..AuditEvent::default()
    }
}
