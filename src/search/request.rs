//! A search as the service understands it: parsed from the query string, then resolved
//! against the index into filters and a starting point.

use super::evaluate::{Filters, OwnedKey, Position, SearchMode, Sort};
use super::index::Index;
use crate::cursor::decode_cursor;
use crate::domain::organisation::OrganisationRef;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, CoproductionValue, CostBand, Country, DepthFlag,
    Evaluation, JourneyStep, OutcomeCategory, PartnerRole, Scale, Sector, StarQuadrant, Status,
};
use crate::error::ApiError;

/// A search, as parsed from the query string.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub text: Option<String>,
    pub quadrants: Vec<StarQuadrant>,
    /// Organisation slugs or ids.
    pub partners: Vec<String>,
    pub partner_roles: Vec<PartnerRole>,
    pub outcomes: Vec<OutcomeCategory>,
    pub sectors: Vec<Sector>,
    pub scales: Vec<Scale>,
    pub journey_steps: Vec<JourneyStep>,
    pub values: Vec<CoproductionValue>,
    pub localities: Vec<String>,
    pub countries: Vec<Country>,
    pub year_from: Option<i16>,
    pub year_to: Option<i16>,
    pub statuses: Vec<Status>,
    pub flags: Vec<DepthFlag>,
    pub min_completeness: Option<u8>,
    pub assessments: Vec<(AssessmentQuestion, AssessmentAnswer)>,
    pub min_evidence_level: Option<u8>,
    pub evaluations: Vec<Evaluation>,
    pub cost_bands: Vec<CostBand>,
    pub has_indicators: Option<bool>,
    pub has_attachments: Option<bool>,
    pub sort: Option<Sort>,
    /// How words are matched; by default by meaning too, when the service has a model.
    pub mode: Option<SearchMode>,
    pub limit: usize,
    pub cursor: Option<String>,
}

pub(super) fn resolve_filters(index: &Index, request: &SearchRequest) -> Result<Filters, ApiError> {
    let partners = request
        .partners
        .iter()
        .map(|partner| {
            let found = match OrganisationRef::parse(partner) {
                Ok(OrganisationRef::Id(id)) => index.organisation_by_id.get(&id),
                Ok(OrganisationRef::Slug(slug)) => index.organisation_by_slug.get(&slug),
                Err(_) => None,
            };
            found.copied().ok_or_else(|| {
                ApiError::invalid_parameter(
                    "partner",
                    format!("no organisation `{partner}` (give a slug or an id)"),
                )
            })
        })
        .collect::<Result<Vec<u32>, ApiError>>()?;
    Ok(Filters {
        quadrants: request.quadrants.clone(),
        sectors: request.sectors.clone(),
        outcomes: request.outcomes.clone(),
        partners,
        partner_roles: request.partner_roles.clone(),
        countries: request.countries.clone(),
        scales: request.scales.clone(),
        journey_steps: request.journey_steps.clone(),
        values: request.values.clone(),
        localities: (!request.localities.is_empty())
            .then(|| index.localities_matching(&request.localities)),
        year_from: request.year_from,
        year_to: request.year_to,
        statuses: if request.statuses.is_empty() {
            vec![Status::Published]
        } else {
            request.statuses.clone()
        },
        flags: request.flags.clone(),
        min_completeness: request.min_completeness,
        assessments: request.assessments.clone(),
        min_evidence_level: request.min_evidence_level,
        evaluations: request.evaluations.clone(),
        cost_bands: request.cost_bands.clone(),
        has_indicators: request.has_indicators,
        has_attachments: request.has_attachments,
    })
}

/// Where a page starts, from the request's cursor; 400 if the cursor is not of this search.
pub(super) fn start_after(
    request: &SearchRequest,
    sort: Sort,
) -> Result<Option<OwnedKey>, ApiError> {
    let Some(cursor) = &request.cursor else {
        return Ok(None);
    };
    let position: Position = decode_cursor(cursor)?;
    if position.sort != sort {
        return Err(ApiError::invalid_parameter(
            "cursor",
            "belongs to a search with another sort order",
        ));
    }
    Ok(Some(position.key))
}
