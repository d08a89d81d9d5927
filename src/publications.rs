//! Published case studies as citable works: each publication a numbered version that stays
//! readable as the public saw it, in every open-metadata format, and old slugs that still
//! lead to their case study.

use diesel_async::AsyncConnection;
use uuid::Uuid;

use crate::db::case_studies::{self, CaseStudyKey};
use crate::db::{PgConnection, revisions};
use crate::domain::case_study::CaseStudy;
use crate::domain::doi::Doi;
use crate::domain::user::Actor;
use crate::domain::vocabulary::{AuditKind, ChangeKind, Status};
use crate::editorial;
use crate::error::ApiError;
use crate::metadata::{self, Citable, Format, Publication, Site, VersionState};

/// How many related case studies the current publication's DataCite record names.
pub const RELATED_CITED: usize = 5;

/// A representation ready to send.
pub struct Rendered {
    pub media_type: &'static str,
    pub body: Vec<u8>,
}

/// Writes a case study's publication in `format` (never `Json`: the document itself is
/// the JSON, and its callers send it as they always have).
pub fn render(
    case_study: &CaseStudy,
    publication: &Publication,
    site: &Site,
    format: Format,
    related: &[Uuid],
) -> Result<Rendered, ApiError> {
    let citable = Citable {
        case_study,
        site,
        publication,
        related,
    };
    let json = |value: serde_json::Value| serde_json::to_vec(&value).map_err(anyhow::Error::from);
    let body = match format {
        Format::Json => json(serde_json::to_value(case_study).map_err(anyhow::Error::from)?)?,
        Format::JsonLd => json(metadata::jsonld::document(&citable))?,
        Format::Csl => json(metadata::citation::csl(&citable))?,
        Format::BibTex => metadata::citation::bibtex(&citable).into_bytes(),
        Format::Ris => metadata::citation::ris(&citable).into_bytes(),
        Format::DataCite => metadata::xml::datacite(&citable)
            .map_err(anyhow::Error::from)?
            .into_bytes(),
        Format::DublinCore => metadata::xml::dublin_core(&citable)
            .map_err(anyhow::Error::from)?
            .into_bytes(),
    };
    Ok(Rendered {
        media_type: format.media_type(),
        body,
    })
}

/// The published case study the public reads now, with the publication it is.
pub async fn live(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
) -> Result<(CaseStudy, Publication), ApiError> {
    let case_study = case_studies::published(conn, key)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    let mut found = with_publications(conn, vec![case_study]).await?;
    found.pop().ok_or(ApiError::NotFound("case study"))
}

/// Published case studies with the publication each is now, in the order given.
pub async fn live_many(
    conn: &mut PgConnection,
    ids: &[Uuid],
) -> Result<Vec<(CaseStudy, Publication)>, ApiError> {
    let published = case_studies::live_many(conn, ids)
        .await?
        .into_iter()
        .filter(|c| c.status == Status::Published)
        .map(CaseStudy::for_public)
        .collect();
    with_publications(conn, published).await
}

async fn with_publications(
    conn: &mut PgConnection,
    published: Vec<CaseStudy>,
) -> Result<Vec<(CaseStudy, Publication)>, ApiError> {
    let ids: Vec<Uuid> = published.iter().map(|c| c.id).collect();
    let counts = revisions::publication_counts(conn, &ids).await?;
    let mut dois = case_studies::dois(conn, &ids).await?;
    published
        .into_iter()
        .map(|case_study| {
            let (count, published_at) = *counts.get(&case_study.id).ok_or_else(|| {
                anyhow::anyhow!("published case study {} has no publication", case_study.id)
            })?;
            let number = i32::try_from(count).map_err(anyhow::Error::from)?;
            let publication = Publication {
                number,
                published_at,
                state: VersionState::Current,
                latest: number,
                doi: dois.remove(&case_study.id),
            };
            Ok((case_study, publication))
        })
        .collect()
}

/// Every publication of a case study that has ever been public, oldest first, with the
/// case study's id.
pub async fn versions(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
) -> Result<(Uuid, Vec<Publication>), ApiError> {
    let (id, history) = history(conn, key).await?;
    let publications = history.into_iter().map(|(_, publication)| publication);
    Ok((id, publications.collect()))
}

/// Publication `number` exactly as the public read it, whatever became of the case study
/// since.
pub async fn version(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
    number: i32,
) -> Result<(CaseStudy, Publication), ApiError> {
    let (id, history) = history(conn, key).await?;
    let (revision, publication) = usize::try_from(number - 1)
        .ok()
        .and_then(|index| history.into_iter().nth(index))
        .ok_or(ApiError::NotFound("version"))?;
    let revision = revisions::get(conn, id, revision)
        .await?
        .ok_or(ApiError::NotFound("version"))?;
    Ok((revision.document.for_public(), publication))
}

/// A case study's publications with the revision each showed; not found when it has never
/// been public.
async fn history(
    conn: &mut PgConnection,
    key: &CaseStudyKey,
) -> Result<(Uuid, Vec<(i32, Publication)>), ApiError> {
    let found = case_studies::state(conn, key)
        .await?
        .ok_or(ApiError::NotFound("case study"))?;
    let publications = revisions::publications(conn, found.id).await?;
    if publications.is_empty() {
        return Err(ApiError::NotFound("case study"));
    }
    let latest = i32::try_from(publications.len()).map_err(anyhow::Error::from)?;
    let doi = case_studies::dois(conn, &[found.id])
        .await?
        .remove(&found.id);
    let history = (1..)
        .zip(publications)
        .map(|(number, (revision, published_at))| {
            let state = match (found.status, number == latest) {
                (Status::Published, true) => VersionState::Current,
                (Status::Published, false) => VersionState::Superseded,
                _ => VersionState::Withdrawn,
            };
            let publication = Publication {
                number,
                published_at,
                state,
                latest,
                doi: doi.clone(),
            };
            (revision, publication)
        })
        .collect();
    Ok((found.id, history))
}

/// Records the DOI an administrator registered for a case study (or clears it): every
/// format names it from then on, and harvesters are told the record changed.
pub async fn record_doi(
    conn: &mut PgConnection,
    id: Uuid,
    doi: Option<&Doi>,
    actor: &Actor,
) -> Result<(), ApiError> {
    conn.transaction(async |conn| {
        let state = case_studies::lock(conn, id)
            .await?
            .ok_or(ApiError::NotFound("case study"))?;
        case_studies::set_doi(conn, id, doi).await?;
        let kind = match state.status {
            Status::Published => ChangeKind::Updated,
            _ => ChangeKind::Changed,
        };
        editorial::live_changed(conn, &[(id, kind)]).await?;
        editorial::audit(
            conn,
            AuditKind::DoiRecorded,
            state.membership.owner_id,
            id,
            actor,
        )
        .await
    })
    .await
}

/// Where a slug the case study no longer has leads: its current slug, when the case study
/// is one the public may read.
pub async fn moved(conn: &mut PgConnection, slug: &str) -> Result<Option<String>, ApiError> {
    let Some(id) = case_studies::former_slug_holder(conn, slug).await? else {
        return Ok(None);
    };
    Ok(case_studies::state(conn, &CaseStudyKey::Id(id))
        .await?
        .filter(|found| found.status == Status::Published)
        .map(|found| found.slug))
}
