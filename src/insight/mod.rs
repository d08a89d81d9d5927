//! What analysts ask of the collection ("map it", "focus it"): the Star map, crosstabs and
//! organisation profiles, computed over exactly the case studies a search finds.

pub mod atom;
pub mod svg;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::practice::EvidenceLevel;
use crate::domain::vocabulary::{
    CostBand, Country, Evaluation, JourneyStep, OrganisationKind, OutcomeCategory, PartnerRole,
    Scale, Sector, StarQuadrant, Status, Vocabulary,
};
use crate::search::index::{Doc, Index, members};

/// Counts per quadrant of the Co-production Star and per step of the journey.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StarMap {
    /// Case studies matched.
    pub total: u64,
    /// How the counts add up.
    #[schema(
        example = "A case study with several quadrants counts in each of them, so quadrant counts can add up to more than the total."
    )]
    pub counting: &'static str,
    pub quadrants: Vec<QuadrantCount>,
    pub journey_steps: Vec<StepCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuadrantCount {
    pub quadrant: StarQuadrant,
    pub label: &'static str,
    pub case_studies: u64,
    /// The case studies weighted by their evidence level (1-5; none given counts 0): where
    /// the strongest evidence is.
    pub evidence_weighted: u64,
    /// Organisations (owners and partners) active in this quadrant.
    pub organisations: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepCount {
    pub journey_step: JourneyStep,
    pub label: &'static str,
    pub case_studies: u64,
    /// The case studies weighted by their evidence level, as for quadrants.
    pub evidence_weighted: u64,
}

pub const COUNTING: &str = "A case study with several quadrants (or journey steps) counts in each of them, so the counts can add up to more than the total.";

pub fn star_map(docs: &[&Doc]) -> StarMap {
    let quadrants = StarQuadrant::ALL
        .iter()
        .map(|quadrant| {
            let bit = crate::search::index::bit(*quadrant);
            let matching: Vec<&&Doc> = docs.iter().filter(|d| d.quadrants & bit != 0).collect();
            let organisations: HashSet<u32> = matching
                .iter()
                .flat_map(|d| d.partners.iter().map(|(o, _)| *o).chain([d.owner]))
                .collect();
            QuadrantCount {
                quadrant: *quadrant,
                label: quadrant.label(),
                case_studies: matching.len() as u64,
                evidence_weighted: matching.iter().map(|d| evidence_weight(d)).sum(),
                organisations: organisations.len() as u64,
            }
        })
        .collect();
    let journey_steps = JourneyStep::ALL
        .iter()
        .map(|step| {
            let bit = crate::search::index::bit(*step);
            let matching = docs.iter().filter(|d| d.journey_steps & bit != 0);
            StepCount {
                journey_step: *step,
                label: step.label(),
                case_studies: matching.clone().count() as u64,
                evidence_weighted: matching.map(|d| evidence_weight(d)).sum(),
            }
        })
        .collect();
    StarMap {
        total: docs.len() as u64,
        counting: COUNTING,
        quadrants,
        journey_steps,
    }
}

fn evidence_weight(doc: &Doc) -> u64 {
    u64::from(doc.practice.evidence_level())
}

/// What a crosstab's rows or columns count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Quadrant,
    Sector,
    Outcome,
    Country,
    Scale,
    /// The year the work started.
    Year,
    /// The kinds of the organisations taking part (owner and partners).
    PartnerKind,
    /// The evidence level, 1 to 5 (case studies that give none are not counted).
    EvidenceLevel,
    /// Who evaluated the work (case studies that do not say are not counted).
    Evaluation,
    CostBand,
}

impl Dimension {
    pub const ALL: [Dimension; 10] = [
        Self::Quadrant,
        Self::Sector,
        Self::Outcome,
        Self::Country,
        Self::Scale,
        Self::Year,
        Self::PartnerKind,
        Self::EvidenceLevel,
        Self::Evaluation,
        Self::CostBand,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Quadrant => "quadrant",
            Self::Sector => "sector",
            Self::Outcome => "outcome",
            Self::Country => "country",
            Self::Scale => "scale",
            Self::Year => "year",
            Self::PartnerKind => "partner_kind",
            Self::EvidenceLevel => "evidence_level",
            Self::Evaluation => "evaluation",
            Self::CostBand => "cost_band",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == text)
    }

    /// In words, for a table's heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Quadrant => "Star quadrant",
            Self::Sector => "Sector",
            Self::Outcome => "Outcome",
            Self::Country => "Country",
            Self::Scale => "Scale",
            Self::Year => "Year started",
            Self::PartnerKind => "Kind of partner",
            Self::EvidenceLevel => "Evidence level",
            Self::Evaluation => "Evaluated by",
            Self::CostBand => "Money costs",
        }
    }

    /// One of its values in words: a vocabulary's label, or the value itself.
    pub fn value_label(self, value: &str) -> String {
        fn label<V: Vocabulary>(value: &str) -> Option<&'static str> {
            V::parse(value).ok().map(Vocabulary::label)
        }
        let label = match self {
            Self::Quadrant => label::<StarQuadrant>(value),
            Self::Sector => label::<Sector>(value),
            Self::Outcome => label::<OutcomeCategory>(value),
            Self::Country => label::<Country>(value),
            Self::Scale => label::<Scale>(value),
            Self::PartnerKind => label::<OrganisationKind>(value),
            Self::Evaluation => label::<Evaluation>(value),
            Self::CostBand => label::<CostBand>(value),
            Self::EvidenceLevel => return format!("Level {value}"),
            Self::Year => None,
        };
        label.map_or_else(|| value.to_owned(), str::to_owned)
    }

    /// The values a case study has in this dimension (several for lists).
    fn values(self, doc: &Doc, index: &Index) -> Vec<String> {
        fn codes<V: Vocabulary>(members: Vec<V>) -> Vec<String> {
            members.into_iter().map(|m| m.code().to_owned()).collect()
        }
        match self {
            Self::Quadrant => codes(members::<StarQuadrant>(doc.quadrants)),
            Self::Sector => vec![doc.sector.code().to_owned()],
            Self::Outcome => codes(members::<OutcomeCategory>(doc.outcomes)),
            Self::Country => vec![doc.country.code().to_owned()],
            Self::Scale => vec![doc.scale.code().to_owned()],
            Self::Year => doc.start_year.map(|y| y.to_string()).into_iter().collect(),
            Self::PartnerKind => {
                let kinds: HashSet<OrganisationKind> = doc
                    .partners
                    .iter()
                    .map(|(o, _)| *o)
                    .chain([doc.owner])
                    .map(|o| index.organisation(o).kind)
                    .collect();
                let mut kinds: Vec<OrganisationKind> = kinds.into_iter().collect();
                kinds.sort();
                codes(kinds)
            }
            Self::EvidenceLevel => match doc.practice.evidence_level() {
                0 => Vec::new(),
                level => vec![level.to_string()],
            },
            Self::Evaluation => codes(doc.practice.evaluation().into_iter().collect()),
            Self::CostBand => vec![doc.practice.cost_band().code().to_owned()],
        }
    }

    /// Every value, in the domain's order (years: those present).
    fn all_values(self, present: &HashSet<String>) -> Vec<String> {
        fn codes<V: Vocabulary>() -> Vec<String> {
            V::CODES.iter().map(|c| (*c).to_owned()).collect()
        }
        match self {
            Self::Quadrant => codes::<StarQuadrant>(),
            Self::Sector => codes::<Sector>(),
            Self::Outcome => codes::<OutcomeCategory>(),
            Self::Country => codes::<Country>(),
            Self::Scale => codes::<Scale>(),
            Self::PartnerKind => codes::<OrganisationKind>(),
            Self::EvidenceLevel => EvidenceLevel::ALL
                .iter()
                .map(|level| level.number().to_string())
                .collect(),
            Self::Evaluation => codes::<Evaluation>(),
            Self::CostBand => codes::<CostBand>(),
            Self::Year => {
                let mut years: Vec<String> = present.iter().cloned().collect();
                years.sort();
                years
            }
        }
    }
}

/// Counts of case studies by two dimensions at once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Crosstab {
    pub rows: Dimension,
    pub columns: Dimension,
    pub row_values: Vec<String>,
    pub column_values: Vec<String>,
    /// `counts[r][c]`: case studies with row value `r` and column value `c`.
    pub counts: Vec<Vec<u64>>,
    /// Case studies matched.
    pub total: u64,
    #[schema(
        example = "A case study with several values in a dimension (quadrants, outcomes, partner kinds) counts under each of them."
    )]
    pub counting: &'static str,
}

pub fn crosstab(index: &Index, docs: &[&Doc], rows: Dimension, columns: Dimension) -> Crosstab {
    let mut cells: HashMap<(String, String), u64> = HashMap::new();
    let mut row_present = HashSet::new();
    let mut column_present = HashSet::new();
    for doc in docs {
        let row_values = rows.values(doc, index);
        let column_values = columns.values(doc, index);
        for r in &row_values {
            row_present.insert(r.clone());
            for c in &column_values {
                column_present.insert(c.clone());
                *cells.entry((r.clone(), c.clone())).or_default() += 1;
            }
        }
    }
    let row_values = rows.all_values(&row_present);
    let column_values = columns.all_values(&column_present);
    let counts = row_values
        .iter()
        .map(|r| {
            column_values
                .iter()
                .map(|c| cells.get(&(r.clone(), c.clone())).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    Crosstab {
        rows,
        columns,
        row_values,
        column_values,
        counts,
        total: docs.len() as u64,
        counting: "A case study with several values in a dimension (quadrants, outcomes, partner kinds) counts under each of them.",
    }
}

impl Crosstab {
    /// The same table for a spreadsheet: a header row of column values, then one row per row value.
    pub fn to_csv(&self) -> String {
        let mut out = format!("{}\\{}", self.rows.name(), self.columns.name());
        for value in &self.column_values {
            out.push(',');
            out.push_str(value);
        }
        out.push_str("\r\n");
        for (value, counts) in self.row_values.iter().zip(&self.counts) {
            out.push_str(value);
            for count in counts {
                out.push(',');
                out.push_str(&count.to_string());
            }
            out.push_str("\r\n");
        }
        out
    }
}

/// One partner's co-production at a glance.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Profile {
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    /// Case studies it owns or takes part in (that the reader may see).
    pub case_studies: u64,
    pub by_quadrant: Vec<Tally>,
    pub by_status: Vec<Tally>,
    /// The roles it plays where it is a named partner.
    pub by_role: Vec<Tally>,
    pub outcomes: Vec<Tally>,
    /// The organisations it works with most, with how many case studies they share.
    pub works_with: Vec<Tally>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tally {
    pub value: String,
    pub label: String,
    pub count: u64,
}

fn tally<V: Vocabulary>(counts: &BTreeMap<V, u64>) -> Vec<Tally> {
    V::ALL
        .iter()
        .map(|member| Tally {
            value: member.code().to_owned(),
            label: member.label().to_owned(),
            count: counts.get(member).copied().unwrap_or(0),
        })
        .collect()
}

pub fn profile(index: &Index, organisation: u32, docs: &[&Doc]) -> Profile {
    let mut quadrants = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    let mut roles = BTreeMap::new();
    let mut outcomes = BTreeMap::new();
    let mut with: HashMap<u32, u64> = HashMap::new();
    for doc in docs {
        for quadrant in members::<StarQuadrant>(doc.quadrants) {
            *quadrants.entry(quadrant).or_insert(0) += 1;
        }
        *statuses.entry(doc.status).or_insert(0) += 1;
        if let Some((_, role)) = doc.partners.iter().find(|(o, _)| *o == organisation) {
            *roles.entry(*role).or_insert(0) += 1;
        }
        for outcome in members::<OutcomeCategory>(doc.outcomes) {
            *outcomes.entry(outcome).or_insert(0) += 1;
        }
        let others: HashSet<u32> = doc
            .partners
            .iter()
            .map(|(o, _)| *o)
            .chain([doc.owner])
            .filter(|o| *o != organisation)
            .collect();
        for other in others {
            *with.entry(other).or_default() += 1;
        }
    }
    let mut works_with: Vec<(u32, u64)> = with.into_iter().collect();
    works_with.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            index
                .organisation(a.0)
                .name
                .cmp(&index.organisation(b.0).name)
        })
    });
    let this = index.organisation(organisation);
    Profile {
        slug: this.slug.clone(),
        name: this.name.clone(),
        kind: this.kind,
        case_studies: docs.len() as u64,
        by_quadrant: tally::<StarQuadrant>(&quadrants),
        by_status: tally::<Status>(&statuses),
        by_role: tally::<PartnerRole>(&roles),
        outcomes: tally::<OutcomeCategory>(&outcomes),
        works_with: works_with
            .into_iter()
            .take(10)
            .map(|(o, count)| {
                let other = index.organisation(o);
                Tally {
                    value: other.slug.clone(),
                    label: other.name.clone(),
                    count,
                }
            })
            .collect(),
    }
}
