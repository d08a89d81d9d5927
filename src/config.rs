//! Every setting, read from the environment once at start-up and validated there,
//! so a typo in a deployment fails loudly before the first request.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use crate::domain::license::{DEFAULT_LICENSE, License};

/// A value that must never reach a log line or an error message.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Read from JSON as a plain string, and never written back.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    /// May carry a password, hence secret.
    pub url: Secret,
    /// A streaming replica for the public's reads (searches, exports, published case studies).
    pub read_url: Option<Secret>,
    pub pool_size: usize,
    /// How long a request waits for a pooled connection, and how long a new connection may take.
    pub acquire_timeout: Duration,
    /// Upper bound on any one SQL statement.
    pub statement_timeout: Duration,
}

/// The database URL, with `CASEBOOK_DATABASE_PASSWORD` put in when it is set (a password
/// holding `@`, `:`, `/` or `#` then needs no escaping by hand), and
/// `CASEBOOK_DATABASE_CA_FILE` as its `sslrootcert` unless it names one itself.
fn connection_url(
    url: &Setting,
    password: Option<&Secret>,
    ca_file: Option<&str>,
) -> Result<Secret, ConfigError> {
    if password.is_none() && ca_file.is_none() {
        return Ok(Secret::new(url.value.clone()));
    }
    let mut parsed = url::Url::parse(&url.value)
        .map_err(|_| url.invalid_redacted("is not a URL of the form postgres://user@host/db"))?;
    if let Some(password) = password {
        // Encoded here in full: `Url` would leave a `%` in it as it is.
        let encoded = percent_encoding::utf8_percent_encode(
            password.expose(),
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string();
        parsed
            .set_password(Some(&encoded))
            .map_err(|()| url.invalid_redacted("names no host to give the password to"))?;
    }
    if let Some(ca_file) = ca_file
        && !parsed.query_pairs().any(|(name, _)| name == "sslrootcert")
    {
        parsed.query_pairs_mut().append_pair("sslrootcert", ca_file);
    }
    Ok(Secret::new(parsed.to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// How access tokens are signed and checked.
#[derive(Debug, Clone)]
pub struct TokenSettings {
    /// Key id (`kid`) of the key that signs new tokens.
    pub signing_key_id: String,
    /// Every key that verifies tokens, by id; the signing key is one of them. Older keys stay
    /// here during a rotation so tokens they signed keep working until they expire.
    pub keys: Vec<(String, Secret)>,
    /// True when no key was configured and one was generated for this process (development only).
    pub ephemeral: bool,
    pub issuer: String,
    pub audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// How long a browser's sign-in lasts without a page being asked for.
    pub session_idle: Duration,
}

/// Requests allowed per minute, per key, before answering 429.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Logins and refreshes from one client address.
    pub login_per_client: u32,
    /// Logins for one account, whoever tries.
    pub login_per_account: u32,
    /// Writes by one user.
    pub writes_per_user: u32,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub addr: SocketAddr,
    /// Where `/metrics` is served instead of on `addr`, so it need not be public.
    pub metrics_addr: Option<SocketAddr>,
    pub database: DatabaseSettings,
    /// How long `serve` keeps trying to reach the database at start-up before giving up.
    pub database_wait: Duration,
    /// Load the demo case studies into an empty database at start-up.
    pub demo_data: bool,
    pub log_format: LogFormat,
    /// Worker threads serving HTTP; 0 means two per CPU core (see `http_workers`).
    pub workers: usize,
    pub max_body_bytes: usize,
    /// The largest file a case study may have attached.
    pub max_attachment_bytes: u64,
    pub shutdown_timeout: Duration,
    pub tokens: TokenSettings,
    pub rate_limits: RateLimits,
    /// How often the search index looks for changes made through other replicas.
    pub search_refresh: Duration,
    /// The most memory kept answers to public searches may take; 0 keeps none.
    pub search_cache_bytes: usize,
    /// Where the search index keeps its words between starts, so a restart analyses only
    /// what changed meanwhile; without it every start indexes the whole collection.
    pub search_index_dir: Option<std::path::PathBuf>,
    /// The most memory kept published case studies may take; 0 keeps none.
    pub read_cache_bytes: usize,
    /// Where clients reach the service, for absolute links (feeds); by default its address.
    pub public_url: Option<String>,
    /// Browser origins allowed to call the API (CORS); `*` for any.
    pub cors_origins: Vec<String>,
    /// The most time a request may take to produce its answer.
    pub request_timeout: Duration,
    /// How long browsers, proxies and CDNs may keep an anonymous answer before asking again.
    pub public_max_age: Duration,
    /// Load balancers and proxies whose `Forwarded` / `X-Forwarded-For` are believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub exports: ExportLimits,
    /// The embedding model's folder, for search by meaning; by default `models/all-MiniLM-L6-v2`
    /// when it is there.
    pub embedding_model: Option<String>,
    /// Who publishes the case studies, as citations and DataCite name it.
    pub publisher: String,
    /// Records on a page of an OAI-PMH list (identifiers: four times as many).
    pub oai_page_size: usize,
    /// Who answers for the repository, as OAI-PMH's `Identify` names them.
    pub admin_email: String,
    /// The licence of a case study whose partners name none.
    pub default_license: License,
}

/// Streamed exports: how many at once, and how long a client may leave one unread.
#[derive(Debug, Clone, Copy)]
pub struct ExportLimits {
    pub total: usize,
    pub per_client: usize,
    pub idle: Duration,
}

/// Signing keys shorter than this are refused: HS256 is only as strong as its key.
pub const MIN_KEY_BYTES: usize = 32;

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {name}={value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: String,
}

const MIB: usize = 1024 * 1024;

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/casebook";

impl Config {
    /// HTTP worker threads: as configured, or two per CPU core. A worker computes a search
    /// on its own thread between waits for the database; with one per core, a core sat idle
    /// whenever its worker waited, and the second lifted cold searches by a fifth.
    pub fn http_workers(&self) -> usize {
        if self.workers > 0 {
            return self.workers;
        }
        2 * std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    }

    pub fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can configure without touching the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let setting = |name: &'static str, default: &str| -> Setting {
            Setting {
                name,
                value: lookup(name).unwrap_or_else(|| default.to_owned()),
            }
        };
        let database_url = setting("DATABASE_URL", DEFAULT_DATABASE_URL);
        if !(database_url.value.starts_with("postgres://")
            || database_url.value.starts_with("postgresql://"))
        {
            return Err(database_url.invalid_redacted("must be a postgres:// URL"));
        }
        let ca_file = lookup("CASEBOOK_DATABASE_CA_FILE").filter(|path| !path.trim().is_empty());
        let password = lookup("CASEBOOK_DATABASE_PASSWORD")
            .filter(|password| !password.is_empty())
            .map(Secret::new);
        let environment = match setting("CASEBOOK_ENV", "development") {
            s if s.value == "development" => Environment::Development,
            s if s.value == "production" => Environment::Production,
            s => return Err(s.invalid("must be `development` or `production`")),
        };
        Ok(Self {
            environment,
            tokens: token_settings(&setting, environment)?,
            rate_limits: RateLimits {
                login_per_client: setting("CASEBOOK_LOGIN_RATE_PER_CLIENT", "30")
                    .parse_in(1..=100_000)?,
                login_per_account: setting("CASEBOOK_LOGIN_RATE_PER_ACCOUNT", "10")
                    .parse_in(1..=100_000)?,
                writes_per_user: setting("CASEBOOK_WRITE_RATE_PER_USER", "600")
                    .parse_in(1..=1_000_000)?,
            },
            search_refresh: Duration::from_millis(
                setting("CASEBOOK_SEARCH_REFRESH_MS", "500").parse_in(10..=60_000)?,
            ),
            search_cache_bytes: setting("CASEBOOK_SEARCH_CACHE_MB", "32")
                .parse_in(0usize..=65_536)?
                * MIB,
            read_cache_bytes: setting("CASEBOOK_READ_CACHE_MB", "24").parse_in(0usize..=65_536)?
                * MIB,
            public_url: lookup("CASEBOOK_PUBLIC_URL")
                .map(|url| url.trim_end_matches('/').to_owned()),
            cors_origins: setting("CASEBOOK_CORS_ORIGINS", "")
                .value
                .split(',')
                .map(str::trim)
                .filter(|origin| !origin.is_empty())
                .map(str::to_owned)
                .collect(),
            request_timeout: Duration::from_secs(
                setting("CASEBOOK_REQUEST_TIMEOUT_SECS", "30").parse_in(1..=3600)?,
            ),
            public_max_age: Duration::from_secs(
                setting("CASEBOOK_PUBLIC_MAX_AGE_SECS", "60").parse_in(0..=86_400)?,
            ),
            trusted_proxies: setting("CASEBOOK_TRUSTED_PROXIES", "").parse_networks()?,
            search_index_dir: lookup("CASEBOOK_SEARCH_INDEX_DIR")
                .filter(|dir| !dir.trim().is_empty())
                .map(Into::into),
            embedding_model: lookup("CASEBOOK_EMBEDDING_MODEL")
                .filter(|dir| !dir.trim().is_empty()),
            exports: ExportLimits {
                total: setting("CASEBOOK_EXPORTS_MAX", "4").parse_in(1..=1000)?,
                per_client: setting("CASEBOOK_EXPORTS_PER_CLIENT", "2").parse_in(1..=1000)?,
                idle: Duration::from_secs(
                    setting("CASEBOOK_EXPORT_IDLE_SECS", "30").parse_in(1..=3600)?,
                ),
            },
            publisher: match setting("CASEBOOK_PUBLISHER", "casebook") {
                s if s.value.trim().is_empty() || s.value.chars().any(char::is_control) => {
                    return Err(s.invalid("must be a name on one line"));
                }
                s => s.value.trim().to_owned(),
            },
            default_license: setting("CASEBOOK_DEFAULT_LICENSE", DEFAULT_LICENSE).parse()?,
            oai_page_size: setting("CASEBOOK_OAI_PAGE_SIZE", "50").parse_in(1..=1000)?,
            admin_email: match setting("CASEBOOK_ADMIN_EMAIL", "admin@localhost") {
                s if s.value.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty() && !domain.is_empty() && !domain.contains('@')
                }) && !s
                    .value
                    .contains(|c: char| c.is_whitespace() || c.is_control()) =>
                {
                    s.value
                }
                s => return Err(s.invalid("must be an email address")),
            },
            addr: setting("CASEBOOK_ADDR", "127.0.0.1:8080").parse()?,
            metrics_addr: match lookup("CASEBOOK_METRICS_ADDR").filter(|a| !a.trim().is_empty()) {
                Some(_) => Some(setting("CASEBOOK_METRICS_ADDR", "").parse()?),
                None => None,
            },
            database: DatabaseSettings {
                url: connection_url(&database_url, password.as_ref(), ca_file.as_deref())?,
                read_url: match lookup("DATABASE_READ_URL").filter(|url| !url.trim().is_empty()) {
                    Some(url) => Some(connection_url(
                        &Setting {
                            name: "DATABASE_READ_URL",
                            value: url,
                        },
                        password.as_ref(),
                        ca_file.as_deref(),
                    )?),
                    None => None,
                },
                pool_size: setting("CASEBOOK_DB_POOL_SIZE", "16").parse_in(1..=1000)?,
                acquire_timeout: Duration::from_millis(
                    setting("CASEBOOK_DB_ACQUIRE_TIMEOUT_MS", "2000").parse_in(1..=600_000)?,
                ),
                statement_timeout: Duration::from_millis(
                    setting("CASEBOOK_DB_STATEMENT_TIMEOUT_MS", "5000").parse_in(1..=3_600_000)?,
                ),
            },
            database_wait: Duration::from_secs(
                setting("CASEBOOK_DATABASE_WAIT_SECS", "60").parse_in(0..=3600)?,
            ),
            demo_data: setting("CASEBOOK_DEMO_DATA", "true").parse_bool()?,
            log_format: match setting("CASEBOOK_LOG_FORMAT", "text") {
                s if s.value == "text" => LogFormat::Text,
                s if s.value == "json" => LogFormat::Json,
                s => return Err(s.invalid("must be `text` or `json`")),
            },
            workers: setting("CASEBOOK_WORKERS", "0").parse_in(0..=256)?,
            max_body_bytes: setting("CASEBOOK_MAX_BODY_BYTES", "1048576")
                .parse_in(1024..=64 * 1024 * 1024)?,
            max_attachment_bytes: setting("CASEBOOK_MAX_ATTACHMENT_BYTES", "20971520")
                .parse_in(1024..=1024 * 1024 * 1024)?,
            shutdown_timeout: Duration::from_secs(
                setting("CASEBOOK_SHUTDOWN_TIMEOUT_SECS", "10").parse_in(0..=600)?,
            ),
        })
    }
}

fn token_settings(
    setting: &impl Fn(&'static str, &str) -> Setting,
    environment: Environment,
) -> Result<TokenSettings, ConfigError> {
    let signing_key_id = setting("CASEBOOK_JWT_KEY_ID", "primary").value;
    let signing_key = setting("CASEBOOK_JWT_SIGNING_KEY", "");
    let previous = setting("CASEBOOK_JWT_PREVIOUS_KEYS", "");
    let mut keys = Vec::new();
    let ephemeral = signing_key.value.is_empty();
    if ephemeral {
        if environment == Environment::Production {
            return Err(signing_key.invalid("must be set in production (at least 32 bytes)"));
        }
        let mut key = [0u8; MIN_KEY_BYTES];
        getrandom::fill(&mut key).map_err(|e| signing_key.invalid(e.to_string()))?;
        keys.push((signing_key_id.clone(), Secret::new(hex(&key))));
    } else if signing_key.value.len() < MIN_KEY_BYTES {
        return Err(signing_key.invalid_redacted(format!("must be at least {MIN_KEY_BYTES} bytes")));
    } else {
        keys.push((signing_key_id.clone(), Secret::new(signing_key.value)));
    }
    // CASEBOOK_JWT_PREVIOUS_KEYS=old-id=old-secret,older-id=older-secret
    for entry in previous
        .value
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        match entry.split_once('=') {
            Some((kid, key))
                if !kid.is_empty() && key.len() >= MIN_KEY_BYTES && kid != signing_key_id =>
            {
                keys.push((kid.to_owned(), Secret::new(key)));
            }
            _ => {
                return Err(previous.invalid_redacted(format!(
                    "must be comma-separated `id=key` pairs, keys of at least {MIN_KEY_BYTES} bytes, ids other than the signing key's"
                )));
            }
        }
    }
    Ok(TokenSettings {
        signing_key_id,
        keys,
        ephemeral,
        issuer: setting("CASEBOOK_JWT_ISSUER", "casebook").value,
        audience: setting("CASEBOOK_JWT_AUDIENCE", "casebook-api").value,
        access_ttl: Duration::from_secs(
            setting("CASEBOOK_ACCESS_TOKEN_TTL_SECS", "900").parse_in(10..=86_400)?,
        ),
        refresh_ttl: Duration::from_secs(
            setting("CASEBOOK_REFRESH_TOKEN_TTL_SECS", "2592000").parse_in(60..=31_536_000)?,
        ),
        session_idle: Duration::from_secs(
            setting("CASEBOOK_SESSION_IDLE_SECS", "7200").parse_in(60..=86_400)?,
        ),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct Setting {
    name: &'static str,
    value: String,
}

impl Setting {
    fn invalid(&self, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            name: self.name,
            value: self.value.clone(),
            reason: reason.into(),
        }
    }

    fn invalid_redacted(&self, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            name: self.name,
            value: "[redacted]".into(),
            reason: reason.into(),
        }
    }

    /// Comma-separated networks (`10.0.0.0/8`) or single addresses.
    fn parse_networks(&self) -> Result<Vec<ipnet::IpNet>, ConfigError> {
        self.value
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<ipnet::IpNet>()
                    .or_else(|_| entry.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| {
                        self.invalid(format!(
                            "`{entry}` is not an address or a network such as 10.0.0.0/8"
                        ))
                    })
            })
            .collect()
    }

    fn parse<T: std::str::FromStr>(&self) -> Result<T, ConfigError>
    where
        T::Err: fmt::Display,
    {
        self.value
            .trim()
            .parse()
            .map_err(|e: T::Err| self.invalid(e.to_string()))
    }

    fn parse_in<T>(&self, range: std::ops::RangeInclusive<T>) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + fmt::Display,
        T::Err: fmt::Display,
    {
        let value: T = self.parse()?;
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(self.invalid(format!(
                "must be between {} and {}",
                range.start(),
                range.end()
            )))
        }
    }

    fn parse_bool(&self) -> Result<bool, ConfigError> {
        match self.value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(self.invalid("must be true or false")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let env: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| env.get(name).cloned())
    }

    #[test]
    fn defaults_serve_locally_against_the_local_database() {
        let config = config(&[]).unwrap();
        assert_eq!(config.addr.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database.url.expose(), DEFAULT_DATABASE_URL);
        assert!(config.demo_data);
    }

    #[test]
    fn a_bad_value_names_the_setting() {
        let error = config(&[("CASEBOOK_DEMO_DATA", "maybe")]).unwrap_err();
        assert!(error.to_string().contains("CASEBOOK_DEMO_DATA"));
    }

    #[test]
    fn production_needs_a_signing_key() {
        let error = config(&[("CASEBOOK_ENV", "production")]).unwrap_err();
        assert!(error.to_string().contains("CASEBOOK_JWT_SIGNING_KEY"));
        let development = config(&[]).unwrap();
        assert!(development.tokens.ephemeral);
        let short = config(&[("CASEBOOK_JWT_SIGNING_KEY", "too-short")]).unwrap_err();
        assert!(!short.to_string().contains("too-short"), "keys never print");
        let rotated = config(&[
            ("CASEBOOK_ENV", "production"),
            (
                "CASEBOOK_JWT_SIGNING_KEY",
                "0123456789abcdef0123456789abcdef-new",
            ),
            ("CASEBOOK_JWT_KEY_ID", "2026-11"),
            (
                "CASEBOOK_JWT_PREVIOUS_KEYS",
                "2026-10=0123456789abcdef0123456789abcdef-old",
            ),
        ])
        .unwrap();
        let ids: Vec<&str> = rotated
            .tokens
            .keys
            .iter()
            .map(|(id, _)| id.as_str())
            .collect();
        assert_eq!(ids, ["2026-11", "2026-10"]);
        assert!(
            !format!("{rotated:?}").contains("abcdef"),
            "keys never print"
        );
    }

    #[test]
    fn the_database_url_never_prints() {
        let config = config(&[("DATABASE_URL", "postgres://u:hunter2@db/casebook")]).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        let error = self::config(&[("DATABASE_URL", "mysql://u:hunter2@db/x")]).unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
    }

    #[test]
    fn a_database_password_needs_no_escaping_by_hand() {
        let config = config(&[
            ("DATABASE_URL", "postgres://casebook@db:5432/casebook"),
            ("DATABASE_READ_URL", "postgres://casebook@replica/casebook"),
            ("CASEBOOK_DATABASE_PASSWORD", "p@ss:w/rd#1 %"),
        ])
        .unwrap();
        assert_eq!(
            config.database.url.expose(),
            "postgres://casebook:p%40ss%3Aw%2Frd%231%20%25@db:5432/casebook"
        );
        let read = config.database.read_url.unwrap();
        assert!(read.expose().starts_with("postgres://casebook:p%40ss"));
    }
}
