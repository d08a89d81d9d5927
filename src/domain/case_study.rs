//! A case study of co-production: what a client writes, what it becomes once parsed,
//! and what readers get back.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::{AsChangeset, Insertable, Queryable, Selectable};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::figures::{YEARS, whole_numbers_without_decimals};
use super::license::License;
use super::organisation::{OrganisationRef, OrganisationSummary};
use super::practice::{
    Cost, Evidence, IndicatorInput, Obstacle, Practice, PracticeInput, Quote, Saving,
};
use super::quality::{self, Quality, QualityFacts};
use super::self_assessment::{AssessmentEntry, SelfAssessment};
use super::text::Problems;
use super::vocabulary::{
    AssessmentQuestion, CoproductionValue, Country, JourneyStep, MetricUnit, OutcomeCategory,
    PartnerRole, Scale, Sector, StarQuadrant, Status,
};
use crate::db::schema::case_studies;
use crate::error::FieldError;

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2_000;
pub const NARRATIVE_MAX: usize = 20_000;
pub const LOCALITY_MAX: usize = 200;
pub const OUTCOME_DESCRIPTION_MAX: usize = 2_000;
pub const PARTNERS_MAX: usize = 50;
pub const OUTCOMES_MAX: usize = 50;
pub const MESSAGE_MAX: usize = 2_000;

/// `/case-studies/export` is the export, so no case study can be called that.
pub fn is_reserved_slug(slug: &str) -> bool {
    slug == "export"
}

/// A case-study document as a partner writes it, for create and full replace.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Rutherford Square Refurbishment Project",
    "summary": "Older tenants and their families shaped the refurbishment of an amenity housing scheme in Kelso.",
    "you_asked": "Tenants said the small bedsits no longer met their needs.",
    "we_said": "The housing association would refurbish the scheme to modern standards.",
    "we_did": "Tenants made shared decisions on the plans and co-designed the communal areas.",
    "what_worked": "Sharing the scope and limits of the project early.",
    "could_improve": null,
    "quadrants": ["co-design", "co-delivery"],
    "journey_steps": ["people-it"],
    "values": ["equality", "social-relationships"],
    "scale": "group",
    "sector": "housing",
    "locality": "Kelso, Scottish Borders",
    "country": "Scotland",
    "start_year": 2015,
    "end_year": null,
    "partners": [{"organisation": "scottish-borders-housing-association", "role": "lead"}],
    "outcomes": [{"category": "reduced-isolation", "description": "Every home is let and tenants run their own events.", "metric": null}]
}))]
pub struct CaseStudyInput {
    /// URL-safe identifier; derived from the title when absent. Unique among case studies
    /// (`409` when another has it), and never `export`.
    #[schema(
        example = "rutherford-square-refurbishment-project",
        pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
        max_length = 100
    )]
    pub slug: Option<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    /// Two or three sentences for lists and search results.
    #[schema(min_length = 1, max_length = 2000)]
    pub summary: String,
    /// You asked: the need, and who raised it.
    #[schema(max_length = 20000)]
    pub you_asked: Option<String>,
    /// We said: the response, or how the partners framed it.
    #[schema(max_length = 20000)]
    pub we_said: Option<String>,
    /// We did: what was done together.
    #[schema(max_length = 20000)]
    pub we_did: Option<String>,
    /// What worked well.
    #[schema(max_length = 20000)]
    pub what_worked: Option<String>,
    /// What could be improved.
    #[schema(max_length = 20000)]
    pub could_improve: Option<String>,
    /// One or more quadrants of the Co-production Star.
    #[schema(min_items = 1)]
    pub quadrants: Vec<StarQuadrant>,
    #[serde(default)]
    pub journey_steps: Vec<JourneyStep>,
    #[serde(default)]
    pub values: Vec<CoproductionValue>,
    pub scale: Scale,
    pub sector: Sector,
    /// Place, most specific first, e.g. "Langlee, Galashiels, Scottish Borders".
    #[schema(max_length = 200)]
    pub locality: Option<String>,
    pub country: Country,
    #[schema(minimum = 1900, maximum = 2100)]
    pub start_year: Option<i32>,
    /// Empty while the work is ongoing; never before `start_year`.
    #[schema(minimum = 1900, maximum = 2100)]
    pub end_year: Option<i32>,
    /// The organisation whose editors look after the case study (slug or id of an existing
    /// organisation): yours unless an administrator names another.
    pub owner: Option<String>,
    /// Each an existing organisation, named once; when any are listed, at least one is a
    /// `lead` (several may share the lead).
    #[serde(default)]
    #[schema(max_items = 50)]
    pub partners: Vec<PartnerInput>,
    #[serde(default)]
    #[schema(max_items = 50)]
    pub outcomes: Vec<Outcome>,
    /// The problem, and why the work began.
    #[schema(max_length = 5000)]
    pub objectives: Option<String>,
    /// Political, managerial and community leadership, and how change was managed.
    #[schema(max_length = 5000)]
    pub leadership: Option<String>,
    #[schema(max_length = 5000)]
    pub next_steps: Option<String>,
    #[serde(default)]
    #[schema(max_items = 5)]
    pub obstacles: Vec<Obstacle>,
    /// Money, and the time officers and citizens gave; a `funder` must be one of the
    /// partners.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub costs: Vec<Cost>,
    #[serde(default)]
    #[schema(max_items = 20)]
    pub savings: Vec<Saving>,
    /// Performance indicators; a result's year is never before its baseline's.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub indicators: Vec<IndicatorInput>,
    #[serde(default)]
    #[schema(max_items = 10)]
    pub quotes: Vec<Quote>,
    pub evidence: Option<Evidence>,
    /// The terms others may reuse the case study under; the deployment's default
    /// (`CASEBOOK_DEFAULT_LICENSE`) when absent.
    pub license: Option<License>,
    /// Why this change was made; kept in the case study's history, not in the document.
    #[schema(max_length = 2000)]
    pub message: Option<String>,
}

/// An organisation named on a case study, and its role.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    /// The organisation's slug or id.
    #[schema(min_length = 1, example = "scottish-borders-housing-association")]
    pub organisation: String,
    pub role: PartnerRole,
}

/// What changed because of the work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub category: OutcomeCategory,
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "11 long-term homes let to people with learning disabilities"
    )]
    pub description: String,
    /// A measured figure, where there is one.
    #[serde(default)]
    pub metric: Option<Metric>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    #[schema(example = 11)]
    #[serde(serialize_with = "whole_numbers_without_decimals")]
    pub value: f64,
    pub unit: MetricUnit,
}

// One struct for the case study's own columns: a parsed document holds it, the database
// row embeds it, and the document readers get flattens it.
/// The story of a case study and how it is tagged: what its partners write.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Serialize,
    Deserialize,
    ToSchema,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
)]
#[diesel(table_name = case_studies, check_for_backend(diesel::pg::Pg), treat_none_as_null = true)]
pub struct CaseStudyContent {
    #[schema(example = "Rutherford Square Refurbishment Project")]
    pub title: String,
    pub summary: String,
    pub you_asked: Option<String>,
    pub we_said: Option<String>,
    pub we_did: Option<String>,
    pub what_worked: Option<String>,
    pub could_improve: Option<String>,
    pub quadrants: Vec<StarQuadrant>,
    pub journey_steps: Vec<JourneyStep>,
    #[diesel(column_name = coproduction_values)]
    pub values: Vec<CoproductionValue>,
    pub scale: Scale,
    pub sector: Sector,
    pub locality: Option<String>,
    pub country: Country,
    pub start_year: Option<i16>,
    pub end_year: Option<i16>,
    #[serde(flatten)]
    pub practice: Practice,
    /// Revisions written before licences were recorded were published under the default.
    #[serde(default)]
    pub license: License,
}

impl CaseStudyContent {
    /// The content as stored: organisations it names by slug are kept by id.
    pub fn pinned(
        &self,
        organisations: &HashMap<OrganisationRef, OrganisationSummary>,
    ) -> Cow<'_, Self> {
        if !self.practice.names_funders_by_slug() {
            return Cow::Borrowed(self);
        }
        let mut content = self.clone();
        content.practice.pin_funders(organisations);
        Cow::Owned(content)
    }
}

/// A case-study document that has passed every rule; only this reaches the database.
#[derive(Debug, Clone)]
pub struct CaseStudyDocument {
    pub slug: Option<String>,
    pub content: CaseStudyContent,
    pub owner: Option<OrganisationRef>,
    pub partners: Vec<Partner>,
    pub outcomes: Vec<Outcome>,
    /// Replaces the self-assessment when given; left as it is when not.
    pub self_assessment: Option<Vec<AssessmentEntry>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub organisation: OrganisationRef,
    pub role: PartnerRole,
}

impl CaseStudyInput {
    /// Checks every rule at once and reports each broken one against its field; the
    /// change message comes back beside the document. `default_license` applies when the
    /// document names none.
    pub fn parse(
        self,
        default_license: License,
    ) -> Result<(CaseStudyDocument, Option<String>), Vec<FieldError>> {
        let mut problems = Problems::default();
        let message = problems.optional("message", self.message.as_deref(), MESSAGE_MAX);

        let slug = problems.slug("slug", self.slug.as_deref());
        if slug.as_deref().is_some_and(is_reserved_slug) {
            problems.add("slug", "is reserved: it names a path of the API");
        }
        let narrative = |problems: &mut Problems, field: &str, text: &Option<String>| {
            problems.optional(field, text.as_deref(), NARRATIVE_MAX)
        };
        let title = problems.required_line("title", &self.title, TITLE_MAX);
        let summary = problems.required("summary", &self.summary, SUMMARY_MAX);
        let you_asked = narrative(&mut problems, "you_asked", &self.you_asked);
        let we_said = narrative(&mut problems, "we_said", &self.we_said);
        let we_did = narrative(&mut problems, "we_did", &self.we_did);
        let what_worked = narrative(&mut problems, "what_worked", &self.what_worked);
        let could_improve = narrative(&mut problems, "could_improve", &self.could_improve);
        if self.quadrants.is_empty() {
            problems.add(
                "quadrants",
                "must name at least one quadrant of the Co-production Star",
            );
        }
        let locality = problems.optional("locality", self.locality.as_deref(), LOCALITY_MAX);
        let start_year = year(&mut problems, "start_year", self.start_year);
        let end_year = year(&mut problems, "end_year", self.end_year);
        if let (Some(start), Some(end)) = (start_year, end_year)
            && end < start
        {
            problems.add("end_year", "must not be before start_year");
        }
        let owner = self.owner.as_deref().and_then(|owner| {
            OrganisationRef::parse(owner)
                .map_err(|message| problems.add("owner", message))
                .ok()
        });
        let partners = parse_partners(&mut problems, self.partners);
        let outcomes = parse_outcomes(&mut problems, self.outcomes);
        let practice = PracticeInput {
            objectives: self.objectives,
            leadership: self.leadership,
            next_steps: self.next_steps,
            obstacles: self.obstacles,
            costs: self.costs,
            savings: self.savings,
            indicators: self.indicators,
            quotes: self.quotes,
            evidence: self.evidence,
        }
        .parse(&mut problems);

        let document = CaseStudyDocument {
            slug,
            content: CaseStudyContent {
                title,
                summary,
                you_asked,
                we_said,
                we_did,
                what_worked,
                could_improve,
                quadrants: canonical(self.quadrants),
                journey_steps: canonical(self.journey_steps),
                values: canonical(self.values),
                scale: self.scale,
                sector: self.sector,
                locality,
                country: self.country,
                start_year,
                end_year,
                practice,
                license: self.license.unwrap_or(default_license),
            },
            owner,
            partners,
            outcomes,
            self_assessment: None,
        };
        problems.finish((document, message))
    }
}

/// Vocabulary lists are sets: stored once each, in the domain's order.
fn canonical<T: Ord>(mut members: Vec<T>) -> Vec<T> {
    members.sort();
    members.dedup();
    members
}

fn year(problems: &mut Problems, field: &str, value: Option<i32>) -> Option<i16> {
    let value = value?;
    if YEARS.contains(&value) {
        i16::try_from(value).ok()
    } else {
        problems.add(
            field,
            format!(
                "must be a year between {} and {}",
                YEARS.start(),
                YEARS.end()
            ),
        );
        None
    }
}

fn parse_partners(problems: &mut Problems, inputs: Vec<PartnerInput>) -> Vec<Partner> {
    if inputs.len() > PARTNERS_MAX {
        problems.add(
            "partners",
            format!("must list at most {PARTNERS_MAX} organisations"),
        );
        return Vec::new();
    }
    let leads = inputs.iter().any(|p| p.role == PartnerRole::Lead);
    let mut partners: Vec<Partner> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let field = format!("partners[{i}].organisation");
        match OrganisationRef::parse(input.organisation.trim()) {
            Ok(organisation) if partners.iter().any(|p| p.organisation == organisation) => {
                problems.add(
                    field,
                    "is listed more than once; give each organisation one role",
                );
            }
            Ok(organisation) => partners.push(Partner {
                organisation,
                role: input.role,
            }),
            Err(message) => problems.add(field, message),
        }
    }
    // Leadership may be shared, as co-production shares it, but someone leads.
    if !partners.is_empty() && !leads {
        problems.add("partners", "must name at least one lead");
    }
    partners
}

fn parse_outcomes(problems: &mut Problems, inputs: Vec<Outcome>) -> Vec<Outcome> {
    if inputs.len() > OUTCOMES_MAX {
        problems.add(
            "outcomes",
            format!("must list at most {OUTCOMES_MAX} outcomes"),
        );
        return Vec::new();
    }
    inputs
        .into_iter()
        .enumerate()
        .map(|(i, outcome)| {
            let description = problems.required(
                &format!("outcomes[{i}].description"),
                &outcome.description,
                OUTCOME_DESCRIPTION_MAX,
            );
            if let Some(metric) = &outcome.metric
                && (!metric.value.is_finite() || metric.value.abs() > 1e15)
            {
                problems.add(
                    format!("outcomes[{i}].metric.value"),
                    "must be a finite number of reasonable size",
                );
            }
            Outcome {
                description,
                ..outcome
            }
        })
        .collect()
}

/// A case study as readers see it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseStudy {
    pub id: Uuid,
    #[schema(example = "rutherford-square-refurbishment-project")]
    pub slug: String,
    pub status: Status,
    /// The organisation whose editors look after this case study.
    pub owner: OrganisationSummary,
    #[serde(flatten)]
    pub content: CaseStudyContent,
    pub partners: Vec<CaseStudyPartner>,
    pub outcomes: Vec<Outcome>,
    /// The partners' reflection on the work (see `/self-assessment`).
    #[serde(default)]
    pub self_assessment: SelfAssessment,
    /// Computed from the document, never set by hand.
    #[serde(default)]
    pub quality: Quality,
    /// The revision this document is; every change makes a new one. The `ETag` is this
    /// number in quotes.
    pub version: i32,
    /// The revision the public sees, while the case study is published. When an editor's
    /// `version` is higher, their changes are waiting to be published.
    #[serde(default)]
    pub published_version: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl CaseStudy {
    /// Recomputes the quality signals from the document as it now stands, and whether an
    /// evaluation report is attached to it.
    pub fn assessed(mut self, evaluation_report: bool) -> Self {
        self.quality = quality::assess(&QualityFacts::of(&self, evaluation_report));
        self
    }

    /// What anyone but its editors may read of it.
    pub fn for_public(mut self) -> Self {
        self.content.practice = self.content.practice.for_public();
        self
    }
}

impl CaseStudyDocument {
    /// Every organisation the document names, the owner last.
    pub fn organisations(&self) -> impl Iterator<Item = &OrganisationRef> {
        self.partners
            .iter()
            .map(|p| &p.organisation)
            .chain(self.content.practice.funders())
            .chain(self.owner.as_ref())
    }
}

/// What the quality signals are computed from.
impl QualityFacts {
    fn of(case_study: &CaseStudy, evaluation_report: bool) -> Self {
        let answers = &case_study.self_assessment.answers;
        let content = &case_study.content;
        Self {
            narrative: [
                content.you_asked.is_some(),
                content.we_said.is_some(),
                content.we_did.is_some(),
                content.what_worked.is_some(),
                content.could_improve.is_some(),
            ],
            quadrants: content.quadrants.len(),
            community_partner: case_study
                .partners
                .iter()
                .any(|p| p.role == PartnerRole::Community),
            outcomes: case_study.outcomes.len(),
            measured_outcome: case_study.outcomes.iter().any(|o| o.metric.is_some()),
            answered: answers.len(),
            involved_to_satisfaction: answers
                .iter()
                .find(|a| a.question == AssessmentQuestion::InvolvedToSatisfaction)
                .map(|a| a.answer),
            indicators: !content.practice.indicators.is_empty(),
            evidence_level: content
                .practice
                .evidence
                .as_ref()
                .map_or(0, |e| e.level.number()),
            costs: !content.practice.costs.is_empty(),
            savings: !content.practice.savings.is_empty(),
            evaluation_report,
        }
    }
}

/// The document of a revision, to write it again (restore) or make it live (publish).
impl From<&CaseStudy> for CaseStudyDocument {
    fn from(case_study: &CaseStudy) -> Self {
        Self {
            slug: Some(case_study.slug.clone()),
            content: case_study.content.clone(),
            owner: Some(OrganisationRef::Id(case_study.owner.id)),
            partners: case_study
                .partners
                .iter()
                .map(|p| Partner {
                    organisation: OrganisationRef::Id(p.organisation.id),
                    role: p.role,
                })
                .collect(),
            outcomes: case_study.outcomes.clone(),
            self_assessment: Some(case_study.self_assessment.answers.clone()),
        }
    }
}

/// A partner of a case study, expanded with the organisation's name and kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CaseStudyPartner {
    pub organisation: OrganisationSummary,
    pub role: PartnerRole,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: serde_json::Value) -> CaseStudyInput {
        serde_json::from_value(json).unwrap()
    }

    fn minimal() -> serde_json::Value {
        serde_json::json!({
            "title": "Burnfoot Community Hub", "summary": "A hub run with the community.",
            "quadrants": ["co-delivery", "co-design", "co-delivery"],
            "scale": "community", "sector": "other", "country": "Scotland"
        })
    }

    #[test]
    fn lists_become_sets_in_the_domain_order() {
        let (document, _) = input(minimal()).parse(License::default()).unwrap();
        assert_eq!(
            document.content.quadrants,
            [StarQuadrant::CoDesign, StarQuadrant::CoDelivery]
        );
    }

    #[test]
    fn every_broken_rule_is_reported_against_its_field() {
        let mut json = minimal();
        json["title"] = "  ".into();
        json["quadrants"] = serde_json::json!([]);
        json["start_year"] = 2016.into();
        json["end_year"] = 2015.into();
        json["partners"] = serde_json::json!([
            {"organisation": "ability-borders", "role": "lead"},
            {"organisation": "ability-borders", "role": "partner"},
            {"organisation": "Not A Slug", "role": "funder"}
        ]);
        let errors = input(json).parse(License::default()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "quadrants",
                "end_year",
                "partners[1].organisation",
                "partners[2].organisation"
            ]
        );
    }

    #[test]
    fn unknown_fields_are_refused() {
        let mut json = minimal();
        json["quadrant"] = "co-design".into();
        assert!(serde_json::from_value::<CaseStudyInput>(json).is_err());
    }
}
