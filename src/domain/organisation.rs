//! Partner organisations: councils, NHS boards, housing associations, community groups.

use chrono::{DateTime, Utc};
use diesel::deserialize::{FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{Output, ToSql};
use diesel::sql_types::Jsonb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::text::{Problems, SLUG_MAX, is_slug, slugify};
use super::vocabulary::OrganisationKind;
use crate::error::FieldError;

pub const NAME_MAX: usize = 200;
pub const WEBSITE_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 2_000;

/// How a document points at an organisation: by id or by slug.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrganisationRef {
    Id(Uuid),
    Slug(String),
}

impl OrganisationRef {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        if let Ok(id) = Uuid::parse_str(text) {
            Ok(Self::Id(id))
        } else if is_slug(text) {
            Ok(Self::Slug(text.to_owned()))
        } else {
            Err("must be an organisation's slug or id")
        }
    }
}

impl std::fmt::Display for OrganisationRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Slug(slug) => f.write_str(slug),
        }
    }
}

/// A new partner organisation as a client writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Scottish Borders Housing Association", "kind": "housing-association"}))]
pub struct OrganisationInput {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: OrganisationKind,
    /// URL-safe identifier; derived from the name when absent.
    #[schema(pattern = "^[a-z0-9]+(-[a-z0-9]+)*$", max_length = 100)]
    pub slug: Option<String>,
    /// An http or https address.
    #[schema(max_length = 300)]
    pub website: Option<String>,
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Registers that know the organisation, carried into citations and open metadata.
    #[serde(default)]
    pub identifiers: Identifiers,
}

/// An organisation that has passed every rule.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub website: Option<String>,
    pub description: Option<String>,
    pub identifiers: Identifiers,
}

impl OrganisationInput {
    pub fn parse(self) -> Result<NewOrganisation, Vec<FieldError>> {
        let mut problems = Problems::default();
        let name = problems.required_line("name", &self.name, NAME_MAX);
        // A name without a letter or digit to derive a slug from gets a plain one.
        let slug = problems
            .slug("slug", self.slug.as_deref())
            .unwrap_or_else(|| match slugify(&name, SLUG_MAX) {
                derived if derived.is_empty() => "organisation".to_owned(),
                derived => derived,
            });
        let website = problems.web_address("website", self.website.as_deref(), WEBSITE_MAX);
        let description =
            problems.optional("description", self.description.as_deref(), DESCRIPTION_MAX);
        let identifiers = self.identifiers.parse(&mut problems);
        problems.finish(NewOrganisation {
            slug,
            name,
            kind: self.kind,
            website,
            description,
            identifiers,
        })
    }
}

/// An organisation as readers see it.
#[derive(Debug, Clone, Serialize, ToSchema, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::organisations, check_for_backend(diesel::pg::Pg))]
pub struct Organisation {
    pub id: Uuid,
    #[schema(example = "scottish-borders-housing-association")]
    pub slug: String,
    #[schema(example = "Scottish Borders Housing Association")]
    pub name: String,
    pub kind: OrganisationKind,
    pub website: Option<String>,
    pub description: Option<String>,
    pub identifiers: Identifiers,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The short form of an organisation used inside case studies.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Serialize,
    Deserialize,
    ToSchema,
    diesel::Queryable,
    diesel::QueryableByName,
    diesel::Selectable,
)]
#[diesel(table_name = crate::db::schema::organisations, check_for_backend(diesel::pg::Pg))]
pub struct OrganisationSummary {
    pub id: Uuid,
    #[schema(example = "scottish-borders-housing-association")]
    pub slug: String,
    #[schema(example = "Scottish Borders Housing Association")]
    pub name: String,
    pub kind: OrganisationKind,
    /// Revisions written before identifiers were recorded have none.
    #[serde(default)]
    pub identifiers: Identifiers,
}

/// An organisation's numbers in public registers, each checked against the register's
/// pattern and stored in its canonical form.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Jsonb)]
#[serde(deny_unknown_fields)]
pub struct Identifiers {
    /// Research Organization Registry: the id or its URL, kept as the URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "https://ror.org/01nrxwf90",
        pattern = "^((https?://)?ror\\.org/)?0[0-9a-hjkmnp-tv-zA-HJKMNP-TV-Z]{6}[0-9]{2}$"
    )]
    pub ror: Option<String>,
    /// A UK charity number: England and Wales (digits), Scotland (`SC` and six digits) or
    /// Northern Ireland (`NIC` and six digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "SC012345",
        pattern = "^([0-9]{6,8}|[Ss][Cc][0-9]{6}|[Nn][Ii][Cc][0-9]{6})$"
    )]
    pub charity_number: Option<String>,
    /// A Companies House company number: eight digits, or two letters and six digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "SC215805", pattern = "^([0-9]{8}|[A-Za-z]{2}[0-9]{6})$")]
    pub company_number: Option<String>,
    /// The Government Statistical Service code of a council or health board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "S12000026", pattern = "^[EKNSWeknsw][0-9]{8}$")]
    pub gss_code: Option<String>,
}

impl Identifiers {
    fn parse(self, problems: &mut Problems) -> Self {
        let mut check = |field: &str,
                         value: Option<String>,
                         canonical: fn(&str) -> Option<String>,
                         shape: &str| {
            let value = value?;
            let found = canonical(value.trim());
            if found.is_none() {
                problems.add(format!("identifiers.{field}"), format!("must be {shape}"));
            }
            found
        };
        Self {
            ror: check(
                "ror",
                self.ror,
                ror,
                "a ROR id such as 01nrxwf90 or https://ror.org/01nrxwf90",
            ),
            charity_number: check(
                "charity_number",
                self.charity_number,
                charity_number,
                "a UK charity number: 6 to 8 digits, SC and 6 digits, or NIC and 6 digits",
            ),
            company_number: check(
                "company_number",
                self.company_number,
                company_number,
                "a Companies House number: 8 digits, or 2 letters and 6 digits",
            ),
            gss_code: check(
                "gss_code",
                self.gss_code,
                gss_code,
                "a GSS code: E, K, N, S or W and 8 digits",
            ),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// ROR ids are `0`, six characters of Crockford's base 32 and two check digits.
fn ror(text: &str) -> Option<String> {
    let id = text
        .strip_prefix("https://ror.org/")
        .or_else(|| text.strip_prefix("http://ror.org/"))
        .or_else(|| text.strip_prefix("ror.org/"))
        .unwrap_or(text)
        .to_ascii_lowercase();
    let crockford = |c: char| c.is_ascii_digit() || (c.is_ascii_lowercase() && !"ilou".contains(c));
    let shaped = id.len() == 9
        && id.starts_with('0')
        && id.chars().all(crockford)
        && id[7..].chars().all(|c| c.is_ascii_digit());
    shaped.then(|| format!("https://ror.org/{id}"))
}

fn charity_number(text: &str) -> Option<String> {
    let text = text.to_ascii_uppercase();
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    let shaped = if let Some(rest) = text.strip_prefix("NIC") {
        digits(rest, 6..=6)
    } else if let Some(rest) = text.strip_prefix("SC") {
        digits(rest, 6..=6)
    } else {
        digits(&text, 6..=8)
    };
    shaped.then_some(text)
}

fn company_number(text: &str) -> Option<String> {
    let text = text.to_ascii_uppercase();
    let (prefix, rest) = text.split_at_checked(2)?;
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let shaped = text.len() == 8
        && digits(rest)
        && (digits(prefix) || prefix.chars().all(|c| c.is_ascii_uppercase()));
    shaped.then_some(text)
}

fn gss_code(text: &str) -> Option<String> {
    let text = text.to_ascii_uppercase();
    let (nation, rest) = text.split_at_checked(1)?;
    let shaped =
        "EKNSW".contains(nation) && rest.len() == 8 && rest.chars().all(|c| c.is_ascii_digit());
    shaped.then_some(text)
}

impl ToSql<Jsonb, Pg> for Identifiers {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
        let value = serde_json::to_value(self)?;
        <serde_json::Value as ToSql<Jsonb, Pg>>::to_sql(&value, &mut out.reborrow())
    }
}

impl FromSql<Jsonb, Pg> for Identifiers {
    fn from_sql(value: PgValue<'_>) -> diesel::deserialize::Result<Self> {
        let value = <serde_json::Value as FromSql<Jsonb, Pg>>::from_sql(value)?;
        Ok(serde_json::from_value(value)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slug_comes_from_the_name() {
        let input: OrganisationInput =
            serde_json::from_str(r#"{"name": "TD1 Youth Hub", "kind": "voluntary"}"#).unwrap();
        assert_eq!(input.parse().unwrap().slug, "td1-youth-hub");
    }

    #[test]
    fn a_website_must_be_a_web_address() {
        let input: OrganisationInput = serde_json::from_str(
            r#"{"name": "X", "kind": "other", "website": "javascript:alert(1)"}"#,
        )
        .unwrap();
        assert_eq!(input.parse().unwrap_err()[0].field, "website");
    }

    #[test]
    fn identifiers_are_checked_and_kept_in_their_canonical_form() {
        let input: OrganisationInput = serde_json::from_value(serde_json::json!({
            "name": "X", "kind": "council",
            "identifiers": {"ror": "01NRXWF90", "gss_code": "s12000026", "charity_number": "sc012345"}
        }))
        .unwrap();
        let identifiers = input.parse().unwrap().identifiers;
        assert_eq!(
            identifiers.ror.as_deref(),
            Some("https://ror.org/01nrxwf90")
        );
        assert_eq!(identifiers.gss_code.as_deref(), Some("S12000026"));
        assert_eq!(identifiers.charity_number.as_deref(), Some("SC012345"));
        let input: OrganisationInput = serde_json::from_value(serde_json::json!({
            "name": "X", "kind": "council",
            "identifiers": {"ror": "https://ror.org/l1nrxwf90", "company_number": "SC21580", "gss_code": "X12000026"}
        }))
        .unwrap();
        let fields: Vec<String> = input
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "identifiers.ror",
                "identifiers.company_number",
                "identifiers.gss_code"
            ]
        );
    }
}
