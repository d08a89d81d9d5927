//! What every request can reach: the database pools, the settings, the token keys, the
//! request budgets and the search index. Built once by `startup`, shared by every worker.

use std::sync::Arc;

use actix_web::web::Bytes;

use crate::auth::rate_limit::KeyedLimit;
use crate::auth::tokens::TokenKeys;
use crate::config::Config;
use crate::db::{self, Pool};
use crate::domain::user::Principal;
use crate::error::ApiError;
use crate::export::ExportSlots;
use crate::kept::{Kept, Weight};
use crate::metadata::Site;
use crate::search::SearchIndex;

/// What every handler can reach.
pub struct AppState {
    /// The primary: every write, and every read of a signed-in user.
    pub pool: Pool,
    /// A streaming replica, when configured, for the public's reads.
    pub read_pool: Option<Pool>,
    pub config: Arc<Config>,
    pub tokens: TokenKeys,
    pub limits: Limits,
    pub search: Arc<SearchIndex>,
    /// Published case studies the public has read recently, by the id or slug it used;
    /// valid while the search index stays where it was.
    pub documents: Kept<String, PublicDocument>,
    /// Exports streaming now.
    pub exports: Arc<ExportSlots>,
}

/// A published case study as the public reads it: its JSON and its version.
pub struct PublicDocument {
    pub json: Bytes,
    pub version: i32,
}

impl Weight for PublicDocument {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.json.len()
    }
}

/// Request budgets, per key.
pub struct Limits {
    pub login_client: KeyedLimit,
    /// Sign-ins for one account from one client.
    pub login_account: KeyedLimit,
    /// Sign-ins for one account from anywhere: ten times the above.
    pub login_account_everywhere: KeyedLimit,
    pub writes: KeyedLimit,
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        let rates = config.rate_limits;
        Self {
            login_client: KeyedLimit::per_minute(
                "sign-in attempts from this client",
                rates.login_per_client,
            ),
            login_account: KeyedLimit::per_minute(
                "sign-in attempts for this account",
                rates.login_per_account,
            ),
            login_account_everywhere: KeyedLimit::per_minute(
                "sign-in attempts for this account",
                rates.login_per_account.saturating_mul(10),
            ),
            writes: KeyedLimit::per_minute(
                "changes by this user or API key",
                rates.writes_per_user,
            ),
        }
    }
}

impl AppState {
    /// Where the service is and who publishes through it, for open metadata.
    pub fn site(&self) -> Site {
        Site {
            base: self.config.public_url(),
            publisher: self.config.publisher.clone(),
        }
    }

    /// A pooled connection, or 503 once the configured wait is over.
    pub async fn db(&self) -> Result<db::Connection, ApiError> {
        Ok(self.pool.get().await?)
    }

    /// A connection for reading. The public reads from the replica when there is one; a
    /// signed-in user reads from the primary, so an editor always sees their own changes.
    /// If the replica is away, the primary answers.
    pub async fn read_db(&self, viewer: Option<&Principal>) -> Result<db::Connection, ApiError> {
        match (&self.read_pool, viewer) {
            (Some(replica), None) => match replica.get().await {
                Ok(conn) => Ok(conn),
                Err(error) => {
                    tracing::warn!(error = %error, "replica unavailable; reading from the primary");
                    self.db().await
                }
            },
            _ => self.db().await,
        }
    }
}
