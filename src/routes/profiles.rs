//! `/api/v1/organisations/{slug}/profile`: one partner's co-production at a glance.

use actix_web::{get, web};

use crate::auth::Viewer;
use crate::domain::text::is_slug;
use crate::domain::user::Principal;
use crate::error::ApiError;
use crate::insight::{self, Profile};
use crate::openapi::ReadProblems;
use crate::search::evaluate::visible;
use crate::state::AppState;

/// One partner's co-production at a glance: its case studies by quadrant and status, the
/// roles it plays, its outcomes and the partners it works with most.
#[utoipa::path(
    tag = "organisations",
    params(("slug" = String, Path, description = "The organisation's slug")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = Profile),
        ReadProblems,
    )
)]
#[get("/organisations/{slug}/profile")]
pub async fn profile(
    state: web::Data<AppState>,
    Viewer(viewer): Viewer,
    slug: web::Path<String>,
) -> Result<web::Json<Profile>, ApiError> {
    Ok(web::Json(profile_of(&state, viewer.as_ref(), &slug).await?))
}

/// An organisation's profile over the case studies this viewer may see.
pub async fn profile_of(
    state: &AppState,
    viewer: Option<&Principal>,
    slug: &str,
) -> Result<Profile, ApiError> {
    if !is_slug(slug) {
        return Err(ApiError::NotFound("organisation"));
    }
    state
        .search
        .with_index(|index| {
            let organisation = *index.organisation_by_slug.get(slug)?;
            let docs: Vec<_> = index
                .live_docs()
                .filter(|d| d.involves(organisation) && visible(d, index, viewer))
                .collect();
            Some(insight::profile(index, organisation, &docs))
        })
        .await?
        .ok_or(ApiError::NotFound("organisation"))
}
