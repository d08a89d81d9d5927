//! Every setting, read from the environment once at start-up and validated there,
//! so a typo in a deployment fails loudly before the first request.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

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
    pub pool_size: usize,
    /// How long a request waits for a pooled connection, and how long a new connection may take.
    pub acquire_timeout: Duration,
    /// Upper bound on any one SQL statement.
    pub statement_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database: DatabaseSettings,
    /// Load the demo case studies into an empty database at start-up.
    pub demo_data: bool,
    pub log_format: LogFormat,
    /// Worker threads serving HTTP; 0 means one per CPU core.
    pub workers: usize,
    pub max_body_bytes: usize,
    pub shutdown_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
#[error("invalid configuration: {name}={value:?}: {reason}")]
pub struct ConfigError {
    name: &'static str,
    value: String,
    reason: String,
}

pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/casebook";

impl Config {
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
        Ok(Self {
            addr: setting("CASEBOOK_ADDR", "127.0.0.1:8080").parse()?,
            database: DatabaseSettings {
                url: Secret::new(database_url.value),
                pool_size: setting("CASEBOOK_DB_POOL_SIZE", "16").parse_in(1..=1000)?,
                acquire_timeout: Duration::from_millis(
                    setting("CASEBOOK_DB_ACQUIRE_TIMEOUT_MS", "2000").parse_in(1..=600_000)?,
                ),
                statement_timeout: Duration::from_millis(
                    setting("CASEBOOK_DB_STATEMENT_TIMEOUT_MS", "5000").parse_in(1..=3_600_000)?,
                ),
            },
            demo_data: setting("CASEBOOK_DEMO_DATA", "true").parse_bool()?,
            log_format: match setting("CASEBOOK_LOG_FORMAT", "text") {
                s if s.value == "text" => LogFormat::Text,
                s if s.value == "json" => LogFormat::Json,
                s => return Err(s.invalid("must be `text` or `json`")),
            },
            workers: setting("CASEBOOK_WORKERS", "0").parse_in(0..=256)?,
            max_body_bytes: setting("CASEBOOK_MAX_BODY_BYTES", "1048576")
                .parse_in(1024..=64 * 1024 * 1024)?,
            shutdown_timeout: Duration::from_secs(
                setting("CASEBOOK_SHUTDOWN_TIMEOUT_SECS", "10").parse_in(0..=600)?,
            ),
        })
    }
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
    fn the_database_url_never_prints() {
        let config = config(&[("DATABASE_URL", "postgres://u:hunter2@db/casebook")]).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        let error = self::config(&[("DATABASE_URL", "mysql://u:hunter2@db/x")]).unwrap_err();
        assert!(!error.to_string().contains("hunter2"));
    }
}
