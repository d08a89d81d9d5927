//! What a commissioner asks before copying a co-produced service, beyond the toolkit's five
//! narrative parts: why the work began and who led the change, what got in the way, what it
//! cost and saved, which indicators moved, who says so, and how strong the evidence is
//! (graded as Nesta's Standards of Evidence grade claims).

use diesel::deserialize::{FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{Output, ToSql};
use diesel::sql_types::Jsonb;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::figures::{YEARS, whole_numbers_without_decimals};
use super::organisation::{OrganisationRef, OrganisationSummary};
use super::text::Problems;
use super::vocabulary::{
    CostBand, CostKind, CostUnit, Currency, Direction, Evaluation, MetricUnit, SavingPeriod,
};
use std::collections::HashMap;

pub const ACCOUNT_MAX: usize = 5_000;
pub const ENTRY_MAX: usize = 2_000;
pub const NAME_MAX: usize = 200;
pub const OBSTACLES_MAX: usize = 5;
pub const COSTS_MAX: usize = 20;
pub const SAVINGS_MAX: usize = 20;
pub const INDICATORS_MAX: usize = 20;
pub const QUOTES_MAX: usize = 10;
/// Beyond a trillion an amount is a typing error, and f64 still holds pence exactly.
pub const AMOUNT_MAX: f64 = 1e12;

/// The practice template's part of a case study, as stored (one JSON column) and read. Every
/// part is optional; the totals are derived when the document is parsed.
#[derive(
    Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Jsonb)]
#[serde(default)]
pub struct Practice {
    /// The problem, and why the work began.
    pub objectives: Option<String>,
    /// Political, managerial and community leadership, and how change was managed.
    pub leadership: Option<String>,
    pub next_steps: Option<String>,
    pub obstacles: Vec<Obstacle>,
    pub costs: Vec<Cost>,
    pub savings: Vec<Saving>,
    pub indicators: Vec<Indicator>,
    /// Quotes whose speaker has not consented are kept for editors only.
    pub quotes: Vec<Quote>,
    pub evidence: Option<Evidence>,
    /// The money costs in pounds (costs counted in `GBP`, whatever their kind).
    #[schema(read_only, example = 250000)]
    #[serde(serialize_with = "whole_numbers_without_decimals")]
    pub total_cost_gbp: f64,
    /// The time given, in hours (costs counted in `hours`).
    #[schema(read_only, example = 1200)]
    #[serde(serialize_with = "whole_numbers_without_decimals")]
    pub total_hours: f64,
    #[schema(read_only)]
    pub cost_band: CostBand,
}

// `vocabulary!` makes the enum and derives no `Default`, so one is written here.
#[expect(clippy::derivable_impls)]
impl Default for CostBand {
    fn default() -> Self {
        Self::Unrecorded
    }
}

/// Something that got in the way, and how the partners got past it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Obstacle {
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "Officers feared losing control of the budget."
    )]
    pub obstacle: String,
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "The steering group set the spending rules together in its first month."
    )]
    pub overcome_by: String,
}

/// What the work cost: money, or people's time, or what was given in kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    pub kind: CostKind,
    /// Positive; pounds or hours as `unit` says.
    #[schema(exclusive_minimum = 0, maximum = 1000000000000.0, example = 250000)]
    #[serde(serialize_with = "whole_numbers_without_decimals")]
    pub amount: f64,
    /// `money` is counted in `GBP`; time in `hours` or costed in `GBP`.
    pub unit: CostUnit,
    /// Who paid: one of the case study's partners, by slug or id (read back as its id).
    #[serde(default, with = "optional_reference")]
    #[schema(value_type = Option<String>, example = "big-lottery-fund")]
    pub funder: Option<OrganisationRef>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

/// Money the work saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Saving {
    #[schema(exclusive_minimum = 0, maximum = 1000000000000.0, example = 40000)]
    #[serde(serialize_with = "whole_numbers_without_decimals")]
    pub amount: f64,
    pub unit: Currency,
    pub period: SavingPeriod,
    /// Whether the money can be taken out of a budget, rather than freed time or avoided demand.
    pub cashable: bool,
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "Fewer out-of-area placements."
    )]
    pub description: String,
}

/// A performance indicator as a client writes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    #[schema(min_length = 1, max_length = 200, example = "Homes let")]
    pub name: String,
    pub unit: MetricUnit,
    /// Where it started, when that was measured.
    #[serde(default)]
    pub baseline: Option<Reading>,
    #[serde(default)]
    pub target: Option<Reading>,
    pub result: Reading,
    /// Where the figures come from.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Housing association lettings records"
    )]
    pub source: String,
}

/// A performance indicator, with how far and which way it moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Indicator {
    pub name: String,
    pub unit: MetricUnit,
    pub baseline: Option<Reading>,
    pub target: Option<Reading>,
    pub result: Reading,
    pub source: String,
    /// `result` minus `baseline`; none without a baseline.
    #[schema(read_only, example = 9)]
    #[serde(serialize_with = "optional_whole_number")]
    pub change: Option<f64>,
    #[schema(read_only)]
    pub direction: Option<Direction>,
}

/// An indicator's value in a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    #[schema(example = 2)]
    #[serde(serialize_with = "whole_numbers_without_decimals")]
    pub value: f64,
    #[schema(minimum = 1900, maximum = 2100, example = 2015)]
    pub year: i32,
}

/// Somebody's words about the work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "For the first time we were asked before the plans were drawn."
    )]
    pub text: String,
    /// A name or a role.
    #[schema(
        min_length = 1,
        max_length = 200,
        example = "Tenant, Rutherford Square"
    )]
    pub speaker: String,
    /// Whether the speaker agreed to be quoted in public. Without it the quote is kept for
    /// the case study's editors and never shown to the public, exported or harvested.
    #[serde(default)]
    pub consent: bool,
}

/// How strong the evidence is that the work did what the case study says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub level: EvidenceLevel,
    /// Why this level: what was measured, against what.
    #[schema(min_length = 1, max_length = 2000)]
    pub rationale: String,
    pub evaluation: Evaluation,
}

/// A level of Nesta's Standards of Evidence, 1 (a logical account) to 5 (replicated at scale).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvidenceLevel {
    Reasoned = 1,
    ChangeObserved = 2,
    Causal = 3,
    Replicated = 4,
    AtScale = 5,
}

impl EvidenceLevel {
    pub const ALL: [Self; 5] = [
        Self::Reasoned,
        Self::ChangeObserved,
        Self::Causal,
        Self::Replicated,
        Self::AtScale,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(number: i64) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|l| i64::from(l.number()) == number)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Reasoned => "A logical account",
            Self::ChangeObserved => "Change observed",
            Self::Causal => "Cause shown",
            Self::Replicated => "Independently replicated",
            Self::AtScale => "Replicated at scale",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Self::Reasoned => {
                "The partners can say clearly what they did, for whom, and why it should lead to the outcomes."
            }
            Self::ChangeObserved => {
                "Data show positive change among those involved, but not that the work caused it."
            }
            Self::Causal => {
                "A control or comparison group shows that the work caused at least some of the change."
            }
            Self::Replicated => {
                "One or more independent evaluations, elsewhere or by others, confirm the effect."
            }
            Self::AtScale => {
                "Manuals, training and systems let others repeat it at scale with the same effect, shown by evaluation."
            }
        }
    }
}

impl Serialize for EvidenceLevel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(self.number())
    }
}

impl<'de> Deserialize<'de> for EvidenceLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = i64::deserialize(deserializer)?;
        Self::from_number(number).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown evidence level `{number}`; allowed values: 1, 2, 3, 4, 5"
            ))
        })
    }
}

impl utoipa::PartialSchema for EvidenceLevel {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let mut description = String::from(
            "A level of Nesta's Standards of Evidence, from 1 to 5 (see `/vocabularies`).\n\n",
        );
        for level in Self::ALL {
            description.push_str(&format!(
                "- `{}`: {}\n",
                level.number(),
                level.description()
            ));
        }
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(5))
            .description(Some(description.trim_end()))
            .into()
    }
}

impl utoipa::ToSchema for EvidenceLevel {}

/// The practice template's fields as a client sends them, inside a case-study document.
pub struct PracticeInput {
    pub objectives: Option<String>,
    pub leadership: Option<String>,
    pub next_steps: Option<String>,
    pub obstacles: Vec<Obstacle>,
    pub costs: Vec<Cost>,
    pub savings: Vec<Saving>,
    pub indicators: Vec<IndicatorInput>,
    pub quotes: Vec<Quote>,
    pub evidence: Option<Evidence>,
}

impl PracticeInput {
    /// Checks every rule, reporting each broken one against its field.
    pub fn parse(self, problems: &mut Problems) -> Practice {
        let objectives = problems.optional("objectives", self.objectives.as_deref(), ACCOUNT_MAX);
        let leadership = problems.optional("leadership", self.leadership.as_deref(), ACCOUNT_MAX);
        let next_steps = problems.optional("next_steps", self.next_steps.as_deref(), ACCOUNT_MAX);
        let obstacles = within(problems, "obstacles", self.obstacles, OBSTACLES_MAX)
            .enumerate()
            .map(|(i, o)| Obstacle {
                obstacle: problems.required(
                    &format!("obstacles[{i}].obstacle"),
                    &o.obstacle,
                    ENTRY_MAX,
                ),
                overcome_by: problems.required(
                    &format!("obstacles[{i}].overcome_by"),
                    &o.overcome_by,
                    ENTRY_MAX,
                ),
            })
            .collect();
        let costs: Vec<Cost> = within(problems, "costs", self.costs, COSTS_MAX)
            .enumerate()
            .map(|(i, cost)| {
                amount(problems, &format!("costs[{i}].amount"), cost.amount);
                if cost.kind == CostKind::Money && cost.unit != CostUnit::Gbp {
                    problems.add(format!("costs[{i}].unit"), "money is counted in GBP");
                }
                let description = problems.optional(
                    &format!("costs[{i}].description"),
                    cost.description.as_deref(),
                    ENTRY_MAX,
                );
                Cost {
                    description,
                    ..cost
                }
            })
            .collect();
        let savings: Vec<Saving> = within(problems, "savings", self.savings, SAVINGS_MAX)
            .enumerate()
            .map(|(i, saving)| {
                amount(problems, &format!("savings[{i}].amount"), saving.amount);
                let description = problems.required(
                    &format!("savings[{i}].description"),
                    &saving.description,
                    ENTRY_MAX,
                );
                Saving {
                    description,
                    ..saving
                }
            })
            .collect();
        let indicators = within(problems, "indicators", self.indicators, INDICATORS_MAX)
            .enumerate()
            .map(|(i, indicator)| parse_indicator(problems, i, indicator))
            .collect();
        let quotes = within(problems, "quotes", self.quotes, QUOTES_MAX)
            .enumerate()
            .map(|(i, quote)| Quote {
                text: problems.required(&format!("quotes[{i}].text"), &quote.text, ENTRY_MAX),
                speaker: problems.required_line(
                    &format!("quotes[{i}].speaker"),
                    &quote.speaker,
                    NAME_MAX,
                ),
                consent: quote.consent,
            })
            .collect();
        let evidence = self.evidence.map(|evidence| Evidence {
            rationale: problems.required("evidence.rationale", &evidence.rationale, ENTRY_MAX),
            ..evidence
        });
        let total = |unit: CostUnit| {
            costs
                .iter()
                .filter(|c| c.unit == unit && c.amount.is_finite())
                .map(|c| c.amount)
                .sum::<f64>()
        };
        let total_cost_gbp = total(CostUnit::Gbp);
        let total_hours = total(CostUnit::Hours);
        Practice {
            objectives,
            leadership,
            next_steps,
            obstacles,
            cost_band: CostBand::of(total_cost_gbp),
            total_cost_gbp,
            total_hours,
            costs,
            savings,
            indicators,
            quotes,
            evidence,
        }
    }
}

impl CostBand {
    pub fn of(pounds: f64) -> Self {
        match pounds {
            p if p <= 0.0 => Self::Unrecorded,
            p if p < 10_000.0 => Self::Under10k,
            p if p < 100_000.0 => Self::From10kTo100k,
            p if p < 1_000_000.0 => Self::From100kTo1m,
            _ => Self::Over1m,
        }
    }
}

/// The list's members, or none (and a problem) when there are too many to read one by one.
fn within<T>(
    problems: &mut Problems,
    field: &str,
    list: Vec<T>,
    max: usize,
) -> std::vec::IntoIter<T> {
    if list.len() > max {
        problems.add(field, format!("must list at most {max}"));
        return Vec::new().into_iter();
    }
    list.into_iter()
}

fn amount(problems: &mut Problems, field: &str, value: f64) {
    if !(value.is_finite() && value > 0.0 && value <= AMOUNT_MAX) {
        problems.add(
            field,
            "must be a positive number, at most 1,000,000,000,000",
        );
    }
}

fn parse_indicator(problems: &mut Problems, i: usize, input: IndicatorInput) -> Indicator {
    let field = |part: &str| format!("indicators[{i}].{part}");
    let name = problems.required_line(&field("name"), &input.name, NAME_MAX);
    let source = problems.required_line(&field("source"), &input.source, NAME_MAX);
    let readings = [
        ("baseline", input.baseline),
        ("target", input.target),
        ("result", Some(input.result)),
    ];
    for (part, reading) in readings {
        let Some(reading) = reading else { continue };
        if !(reading.value.is_finite() && reading.value.abs() <= AMOUNT_MAX) {
            problems.add(
                field(&format!("{part}.value")),
                "must be a finite number of reasonable size",
            );
        }
        if !YEARS.contains(&reading.year) {
            problems.add(
                field(&format!("{part}.year")),
                "must be a year between 1900 and 2100",
            );
        }
    }
    if let Some(baseline) = input.baseline
        && input.result.year < baseline.year
    {
        problems.add(
            field("result.year"),
            "must not be before the baseline's year",
        );
    }
    let change = input
        .baseline
        .map(|baseline| input.result.value - baseline.value)
        .filter(|change| change.is_finite());
    let direction = change.map(|change| match change {
        c if c > 0.0 => Direction::Up,
        c if c < 0.0 => Direction::Down,
        _ => Direction::Unchanged,
    });
    Indicator {
        name,
        unit: input.unit,
        baseline: input.baseline,
        target: input.target,
        result: input.result,
        source,
        change,
        direction,
    }
}

impl Practice {
    /// The organisations named as funders, to resolve with the partners.
    pub fn funders(&self) -> impl Iterator<Item = &OrganisationRef> {
        self.costs.iter().filter_map(|cost| cost.funder.as_ref())
    }

    /// Whether a funder is named by slug, which `pin_funders` turns into its id.
    pub fn names_funders_by_slug(&self) -> bool {
        self.funders()
            .any(|f| matches!(f, OrganisationRef::Slug(_)))
    }

    /// Funders named by slug become their ids, which never change.
    pub fn pin_funders(&mut self, organisations: &HashMap<OrganisationRef, OrganisationSummary>) {
        for funder in self
            .costs
            .iter_mut()
            .filter_map(|cost| cost.funder.as_mut())
        {
            if let Some(organisation) = organisations.get(funder) {
                *funder = OrganisationRef::Id(organisation.id);
            }
        }
    }

    /// What the public may read: quotes without the speaker's consent are left out.
    pub fn for_public(mut self) -> Self {
        self.quotes.retain(|quote| quote.consent);
        self
    }
}

fn optional_whole_number<S: serde::Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => whole_numbers_without_decimals(value, serializer),
        None => serializer.serialize_none(),
    }
}

mod optional_reference {
    use super::OrganisationRef;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<OrganisationRef>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(reference) => serializer.collect_str(reference),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OrganisationRef>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| OrganisationRef::parse(text.trim()).map_err(serde::de::Error::custom))
            .transpose()
    }
}

impl ToSql<Jsonb, Pg> for Practice {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> diesel::serialize::Result {
        let value = serde_json::to_value(self)?;
        <serde_json::Value as ToSql<Jsonb, Pg>>::to_sql(&value, &mut out.reborrow())
    }
}

impl FromSql<Jsonb, Pg> for Practice {
    fn from_sql(value: PgValue<'_>) -> diesel::deserialize::Result<Self> {
        let value = <serde_json::Value as FromSql<Jsonb, Pg>>::from_sql(value)?;
        Ok(serde_json::from_value(value)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_bands_follow_the_money() {
        assert_eq!(CostBand::of(0.0), CostBand::Unrecorded);
        assert_eq!(CostBand::of(9_999.99), CostBand::Under10k);
        assert_eq!(CostBand::of(10_000.0), CostBand::From10kTo100k);
        assert_eq!(CostBand::of(250_000.0), CostBand::From100kTo1m);
        assert_eq!(CostBand::of(2_100_000.0), CostBand::Over1m);
    }

    #[test]
    fn evidence_levels_are_numbers_one_to_five() {
        assert_eq!(serde_json::to_string(&EvidenceLevel::Causal).unwrap(), "3");
        assert!(serde_json::from_str::<EvidenceLevel>("6").is_err());
        assert!(serde_json::from_str::<EvidenceLevel>("\"3\"").is_err());
    }
}
