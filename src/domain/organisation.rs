//! Partner organisations: councils, NHS boards, housing associations, community groups.

use chrono::{DateTime, Utc};
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
}

/// An organisation that has passed every rule.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub website: Option<String>,
    pub description: Option<String>,
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
        problems.finish(NewOrganisation {
            slug,
            name,
            kind: self.kind,
            website,
            description,
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
}
