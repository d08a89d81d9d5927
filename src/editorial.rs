//! Writing case studies. Every change is one transaction that moves the live record, the
//! pending revision, the history, the review comments and the audit trail together, after
//! checking who is asking, which version they are changing and what the workflow allows.

use std::collections::HashMap;

use chrono::{SubsecRound, Utc};
use diesel_async::AsyncConnection;
use uuid::Uuid;

use crate::db::audit::{self, AuditEvent};
use crate::db::case_studies::{self, CaseStudyState, LiveFields, NewRecord, SlugChoice};
use crate::db::changes::NewChange;
use crate::db::revisions::NewRevision;
use crate::db::{PgConnection, attachments, changes, organisations, revisions, search};
use crate::domain::Precondition;
use crate::domain::case_study::{CaseStudy, CaseStudyDocument, CaseStudyPartner};
use crate::domain::organisation::{OrganisationRef, OrganisationSummary};
use crate::domain::quality::Quality;
use crate::domain::self_assessment::{AssessmentEntry, SelfAssessment};
use crate::domain::text::{Problems, slugify};
use crate::domain::user::{Actor, Principal};
use crate::domain::vocabulary::{AuditKind, ChangeKind, ChangedEntity, PartnerRole, Status};
use crate::domain::workflow::{Rights, Transition};
use crate::error::ApiError;

pub const COMMENT_MAX: usize = 5_000;

/// Which organisation will own a new case study.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    /// The editor's own organisation; naming another is forbidden.
    Own(Uuid),
    /// This organisation unless the document names another (administrators).
    Chosen(Uuid),
    /// The organisation the document names as owner, or else its lead partner (loaders).
    LeadPartner,
}

impl Owner {
    pub fn for_principal(principal: &Principal) -> Self {
        if principal.is_admin() {
            Self::Chosen(principal.organisation_id)
        } else {
            Self::Own(principal.organisation_id)
        }
    }
}

/// A change to an existing case study.
#[derive(Debug)]
pub enum Change {
    /// A new version of the whole document.
    Replace {
        document: Box<CaseStudyDocument>,
        message: Option<String>,
    },
    /// A step of the workflow, with the reviewer's or editor's comment.
    Transition {
        transition: Transition,
        comment: Option<String>,
    },
    /// An earlier revision's document, written again as a new revision.
    Restore { number: i32 },
    /// New self-assessment answers; the rest of the document stays as it is.
    SelfAssessment {
        answers: Vec<AssessmentEntry>,
        message: Option<String>,
    },
}

pub async fn create(
    conn: &mut PgConnection,
    document: CaseStudyDocument,
    owner: Owner,
    status: Status,
    actor: &Actor,
) -> Result<CaseStudy, ApiError> {
    conn.transaction(async |conn| {
        let organisations = case_studies::resolve_organisations(conn, &document).await?;
        let owner_id = decide_owner(owner, &document, &organisations)?;
        let at = now();
        let fields = LiveFields {
            owner_id,
            status,
            published_at: (status == Status::Published).then_some(at),
            version: 1,
            at,
        };
        let id = Uuid::now_v7();
        let insert = async |conn: &mut PgConnection, choice| {
            case_studies::insert(conn, id, &document, &organisations, &fields, choice).await
        };
        let slug = match document.slug.as_deref() {
            Some(wanted) => match insert(conn, SlugChoice::Exactly(wanted)).await? {
                Some(slug) => Some(slug),
                None if slug_visible(conn, wanted, actor).await? => {
                    return Err(ApiError::Conflict(format!(
                        "a case study with the slug `{wanted}` already exists"
                    )));
                }
                // Taken by a case study the writer may not see: as if it were free, so
                // nothing says it exists, under the next free one.
                None => insert(conn, SlugChoice::FirstFree(wanted.to_owned())).await?,
            },
            None => {
                let base = match slugify(&document.content.title, 80) {
                    base if base.is_empty() => "case-study".to_owned(),
                    base => base,
                };
                insert(conn, SlugChoice::FirstFree(base)).await?
            }
        }
        .expect("only an exact slug can be refused");
        let owner = owner_summary(conn, owner_id, &organisations).await?;
        // Written just now, in full: the document is known without reading it back.
        let case_study = compose(
            &document,
            &organisations,
            Meta {
                id,
                slug,
                status,
                owner,
                version: 1,
                published_version: (status == Status::Published).then_some(1),
                created_at: at,
                updated_at: at,
                published_at: fields.published_at,
                answers: Vec::new(),
                evaluation_report: false,
            },
        );
        revisions::record(conn, &case_study, 1, actor.user_id(), None).await?;
        audit(conn, AuditKind::CaseStudyCreated, owner_id, id, actor).await?;
        live_changed(conn, &[(id, created_kind(status))]).await?;
        Ok(case_study)
    })
    .await
}

/// A case study a loader brings in whole, with the exact slug it is to have.
pub struct Loaded {
    pub document: CaseStudyDocument,
    pub slug: String,
    pub status: Status,
}

/// What became of a loaded case study.
#[derive(Debug)]
pub enum LoadOutcome {
    Created,
    /// A case study already has its slug.
    AlreadyPresent,
    /// It names an organisation that does not exist, or no owner.
    Rejected(ApiError),
}

/// Creates case studies for a loader as `create` does with `Owner::LeadPartner`, but each
/// table is written in a few statements for all of them: revisions, audit rows and
/// change-log entries included. A case study is refused or left out alone; an error of the
/// whole (from the database) leaves nothing written.
pub async fn create_all(
    conn: &mut PgConnection,
    loaded: &[Loaded],
    actor: &Actor,
) -> Result<Vec<LoadOutcome>, ApiError> {
    conn.transaction(async |conn| {
        let refs: Vec<&OrganisationRef> = loaded
            .iter()
            .flat_map(|l| l.document.organisations())
            .collect();
        let organisations = match organisations::resolve(conn, &refs).await? {
            Ok(found) => found,
            Err(missing) => {
                let known: Vec<&OrganisationRef> =
                    refs.into_iter().filter(|r| !missing.contains(r)).collect();
                organisations::resolve(conn, &known)
                    .await?
                    .unwrap_or_default()
            }
        };
        let mut outcomes = Vec::with_capacity(loaded.len());
        // Each record with the place of its outcome.
        let mut records = Vec::with_capacity(loaded.len());
        for item in loaded {
            let missing: Vec<OrganisationRef> = item
                .document
                .organisations()
                .filter(|r| !organisations.contains_key(r))
                .cloned()
                .collect();
            let owner_id = if missing.is_empty() {
                case_studies::check_funders(&item.document, &organisations)
                    .and_then(|()| decide_owner(Owner::LeadPartner, &item.document, &organisations))
            } else {
                Err(case_studies::unknown_organisations(
                    &item.document,
                    &missing,
                ))
            };
            match owner_id {
                Ok(owner_id) => {
                    let at = now();
                    let fields = LiveFields {
                        owner_id,
                        status: item.status,
                        published_at: (item.status == Status::Published).then_some(at),
                        version: 1,
                        at,
                    };
                    let record = NewRecord {
                        id: Uuid::now_v7(),
                        slug: &item.slug,
                        document: &item.document,
                        fields,
                    };
                    records.push((record, outcomes.len()));
                    outcomes.push(LoadOutcome::Created);
                }
                Err(error) => outcomes.push(LoadOutcome::Rejected(error)),
            }
        }
        let (records, places): (Vec<NewRecord>, Vec<usize>) = records.into_iter().unzip();
        let inserted = case_studies::insert_all(conn, &records, &organisations).await?;
        let mut created = Vec::with_capacity(inserted.len());
        for (record, place) in records.iter().zip(places) {
            if !inserted.contains(&record.id) {
                outcomes[place] = LoadOutcome::AlreadyPresent;
                continue;
            }
            let owner = owner_summary(conn, record.fields.owner_id, &organisations).await?;
            let meta = Meta {
                id: record.id,
                slug: record.slug.to_owned(),
                status: record.fields.status,
                owner,
                version: 1,
                published_version: record.fields.published_at.map(|_| 1),
                created_at: record.fields.at,
                updated_at: record.fields.at,
                published_at: record.fields.published_at,
                answers: Vec::new(),
                evaluation_report: false,
            };
            created.push((
                compose(record.document, &organisations, meta),
                record.fields.owner_id,
            ));
        }
        let revisions: Vec<NewRevision> = created
            .iter()
            .map(|(case_study, _)| NewRevision {
                case_study,
                number: 1,
                author_id: actor.user_id(),
                message: None,
            })
            .collect();
        revisions::record_all(conn, &revisions).await?;
        let events = created
            .iter()
            .map(|(case_study, owner_id)| {
                let event = audit_event(*owner_id, case_study.id, actor);
                (AuditKind::CaseStudyCreated, event)
            })
            .collect();
        audit::record_all(conn, events).await?;
        let changed: Vec<(Uuid, ChangeKind)> = created
            .iter()
            .map(|(case_study, _)| (case_study.id, created_kind(case_study.status)))
            .collect();
        live_changed(conn, &changed).await?;
        Ok(outcomes)
    })
    .await
}

/// Applies `change` for `principal` if they may, the version they name is current, and
/// the workflow allows it; returns the version editors now work on.
pub async fn change(
    conn: &mut PgConnection,
    id: Uuid,
    precondition: &Precondition,
    actor: &Actor,
    change: Change,
) -> Result<CaseStudy, ApiError> {
    let principal = actor
        .principal
        .as_ref()
        .ok_or(ApiError::Unauthorized("sign in: this needs a bearer token"))?;
    // What is wrong with the request itself is said first, whatever the case study's state.
    let change = match change {
        Change::Transition {
            transition,
            comment,
        } => Change::Transition {
            transition,
            comment: parse_comment(comment, transition == Transition::Return)?,
        },
        other => other,
    };
    conn.transaction(async |conn| {
        let state = case_studies::lock(conn, id)
            .await?
            .ok_or(ApiError::NotFound("case study"))?;
        let rights = Rights {
            principal: Some(principal),
            membership: &state.membership,
            lifecycle: state.lifecycle(),
        };
        // What the caller may not read does not exist for them: no version, status or
        // workflow step of it is answered.
        if !rights.sees_anything() {
            return Err(ApiError::NotFound("case study"));
        }
        match &change {
            Change::Replace { .. } | Change::Restore { .. } | Change::SelfAssessment { .. } => {
                rights.may_edit()?;
            }
            Change::Transition { transition, .. } => match transition {
                Transition::Submit => rights.may_edit()?,
                Transition::Publish | Transition::Return => rights.may_review()?,
                Transition::Archive => rights.may_archive()?,
            },
        }
        match precondition {
            Precondition::Absent => return Err(ApiError::PreconditionRequired),
            expected if !expected.admits(state.version) => {
                return Err(ApiError::PreconditionFailed(format!(
                    "the case study is now at version {}; fetch it again and reapply your change",
                    state.version
                )));
            }
            _ => {}
        }
        let owner = if principal.is_admin() {
            Owner::Chosen(state.membership.owner_id)
        } else {
            Owner::Own(state.membership.owner_id)
        };
        match change {
            Change::Replace { document, message } => {
                edit(conn, &state, *document, owner, actor, message.as_deref()).await
            }
            Change::Restore { number } => {
                let revision = revisions::get(conn, id, number)
                    .await?
                    .ok_or(ApiError::NotFound("revision"))?;
                let mut document = CaseStudyDocument::from(&revision.document);
                document.owner = None;
                let message = format!("restored revision {number}");
                let restored =
                    replace(conn, &state, document, owner, actor, Some(&message)).await?;
                audit(
                    conn,
                    AuditKind::CaseStudyRestored,
                    state.membership.owner_id,
                    id,
                    actor,
                )
                .await?;
                Ok(restored)
            }
            Change::Transition {
                transition,
                comment,
            } => transition_to(conn, &state, transition, comment, actor).await,
            Change::SelfAssessment { answers, message } => {
                let mut document = CaseStudyDocument::from(&working_version(conn, &state).await?);
                document.owner = None;
                document.self_assessment = Some(answers);
                edit(conn, &state, document, owner, actor, message.as_deref()).await
            }
        }
    })
    .await
}

/// The version editors work on: the pending revision if there is one, else the live record.
pub async fn working_version(
    conn: &mut PgConnection,
    state: &CaseStudyState,
) -> Result<CaseStudy, ApiError> {
    if state.has_pending_revision() {
        Ok(revisions::get(conn, state.id, state.version)
            .await?
            .ok_or(ApiError::NotFound("revision"))?
            .document)
    } else {
        live(conn, state.id).await
    }
}

/// An editor's change of the document: a new version, and a line in the audit trail.
async fn edit(
    conn: &mut PgConnection,
    state: &CaseStudyState,
    document: CaseStudyDocument,
    owner: Owner,
    actor: &Actor,
    message: Option<&str>,
) -> Result<CaseStudy, ApiError> {
    let edited = replace(conn, state, document, owner, actor, message).await?;
    let owner_id = state.membership.owner_id;
    audit(conn, AuditKind::CaseStudyChanged, owner_id, state.id, actor).await?;
    Ok(edited)
}

async fn replace(
    conn: &mut PgConnection,
    state: &CaseStudyState,
    document: CaseStudyDocument,
    owner: Owner,
    actor: &Actor,
    message: Option<&str>,
) -> Result<CaseStudy, ApiError> {
    state.lifecycle().check_editable()?;
    let organisations = case_studies::resolve_organisations(conn, &document).await?;
    let owner_id = decide_owner(owner, &document, &organisations)?;
    let mut slug = document.slug.clone().unwrap_or_else(|| state.slug.clone());
    if slug != state.slug && case_studies::slug_taken(conn, &slug, state.id).await? {
        if slug_visible(conn, &slug, actor).await? {
            return Err(ApiError::Conflict(format!(
                "a case study with the slug `{slug}` already exists"
            )));
        }
        // As on creation: a slug held by what the writer may not see reads as free.
        slug = case_studies::first_free_slug(conn, &slug, state.id).await?;
    }
    let version = state.version + 1;
    let case_study = if state.status == Status::Published {
        // The public keeps seeing the live record; this edit waits for review.
        let owner = owner_summary(conn, owner_id, &organisations).await?;
        let answers = match document.self_assessment {
            Some(_) => Vec::new(),
            None => working_version(conn, state).await?.self_assessment.answers,
        };
        let pending = compose(
            &document,
            &organisations,
            Meta {
                id: state.id,
                slug,
                status: Status::Draft,
                owner,
                version,
                published_version: Some(state.live_version),
                created_at: state.created_at,
                updated_at: now(),
                published_at: state.published_at,
                answers,
                evaluation_report: !attachments::with_reports(conn, &[state.id])
                    .await?
                    .is_empty(),
            },
        );
        case_studies::set_pending(conn, state.id, Status::Draft, version).await?;
        pending
    } else {
        let fields = LiveFields {
            owner_id,
            status: state.status,
            published_at: state.published_at,
            version,
            at: now(),
        };
        case_studies::update(conn, state.id, &slug, &document, &organisations, &fields).await?;
        live_changed(conn, &[(state.id, ChangeKind::Changed)]).await?;
        live(conn, state.id).await?
    };
    revisions::record(conn, &case_study, version, actor.user_id(), message).await?;
    Ok(case_study)
}

async fn transition_to(
    conn: &mut PgConnection,
    state: &CaseStudyState,
    transition: Transition,
    comment: Option<String>,
    actor: &Actor,
) -> Result<CaseStudy, ApiError> {
    let target = state.lifecycle().apply(transition)?;
    let version = state.version + 1;
    let pending = state.has_pending_revision() && transition != Transition::Archive;
    let case_study = if pending && target != Status::Published {
        // Submitting or returning a pending revision: the live record is untouched.
        let mut document = working_version(conn, state).await?;
        document.status = target;
        document.version = version;
        document.updated_at = now();
        case_studies::set_pending(conn, state.id, target, version).await?;
        document
    } else if pending {
        // Publishing a pending revision: it becomes the live record.
        let revision = working_version(conn, state).await?;
        let document = CaseStudyDocument::from(&revision);
        if case_studies::slug_taken(conn, &revision.slug, state.id).await? {
            return Err(ApiError::Conflict(format!(
                "another case study took the slug `{}` meanwhile; change it before publishing",
                revision.slug
            )));
        }
        let organisations = case_studies::resolve_organisations(conn, &document).await?;
        let fields = LiveFields {
            owner_id: revision.owner.id,
            status: Status::Published,
            published_at: state.published_at,
            version,
            at: now(),
        };
        case_studies::update(
            conn,
            state.id,
            &revision.slug,
            &document,
            &organisations,
            &fields,
        )
        .await?;
        live(conn, state.id).await?
    } else {
        let published_at = match target {
            Status::Published => state.published_at.or_else(|| Some(now())),
            _ => state.published_at,
        };
        case_studies::set_live_status(conn, state.id, target, published_at, version).await?;
        live(conn, state.id).await?
    };
    if target == Status::Published {
        // Files added since the last publication go public with this one.
        attachments::publish(conn, state.id).await?;
    }
    if !pending || target == Status::Published {
        let kind = match (state.status, target) {
            (Status::Published, Status::Published) => ChangeKind::Updated,
            (_, Status::Published) => ChangeKind::Published,
            (Status::Published, _) => ChangeKind::Withdrawn,
            _ => ChangeKind::Changed,
        };
        live_changed(conn, &[(state.id, kind)]).await?;
    }
    revisions::record(
        conn,
        &case_study,
        version,
        actor.user_id(),
        comment.as_deref(),
    )
    .await?;
    if let (Some(comment), Some(principal)) = (&comment, &actor.principal) {
        revisions::add_comment(conn, state.id, version, principal.user_id, comment).await?;
    }
    let kind = match transition {
        Transition::Submit => AuditKind::CaseStudySubmitted,
        Transition::Publish => AuditKind::CaseStudyPublished,
        Transition::Return => AuditKind::CaseStudyReturned,
        Transition::Archive => AuditKind::CaseStudyArchived,
    };
    audit(conn, kind, state.membership.owner_id, state.id, actor).await?;
    Ok(case_study)
}

/// The live record changed: the change log says so (last, as appending holds a lock until
/// commit), and every search index follows it.
/// How the change log names a case study's creation.
fn created_kind(status: Status) -> ChangeKind {
    match status {
        Status::Published => ChangeKind::Published,
        _ => ChangeKind::Created,
    }
}

/// Records changes to live records in the change log, which the search index follows.
pub async fn live_changed(
    conn: &mut PgConnection,
    changed: &[(Uuid, ChangeKind)],
) -> Result<(), ApiError> {
    let ids: Vec<Uuid> = changed.iter().map(|(id, _)| *id).collect();
    search::number(conn, &ids).await?;
    let entries = changed
        .iter()
        .map(|&(id, kind)| NewChange {
            entity: ChangedEntity::CaseStudy,
            entity_id: id,
            kind,
            public: matches!(
                kind,
                ChangeKind::Published | ChangeKind::Updated | ChangeKind::Withdrawn
            ),
        })
        .collect();
    changes::record_all(conn, entries).await
}

fn parse_comment(comment: Option<String>, required: bool) -> Result<Option<String>, ApiError> {
    let mut problems = Problems::default();
    let comment = problems.optional("comment", comment.as_deref(), COMMENT_MAX);
    if required && comment.is_none() {
        problems.add(
            "comment",
            "say what needs to change before the case study can be published",
        );
    }
    problems.finish(comment).map_err(ApiError::Validation)
}

/// A line in the audit trail about a case study, by `actor`.
pub async fn audit(
    conn: &mut PgConnection,
    kind: AuditKind,
    owner_id: Uuid,
    case_study_id: Uuid,
    actor: &Actor,
) -> Result<(), ApiError> {
    audit::record(conn, kind, audit_event(owner_id, case_study_id, actor)).await
}

fn audit_event(owner_id: Uuid, case_study_id: Uuid, actor: &Actor) -> AuditEvent {
    AuditEvent {
        actor_id: actor.user_id(),
        api_key_id: actor.api_key_id(),
        organisation_id: Some(owner_id),
        case_study_id: Some(case_study_id),
        client: actor.client.clone(),
        ..AuditEvent::default()
    }
}

fn decide_owner(
    owner: Owner,
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Result<Uuid, ApiError> {
    let named = document.owner.as_ref().map(|owner| organisations[owner].id);
    match owner {
        Owner::Own(id) => match named {
            Some(named) if named != id => Err(ApiError::Forbidden(
                "only administrators may give a case study to another organisation".into(),
            )),
            _ => Ok(id),
        },
        Owner::Chosen(id) => Ok(named.unwrap_or(id)),
        Owner::LeadPartner => {
            let owner = document.owner.as_ref().or_else(|| lead_partner(document));
            owner
                .map(|owner| organisations[owner].id)
                .ok_or_else(no_owner)
        }
    }
}

/// What `Owner::LeadPartner` asks of a document: it names an owner or a lead partner.
pub fn check_owner_named(document: &CaseStudyDocument) -> Result<(), ApiError> {
    match document.owner.as_ref().or_else(|| lead_partner(document)) {
        Some(_) => Ok(()),
        None => Err(no_owner()),
    }
}

fn lead_partner(document: &CaseStudyDocument) -> Option<&OrganisationRef> {
    document
        .partners
        .iter()
        .find(|p| p.role == PartnerRole::Lead)
        .map(|p| &p.organisation)
}

fn no_owner() -> ApiError {
    ApiError::validation("owner", "give an owner, or name a lead partner")
}

/// What a composed document says about itself beyond its content.
struct Meta {
    id: Uuid,
    slug: String,
    status: Status,
    owner: OrganisationSummary,
    version: i32,
    published_version: Option<i32>,
    created_at: chrono::DateTime<Utc>,
    updated_at: chrono::DateTime<Utc>,
    published_at: Option<chrono::DateTime<Utc>>,
    /// The self-assessment to keep when the document brings none.
    answers: Vec<AssessmentEntry>,
    /// Whether an evaluation report is attached (see `CaseStudy::assessed`).
    evaluation_report: bool,
}

/// A document as it reads once written: the new live record, or a pending revision (what
/// the live record will be once published).
fn compose(
    document: &CaseStudyDocument,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
    meta: Meta,
) -> CaseStudy {
    CaseStudy {
        id: meta.id,
        slug: meta.slug,
        status: meta.status,
        owner: meta.owner,
        content: document.content.pinned(organisations).into_owned(),
        partners: document
            .partners
            .iter()
            .map(|p| CaseStudyPartner {
                organisation: organisations[&p.organisation].clone(),
                role: p.role,
            })
            .collect(),
        outcomes: document.outcomes.clone(),
        self_assessment: SelfAssessment::new(
            document.self_assessment.clone().unwrap_or(meta.answers),
        ),
        quality: Quality::default(),
        version: meta.version,
        published_version: meta.published_version,
        created_at: meta.created_at,
        updated_at: meta.updated_at,
        published_at: meta.published_at,
    }
    .assessed(meta.evaluation_report)
}

/// Whether the case study holding `slug` is one `actor` may read.
async fn slug_visible(
    conn: &mut PgConnection,
    slug: &str,
    actor: &Actor,
) -> Result<bool, ApiError> {
    let key = case_studies::CaseStudyKey::Slug(slug.to_owned());
    let Some(holder) = case_studies::state(conn, &key).await? else {
        return Ok(false);
    };
    let rights = Rights {
        principal: actor.principal.as_ref(),
        membership: &holder.membership,
        lifecycle: holder.lifecycle(),
    };
    Ok(rights.sees_anything())
}

/// The owner's summary: among the organisations the document names, or else looked up.
async fn owner_summary(
    conn: &mut PgConnection,
    owner_id: Uuid,
    organisations: &HashMap<OrganisationRef, OrganisationSummary>,
) -> Result<OrganisationSummary, ApiError> {
    match organisations.values().find(|o| o.id == owner_id) {
        Some(owner) => Ok(owner.clone()),
        None => organisations::summary(conn, owner_id).await,
    }
}

async fn live(conn: &mut PgConnection, id: Uuid) -> Result<CaseStudy, ApiError> {
    case_studies::live(conn, id)
        .await?
        .ok_or(ApiError::NotFound("case study"))
}

/// PostgreSQL keeps microseconds; so do we, so a document reads back as it was written.
fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
