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

use crate::db::{PgConnection, case_studies, organisations};
use crate::domain::case_study::{CaseStudyDocument, CaseStudyInput, PartnerInput};
use crate::domain::license::License;
use crate::domain::organisation::{
    Identifiers, NewOrganisation, OrganisationInput, OrganisationRef,
};
use crate::domain::self_assessment::{AssessmentEntry, SelfAssessmentInput};
use crate::domain::text::{SLUG_MAX, slugify};
use crate::domain::user::Actor;
use crate::domain::vocabulary::{OrganisationKind, PartnerRole, Status};
use crate::editorial::{self, LoadOutcome, Loaded};
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
const DECIDED_AFRESH: [&str; 11] = [
    "id",
    "url",
    "version",
    "published_version",
    "created_at",
    "updated_at",
    "published_at",
    "quality",
    "total_cost_gbp",
    "total_hours",
    "cost_band",
];

/// What an export writes of each indicator but computes from its figures.
const INDICATOR_DERIVED: [&str; 2] = ["change", "direction"];

/// Splits a line into the organisations it names and a document in the API's own input
/// shape, which then passes exactly the API's rules (unknown fields included).
fn parse_line(line: &str) -> Result<(Named, CaseStudyInput), ApiError> {
    let mut document: Map<String, Value> = parse_json(line.as_bytes())?;
    for field in DECIDED_AFRESH {
        document.remove(field);
    }
    if let Some(Value::Array(indicators)) = document.get_mut("indicators") {
        for indicator in indicators.iter_mut().filter_map(Value::as_object_mut) {
            for field in INDICATOR_DERIVED {
                indicator.remove(field);
            }
        }
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

impl Named {
    fn organisations(&self) -> impl Iterator<Item = &NamedOrganisation> {
        self.partners
            .iter()
            .map(|p| &p.organisation)
            .chain(self.owner.as_ref())
    }
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
    /// Its id where the file was exported: a cost's funder names it so.
    #[serde(default)]
    id: Option<uuid::Uuid>,
    /// Given to an organisation the import creates.
    #[serde(default)]
    identifiers: Identifiers,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub imported: usize,
    pub skipped: usize,
    /// Line number (from 1) and why.
    pub rejected: Vec<(usize, String)>,
}

impl Report {
    fn count(&mut self, number: usize, outcome: LoadOutcome) {
        match outcome {
            LoadOutcome::Created => self.imported += 1,
            LoadOutcome::AlreadyPresent => self.skipped += 1,
            LoadOutcome::Rejected(error) => self.rejected.push((number, describe(&error))),
        }
    }
}

/// Imports `input`, `batch` records a transaction, each table written a few statements a
/// batch.
pub async fn import(
    conn: &mut PgConnection,
    input: impl BufRead,
    batch: usize,
    default_license: License,
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
        // The database refusing a batch that passed every rule of the API is a surprise;
        // halving it until the line is found keeps the report exact all the same.
        let mut parts = vec![&chunk[..]];
        while let Some(part) = parts.pop() {
            // Names are only remembered once their batch has committed.
            let mut met = organisations.clone();
            let result = conn
                .transaction(async |conn| import_lines(conn, part, &mut met, default_license).await)
                .await;
            match result {
                Ok(outcomes) => {
                    organisations = met;
                    for (number, outcome) in outcomes {
                        report.count(number, outcome);
                    }
                }
                Err(error @ ApiError::Unavailable(_)) => return Err(error.into()),
                Err(_) if part.len() > 1 => {
                    let (first, second) = part.split_at(part.len() / 2);
                    parts.extend([second, first]);
                }
                Err(error) => report.count(part[0].0, LoadOutcome::Rejected(error)),
            }
        }
    }
    report.rejected.sort_by_key(|(number, _)| *number);
    if report.imported > 0 {
        // Fresh statistics, so the planner knows how large the tables have grown. Sampling a
        // large collection takes longer than any request may (9 s at 1,000,000 case studies).
        conn.transaction::<_, ApiError, _>(async |conn| {
            diesel::sql_query("SET LOCAL statement_timeout = 0")
                .execute(conn)
                .await?;
            diesel::sql_query("ANALYZE").execute(conn).await?;
            Ok(())
        })
        .await?;
    }
    Ok(report)
}

/// What became of each line, in order, all created together.
async fn import_lines(
    conn: &mut PgConnection,
    lines: &[(usize, String)],
    organisations: &mut HashMap<String, String>,
    default_license: License,
) -> Result<Vec<(usize, LoadOutcome)>, ApiError> {
    let mut parsed = Vec::with_capacity(lines.len());
    let mut outcomes = Vec::with_capacity(lines.len());
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok((named, mut input)) => {
                let slug = input
                    .slug
                    .take()
                    .unwrap_or_else(|| slugify(&input.title, SLUG_MAX.min(80)));
                parsed.push((*number, named, input, slug));
            }
            Err(error) => outcomes.push((*number, LoadOutcome::Rejected(error))),
        }
    }
    let slugs: Vec<&str> = parsed.iter().map(|(_, _, _, slug)| slug.as_str()).collect();
    let mut present = case_studies::slugs_present(conn, &slugs).await?;
    let mut together = Vec::with_capacity(parsed.len());
    let mut numbers = Vec::with_capacity(parsed.len());
    for (number, named, input, slug) in parsed {
        // Present already, or earlier in the file: imported once.
        if !present.insert(slug.clone()) {
            outcomes.push((number, LoadOutcome::AlreadyPresent));
            continue;
        }
        match loaded(conn, named, input, slug, organisations, default_license).await? {
            Ok(loaded) => {
                together.push(loaded);
                numbers.push(number);
            }
            Err(error) => outcomes.push((number, LoadOutcome::Rejected(error))),
        }
    }
    let created = editorial::create_all(conn, &together, &Actor::default()).await?;
    outcomes.extend(numbers.into_iter().zip(created));
    Ok(outcomes)
}

/// A line's document under the API's rules (the inner error refuses the line), with the
/// organisations it names found or created. New ones are checked, and the document with
/// them, before any is created: a refused line leaves none behind.
async fn loaded(
    conn: &mut PgConnection,
    named: Named,
    input: CaseStudyInput,
    slug: String,
    organisations: &mut HashMap<String, String>,
    default_license: License,
) -> Result<Result<Loaded, ApiError>, ApiError> {
    let mut new: HashMap<String, (&NamedOrganisation, NewOrganisation)> = HashMap::new();
    for organisation in named.organisations() {
        let key = name_key(&organisation.name);
        if !organisations.contains_key(&key) && !new.contains_key(&key) {
            match new_organisation(organisation) {
                Ok(parsed) => new.insert(key, (organisation, parsed)),
                Err(error) => return Ok(Err(error)),
            };
        }
    }
    let slug_of = |organisation: &NamedOrganisation| {
        let key = name_key(&organisation.name);
        organisations
            .get(&key)
            .cloned()
            .or_else(|| new.get(&key).map(|(_, parsed)| parsed.slug.clone()))
            .expect("every name is known or new")
    };
    let mut document = match document_of(&named, input, &slug, &slug_of, default_license) {
        Ok(document) => document,
        Err(error) => return Ok(Err(error)),
    };
    if let Err(error) = editorial::check_owner_named(&document) {
        return Ok(Err(error));
    }
    let mut renamed = HashMap::new();
    for (key, (organisation, parsed)) in new {
        let slug = match organisations::find_by_name(conn, organisation.name.trim()).await? {
            Some(found) => found.slug,
            None => organisations::insert(conn, &parsed).await?.slug,
        };
        if slug != parsed.slug {
            renamed.insert(
                OrganisationRef::Slug(parsed.slug),
                OrganisationRef::Slug(slug.clone()),
            );
        }
        organisations.insert(key, slug);
    }
    // A name met under another slug than the one it would have been given.
    let funders = document.content.practice.costs.iter_mut();
    for reference in document
        .partners
        .iter_mut()
        .map(|p| &mut p.organisation)
        .chain(funders.filter_map(|cost| cost.funder.as_mut()))
        .chain(document.owner.as_mut())
    {
        if let Some(found) = renamed.get(reference) {
            *reference = found.clone();
        }
    }
    Ok(Ok(Loaded {
        document,
        slug,
        status: named.status.unwrap_or(Status::Draft),
    }))
}

/// The document a line describes, its organisations named by `slug_of`.
fn document_of(
    named: &Named,
    mut input: CaseStudyInput,
    slug: &str,
    slug_of: &dyn Fn(&NamedOrganisation) -> String,
    default_license: License,
) -> Result<CaseStudyDocument, ApiError> {
    input.slug = Some(slug.to_owned());
    input
        .partners
        .extend(named.partners.iter().map(|partner| PartnerInput {
            organisation: slug_of(&partner.organisation),
            role: partner.role,
        }));
    input.owner = named.owner.as_ref().map(slug_of);
    // A funder is one of the partners, named as the exporting deployment knew it.
    for funder in input
        .costs
        .iter_mut()
        .filter_map(|cost| cost.funder.as_mut())
    {
        let partner = named.partners.iter().find(|p| match &*funder {
            OrganisationRef::Id(id) => p.organisation.id == Some(*id),
            OrganisationRef::Slug(slug) => p.organisation.slug.as_ref() == Some(slug),
        });
        if let Some(partner) = partner {
            *funder = OrganisationRef::Slug(slug_of(&partner.organisation));
        }
    }
    let (mut document, _) = input.parse(default_license).map_err(ApiError::Validation)?;
    if let Some(assessment) = &named.self_assessment {
        let input = SelfAssessmentInput {
            answers: assessment.answers.clone(),
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
    Ok(document)
}

/// Names are matched whatever their case.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// An organisation a line names for the first time, under the rules the API applies.
fn new_organisation(named: &NamedOrganisation) -> Result<NewOrganisation, ApiError> {
    let input = OrganisationInput {
        name: named.name.clone(),
        kind: named.kind.unwrap_or(OrganisationKind::Other),
        slug: named.slug.clone(),
        website: None,
        description: None,
        identifiers: named.identifiers.clone(),
    };
    input.parse().map_err(|errors| {
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
    })
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
