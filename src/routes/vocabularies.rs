//! `/api/v1/vocabularies`: every controlled list, served as data, with what each code means.

use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::practice::EvidenceLevel;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentHeading, AssessmentQuestion, CoproductionValue, CostBand, CostKind,
    CostUnit, Country, DepthFlag, Direction, Evaluation, JourneyStep, MetricUnit, OrganisationKind,
    OutcomeCategory, PartnerRole, Role, SavingPeriod, Scale, Sector, StarQuadrant, Status,
    Vocabulary,
};

#[derive(Serialize, ToSchema)]
pub struct Term {
    #[schema(example = "co-design")]
    pub code: &'static str,
    #[schema(example = "Co-design")]
    pub label: &'static str,
    #[schema(example = "Service providers and the people who use a service redesign it together.")]
    pub description: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Question {
    #[schema(example = "involved-to-satisfaction")]
    pub code: &'static str,
    #[schema(example = "involve")]
    pub heading: &'static str,
    #[schema(example = "Were co-production partners involved to their satisfaction?")]
    pub text: &'static str,
}

/// A level of Nesta's Standards of Evidence.
#[derive(Serialize, ToSchema)]
pub struct Level {
    #[schema(minimum = 1, maximum = 5, example = 2)]
    pub level: u8,
    #[schema(example = "Change observed")]
    pub label: &'static str,
    pub description: &'static str,
}

/// Every controlled list of casebook.
#[derive(Serialize, ToSchema)]
pub struct Vocabularies {
    /// The quadrants of the Co-production Star.
    pub quadrants: Vec<Term>,
    /// The five-step journey on the Star's inner ring.
    pub journey_steps: Vec<Term>,
    pub values: Vec<Term>,
    pub sectors: Vec<Term>,
    pub scales: Vec<Term>,
    pub countries: Vec<Term>,
    pub outcome_categories: Vec<Term>,
    pub metric_units: Vec<Term>,
    pub partner_roles: Vec<Term>,
    pub organisation_kinds: Vec<Term>,
    pub statuses: Vec<Term>,
    pub roles: Vec<Term>,
    pub depth_flags: Vec<Term>,
    pub self_assessment_headings: Vec<Term>,
    pub self_assessment_answers: Vec<Term>,
    /// The eighteen questions of the self-assessment, with stable codes.
    pub self_assessment_questions: Vec<Question>,
    /// How strong the evidence is, 1 to 5, after Nesta's Standards of Evidence.
    pub evidence_levels: Vec<Level>,
    pub evaluations: Vec<Term>,
    pub cost_kinds: Vec<Term>,
    pub cost_units: Vec<Term>,
    pub cost_bands: Vec<Term>,
    pub saving_periods: Vec<Term>,
    /// Which way an indicator moved.
    pub directions: Vec<Term>,
}

fn terms<V: Vocabulary>() -> Vec<Term> {
    V::ALL
        .iter()
        .map(|member| Term {
            code: member.code(),
            label: member.label(),
            description: member.description(),
        })
        .collect()
}

/// Every controlled list, with the meaning of each code, and the self-assessment questions.
#[utoipa::path(
    tag = "vocabularies",
    responses((status = 200, description = "Every controlled list", body = Vocabularies))
)]
#[get("/vocabularies")]
pub async fn vocabularies() -> web::Json<Vocabularies> {
    web::Json(Vocabularies {
        quadrants: terms::<StarQuadrant>(),
        journey_steps: terms::<JourneyStep>(),
        values: terms::<CoproductionValue>(),
        sectors: terms::<Sector>(),
        scales: terms::<Scale>(),
        countries: terms::<Country>(),
        outcome_categories: terms::<OutcomeCategory>(),
        metric_units: terms::<MetricUnit>(),
        partner_roles: terms::<PartnerRole>(),
        organisation_kinds: terms::<OrganisationKind>(),
        statuses: terms::<Status>(),
        roles: terms::<Role>(),
        depth_flags: terms::<DepthFlag>(),
        self_assessment_headings: terms::<AssessmentHeading>(),
        self_assessment_answers: terms::<AssessmentAnswer>(),
        self_assessment_questions: AssessmentQuestion::ALL
            .iter()
            .map(|question| Question {
                code: question.code(),
                heading: question.heading().code(),
                text: question.description(),
            })
            .collect(),
        evidence_levels: EvidenceLevel::ALL
            .into_iter()
            .map(|level| Level {
                level: level.number(),
                label: level.label(),
                description: level.description(),
            })
            .collect(),
        evaluations: terms::<Evaluation>(),
        cost_kinds: terms::<CostKind>(),
        cost_units: terms::<CostUnit>(),
        cost_bands: terms::<CostBand>(),
        saving_periods: terms::<SavingPeriod>(),
        directions: terms::<Direction>(),
    })
}
