//! What a search answers: the page of case studies in brief, with their texts and
//! highlighted passages filled in from the texts kept with the words.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::evaluate::{Ranked, SearchMode};
use super::fulltext::{FullText, NARRATIVE};
use super::highlight::{Highlight, highlight};
use super::index::{self, Doc, Index};
use crate::domain::vocabulary::{
    CoproductionValue, Country, DepthFlag, JourneyStep, OutcomeCategory, PartnerRole, Scale,
    Sector, StarQuadrant, Status,
};

/// One result: the case study in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchItem {
    pub id: Uuid,
    #[schema(example = "listening-to-langlee-community")]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: Status,
    pub quadrants: Vec<StarQuadrant>,
    pub journey_steps: Vec<JourneyStep>,
    pub values: Vec<CoproductionValue>,
    pub sector: Sector,
    pub scale: Scale,
    pub locality: Option<String>,
    pub country: Country,
    pub start_year: Option<i16>,
    pub end_year: Option<i16>,
    /// The organisation whose editors look after it.
    pub owner: ItemOrganisation,
    pub partners: Vec<ItemPartner>,
    /// The categories of its outcomes.
    pub outcomes: Vec<OutcomeCategory>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// How complete it is against the toolkit's shape (0-100).
    pub completeness: u8,
    /// Signs it may be engagement more than co-production.
    pub flags: Vec<DepthFlag>,
    /// How well it matched `q` (higher is better); only with `q`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub score: Option<f32>,
    /// The matched words, marked; only with `q`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub highlight: Option<Highlight>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemOrganisation {
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemPartner {
    pub name: String,
    pub slug: String,
    pub role: PartnerRole,
}

/// How many results each value of a facet would give, with every other filter applied.
// A vocabulary's codes and labels are borrowed: an answer kept for the public holds a
// hundred or so of these.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    #[schema(value_type = String, example = "co-design")]
    pub value: Cow<'static, str>,
    #[schema(value_type = String, example = "Co-design")]
    pub label: Cow<'static, str>,
    pub count: u64,
}

impl FacetCount {
    /// The memory it holds beyond itself.
    fn heap_bytes(&self) -> usize {
        let owned = |text: &Cow<'static, str>| match text {
            Cow::Borrowed(_) => 0,
            Cow::Owned(text) => text.capacity(),
        };
        owned(&self.value) + owned(&self.label)
    }
}

#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub quadrant: Vec<FacetCount>,
    pub sector: Vec<FacetCount>,
    pub outcome: Vec<FacetCount>,
    /// The 20 organisations with most results (owners count as partners).
    pub partner: Vec<FacetCount>,
    pub country: Vec<FacetCount>,
    pub scale: Vec<FacetCount>,
    pub journey_step: Vec<FacetCount>,
    pub value: Vec<FacetCount>,
    /// By the year the work started.
    pub year: Vec<FacetCount>,
    /// By band of completeness: 0-19, 20-39, 40-59, 60-79, 80-100.
    pub completeness: Vec<FacetCount>,
    pub flag: Vec<FacetCount>,
    /// By evidence level, 1 to 5 (case studies that give none are not counted).
    pub evidence_level: Vec<FacetCount>,
    /// By who evaluated the work (case studies that do not say are not counted).
    pub evaluation: Vec<FacetCount>,
    /// By money costs.
    pub cost_band: Vec<FacetCount>,
}

impl Facets {
    /// The memory they hold, for the budget of kept answers.
    pub fn bytes(&self) -> usize {
        let Self {
            quadrant,
            sector,
            outcome,
            partner,
            country,
            scale,
            journey_step,
            value,
            year,
            completeness,
            flag,
            evidence_level,
            evaluation,
            cost_band,
        } = self;
        [
            quadrant,
            sector,
            outcome,
            partner,
            country,
            scale,
            journey_step,
            value,
            year,
            completeness,
            flag,
            evidence_level,
            evaluation,
            cost_band,
        ]
        .iter()
        .map(|counts| {
            counts.capacity() * std::mem::size_of::<FacetCount>()
                + counts.iter().map(FacetCount::heap_bytes).sum::<usize>()
        })
        .sum::<usize>()
            + std::mem::size_of::<Self>()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchItem>,
    /// Every match, exactly.
    pub total: u64,
    pub facets: Facets,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// The query with misspelt words corrected, when that is what was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub suggestion: Option<String>,
    /// How `q` was matched: by words, by meaning, or both.
    pub mode: SearchMode,
}

/// A related case study and why it is related.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Related {
    pub case_study: SearchItem,
    #[schema(
        example = "both co-design; both with Scottish Borders Housing Association; same sector (housing)"
    )]
    pub reason: String,
}

pub(super) fn items(index: &Index, page: &[Ranked]) -> Vec<SearchItem> {
    page.iter()
        .filter_map(|(number, relevance)| Some(item(index, index.doc(*number)?, *relevance)))
        .collect()
}

pub(super) fn item(index: &Index, doc: &Doc, score: Option<f32>) -> SearchItem {
    SearchItem {
        id: doc.about.id,
        slug: doc.about.slug.clone(),
        title: doc.about.title.clone(),
        summary: String::new(),
        status: doc.status,
        quadrants: doc.quadrant_list(),
        journey_steps: doc.journey_step_list(),
        values: doc.value_list(),
        sector: doc.sector,
        scale: doc.scale,
        locality: None,
        country: doc.country,
        start_year: doc.start_year,
        end_year: doc.end_year,
        owner: {
            let owner = index.organisation(doc.owner);
            ItemOrganisation {
                name: owner.name.clone(),
                slug: owner.slug.clone(),
            }
        },
        partners: doc
            .partners
            .iter()
            .map(|(o, role)| {
                let organisation = index.organisation(*o);
                ItemPartner {
                    name: organisation.name.clone(),
                    slug: organisation.slug.clone(),
                    role: *role,
                }
            })
            .collect(),
        outcomes: doc.outcome_list(),
        published_at: doc.about.published_at,
        updated_at: doc.about.updated_at,
        completeness: doc.completeness,
        flags: index::members(doc.flags),
        score,
        highlight: None,
    }
}

/// Fills in what the index's records leave out (summaries, places as written) and, for
/// text searches, the highlighted passages, from the texts kept with the words.
pub(super) fn complete_items(
    text: &FullText,
    index: &Index,
    mut items: Vec<SearchItem>,
    stems: Option<&[String]>,
) -> Vec<SearchItem> {
    let numbers: Vec<i32> = items
        .iter()
        .filter_map(|item| index.by_id.get(&item.id).copied())
        .collect();
    let pages = text.view().pages(&numbers, index.docs.len());
    for item in &mut items {
        let Some(page) = index.by_id.get(&item.id).and_then(|n| pages.get(n)) else {
            continue;
        };
        item.summary = page.summary.clone();
        item.locality = page.locality.clone();
        if let Some(stems) = stems {
            let narrative = NARRATIVE
                .into_iter()
                .zip(page.narrative.iter().map(Option::as_deref));
            let fields: Vec<(&'static str, Option<&str>)> =
                std::iter::once(("summary", Some(page.summary.as_str())))
                    .chain(narrative)
                    .collect();
            item.highlight = Some(highlight(&item.title, &fields, stems));
        }
    }
    items
}
