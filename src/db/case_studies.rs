//! Queries on case studies with their partners, outcomes and revisions.
//!
//! A case study is always written whole, inside one transaction: the row, its partners,
//! its outcomes and a revision holding the document as it now stands.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, OptionalExtension, QueryDsl, Queryable,
    Selectable, SelectableHelper, TextExpressionMethods,
};
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use super::PgConnection;
use super::organisations;
use super::schema::{
    case_studies, case_study_outcomes, case_study_partners, case_study_revisions,
    organisations as organisations_table,
};
use crate::domain::Precondition;
use crate::domain::case_study::{CaseStudy, CaseStudyDocument, CaseStudyPartner, Metric, Outcome};
use crate::domain::organisation::{OrganisationRef, OrganisationSummary};
use crate::domain::text::{is_slug, slugify};
use crate::domain::vocabulary::{
    CoproductionValue, Country, JourneyStep, MetricUnit, OutcomeCategory, PartnerRole, Scale,
    Sector, StarQuadrant, Status,
};
use crate::error::{ApiError, FieldError};

/// How a reader names a case study in a URL.
#[derive(Debug, Clone)]
pub enum CaseStudyKey {
    Id(Uuid),
    Slug(String),
}

impl CaseStudyKey {
    /// An id or a slug; `None` for text that is neither and so names no case study (and
    /// that PostgreSQL might refuse outright, as it does text holding NUL).
    pub fn parse(text: &str) -> Option<Self> {
        match Uuid::parse_str(text) {
            Ok(id) => Some(Self::Id(id)),
            Err(_) if is_slug(text) => Some(Self::Slug(text.to_owned())),
            Err(_) => None,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = case_studies, check_for_backend(diesel::pg::Pg))]
struct CaseStudyRow {
    id: Uuid,
    slug: String,
    status: Status,
    title: String,
    summary: String,
    you_asked: Option<String>,
    we_said: Option<String>,
    we_did: Option<String>,
    what_worked: Option<String>,
    could_improve: Option<String>,
    quadrants: Vec<StarQuadrant>,
    journey_steps: Vec<JourneyStep>,
    coproduction_values: Vec<CoproductionValue>,
    scale: Scale,
    sector: Sector,
    locality: Option<String>,
    country: Country,
    start_year: Option<i16>,
    end_year: Option<i16>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
}

#[derive(Queryable)]
struct OutcomeRow {
    case_study_id: Uuid,
    category: OutcomeCategory,
    description: String,
    metric_value: Option<f64>,
    metric_unit: Option<MetricUnit>,
}

/// The columns a document sets, shared by create and replace.
#[derive(diesel::Insertable, diesel::AsChangeset)]
#[diesel(table_name = case_studies, treat_none_as_null = true)]
struct DocumentColumns<'a> {
    owner_id: Uuid,
    status: Status,
    title: &'a str,
    summary: &'a str,
    you_asked: Option<&'a str>,
    we_said: Option<&'a str>,
    we_did: Option<&'a str>,
    what_worked: Option<&'a str>,
    could_improve: Option<&'a str>,
    quadrants: &'a [StarQuadrant],
    journey_steps: &'a [JourneyStep],
    coproduction_values: &'a [CoproductionValue],
    scale: Scale,
    sector: Sector,
    locality: Option<&'a str>,
    country: Country,
    start_year: Option<i16>,
    end_year: Option<i16>,
    published_at: Option<DateTime<Utc>>,
}

/// The state of a case study that a write has to respect.
#[derive(Queryable)]
struct Current {
    owner_id: Uuid,
    slug: String,
    status: Status,
    version: i32,
    published_at: Option<DateTime<Utc>>,
}

pub async fn create(
    conn: &mut PgConnection,
    document: CaseStudyDocument,
) -> Result<CaseStudy, ApiError> {
    conn.transaction(async |conn| {
        let organisations = resolve_organisations(conn, &document).await?;
        let owner_id = match &document.owner {
            Some(owner) => organisations[owner].id,
            None => lead_partner(&document, &organisations).ok_or_else(|| {
                ApiError::validation("owner", "give an owner, or name a lead partner")
            })?,
        };
        let status = document.status.unwrap_or(Status::Draft);
        let published_at = (status == Status::Published).then(Utc::now);
        let id = Uuid::now_v7();
        let columns = document_columns(&document, owner_id, status, published_at);
        insert_with_slug(conn, id, &document, &columns).await?;
        write_parts(conn, id, &document, &organisations).await?;
        let case_study = find(conn, &CaseStudyKey::Id(id))
            .await?
            .ok_or(ApiError::NotFound("case study"))?;
        record_revision(conn, &case_study, None).await?;
        Ok(case_study)
    })
    .await
}

pub async fn replace(
    conn: &mut PgConnection,
    id: Uuid,
    expected: &Precondition,
    document: CaseStudyDocument,
) -> Result<CaseStudy, ApiError> {
    conn.transaction(async |conn| {
        let current = lock(conn, id, expected).await?;
        let organisations = resolve_organisations(conn, &document).await?;
        let owner_id = document
            .owner
            .as_ref()
            .map_or(current.owner_id, |owner| organisations[owner].id);
        let status = document.status.unwrap_or(current.status);
        let published_at = match status {
            Status::Published => current.published_at.or_else(|| Some(Utc::now())),
            _ => current.published_at,
        };
        let columns = document_columns(&document, owner_id, status, published_at);
        diesel::update(case_studies::table.find(id))
            .set((
                columns,
                case_studies::slug.eq(document.slug.as_deref().unwrap_or(&current.slug)),
                case_studies::version.eq(current.version + 1),
                case_studies::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        diesel::delete(
            case_study_partners::table.filter(case_study_partners::case_study_id.eq(id)),
        )
        .execute(conn)
        .await?;
        diesel::delete(
            case_study_outcomes::table.filter(case_study_outcomes::case_study_id.eq(id)),
        )
        .execute(conn)
        .await?;
        write_parts(conn, id, &document, &organisations).await?;
        let case_study = find(conn, &CaseStudyKey::Id(id))
            .await?
            .ok_or(ApiError::NotFound("case study"))?;
        record_revision(conn, &case_study, None).await?;
        Ok(case_study)
    })
    .await
}

/// Withdraws a case study from view; nothing is ever deleted.
pub async fn archive(
    conn: &mut PgConnection,
    id: Uuid,
    expected: &Precondition,
) -> Result<CaseStudy, ApiError> {
    conn.transaction(async |conn| {
        let current = lock(conn, id, expected).await?;
        diesel::update(case_studies::table.find(id))
            .set((
                case_studies::status.eq(Status::Archived),
                case_studies::version.eq(current.version + 1),
                case_studies::updated_at.eq(Utc::now()),
            ))
            .execute(conn)
            .await?;
        let case_study = find(conn, &CaseStudyKey::Id(id))
            .await?
            .ok_or(ApiError::NotFound("case study"))?;
        record_revision(conn, &case_study, None).await?;
        Ok(case_study)
    })
    .await
}

pub async fn find(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
) -> Result<Option<CaseStudy>, ApiError> {
    let query = case_studies::table
        .inner_join(organisations_table::table)
        .select((CaseStudyRow::as_select(), OrganisationSummary::as_select()))
        .into_boxed();
    let query = match key {
        CaseStudyKey::Id(id) => query.filter(case_studies::id.eq(*id)),
        CaseStudyKey::Slug(slug) => query.filter(case_studies::slug.eq(slug.clone())),
    };
    let Some(row) = query.first(conn).await.optional()? else {
        return Ok(None);
    };
    Ok(assemble(conn, vec![row]).await?.pop())
}

/// A page of case studies, newest first, after the (created_at, id) position given.
pub async fn list(
    conn: &mut PgConnection,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: i64,
) -> Result<Vec<CaseStudy>, ApiError> {
    let mut query = case_studies::table
        .inner_join(organisations_table::table)
        .select((CaseStudyRow::as_select(), OrganisationSummary::as_select()))
        .order((case_studies::created_at.desc(), case_studies::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some((created_at, id)) = after {
        query = query.filter(
            case_studies::created_at
                .lt(created_at)
                .or(case_studies::created_at
                    .eq(created_at)
                    .and(case_studies::id.lt(id))),
        );
    }
    let rows = query.load(conn).await?;
    assemble(conn, rows).await
}

pub async fn count(conn: &mut PgConnection) -> Result<i64, ApiError> {
    Ok(case_studies::table.count().get_result(conn).await?)
}

/// Locks the row for the rest of the transaction and checks the client's version against it.
async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
    expected: &Precondition,
) -> Result<Current, ApiError> {
    let current: Current = case_studies::table
        .find(id)
        .select((
            case_studies::owner_id,
            case_studies::slug,
            case_studies::status,
            case_studies::version,
            case_studies::published_at,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?
        .ok_or(ApiError::NotFound("case study"))?;
    if expected.admits(current.version) {
        Ok(current)
    } else {
        Err(ApiError::PreconditionFailed(format!(
            "the case study is now at version {}; fetch it again and reapply your change",
            current.version
        )))
    }
}

fn document_columns(
    document: &CaseStudyDocument,
    owner_id: Uuid,
    status: Status,
    published_at: Option<DateTime<Utc>>,
) -> DocumentColumns<'_> {
    let narrative = &document.narrative;
    DocumentColumns {
        owner_id,
        status,
        title: &document.title,
        summary: &document.summary,
        you_asked: narrative.you_asked.as_deref(),
        we_said: narrative.we_said.as_deref(),
        we_did: narrative.we_did.as_deref(),
        what_worked: narrative.what_worked.as_deref(),
        could_improve: narrative.could_improve.as_deref(),
        quadrants: &document.quadrants,
        journey_steps: &document.journey_steps,
        coproduction_values: &document.values,
        scale: document.scale,
        sector: document.sector,
        locality: document.locality.as_deref(),
        country: document.country,
        start_year: document.start_year,
        end_year: document.end_year,
        published_at,
    }
}

/// Inserts the row under the client's slug (409 when taken) or under the first free
/// slug derived from the title.
async fn insert_with_slug(
    conn: &mut PgConnection,
    id: Uuid,
    document: &CaseStudyDocument,
    columns: &DocumentColumns<'_>,
) -> Result<(), ApiError> {
    if let Some(slug) = &document.slug {
        return match try_insert(conn, id, slug, columns).await? {
            true => Ok(()),
            false => Err(ApiError::Conflict(format!(
                "a case study with the slug `{slug}` already exists"
            ))),
        };
    }
    let base = match slugify(&document.title, 80) {
        base if base.is_empty() => "case-study".to_owned(),
        base => base,
    };
    // Concurrent creates may take the candidate between our look and our insert: look again.
    for _ in 0..5 {
        let taken: Vec<String> = case_studies::table
            .filter(
                case_studies::slug
                    .eq(&base)
                    .or(case_studies::slug.like(format!("{base}-%"))),
            )
            .select(case_studies::slug)
            .load(conn)
            .await?;
        let candidate = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}-{n}")))
            .find(|candidate| !taken.contains(candidate))
            .expect("an unbounded sequence has a free slug");
        if try_insert(conn, id, &candidate, columns).await? {
            return Ok(());
        }
    }
    Err(ApiError::Conflict(
        "could not find a free slug; give one".into(),
    ))
}

async fn try_insert(
    conn: &mut PgConnection,
    id: Uuid,
    slug: &str,
    columns: &DocumentColumns<'_>,
) -> Result<bool, ApiError> {
    let inserted = diesel::insert_into(case_studies::table)
        .values((
            columns,
            case_studies::id.eq(id),
            case_studies::slug.eq(slug),
        ))
        .on_conflict(case_studies::slug)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

async fn resolve_organisations(
    conn: &mut PgConnection,
    document: &CaseStudyDocument,
) -> Result<HashMap<OrganisationRef, OrganisationSummary>, ApiError> {
    let refs: Vec<&OrganisationRef> = document
        .partners
        .iter()
        .map(|p| &p.organisation)
        .chain(document.owner.as_ref())
        .collect();
    organisations::resolve(conn, &refs)
        .await?
        .map_err(|missing| {
            let mut errors = Vec::new();
            for (i, partner) in document.partners.iter().enumerate() {
                if missing.contains(&partner.organisation) {
                    errors.push(FieldError::new(
                        format!("partners[{i}].organisation"),
                        format!(
                            "no organisation `{}`; create it first",
                            partner.organisation
                        ),
                    ));
                }
            }
            if let Some(owner) = document.owner.as_ref().filter(|o| missing.contains(o)) {
                errors.push(FieldError::new(
                    "owner",
                    format!("no organisation `{owner}`"),
                ));
            }
            ApiError::Validation(errors)
        })
}

fn lead_partner(
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Option<Uuid> {
    document
        .partners
        .iter()
        .find(|p| p.role == PartnerRole::Lead)
        .map(|p| organisations[&p.organisation].id)
}

async fn write_parts(
    conn: &mut PgConnection,
    id: Uuid,
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Result<(), ApiError> {
    let partners: Vec<_> = document
        .partners
        .iter()
        .zip(0i16..)
        .map(|(partner, position)| {
            (
                case_study_partners::case_study_id.eq(id),
                case_study_partners::organisation_id.eq(organisations[&partner.organisation].id),
                case_study_partners::role.eq(partner.role),
                case_study_partners::position.eq(position),
            )
        })
        .collect();
    if !partners.is_empty() {
        diesel::insert_into(case_study_partners::table)
            .values(partners)
            .execute(conn)
            .await?;
    }
    let outcomes: Vec<_> = document
        .outcomes
        .iter()
        .zip(0i16..)
        .map(|(outcome, position)| {
            (
                case_study_outcomes::case_study_id.eq(id),
                case_study_outcomes::position.eq(position),
                case_study_outcomes::category.eq(outcome.category),
                case_study_outcomes::description.eq(&outcome.description),
                case_study_outcomes::metric_value.eq(outcome.metric.map(|m| m.value)),
                case_study_outcomes::metric_unit.eq(outcome.metric.map(|m| m.unit)),
            )
        })
        .collect();
    if !outcomes.is_empty() {
        diesel::insert_into(case_study_outcomes::table)
            .values(outcomes)
            .execute(conn)
            .await?;
    }
    Ok(())
}

async fn record_revision(
    conn: &mut PgConnection,
    case_study: &CaseStudy,
    message: Option<&str>,
) -> Result<(), ApiError> {
    let document = serde_json::to_value(case_study).map_err(anyhow::Error::from)?;
    diesel::insert_into(case_study_revisions::table)
        .values((
            case_study_revisions::case_study_id.eq(case_study.id),
            case_study_revisions::number.eq(case_study.version),
            case_study_revisions::status.eq(case_study.status),
            case_study_revisions::document.eq(document),
            case_study_revisions::message.eq(message),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Completes rows with their partners and outcomes in two queries, whatever the page size.
async fn assemble(
    conn: &mut PgConnection,
    rows: Vec<(CaseStudyRow, OrganisationSummary)>,
) -> Result<Vec<CaseStudy>, ApiError> {
    let ids: Vec<Uuid> = rows.iter().map(|(row, _)| row.id).collect();
    let mut partners: HashMap<Uuid, Vec<CaseStudyPartner>> = HashMap::new();
    let partner_rows: Vec<(Uuid, PartnerRole, OrganisationSummary)> = case_study_partners::table
        .inner_join(
            organisations_table::table
                .on(organisations_table::id.eq(case_study_partners::organisation_id)),
        )
        .filter(case_study_partners::case_study_id.eq_any(&ids))
        .order((
            case_study_partners::case_study_id,
            case_study_partners::position,
        ))
        .select((
            case_study_partners::case_study_id,
            case_study_partners::role,
            OrganisationSummary::as_select(),
        ))
        .load(conn)
        .await?;
    for (case_study_id, role, organisation) in partner_rows {
        partners
            .entry(case_study_id)
            .or_default()
            .push(CaseStudyPartner { organisation, role });
    }
    let mut outcomes: HashMap<Uuid, Vec<Outcome>> = HashMap::new();
    let outcome_rows: Vec<OutcomeRow> = case_study_outcomes::table
        .filter(case_study_outcomes::case_study_id.eq_any(&ids))
        .order((
            case_study_outcomes::case_study_id,
            case_study_outcomes::position,
        ))
        .select((
            case_study_outcomes::case_study_id,
            case_study_outcomes::category,
            case_study_outcomes::description,
            case_study_outcomes::metric_value,
            case_study_outcomes::metric_unit,
        ))
        .load(conn)
        .await?;
    for row in outcome_rows {
        let metric = row
            .metric_value
            .zip(row.metric_unit)
            .map(|(value, unit)| Metric { value, unit });
        outcomes
            .entry(row.case_study_id)
            .or_default()
            .push(Outcome {
                category: row.category,
                description: row.description,
                metric,
            });
    }
    Ok(rows
        .into_iter()
        .map(|(row, owner)| CaseStudy {
            id: row.id,
            slug: row.slug,
            status: row.status,
            owner,
            title: row.title,
            summary: row.summary,
            you_asked: row.you_asked,
            we_said: row.we_said,
            we_did: row.we_did,
            what_worked: row.what_worked,
            could_improve: row.could_improve,
            quadrants: row.quadrants,
            journey_steps: row.journey_steps,
            values: row.coproduction_values,
            scale: row.scale,
            sector: row.sector,
            locality: row.locality,
            country: row.country,
            start_year: row.start_year,
            end_year: row.end_year,
            partners: partners.remove(&row.id).unwrap_or_default(),
            outcomes: outcomes.remove(&row.id).unwrap_or_default(),
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        })
        .collect())
}
