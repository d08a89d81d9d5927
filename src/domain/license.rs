//! The licence a case study is published under, as an SPDX identifier, so that every
//! harvester and reference manager reads the same terms.

use std::fmt;

use diesel::deserialize::{FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{Output, ToSql};
use diesel::sql_types::Text;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A current (not deprecated) licence of the SPDX License List.
#[derive(Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
pub struct License(spdx::LicenseId);

/// Where no one chose otherwise.
pub const DEFAULT_LICENSE: &str = "CC-BY-4.0";

impl License {
    pub fn parse(text: &str) -> Result<Self, String> {
        // `spdx` reads "MIT+" as MIT; a licence here is one exact identifier.
        match spdx::license_id(text) {
            Some(id) if !text.ends_with('+') && !id.is_deprecated() => Ok(Self(id)),
            Some(_) if !text.ends_with('+') => Err(format!(
                "`{text}` is deprecated in the SPDX License List; use its current identifier"
            )),
            _ => Err(format!(
                "`{text}` is not an SPDX licence identifier (for example {DEFAULT_LICENSE}, CC-BY-SA-4.0, OGL-UK-3.0)"
            )),
        }
    }

    /// The identifier, e.g. `CC-BY-4.0`.
    pub fn id(self) -> &'static str {
        self.0.name
    }

    /// The licence's full name, e.g. "Creative Commons Attribution 4.0 International".
    pub fn full_name(self) -> &'static str {
        self.0.full_name
    }

    /// Where the licence's text is published.
    pub fn url(self) -> String {
        format!("https://spdx.org/licenses/{}.html", self.id())
    }
}

impl std::str::FromStr for License {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse(text)
    }
}

impl Default for License {
    fn default() -> Self {
        Self::parse(DEFAULT_LICENSE).expect("the default licence is on the SPDX list")
    }
}

impl fmt::Debug for License {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "License({})", self.id())
    }
}

impl fmt::Display for License {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for License {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl<'de> Deserialize<'de> for License {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl PartialSchema for License {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "An SPDX licence identifier (https://spdx.org/licenses/); deprecated ones are refused.",
            ))
            .pattern(Some("^[A-Za-z0-9.-]{1,64}$"))
            .examples([serde_json::json!(DEFAULT_LICENSE)])
            .into()
    }
}

impl ToSchema for License {}

impl ToSql<Text, Pg> for License {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
        <str as ToSql<Text, Pg>>::to_sql(self.id(), &mut out.reborrow())
    }
}

impl FromSql<Text, Pg> for License {
    fn from_sql(value: PgValue<'_>) -> diesel::deserialize::Result<Self> {
        let text = std::str::from_utf8(value.as_bytes())?;
        Ok(Self::parse(text)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_current_exact_identifiers_are_licences() {
        assert_eq!(License::parse("CC-BY-SA-4.0").unwrap().id(), "CC-BY-SA-4.0");
        assert_eq!(License::parse("OGL-UK-3.0").unwrap().id(), "OGL-UK-3.0");
        assert!(License::parse("MIT+").is_err());
        assert!(License::parse("cc-by").is_err());
        assert!(
            License::parse("GPL-2.0")
                .unwrap_err()
                .contains("deprecated")
        );
    }
}
