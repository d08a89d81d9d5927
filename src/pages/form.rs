//! The case-study form: every field kept as it was typed, so a form with mistakes comes back
//! as it was sent; read into the API's own input (and its rules) only when saved.

use serde_json::{Map, Value, json};

use super::view::FormFields;
use crate::domain::case_study::{CaseStudy, CaseStudyDocument, CaseStudyInput};
use crate::domain::license::License;
use crate::domain::self_assessment::SelfAssessmentInput;
use crate::domain::vocabulary::{
    AssessmentQuestion, CoproductionValue, Country, JourneyStep, MetricUnit, OutcomeCategory,
    PartnerRole, Scale, Sector, StarQuadrant, Vocabulary,
};
use crate::error::{ApiError, FieldError};

/// The story's texts, as the form names them, with their labels and hints.
pub const TEXTS: [(&str, &str, &str); 8] = [
    ("you_asked", "You asked", "The need, and who raised it."),
    (
        "we_said",
        "We said",
        "The response, or how the partners framed it.",
    ),
    ("we_did", "We did", "What was done together."),
    ("what_worked", "What worked", "What worked well."),
    (
        "could_improve",
        "What could be improved",
        "What would be done differently.",
    ),
    (
        "objectives",
        "Objectives",
        "The problem, and why the work began.",
    ),
    (
        "leadership",
        "Leadership",
        "Political, managerial and community leadership, and how change was managed.",
    ),
    ("next_steps", "Next steps", "What happens now."),
];

/// The parts of a case study the form does not show (its practice lists: obstacles, costs,
/// savings, indicators, quotes, evidence), carried through a save unchanged.
const KEPT: [&str; 6] = [
    "obstacles",
    "costs",
    "savings",
    "indicators",
    "quotes",
    "evidence",
];
/// What an indicator shows but is computed from its figures.
const INDICATOR_DERIVED: [&str; 2] = ["change", "direction"];

pub struct PartnerRow {
    /// The organisation's name, as typed or chosen.
    pub organisation: String,
    pub role: String,
}

pub struct OutcomeRow {
    pub category: String,
    pub description: String,
    pub value: String,
    pub unit: String,
}

pub struct AnswerRow {
    pub question: AssessmentQuestion,
    /// `yes`, `not-sure`, `no`, or empty for unanswered.
    pub answer: String,
    pub note: String,
}

/// The whole form, as typed.
pub struct CaseStudyForm {
    pub title: String,
    pub summary: String,
    /// By the names in `TEXTS`.
    pub texts: Vec<(&'static str, &'static str, &'static str, String)>,
    pub quadrants: Vec<String>,
    pub journey_steps: Vec<String>,
    pub values: Vec<String>,
    pub scale: String,
    pub sector: String,
    pub locality: String,
    pub country: String,
    pub start_year: String,
    pub end_year: String,
    pub license: String,
    pub partners: Vec<PartnerRow>,
    pub outcomes: Vec<OutcomeRow>,
    pub answers: Vec<AnswerRow>,
    pub message: String,
    /// What the form does not show, kept from the version being edited.
    kept: Map<String, Value>,
}

impl CaseStudyForm {
    /// A new case study: one partner row (the editor's own organisation) and one outcome row.
    pub fn blank(own_organisation: &str, license: License) -> Self {
        Self {
            title: String::new(),
            summary: String::new(),
            texts: TEXTS
                .iter()
                .map(|(name, label, hint)| (*name, *label, *hint, String::new()))
                .collect(),
            quadrants: Vec::new(),
            journey_steps: Vec::new(),
            values: Vec::new(),
            scale: String::new(),
            sector: String::new(),
            locality: String::new(),
            country: String::new(),
            start_year: String::new(),
            end_year: String::new(),
            license: license.to_string(),
            partners: vec![PartnerRow {
                organisation: own_organisation.to_owned(),
                role: PartnerRole::Lead.code().to_owned(),
            }],
            outcomes: vec![OutcomeRow::blank()],
            answers: AssessmentQuestion::ALL
                .iter()
                .map(|question| AnswerRow {
                    question: *question,
                    answer: String::new(),
                    note: String::new(),
                })
                .collect(),
            message: String::new(),
            kept: Map::new(),
        }
    }

    /// The version being edited, as the form shows it.
    pub fn of(case_study: &CaseStudy) -> Self {
        let content = &case_study.content;
        let text = |name: &str| -> String {
            match name {
                "you_asked" => content.you_asked.clone(),
                "we_said" => content.we_said.clone(),
                "we_did" => content.we_did.clone(),
                "what_worked" => content.what_worked.clone(),
                "could_improve" => content.could_improve.clone(),
                "objectives" => content.practice.objectives.clone(),
                "leadership" => content.practice.leadership.clone(),
                "next_steps" => content.practice.next_steps.clone(),
                _ => None,
            }
            .unwrap_or_default()
        };
        let codes = |members: Vec<&'static str>| members.into_iter().map(str::to_owned).collect();
        let answered = &case_study.self_assessment.answers;
        let mut kept = Map::new();
        if let Ok(Value::Object(mut whole)) = serde_json::to_value(case_study) {
            for field in KEPT {
                if let Some(value) = whole.remove(field) {
                    kept.insert(field.to_owned(), value);
                }
            }
        }
        if let Some(Value::Array(indicators)) = kept.get_mut("indicators") {
            for indicator in indicators.iter_mut().filter_map(Value::as_object_mut) {
                for field in INDICATOR_DERIVED {
                    indicator.remove(field);
                }
            }
        }
        Self {
            title: content.title.clone(),
            summary: content.summary.clone(),
            texts: TEXTS
                .iter()
                .map(|(name, label, hint)| (*name, *label, *hint, text(name)))
                .collect(),
            quadrants: codes(content.quadrants.iter().map(|q| q.code()).collect()),
            journey_steps: codes(content.journey_steps.iter().map(|s| s.code()).collect()),
            values: codes(content.values.iter().map(|v| v.code()).collect()),
            scale: content.scale.code().to_owned(),
            sector: content.sector.code().to_owned(),
            locality: content.locality.clone().unwrap_or_default(),
            country: content.country.code().to_owned(),
            start_year: content
                .start_year
                .map(|y| y.to_string())
                .unwrap_or_default(),
            end_year: content.end_year.map(|y| y.to_string()).unwrap_or_default(),
            license: content.license.to_string(),
            partners: case_study
                .partners
                .iter()
                .map(|partner| PartnerRow {
                    organisation: partner.organisation.name.clone(),
                    role: partner.role.code().to_owned(),
                })
                .collect(),
            outcomes: case_study
                .outcomes
                .iter()
                .map(|outcome| OutcomeRow {
                    category: outcome.category.code().to_owned(),
                    description: outcome.description.clone(),
                    value: outcome
                        .metric
                        .map(|m| m.value.to_string())
                        .unwrap_or_default(),
                    unit: outcome
                        .metric
                        .map(|m| m.unit.code().to_owned())
                        .unwrap_or_default(),
                })
                .collect(),
            answers: AssessmentQuestion::ALL
                .iter()
                .map(|question| {
                    let given = answered.iter().find(|a| a.question == *question);
                    AnswerRow {
                        question: *question,
                        answer: given
                            .map(|a| a.answer.code().to_owned())
                            .unwrap_or_default(),
                        note: given.map(|a| a.note.clone()).unwrap_or_default(),
                    }
                })
                .collect(),
            message: String::new(),
            kept,
        }
    }

    /// The form as posted, over the version it edits (if any), whose unshown parts it keeps.
    /// Rows are read by their numbers, in order.
    pub fn posted(fields: &FormFields, editing: Option<&CaseStudy>) -> Self {
        let kept = editing
            .map(|case_study| Self::of(case_study).kept)
            .unwrap_or_default();
        let rows = |prefix: &str| fields.rows(prefix);
        Self {
            title: fields.get("title").to_owned(),
            summary: fields.get("summary").to_owned(),
            texts: TEXTS
                .iter()
                .map(|(name, label, hint)| (*name, *label, *hint, fields.get(name).to_owned()))
                .collect(),
            quadrants: fields.all("quadrants"),
            journey_steps: fields.all("journey_steps"),
            values: fields.all("values"),
            scale: fields.get("scale").to_owned(),
            sector: fields.get("sector").to_owned(),
            locality: fields.get("locality").to_owned(),
            country: fields.get("country").to_owned(),
            start_year: fields.get("start_year").to_owned(),
            end_year: fields.get("end_year").to_owned(),
            license: fields.get("license").to_owned(),
            partners: rows("partners")
                .into_iter()
                .map(|i| PartnerRow {
                    organisation: fields
                        .get(&format!("partners[{i}].organisation"))
                        .to_owned(),
                    role: fields.get(&format!("partners[{i}].role")).to_owned(),
                })
                .collect(),
            outcomes: rows("outcomes")
                .into_iter()
                .map(|i| OutcomeRow {
                    category: fields.get(&format!("outcomes[{i}].category")).to_owned(),
                    description: fields.get(&format!("outcomes[{i}].description")).to_owned(),
                    value: fields
                        .get(&format!("outcomes[{i}].metric.value"))
                        .to_owned(),
                    unit: fields.get(&format!("outcomes[{i}].metric.unit")).to_owned(),
                })
                .collect(),
            answers: AssessmentQuestion::ALL
                .iter()
                .map(|question| AnswerRow {
                    question: *question,
                    answer: fields
                        .get(&format!("assessment.{}.answer", question.code()))
                        .to_owned(),
                    note: fields
                        .get(&format!("assessment.{}.note", question.code()))
                        .to_owned(),
                })
                .collect(),
            message: fields.get("message").to_owned(),
            kept,
        }
    }

    /// The document the form describes, passed through the API's rules; or every mistake,
    /// each named by the form field it is about. Organisations are named by name here and
    /// found by `find`, which gives their slug.
    pub fn document(
        &self,
        default_license: License,
        find: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(CaseStudyDocument, Option<String>), Vec<FieldError>> {
        let mut mistakes = Vec::new();
        let optional = |text: &str| match text.trim() {
            "" => Value::Null,
            text => Value::from(text),
        };
        let mut year = |field: &str, text: &str| match text.trim() {
            "" => Value::Null,
            text => match text.parse::<i32>() {
                Ok(year) => Value::from(year),
                Err(_) => {
                    mistakes.push(FieldError::new(
                        field,
                        "Enter a year as four figures, like 2019",
                    ));
                    Value::Null
                }
            },
        };
        let start_year = year("start_year", &self.start_year);
        let end_year = year("end_year", &self.end_year);
        let mut document = self.kept.clone();
        let mut set = |key: &str, value: Value| {
            document.insert(key.to_owned(), value);
        };
        set("title", Value::from(self.title.trim()));
        set("summary", Value::from(self.summary.trim()));
        for (name, _, _, text) in &self.texts {
            set(name, optional(text));
        }
        set("quadrants", json!(self.quadrants));
        set("journey_steps", json!(self.journey_steps));
        set("values", json!(self.values));
        set("locality", optional(&self.locality));
        set("start_year", start_year);
        set("end_year", end_year);
        set("license", optional(&self.license));
        set("message", optional(&self.message));
        // A choice left unmade is said to be missing, not to be an unknown code.
        for (key, value) in [
            ("scale", &self.scale),
            ("sector", &self.sector),
            ("country", &self.country),
        ] {
            if !value.is_empty() {
                set(key, Value::from(value.as_str()));
            } else {
                mistakes.push(FieldError::new(key, format!("Choose a {}", key)));
            }
        }
        let mut partners = Vec::new();
        for (i, row) in self.partners.iter().enumerate() {
            let name = row.organisation.trim();
            if name.is_empty() && row.role.is_empty() {
                continue;
            }
            match find(name) {
                Some(slug) => partners.push(json!({"organisation": slug, "role": row.role})),
                None => mistakes.push(FieldError::new(
                    format!("partners[{i}].organisation"),
                    match name {
                        "" => "Choose an organisation".to_owned(),
                        name => {
                            format!("No organisation is called “{name}”: choose one from the list")
                        }
                    },
                )),
            }
        }
        set("partners", Value::Array(partners));
        let mut outcomes = Vec::new();
        for (i, row) in self.outcomes.iter().enumerate() {
            if row.description.trim().is_empty()
                && row.value.trim().is_empty()
                && row.category.is_empty()
            {
                continue;
            }
            let metric = match (row.value.trim(), row.unit.as_str()) {
                ("", "") => Value::Null,
                (value, unit) => match value.replace(',', "").parse::<f64>() {
                    Ok(value) if unit.is_empty() => {
                        mistakes.push(FieldError::new(
                            format!("outcomes[{i}].metric.unit"),
                            "Choose what the figure counts",
                        ));
                        json!({"value": value, "unit": "other"})
                    }
                    Ok(value) => json!({"value": value, "unit": unit}),
                    Err(_) => {
                        mistakes.push(FieldError::new(
                            format!("outcomes[{i}].metric.value"),
                            "Enter the figure as a number, like 11 or 12.5",
                        ));
                        Value::Null
                    }
                },
            };
            outcomes.push(json!({
                "category": row.category,
                "description": row.description.trim(),
                "metric": metric,
            }));
        }
        set("outcomes", Value::Array(outcomes));

        let input = serde_json::to_vec(&document)
            .map_err(|error| vec![FieldError::new("form", error.to_string())])?;
        let parsed = crate::json::parse_json::<CaseStudyInput>(&input)
            .map_err(validation)
            .and_then(|input| input.parse(default_license));
        let (answers, answered) = self.answers();
        let assessed = crate::json::parse_json::<SelfAssessmentInput>(&answers)
            .map_err(validation)
            .and_then(SelfAssessmentInput::parse)
            .map_err(|errors| {
                // The API names answers by their place in the list sent; the form by question.
                errors
                    .into_iter()
                    .map(|error| match answer_number(&error.field) {
                        Some(n) if n < answered.len() => FieldError::new(
                            format!("assessment.{}.note", answered[n].code()),
                            error.message,
                        ),
                        _ => error,
                    })
                    .collect::<Vec<_>>()
            });
        match (parsed, assessed) {
            (Ok((mut document, message)), Ok((answers, _))) if mistakes.is_empty() => {
                document.self_assessment = Some(answers);
                Ok((document, message))
            }
            (parsed, assessed) => {
                mistakes.extend(parsed.err().unwrap_or_default());
                mistakes.extend(assessed.err().unwrap_or_default());
                // A field wrong twice over is said once.
                mistakes.dedup_by(|a, b| a.field == b.field);
                Err(mistakes)
            }
        }
    }

    /// The answers given, as the API's self-assessment input, with their questions in order.
    fn answers(&self) -> (Vec<u8>, Vec<AssessmentQuestion>) {
        let given: Vec<&AnswerRow> = self
            .answers
            .iter()
            .filter(|row| !row.answer.is_empty())
            .collect();
        let answers: Vec<Value> = given
            .iter()
            .map(|row| json!({"question": row.question.code(), "answer": row.answer, "note": row.note}))
            .collect();
        let body = json!({ "answers": answers }).to_string().into_bytes();
        (body, given.iter().map(|row| row.question).collect())
    }
}

impl OutcomeRow {
    pub fn blank() -> Self {
        Self {
            category: String::new(),
            description: String::new(),
            value: String::new(),
            unit: String::new(),
        }
    }
}

fn validation(error: ApiError) -> Vec<FieldError> {
    match error {
        ApiError::Validation(errors) => errors,
        other => vec![FieldError::new("form", other.to_string())],
    }
}

/// `n` of `answers[n]...`.
fn answer_number(field: &str) -> Option<usize> {
    field
        .strip_prefix("answers[")?
        .split(']')
        .next()?
        .parse()
        .ok()
}

/// A form field's element id: its name with brackets and dots made plain, so that an error
/// summary's `#id` links reach it.
pub fn field_id(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '[' | ']' | '.' => '-',
            c => c,
        })
        .collect()
}

/// The choices of a vocabulary, as `(code, label)`.
pub fn choices<V: Vocabulary>() -> Vec<(&'static str, &'static str)> {
    V::ALL.iter().map(|m| (m.code(), m.label())).collect()
}

/// Every list the form chooses from.
pub struct Choices {
    pub quadrants: Vec<(&'static str, &'static str)>,
    pub journey_steps: Vec<(&'static str, &'static str)>,
    pub values: Vec<(&'static str, &'static str)>,
    pub scales: Vec<(&'static str, &'static str)>,
    pub sectors: Vec<(&'static str, &'static str)>,
    pub countries: Vec<(&'static str, &'static str)>,
    pub roles: Vec<(&'static str, &'static str)>,
    pub categories: Vec<(&'static str, &'static str)>,
    pub units: Vec<(&'static str, &'static str)>,
    /// Organisations' names, for choosing partners.
    pub organisations: Vec<String>,
}

impl Choices {
    pub fn new(organisations: Vec<String>) -> Self {
        Self {
            quadrants: choices::<StarQuadrant>(),
            journey_steps: choices::<JourneyStep>(),
            values: choices::<CoproductionValue>(),
            scales: choices::<Scale>(),
            sectors: choices::<Sector>(),
            countries: choices::<Country>(),
            roles: choices::<PartnerRole>(),
            categories: choices::<OutcomeCategory>(),
            units: choices::<MetricUnit>(),
            organisations,
        }
    }
}
