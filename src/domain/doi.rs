//! A Digital Object Identifier an administrator has registered for a case study (with
//! DataCite, through the deployment's own account), so citations can name it.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// `10.{registrant}/{suffix}`, kept without any `https://doi.org/` or `doi:` in front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doi(String);

const SUFFIX_MAX: usize = 200;

impl Doi {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        // Every address form the published pattern admits.
        let bare = [
            "https://doi.org/",
            "http://doi.org/",
            "https://dx.doi.org/",
            "http://dx.doi.org/",
            "doi:",
        ]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .unwrap_or(text);
        let valid = bare.split_once('/').is_some_and(|(registrant, suffix)| {
            registrant.strip_prefix("10.").is_some_and(|code| {
                (4..=9).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit())
            }) && !suffix.is_empty()
                && suffix.chars().count() <= SUFFIX_MAX
                && !suffix.chars().any(|c| c.is_whitespace() || c.is_control())
        });
        if valid {
            Ok(Self(bare.to_owned()))
        } else {
            Err(format!(
                "`{text}` is not a DOI: `10.`, four to nine digits, `/` and a suffix (for example 10.5281/zenodo.1234567)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Where the DOI resolves.
    pub fn url(&self) -> String {
        format!("https://doi.org/{}", self.0)
    }
}

impl fmt::Display for Doi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Doi {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Doi {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl PartialSchema for Doi {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A DOI, bare or as its https://doi.org/ address; kept bare.",
            ))
            .pattern(Some(
                r"^(https?://(dx\.)?doi\.org/|doi:)?10\.[0-9]{4,9}/[^\s\x00-\x1F\x7F-\x9F]{1,200}$",
            ))
            .examples([serde_json::json!("10.5281/zenodo.1234567")])
            .into()
    }
}

impl ToSchema for Doi {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dois_are_kept_bare() {
        assert_eq!(
            Doi::parse("https://doi.org/10.5281/zenodo.12")
                .unwrap()
                .as_str(),
            "10.5281/zenodo.12"
        );
        assert_eq!(
            Doi::parse("doi:10.1000/xyz").unwrap().url(),
            "https://doi.org/10.1000/xyz"
        );
        for address in [
            "http://doi.org/",
            "https://dx.doi.org/",
            "http://dx.doi.org/",
        ] {
            assert_eq!(
                Doi::parse(&format!("{address}10.713005858/x")).map(|doi| doi.url()),
                Ok("https://doi.org/10.713005858/x".to_owned())
            );
        }
        assert!(Doi::parse("10.12/x").is_err());
        assert!(Doi::parse("10.5281/").is_err());
        assert!(Doi::parse("10.5281/has space").is_err());
    }
}
