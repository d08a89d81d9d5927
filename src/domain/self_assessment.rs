//! The co-production self-assessment: eighteen questions under ten headings, each answered
//! yes (with the evidence), not sure (with the reason) or no (with the action being taken).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::Problems;
use super::vocabulary::{AssessmentAnswer, AssessmentHeading, AssessmentQuestion, Vocabulary};
use crate::error::FieldError;

pub const NOTE_MAX: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentEntry {
    pub question: AssessmentQuestion,
    pub answer: AssessmentAnswer,
    /// The evidence (yes), the reason (not sure) or the action being taken (no).
    #[schema(
        min_length = 1,
        max_length = 2000,
        example = "Tenants chose the layout of every flat at the design meetings."
    )]
    pub note: String,
}

/// What an editor sends: the answers given so far (questions left out are unanswered).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"answers": [
    {"question": "involved-to-satisfaction", "answer": "yes", "note": "Tenants chose the layout of every flat."},
    {"question": "stakeholders-late", "answer": "no", "note": "We will map stakeholders with the tenants' group first next time."}
]}))]
pub struct SelfAssessmentInput {
    /// Each question at most once.
    #[schema(max_items = 18)]
    pub answers: Vec<AssessmentEntry>,
    /// Why the change was made; kept in the case study's history.
    #[schema(max_length = 2000)]
    pub message: Option<String>,
}

impl SelfAssessmentInput {
    /// Every answer needs its note; each question is answered at most once.
    pub fn parse(self) -> Result<(Vec<AssessmentEntry>, Option<String>), Vec<FieldError>> {
        let mut problems = Problems::default();
        let mut answers: Vec<AssessmentEntry> = Vec::with_capacity(self.answers.len());
        for (i, entry) in self.answers.into_iter().enumerate() {
            let field = format!("answers[{i}].note");
            if answers.iter().any(|a| a.question == entry.question) {
                problems.add(
                    format!("answers[{i}].question"),
                    format!("question `{}` is answered more than once", entry.question),
                );
                continue;
            }
            if entry.note.trim().is_empty() {
                problems.add(
                    field,
                    format!(
                        "question `{}`: {}",
                        entry.question,
                        needed_note(entry.answer)
                    ),
                );
                continue;
            }
            let Some(note) = problems.optional(&field, Some(&entry.note), NOTE_MAX) else {
                continue;
            };
            answers.push(AssessmentEntry { note, ..entry });
        }
        let message = problems.optional("message", self.message.as_deref(), NOTE_MAX);
        answers.sort_by_key(|a| a.question);
        problems.finish((answers, message))
    }
}

fn needed_note(answer: AssessmentAnswer) -> &'static str {
    match answer {
        AssessmentAnswer::Yes => "a `yes` needs the evidence in `note`",
        AssessmentAnswer::NotSure => "a `not-sure` needs the reason in `note`",
        AssessmentAnswer::No => "a `no` needs the action being taken in `note`",
    }
}

/// The answers, with how they add up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SelfAssessment {
    pub answers: Vec<AssessmentEntry>,
    pub summary: AssessmentSummary,
}

impl SelfAssessment {
    pub fn new(answers: Vec<AssessmentEntry>) -> Self {
        let summary = AssessmentSummary::of(&answers);
        Self { answers, summary }
    }
}

impl Default for SelfAssessment {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AnswerCounts {
    pub answered: u32,
    pub yes: u32,
    pub not_sure: u32,
    pub no: u32,
}

impl AnswerCounts {
    fn add(&mut self, answer: AssessmentAnswer) {
        self.answered += 1;
        match answer {
            AssessmentAnswer::Yes => self.yes += 1,
            AssessmentAnswer::NotSure => self.not_sure += 1,
            AssessmentAnswer::No => self.no += 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssessmentSummary {
    /// Of how many questions.
    #[schema(example = 18)]
    pub questions: u32,
    #[serde(flatten)]
    pub counts: AnswerCounts,
    pub headings: Vec<HeadingSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HeadingSummary {
    pub heading: AssessmentHeading,
    pub questions: u32,
    #[serde(flatten)]
    pub counts: AnswerCounts,
}

impl AssessmentSummary {
    pub fn of(answers: &[AssessmentEntry]) -> Self {
        let mut counts = AnswerCounts::default();
        let headings = AssessmentHeading::ALL
            .iter()
            .map(|heading| {
                let mut heading_counts = AnswerCounts::default();
                for entry in answers.iter().filter(|a| a.question.heading() == *heading) {
                    heading_counts.add(entry.answer);
                    counts.add(entry.answer);
                }
                HeadingSummary {
                    heading: *heading,
                    questions: AssessmentQuestion::ALL
                        .iter()
                        .filter(|q| q.heading() == *heading)
                        .count() as u32,
                    counts: heading_counts,
                }
            })
            .collect();
        Self {
            questions: AssessmentQuestion::ALL.len() as u32,
            counts,
            headings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(answers: serde_json::Value) -> SelfAssessmentInput {
        serde_json::from_value(json!({ "answers": answers })).unwrap()
    }

    #[test]
    fn every_answer_needs_its_note_named_by_question() {
        let errors = input(json!([
            {"question": "aim-achieved", "answer": "yes", "note": "Eleven homes let."},
            {"question": "stakeholders-late", "answer": "no", "note": "  "},
            {"question": "aim-achieved", "answer": "no", "note": "twice"}
        ]))
        .parse()
        .unwrap_err();
        assert_eq!(errors[0].field, "answers[1].note");
        assert!(
            errors[0].message.contains("stakeholders-late") && errors[0].message.contains("action")
        );
        assert_eq!(errors[1].field, "answers[2].question");
    }

    #[test]
    fn the_summary_counts_by_heading() {
        let (answers, _) = input(json!([
            {"question": "partners-involved", "answer": "yes", "note": "All came."},
            {"question": "involved-to-satisfaction", "answer": "no", "note": "Meet in the evenings."},
            {"question": "aim-achieved", "answer": "not-sure", "note": "Too early to say."}
        ]))
        .parse()
        .unwrap();
        let summary = AssessmentSummary::of(&answers);
        assert_eq!((summary.questions, summary.counts.answered), (18, 3));
        let involve = &summary.headings[0];
        assert_eq!(
            (involve.questions, involve.counts.yes, involve.counts.no),
            (2, 1, 1)
        );
        assert_eq!(
            summary.headings.iter().map(|h| h.questions).sum::<u32>(),
            18
        );
    }
}
