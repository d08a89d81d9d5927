//! Quality signals, computed from a case study and never set by hand: how complete it is
//! against the toolkit's shape, and the signs that it may be engagement more than
//! co-production.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::vocabulary::{AssessmentAnswer, AssessmentQuestion, DepthFlag, Vocabulary};

/// What the signals are computed from; the search index holds the same facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QualityFacts {
    /// you_asked, we_said, we_did, what_worked, could_improve: which are written.
    pub narrative: [bool; 5],
    pub quadrants: usize,
    pub community_partner: bool,
    pub outcomes: usize,
    pub measured_outcome: bool,
    pub answered: usize,
    pub involved_to_satisfaction: Option<AssessmentAnswer>,
    /// From the practice template: indicators, an evidence level (1-5, 0 for none), costs,
    /// savings; and whether an evaluation report is attached.
    pub indicators: bool,
    pub evidence_level: u8,
    pub costs: bool,
    pub savings: bool,
    pub evaluation_report: bool,
}

/// How a case study measures up.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Quality {
    /// 0-100 against the toolkit's shape: the five narrative parts (10 each), a Star
    /// quadrant (5), a community or lived-experience partner (15), an outcome with a measured
    /// figure (15) and the self-assessment (15, in proportion to the questions answered).
    #[schema(minimum = 0, maximum = 100, example = 85)]
    pub completeness: u8,
    /// What would complete it.
    #[schema(example = json!(["could_improve", "self_assessment"]))]
    pub missing: Vec<String>,
    pub flags: Vec<DepthFlag>,
}

const NARRATIVE: [&str; 5] = [
    "you_asked",
    "we_said",
    "we_did",
    "what_worked",
    "could_improve",
];

pub fn assess(facts: &QualityFacts) -> Quality {
    let mut score = 0u32;
    let mut missing = Vec::new();
    for (present, name) in facts.narrative.iter().zip(NARRATIVE) {
        if *present {
            score += 10;
        } else {
            missing.push(name.to_owned());
        }
    }
    let mut check = |present: bool, points: u32, name: &str| {
        if present {
            score += points;
        } else {
            missing.push(name.to_owned());
        }
    };
    check(facts.quadrants > 0, 5, "quadrants");
    check(facts.community_partner, 15, "community_partner");
    check(facts.measured_outcome, 15, "measured_outcome");
    let questions = AssessmentQuestion::ALL.len();
    score += (15 * facts.answered.min(questions) / questions) as u32;
    if facts.answered < questions {
        missing.push("self_assessment".to_owned());
    }
    let mut flags = Vec::new();
    if !facts.community_partner {
        flags.push(DepthFlag::NoCommunityPartner);
    }
    if facts.quadrants == 1 {
        flags.push(DepthFlag::SingleQuadrant);
    }
    if facts.outcomes == 0 {
        flags.push(DepthFlag::NoOutcome);
    }
    if facts.involved_to_satisfaction == Some(AssessmentAnswer::No) {
        flags.push(DepthFlag::PartnersNotInvolved);
    }
    if facts.outcomes > 0 && !facts.indicators && facts.evidence_level == 0 {
        flags.push(DepthFlag::UnevidencedOutcomes);
    }
    if facts.costs != facts.savings {
        flags.push(DepthFlag::OneSidedCosts);
    }
    if facts.evidence_level >= 3 && !facts.evaluation_report {
        flags.push(DepthFlag::UnreportedEvidence);
    }
    Quality {
        completeness: score.min(100) as u8,
        missing,
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_case_study_scores_100_with_nothing_missing() {
        let facts = QualityFacts {
            narrative: [true; 5],
            quadrants: 2,
            community_partner: true,
            outcomes: 1,
            measured_outcome: true,
            answered: 18,
            involved_to_satisfaction: Some(AssessmentAnswer::Yes),
            indicators: true,
            evidence_level: 3,
            costs: true,
            savings: true,
            evaluation_report: true,
        };
        assert_eq!(
            assess(&facts),
            Quality {
                completeness: 100,
                missing: vec![],
                flags: vec![]
            }
        );
    }

    #[test]
    fn what_is_missing_is_named_and_flags_show_thin_co_production() {
        let facts = QualityFacts {
            narrative: [true, true, true, false, false],
            quadrants: 1,
            community_partner: false,
            outcomes: 0,
            measured_outcome: false,
            answered: 6,
            involved_to_satisfaction: Some(AssessmentAnswer::No),
            indicators: false,
            evidence_level: 4,
            costs: false,
            savings: true,
            evaluation_report: false,
        };
        let quality = assess(&facts);
        // 30 narrative + 5 quadrant + 15 * 6 / 18 = 5 for the self-assessment.
        assert_eq!(quality.completeness, 40);
        assert_eq!(
            quality.missing,
            [
                "what_worked",
                "could_improve",
                "community_partner",
                "measured_outcome",
                "self_assessment"
            ]
        );
        assert_eq!(
            quality.flags,
            [
                DepthFlag::NoCommunityPartner,
                DepthFlag::SingleQuadrant,
                DepthFlag::NoOutcome,
                DepthFlag::PartnersNotInvolved,
                DepthFlag::OneSidedCosts,
                DepthFlag::UnreportedEvidence
            ]
        );
    }
}
