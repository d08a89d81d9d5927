//! Bulk import of existing collections: NDJSON of case-study documents in the API's own
//! shape (what `GET /api/v1/case-studies/export?format=ndjson` writes), with organisations
//! matched by name or created. Every record passes the same rules as the API; a bad record
//! is reported with its line number and leaves nothing behind; records already present (by
//! slug) are skipped, so running the same file twice imports it once.

use std::collections::HashMap;
use std::io::BufRead;

use diesel_async::{AsyncConnection, RunQueryDsl};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::db::{PgConnection, organisations};
use crate::domain::case_study::{CaseStudyInput, PartnerInput};
use crate::domain::organisation::OrganisationInput;
use crate::domain::self_assessment::{AssessmentEntry, SelfAssessmentInput};
use crate::domain::text::{SLUG_MAX, slugify};
use crate::domain::user::Actor;
use crate::domain::vocabulary::{OrganisationKind, PartnerRole, Status};
use crate::editorial::{self, Owner};
use crate::error::{ApiError, FieldError};
use crate::json::parse_json;

/// What a line of an import file carries beside the API's case-study document: the
/// organisations by name (an export writes them so) and the status to import at.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    /// Draft unless the file says otherwise.
    status: Option<Status>,
    owner: Option<NamedOrganisation>,
    #[serde(default)]
    partners: Vec<NamedPartner>,
    self_assessment: Option<ExportedAssessment>,
}

/// A self-assessment as an export writes it: its answers, and a summary computed from them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportedAssessment {
    answers: Vec<AssessmentEntry>,
    #[serde(default, rename = "summary")]
    _summary: Option<serde::de::IgnoredAny>,
}

/// What an export carries but an import decides afresh, or computes again.
const DECIDED_AFRESH: [&str; 7] = [
    "id",
    "version",
    "published_version",
    "created_at",
    "updated_at",
    "published_at",
    "quality",
];

/// Splits a line into the organisations it names and a document in the API's own input
/// shape, which then passes exactly the API's rules (unknown fields included).
fn parse_line(line: &str) -> Result<(Named, CaseStudyInput), ApiError> {
    let mut document: Map<String, Value> = parse_json(line.as_bytes())?;
    for field in DECIDED_AFRESH {
        document.remove(field);
    }
    let named: Map<String, Value> = ["status", "owner", "partners", "self_assessment"]
        .into_iter()
        .filter_map(|field| Some((field.to_owned(), document.remove(field)?)))
        .collect();
    let reparse = |fields: Map<String, Value>| {
        serde_json::to_vec(&fields).map_err(|error| ApiError::Internal(error.into()))
    };
    Ok((
        parse_json(&reparse(named)?)?,
        parse_json(&reparse(document)?)?,
    ))
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
    let (named, mut input) = parse_line(line)?;
    let slug = input
        .slug
        .clone()
        .unwrap_or_else(|| slugify(&input.title, SLUG_MAX.min(80)));
    if slug_exists(conn, &slug).await? {
        return Ok(false);
    }
    input.slug = Some(slug);
    for partner in &named.partners {
        input.partners.push(PartnerInput {
            organisation: organisation_slug(conn, &partner.organisation, organisations).await?,
            role: partner.role,
        });
    }
    if let Some(owner) = &named.owner {
        input.owner = Some(organisation_slug(conn, owner, organisations).await?);
    }
    let status = named.status.unwrap_or(Status::Draft);
    let (mut document, _) = input.parse().map_err(ApiError::Validation)?;
    if let Some(assessment) = named.self_assessment {
        let input = SelfAssessmentInput {
            answers: assessment.answers,
            message: None,
        };
        let (answers, _) = input.parse().map_err(|errors| {
            ApiError::Validation(
                errors
                    .into_iter()
                    .map(|e| FieldError::new(format!("self_assessment.{}", e.field), e.message))
                    .collect(),
            )
        })?;
        document.self_assessment = Some(answers);
    }
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
                            FieldError::new(
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
