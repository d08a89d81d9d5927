//! Queries on the live record of case studies: the row with its partners and outcomes.
//!
//! These functions do not open transactions of their own: `crate::editorial` composes them
//! into whole changes, each inside one transaction.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable,
    SelectableHelper, TextExpressionMethods,
};
use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use super::changes::{self, SinceEntry};
use super::organisations;
use super::schema::{
    case_studies, case_study_former_slugs, case_study_outcomes, case_study_partners,
    case_study_self_assessments, organisations as organisations_table,
};
use super::{FixedSql, PgConnection, Prepared};
use crate::domain::attachment::FileType;
use crate::domain::case_study::{
    CaseStudy, CaseStudyContent, CaseStudyDocument, CaseStudyPartner, Metric, Outcome,
    is_reserved_slug,
};
use crate::domain::doi::Doi;
use crate::domain::organisation::{OrganisationRef, OrganisationSummary};
use crate::domain::quality::Quality;
use crate::domain::self_assessment::{AssessmentEntry, SelfAssessment};
use crate::domain::text::is_slug;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, MetricUnit, OutcomeCategory, PartnerRole, Status,
};
use crate::domain::workflow::{Lifecycle, Membership};
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

/// What a read or a write needs to know before deciding anything.
#[derive(Debug, Clone)]
pub struct CaseStudyState {
    pub id: Uuid,
    pub slug: String,
    pub status: Status,
    pub pending_status: Option<Status>,
    /// The newest revision: what editors work on, and what `If-Match` must name.
    pub version: i32,
    /// The revision the live record shows.
    pub live_version: i32,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub membership: Membership,
}

impl CaseStudyState {
    pub fn lifecycle(&self) -> Lifecycle {
        Lifecycle {
            live: self.status,
            pending: self.pending_status,
        }
    }

    /// True while a published case study has an unpublished revision.
    pub fn has_pending_revision(&self) -> bool {
        self.version != self.live_version
    }
}

#[derive(Queryable)]
struct StateRow {
    id: Uuid,
    slug: String,
    owner_id: Uuid,
    status: Status,
    pending_status: Option<Status>,
    version: i32,
    live_version: i32,
    created_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
}

/// The state of a case study, for a read.
pub async fn state(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
) -> Result<Option<CaseStudyState>, ApiError> {
    let query = case_studies::table.select(STATE_COLUMNS).into_boxed();
    let query = match key {
        CaseStudyKey::Id(id) => query.filter(case_studies::id.eq(*id)),
        CaseStudyKey::Slug(slug) => query.filter(case_studies::slug.eq(slug.clone())),
    };
    match query.first(conn).await.optional()? {
        Some(row) => Ok(Some(with_membership(conn, row).await?)),
        None => Ok(None),
    }
}

/// The state of a case study, for a write: the row stays locked until the transaction ends,
/// so concurrent changes queue instead of overwriting each other.
pub async fn lock(conn: &mut PgConnection, id: Uuid) -> Result<Option<CaseStudyState>, ApiError> {
    let row = case_studies::table
        .find(id)
        .select(STATE_COLUMNS)
        .for_update()
        .first(conn)
        .await
        .optional()?;
    match row {
        Some(row) => Ok(Some(with_membership(conn, row).await?)),
        None => Ok(None),
    }
}

const STATE_COLUMNS: (
    case_studies::id,
    case_studies::slug,
    case_studies::owner_id,
    case_studies::status,
    case_studies::pending_status,
    case_studies::version,
    case_studies::live_version,
    case_studies::created_at,
    case_studies::published_at,
) = (
    case_studies::id,
    case_studies::slug,
    case_studies::owner_id,
    case_studies::status,
    case_studies::pending_status,
    case_studies::version,
    case_studies::live_version,
    case_studies::created_at,
    case_studies::published_at,
);

async fn with_membership(
    conn: &mut PgConnection,
    row: StateRow,
) -> Result<CaseStudyState, ApiError> {
    let partner_ids = case_study_partners::table
        .filter(case_study_partners::case_study_id.eq(row.id))
        .select(case_study_partners::organisation_id)
        .load(conn)
        .await?;
    Ok(CaseStudyState {
        id: row.id,
        slug: row.slug,
        status: row.status,
        pending_status: row.pending_status,
        version: row.version,
        live_version: row.live_version,
        created_at: row.created_at,
        published_at: row.published_at,
        membership: Membership {
            owner_id: row.owner_id,
            partner_ids,
        },
    })
}

/// The live record as readers see it.
pub async fn live(conn: &mut PgConnection, id: Uuid) -> Result<Option<CaseStudy>, ApiError> {
    let row = whole()
        .filter(case_studies::id.eq(id))
        .first(conn)
        .await
        .optional()?;
    row.map(assemble).transpose()
}

/// A published case study's live record, by id or slug: all the public may read, found
/// without first working out who else could see it.
pub async fn published(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
) -> Result<Option<CaseStudy>, ApiError> {
    let query = whole().filter(case_studies::status.eq(Status::Published));
    let query = match key {
        CaseStudyKey::Id(id) => query.filter(case_studies::id.eq(*id)),
        CaseStudyKey::Slug(slug) => query.filter(case_studies::slug.eq(slug.clone())),
    };
    let row = query.first(conn).await.optional()?;
    Ok(row.map(assemble).transpose()?.map(CaseStudy::for_public))
}

/// Live records in the order of `ids` (those that exist).
pub async fn live_many(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<CaseStudy>, ApiError> {
    let rows: Vec<WholeRow> = whole()
        .filter(case_studies::id.eq_any(ids))
        .load(conn)
        .await?;
    let mut by_id: HashMap<Uuid, CaseStudy> = rows
        .into_iter()
        .map(|row| assemble(row).map(|c| (c.id, c)))
        .collect::<Result<_, _>>()?;
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Live records in the order of `ids`, as they stood at change-log entry `position` (taken in
/// when the primary's log stood at `wal`): read in one snapshot with the log, so that an
/// `Err` (with why) means they no longer stand so, or this server has not caught up yet.
pub async fn live_many_as_of(
    conn: &mut PgConnection,
    ids: &[Uuid],
    position: i64,
    wal: &str,
) -> Result<Result<Vec<CaseStudy>, SinceEntry>, ApiError> {
    if !changes::replayed(conn, wal).await? {
        return Ok(Err(SinceEntry::Behind));
    }
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(async |conn| {
            let rows = live_many(conn, ids).await?;
            // A record's words include its organisations' names, which change on their own.
            let mut entities: Vec<Uuid> = ids.to_vec();
            for case_study in &rows {
                entities.push(case_study.owner.id);
                entities.extend(case_study.partners.iter().map(|p| p.organisation.id));
            }
            Ok(
                match changes::touched_since(conn, position, &entities).await? {
                    false => Ok(rows),
                    true => Err(SinceEntry::Changed),
                },
            )
        })
        .await
}

pub async fn count(conn: &mut PgConnection) -> Result<i64, ApiError> {
    Ok(case_studies::table.count().get_result(conn).await?)
}

/// The live record's editorial fields, as a write sets them.
pub struct LiveFields {
    pub owner_id: Uuid,
    pub status: Status,
    pub published_at: Option<DateTime<Utc>>,
    pub version: i32,
    /// When the write happens: `created_at` of a new record, `updated_at` of any.
    pub at: DateTime<Utc>,
}

/// Inserts a new live record with its partners and outcomes; returns its slug.
/// Which slug a new case study gets.
pub enum SlugChoice<'a> {
    /// Exactly this one, if it is free.
    Exactly(&'a str),
    /// This one, or else the first free numbered one after it (`base-2`, `base-3`...).
    FirstFree(String),
}

/// Inserts a new live record with its partners and outcomes; returns its slug, or `None`
/// (and writes nothing) when the exact slug asked for is taken.
pub async fn insert(
    conn: &mut PgConnection,
    id: Uuid,
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
    fields: &LiveFields,
    slug: SlugChoice<'_>,
) -> Result<Option<String>, ApiError> {
    let columns = document_columns(fields);
    let content = document.content.pinned(organisations);
    let Some(slug) = insert_with_slug(conn, id, &content, &columns, fields.at, slug).await? else {
        return Ok(None);
    };
    write_parts(conn, &[(id, document)], organisations).await?;
    Ok(Some(slug))
}

/// A new live record with the exact slug it is to have.
pub struct NewRecord<'a> {
    pub id: Uuid,
    pub slug: &'a str,
    pub document: &'a CaseStudyDocument,
    pub fields: LiveFields,
}

/// Inserts new live records with their partners and outcomes, many to a statement; returns
/// the ids of those inserted. One whose slug is taken is left out, whole.
pub async fn insert_all(
    conn: &mut PgConnection,
    records: &[NewRecord<'_>],
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Result<HashSet<Uuid>, ApiError> {
    let contents: Vec<_> = records
        .iter()
        .map(|record| record.document.content.pinned(organisations))
        .collect();
    let rows: Vec<_> = records
        .iter()
        .zip(&contents)
        .map(|(record, content)| {
            (
                content.as_ref(),
                document_columns(&record.fields),
                case_studies::id.eq(record.id),
                case_studies::slug.eq(record.slug),
                case_studies::created_at.eq(record.fields.at),
                case_studies::updated_at.eq(record.fields.at),
            )
        })
        .collect();
    let mut inserted = HashSet::with_capacity(records.len());
    for rows in super::in_statements(rows) {
        let ids: Vec<Uuid> = diesel::insert_into(case_studies::table)
            .values(rows)
            .on_conflict(case_studies::slug)
            .do_nothing()
            .returning(case_studies::id)
            .get_results(conn)
            .await?;
        inserted.extend(ids);
    }
    let written: Vec<(Uuid, &CaseStudyDocument)> = records
        .iter()
        .filter(|record| inserted.contains(&record.id))
        .map(|record| (record.id, record.document))
        .collect();
    write_parts(conn, &written, organisations).await?;
    Ok(inserted)
}

/// Replaces the live record's content with `document`.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    slug: &str,
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
    fields: &LiveFields,
) -> Result<(), ApiError> {
    retire_slug(conn, id, slug).await?;
    diesel::update(case_studies::table.find(id))
        .set((
            document.content.pinned(organisations).as_ref(),
            document_columns(fields),
            case_studies::slug.eq(slug),
            case_studies::pending_status.eq(None::<Status>),
            case_studies::updated_at.eq(fields.at),
        ))
        .execute(conn)
        .await?;
    diesel::delete(case_study_partners::table.filter(case_study_partners::case_study_id.eq(id)))
        .execute(conn)
        .await?;
    diesel::delete(case_study_outcomes::table.filter(case_study_outcomes::case_study_id.eq(id)))
        .execute(conn)
        .await?;
    write_parts(conn, &[(id, document)], organisations).await
}

/// Keeps the slug a case study is leaving (if it is leaving one), so links to it still
/// lead to the case study; a slug it takes back is no longer a former one.
async fn retire_slug(conn: &mut PgConnection, id: Uuid, new_slug: &str) -> Result<(), ApiError> {
    Prepared::new(
        "INSERT INTO case_study_former_slugs (slug, case_study_id) \
         SELECT slug, id FROM case_studies WHERE id = $1 AND slug <> $2 \
         ON CONFLICT (slug) DO UPDATE \
         SET case_study_id = EXCLUDED.case_study_id, retired_at = now()",
        |query| {
            query
                .bind::<diesel::sql_types::Uuid, _>(id)
                .bind::<diesel::sql_types::Text, _>(new_slug)
        },
    )
    .execute(conn)
    .await?;
    diesel::delete(case_study_former_slugs::table.find(new_slug))
        .execute(conn)
        .await?;
    Ok(())
}

/// Published case studies that name an organisation, as owner or partner.
pub async fn published_naming(
    conn: &mut PgConnection,
    organisation: Uuid,
) -> Result<Vec<Uuid>, ApiError> {
    let partnered = case_study_partners::table
        .filter(case_study_partners::organisation_id.eq(organisation))
        .select(case_study_partners::case_study_id);
    Ok(case_studies::table
        .filter(case_studies::status.eq(Status::Published))
        .filter(
            case_studies::owner_id
                .eq(organisation)
                .or(case_studies::id.eq_any(partnered)),
        )
        .order(case_studies::id)
        .select(case_studies::id)
        .load(conn)
        .await?)
}

/// The DOIs recorded for these case studies.
pub async fn dois(conn: &mut PgConnection, ids: &[Uuid]) -> Result<HashMap<Uuid, Doi>, ApiError> {
    let found: Vec<(Uuid, Option<String>)> = case_studies::table
        .filter(case_studies::id.eq_any(ids))
        .filter(case_studies::doi.is_not_null())
        .select((case_studies::id, case_studies::doi))
        .load(conn)
        .await?;
    found
        .into_iter()
        .filter_map(|(id, doi)| Some((id, doi?)))
        .map(|(id, doi)| {
            let doi = Doi::parse(&doi).map_err(|e| {
                anyhow::anyhow!("case study {id} has a stored DOI that does not parse: {e}")
            })?;
            Ok((id, doi))
        })
        .collect()
}

/// Records (or clears) the DOI registered for a case study.
pub async fn set_doi(conn: &mut PgConnection, id: Uuid, doi: Option<&Doi>) -> Result<(), ApiError> {
    diesel::update(case_studies::table.find(id))
        .set(case_studies::doi.eq(doi.map(Doi::as_str)))
        .execute(conn)
        .await?;
    Ok(())
}

/// The case study that once had this slug, if one did.
pub async fn former_slug_holder(
    conn: &mut PgConnection,
    slug: &str,
) -> Result<Option<Uuid>, ApiError> {
    Ok(case_study_former_slugs::table
        .find(slug)
        .select(case_study_former_slugs::case_study_id)
        .first(conn)
        .await
        .optional()?)
}

/// Moves the live record to another status without touching its content.
pub async fn set_live_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: Status,
    published_at: Option<DateTime<Utc>>,
    version: i32,
) -> Result<(), ApiError> {
    diesel::update(case_studies::table.find(id))
        .set((
            case_studies::status.eq(status),
            case_studies::published_at.eq(published_at),
            case_studies::version.eq(version),
            case_studies::live_version.eq(version),
            case_studies::pending_status.eq(None::<Status>),
            case_studies::updated_at.eq(Utc::now()),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that a newer, unpublished revision exists; the live record stays as it is.
pub async fn set_pending(
    conn: &mut PgConnection,
    id: Uuid,
    status: Status,
    version: i32,
) -> Result<(), ApiError> {
    diesel::update(case_studies::table.find(id))
        .set((
            case_studies::pending_status.eq(Some(status)),
            case_studies::version.eq(version),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Which of these slugs case studies have.
pub async fn slugs_present(
    conn: &mut PgConnection,
    slugs: &[&str],
) -> Result<HashSet<String>, ApiError> {
    Ok(case_studies::table
        .filter(case_studies::slug.eq_any(slugs))
        .select(case_studies::slug)
        .load::<String>(conn)
        .await?
        .into_iter()
        .collect())
}

/// True when another case study already has this slug.
pub async fn slug_taken(
    conn: &mut PgConnection,
    slug: &str,
    except: Uuid,
) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        case_studies::table.filter(case_studies::slug.eq(slug).and(case_studies::id.ne(except))),
    ))
    .get_result(conn)
    .await?)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = case_studies, check_for_backend(diesel::pg::Pg))]
struct CaseStudyRow {
    id: Uuid,
    slug: String,
    status: Status,
    #[diesel(embed)]
    content: CaseStudyContent,
    live_version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
}

/// The columns a write sets beside the document's content, shared by insert and update.
#[derive(diesel::Insertable, diesel::AsChangeset)]
#[diesel(table_name = case_studies)]
struct DocumentColumns {
    owner_id: Uuid,
    status: Status,
    published_at: Option<DateTime<Utc>>,
    version: i32,
    live_version: i32,
}

fn document_columns(fields: &LiveFields) -> DocumentColumns {
    DocumentColumns {
        owner_id: fields.owner_id,
        status: fields.status,
        published_at: fields.published_at,
        version: fields.version,
        live_version: fields.version,
    }
}

/// Advisory locks on slugs are two-key (this class, the slug's hash), apart from the
/// single-key locks of the change log and start-up.
const SLUG_LOCK_CLASS: i32 = 0x736c_7567; // "slug"

async fn insert_with_slug(
    conn: &mut PgConnection,
    id: Uuid,
    content: &CaseStudyContent,
    columns: &DocumentColumns,
    at: DateTime<Utc>,
    choice: SlugChoice<'_>,
) -> Result<Option<String>, ApiError> {
    let base = match choice {
        SlugChoice::Exactly(slug) => {
            let inserted = try_insert(conn, id, slug, content, columns, at).await?;
            return Ok(inserted.then(|| slug.to_owned()));
        }
        SlugChoice::FirstFree(base) => base,
    };
    // Most titles are new: try the plain slug before looking for numbered ones.
    if !is_reserved_slug(&base) && try_insert(conn, id, &base, content, columns, at).await? {
        return Ok(Some(base));
    }
    // Creates of one title take turns from here until they commit: each then sees the
    // numbers taken before it, where otherwise all would pick the same one and most lose.
    Prepared::new("SELECT pg_advisory_xact_lock($1, hashtext($2))", |query| {
        query
            .bind::<diesel::sql_types::Integer, _>(SLUG_LOCK_CLASS)
            .bind::<diesel::sql_types::Text, _>(&base)
    })
    .execute(conn)
    .await?;
    // A client naming a numbered slug itself may still take the candidate first: look again.
    for _ in 0..5 {
        let candidate = first_free_slug(conn, &base, id).await?;
        if try_insert(conn, id, &candidate, content, columns, at).await? {
            return Ok(Some(candidate));
        }
    }
    Err(ApiError::Conflict(
        "could not find a free slug; give one".into(),
    ))
}

/// `base`, or the first of `base-2`, `base-3`... that no case study but `except` has.
pub async fn first_free_slug(
    conn: &mut PgConnection,
    base: &str,
    except: Uuid,
) -> Result<String, ApiError> {
    let taken: HashSet<String> = case_studies::table
        .filter(
            case_studies::slug
                .eq(base)
                .or(case_studies::slug.like(format!("{base}-%"))),
        )
        .filter(case_studies::id.ne(except))
        .select(case_studies::slug)
        .load::<String>(conn)
        .await?
        .into_iter()
        .collect();
    Ok(std::iter::once(base.to_owned())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|candidate| !taken.contains(candidate) && !is_reserved_slug(candidate))
        .expect("an unbounded sequence has a free slug"))
}

async fn try_insert(
    conn: &mut PgConnection,
    id: Uuid,
    slug: &str,
    content: &CaseStudyContent,
    columns: &DocumentColumns,
    at: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let inserted = diesel::insert_into(case_studies::table)
        .values((
            content,
            columns,
            case_studies::id.eq(id),
            case_studies::slug.eq(slug),
            case_studies::created_at.eq(at),
            case_studies::updated_at.eq(at),
        ))
        .on_conflict(case_studies::slug)
        .do_nothing()
        .execute(conn)
        .await?;
    Ok(inserted == 1)
}

/// Finds every organisation the document names; unknown ones are 422s naming the field.
pub async fn resolve_organisations(
    conn: &mut PgConnection,
    document: &CaseStudyDocument,
) -> Result<HashMap<OrganisationRef, OrganisationSummary>, ApiError> {
    let refs: Vec<&OrganisationRef> = document.organisations().collect();
    let found = organisations::resolve(conn, &refs)
        .await?
        .map_err(|missing| unknown_organisations(document, &missing))?;
    check_funders(document, &found)?;
    Ok(found)
}

/// A cost's funder must be one of the partners (the role `funder` says so), so every
/// organisation of a case study is in one list, with its role.
pub fn check_funders(
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Result<(), ApiError> {
    let partners: HashSet<Uuid> = document
        .partners
        .iter()
        .map(|p| organisations[&p.organisation].id)
        .collect();
    let errors: Vec<FieldError> = document
        .content
        .practice
        .costs
        .iter()
        .enumerate()
        .filter(|(_, cost)| {
            cost.funder
                .as_ref()
                .is_some_and(|funder| !partners.contains(&organisations[funder].id))
        })
        .map(|(i, _)| {
            FieldError::new(
                format!("costs[{i}].funder"),
                "must be one of the partners; name it there too, with the role `funder`",
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The 422 for a document naming organisations that do not exist.
pub fn unknown_organisations(
    document: &CaseStudyDocument,
    missing: &[OrganisationRef],
) -> ApiError {
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
    for (i, cost) in document.content.practice.costs.iter().enumerate() {
        if let Some(funder) = cost.funder.as_ref().filter(|f| missing.contains(f)) {
            errors.push(FieldError::new(
                format!("costs[{i}].funder"),
                format!("no organisation `{funder}`; create it first"),
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
}

/// Writes the partners, outcomes and self-assessment answers of live records, each table in
/// as few statements as it takes.
async fn write_parts(
    conn: &mut PgConnection,
    records: &[(Uuid, &CaseStudyDocument)],
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Result<(), ApiError> {
    let partners: Vec<_> = records
        .iter()
        .flat_map(|&(id, document)| {
            document
                .partners
                .iter()
                .zip(0i16..)
                .map(move |(partner, position)| {
                    (
                        case_study_partners::case_study_id.eq(id),
                        case_study_partners::organisation_id
                            .eq(organisations[&partner.organisation].id),
                        case_study_partners::role.eq(partner.role),
                        case_study_partners::position.eq(position),
                    )
                })
        })
        .collect();
    for rows in super::in_statements(partners) {
        diesel::insert_into(case_study_partners::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    let outcomes: Vec<_> = records
        .iter()
        .flat_map(|&(id, document)| {
            document
                .outcomes
                .iter()
                .zip(0i16..)
                .map(move |(outcome, position)| {
                    (
                        case_study_outcomes::case_study_id.eq(id),
                        case_study_outcomes::position.eq(position),
                        case_study_outcomes::category.eq(outcome.category),
                        case_study_outcomes::description.eq(&outcome.description),
                        case_study_outcomes::metric_value.eq(outcome.metric.map(|m| m.value)),
                        case_study_outcomes::metric_unit.eq(outcome.metric.map(|m| m.unit)),
                    )
                })
        })
        .collect();
    for rows in super::in_statements(outcomes) {
        diesel::insert_into(case_study_outcomes::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    // A document without answers leaves those already given as they are.
    let assessed: Vec<(Uuid, &[AssessmentEntry])> = records
        .iter()
        .filter_map(|&(id, document)| Some((id, document.self_assessment.as_deref()?)))
        .collect();
    if assessed.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = assessed.iter().map(|(id, _)| *id).collect();
    diesel::delete(
        case_study_self_assessments::table
            .filter(case_study_self_assessments::case_study_id.eq_any(&ids)),
    )
    .execute(conn)
    .await?;
    let answers: Vec<_> = assessed
        .iter()
        .flat_map(|&(id, answers)| {
            answers.iter().map(move |entry| {
                (
                    case_study_self_assessments::case_study_id.eq(id),
                    case_study_self_assessments::question.eq(entry.question),
                    case_study_self_assessments::answer.eq(entry.answer),
                    case_study_self_assessments::note.eq(&entry.note),
                )
            })
        })
        .collect();
    for rows in super::in_statements(answers) {
        diesel::insert_into(case_study_self_assessments::table)
            .values(rows)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A case study's row, its owner, and its partners, outcomes, self-assessment and whether it
/// has a report, gathered by the database into one JSON text (`Parts`): a read is one
/// prepared statement, which costs PostgreSQL less than half of what five small ones did.
type WholeRow = (CaseStudyRow, OrganisationSummary, String);

type WholeColumns = (
    diesel::dsl::AsSelect<CaseStudyRow, Pg>,
    diesel::dsl::AsSelect<OrganisationSummary, Pg>,
    FixedSql<Text>,
);
type WholeQuery = diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::Select<
        diesel::dsl::InnerJoin<case_studies::table, organisations_table::table>,
        WholeColumns,
    >,
    Pg,
>;

fn whole() -> WholeQuery {
    case_studies::table
        .inner_join(organisations_table::table)
        .select((
            CaseStudyRow::as_select(),
            OrganisationSummary::as_select(),
            FixedSql::new(&PARTS),
        ))
        .into_boxed()
}

/// `Parts` as JSON, for the row of `case_studies` being read. A report is a PDF attached, as
/// `attachments::with_reports` counts it.
static PARTS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "json_build_object(
    'partners', coalesce((
        SELECT json_agg(json_build_array(p.role, json_build_object(
                   'id', o.id, 'slug', o.slug, 'name', o.name, 'kind', o.kind,
                   'identifiers', o.identifiers)) ORDER BY p.position)
        FROM case_study_partners p JOIN organisations o ON o.id = p.organisation_id
        WHERE p.case_study_id = case_studies.id), '[]'),
    'outcomes', coalesce((
        SELECT json_agg(json_build_array(category, description, metric_value, metric_unit)
                        ORDER BY position)
        FROM case_study_outcomes WHERE case_study_id = case_studies.id), '[]'),
    'answers', coalesce((
        SELECT json_agg(json_build_array(question, answer, note))
        FROM case_study_self_assessments WHERE case_study_id = case_studies.id), '[]'),
    'reported', EXISTS (
        SELECT 1 FROM attachments
        WHERE case_study_id = case_studies.id AND media_type = '{}')
)::text",
        FileType::Pdf.media_type()
    )
});

#[derive(serde::Deserialize)]
struct Parts {
    partners: Vec<(PartnerRole, OrganisationSummary)>,
    outcomes: Vec<(OutcomeCategory, String, Option<f64>, Option<MetricUnit>)>,
    answers: Vec<(AssessmentQuestion, AssessmentAnswer, String)>,
    reported: bool,
}

fn assemble((row, owner, parts): WholeRow) -> Result<CaseStudy, ApiError> {
    let parts: Parts = serde_json::from_str(&parts).map_err(anyhow::Error::from)?;
    let mut answers: Vec<AssessmentEntry> = parts
        .answers
        .into_iter()
        .map(|(question, answer, note)| AssessmentEntry {
            question,
            answer,
            note,
        })
        .collect();
    answers.sort_by_key(|entry| entry.question);
    Ok(CaseStudy {
        id: row.id,
        slug: row.slug,
        status: row.status,
        owner,
        content: row.content,
        partners: parts
            .partners
            .into_iter()
            .map(|(role, organisation)| CaseStudyPartner { organisation, role })
            .collect(),
        outcomes: parts
            .outcomes
            .into_iter()
            .map(|(category, description, value, unit)| Outcome {
                category,
                description,
                metric: value.zip(unit).map(|(value, unit)| Metric { value, unit }),
            })
            .collect(),
        self_assessment: SelfAssessment::new(answers),
        quality: Quality::default(),
        version: row.live_version,
        published_version: (row.status == Status::Published).then_some(row.live_version),
        created_at: row.created_at,
        updated_at: row.updated_at,
        published_at: row.published_at,
    }
    .assessed(parts.reported))
}
