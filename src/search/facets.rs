//! Facet counts: for each filter, what each of its values would give with every other
//! filter applied, worked out in the same pass as the results.

use super::evaluate::{COMPLETENESS_BANDS, Evaluation};
use super::index::FIRST_YEAR;
use super::index::Index;
use super::results::{FacetCount, Facets};
use crate::domain::practice::EvidenceLevel;
use crate::domain::vocabulary::{
    CoproductionValue, CostBand, Country, DepthFlag, Evaluation as Evaluated, JourneyStep,
    OutcomeCategory, Scale, Sector, StarQuadrant, Vocabulary,
};

/// The partner facet lists this many organisations, most results first.
const PARTNER_FACET_SIZE: usize = 20;

pub(super) fn facets(index: &Index, evaluation: &Evaluation) -> Facets {
    fn vocabulary<V: Vocabulary>(counts: &[u64]) -> Vec<FacetCount> {
        V::ALL
            .iter()
            .zip(counts)
            .map(|(member, count)| FacetCount {
                value: member.code().into(),
                label: member.label().into(),
                count: *count,
            })
            .collect()
    }
    let counts = &evaluation.counts;
    let mut partners: Vec<(u32, u64)> = counts
        .partner
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(o, c)| (o as u32, *c))
        .collect();
    let order = |a: &(u32, u64), b: &(u32, u64)| {
        b.1.cmp(&a.1).then_with(|| {
            index
                .organisation(a.0)
                .name
                .cmp(&index.organisation(b.0).name)
        })
    };
    // Thousands of organisations may have a count: only the listed ones are put in order.
    if partners.len() > PARTNER_FACET_SIZE {
        partners.select_nth_unstable_by(PARTNER_FACET_SIZE, order);
        partners.truncate(PARTNER_FACET_SIZE);
    }
    partners.sort_by(order);
    Facets {
        quadrant: vocabulary::<StarQuadrant>(&counts.quadrant),
        sector: vocabulary::<Sector>(&counts.sector),
        outcome: vocabulary::<OutcomeCategory>(&counts.outcome),
        partner: partners
            .into_iter()
            .map(|(o, count)| {
                let organisation = index.organisation(o);
                FacetCount {
                    value: organisation.slug.clone().into(),
                    label: organisation.name.clone().into(),
                    count,
                }
            })
            .collect(),
        country: vocabulary::<Country>(&counts.country),
        scale: vocabulary::<Scale>(&counts.scale),
        journey_step: vocabulary::<JourneyStep>(&counts.journey_step),
        value: vocabulary::<CoproductionValue>(&counts.value),
        year: counts
            .year
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(offset, count)| {
                let year = (FIRST_YEAR + offset as i16).to_string();
                FacetCount {
                    label: year.clone().into(),
                    value: year.into(),
                    count: *count,
                }
            })
            .collect(),
        completeness: COMPLETENESS_BANDS
            .iter()
            .enumerate()
            .map(|(i, low)| {
                let high = COMPLETENESS_BANDS.get(i + 1).map_or(100, |next| next - 1);
                FacetCount {
                    value: format!("{low}-{high}").into(),
                    label: format!("{low}-{high}").into(),
                    count: counts.completeness[i],
                }
            })
            .collect(),
        flag: vocabulary::<DepthFlag>(&counts.flag),
        evidence_level: EvidenceLevel::ALL
            .iter()
            .zip(&counts.evidence_level)
            .map(|(level, count)| FacetCount {
                value: level.number().to_string().into(),
                label: level.label().into(),
                count: *count,
            })
            .collect(),
        evaluation: vocabulary::<Evaluated>(&counts.evaluation),
        cost_band: vocabulary::<CostBand>(&counts.cost_band),
    }
}
