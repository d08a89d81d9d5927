//! Bulk import of existing collections: NDJSON of case-study documents in the API's own
//! shape (what `GET /api/v1/case-studies/export?format=ndjson` writes), with organisations
//! matched by name or created. Every record passes the same rules as the API; a bad record
//! is reported with its line number and leaves nothing behind; records already present (by
//! slug) are skipped, so running the same file twice imports it once.

use std::collections::HashMap;
use std::io::BufRead;

use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;

use crate::db::{PgConnection, organisations};
use crate::domain::case_study::{CaseStudyInput, Outcome, PartnerInput};
use crate::domain::organisation::OrganisationInput;
use crate::domain::text::{SLUG_MAX, slugify};
use crate::domain::vocabulary::{
    CoproductionValue, Country, JourneyStep, OrganisationKind, PartnerRole, Scale, Sector,
    StarQuadrant, Status,
};
use crate::editorial::{self, Actor, Owner};
use crate::error::ApiError;

/// One line of an import file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Record {
    slug: Option<String>,
    title: String,
    summary: String,
    you_asked: Option<String>,
    we_said: Option<String>,
    we_did: Option<String>,
    what_worked: Option<String>,
    could_improve: Option<String>,
    quadrants: Vec<StarQuadrant>,
    #[serde(default)]
    journey_steps: Vec<JourneyStep>,
    #[serde(default)]
    values: Vec<CoproductionValue>,
    scale: Scale,
    sector: Sector,
    locality: Option<String>,
    country: Country,
    start_year: Option<i32>,
    end_year: Option<i32>,
    /// Draft unless the file says otherwise.
    status: Option<Status>,
    owner: Option<NamedOrganisation>,
    #[serde(default)]
    partners: Vec<NamedPartner>,
    #[serde(default)]
    outcomes: Vec<Outcome>,
    // What an export carries but an import decides afresh.
    #[serde(default, rename = "id")]
    _id: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "version")]
    _version: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "published_version")]
    _published_version: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "created_at")]
    _created_at: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "updated_at")]
    _updated_at: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "published_at")]
    _published_at: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
struct NamedPartner {
    organisation: NamedOrganisation,
    role: PartnerRole,
}

/// An organisation by name (matched whatever its case); created with this kind if new.
#[derive(Debug, Deserialize)]
struct NamedOrganisation {
    name: String,
    #[serde(default)]
    kind: Option<OrganisationKind>,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default, rename = "id")]
    _id: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub imported: usize,
    pub skipped: usize,
    /// Line number (from 1) and why.
    pub rejected: Vec<(usize, String)>,
}

/// Imports `input` in transactions of `batch` records.
pub async fn import(
    conn: &mut PgConnection,
    input: impl BufRead,
    batch: usize,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let mut organisations: HashMap<String, String> = HashMap::new();
    let mut lines = input.lines().enumerate().peekable();
    while lines.peek().is_some() {
        let chunk: Vec<(usize, String)> = lines
            .by_ref()
            .take(batch.max(1))
            .map(|(i, line)| line.map(|l| (i + 1, l)))
            .collect::<Result<_, _>>()?;
        // Names are only remembered once their batch has committed.
        let mut learned = organisations.clone();
        let outcomes = conn
            .transaction(async |conn| {
                let mut outcomes = Vec::new();
                for (number, line) in &chunk {
                    if line.trim().is_empty() {
                        continue;
                    }
                    // A savepoint per record: a bad one leaves nothing behind, not even the
                    // organisations it would have created.
                    let mut met = learned.clone();
                    let result = conn
                        .transaction(async |conn| import_line(conn, line, &mut met).await)
                        .await;
                    if result.is_ok() {
                        learned = met;
                    }
                    outcomes.push((*number, result));
                }
                Ok::<_, ApiError>(outcomes)
            })
            .await?;
        organisations = learned;
        for (number, outcome) in outcomes {
            match outcome {
                Ok(true) => report.imported += 1,
                Ok(false) => report.skipped += 1,
                Err(error) => report.rejected.push((number, describe(&error))),
            }
        }
    }
    if report.imported > 0 {
        // Fresh statistics, so the planner knows how large the tables have grown.
        diesel::sql_query("ANALYZE").execute(conn).await?;
    }
    Ok(report)
}

/// True when imported, false when a case study with its slug is already there.
async fn import_line(
    conn: &mut PgConnection,
    line: &str,
    organisations: &mut HashMap<String, String>,
) -> Result<bool, ApiError> {
    let record: Record = crate::routes::extract::parse_json(line.as_bytes())?;
    let slug = record
        .slug
        .clone()
        .unwrap_or_else(|| slugify(&record.title, SLUG_MAX.min(80)));
    if slug_exists(conn, &slug).await? {
        return Ok(false);
    }
    let mut partners = Vec::with_capacity(record.partners.len());
    for partner in &record.partners {
        partners.push(PartnerInput {
            organisation: organisation_slug(conn, &partner.organisation, organisations).await?,
            role: partner.role,
        });
    }
    let owner = match &record.owner {
        Some(owner) => Some(organisation_slug(conn, owner, organisations).await?),
        None => None,
    };
    let status = record.status.unwrap_or(Status::Draft);
    let input = CaseStudyInput {
        slug: Some(slug),
        title: record.title,
        summary: record.summary,
        you_asked: record.you_asked,
        we_said: record.we_said,
        we_did: record.we_did,
        what_worked: record.what_worked,
        could_improve: record.could_improve,
        quadrants: record.quadrants,
        journey_steps: record.journey_steps,
        values: record.values,
        scale: record.scale,
        sector: record.sector,
        locality: record.locality,
        country: record.country,
        start_year: record.start_year,
        end_year: record.end_year,
        owner,
        partners,
        outcomes: record.outcomes,
        message: None,
    };
    let (document, _) = input.parse().map_err(ApiError::Validation)?;
    editorial::create(
        conn,
        document,
        Owner::LeadPartner,
        status,
        &Actor::default(),
    )
    .await?;
    Ok(true)
}

async fn slug_exists(conn: &mut PgConnection, slug: &str) -> Result<bool, ApiError> {
    use diesel::prelude::{ExpressionMethods, QueryDsl};

    use crate::db::schema::case_studies;
    Ok(diesel::select(diesel::dsl::exists(
        case_studies::table.filter(case_studies::slug.eq(slug)),
    ))
    .get_result(conn)
    .await?)
}

/// The slug of the organisation with this name, created if there is none.
async fn organisation_slug(
    conn: &mut PgConnection,
    named: &NamedOrganisation,
    known: &mut HashMap<String, String>,
) -> Result<String, ApiError> {
    let key = named.name.trim().to_lowercase();
    if let Some(slug) = known.get(&key) {
        return Ok(slug.clone());
    }
    let slug = match organisations::find_by_name(conn, named.name.trim()).await? {
        Some(found) => found.slug,
        None => {
            let input = OrganisationInput {
                name: named.name.clone(),
                kind: named.kind.unwrap_or(OrganisationKind::Other),
                slug: named.slug.clone(),
                website: None,
                description: None,
            };
            let new = input.parse().map_err(|errors| {
                ApiError::Validation(
                    errors
                        .into_iter()
                        .map(|e| {
                            crate::error::FieldError::new(
                                format!("organisation `{}`: {}", named.name, e.field),
                                e.message,
                            )
                        })
                        .collect(),
                )
            })?;
            organisations::insert(conn, &new).await?.slug
        }
    };
    known.insert(key, slug.clone());
    Ok(slug)
}

fn describe(error: &ApiError) -> String {
    match error {
        ApiError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.problem().detail,
    }
}
