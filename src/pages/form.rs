//! The case-study form: every field kept as it was typed, so a form with mistakes comes back
//! as it was sent; read into the API's own input (and its rules) only when saved.
//!
//! The document's repeated parts (partners, outcomes, and the practice template's lists) are
//! all described by one table, `LISTS`: what each row's fields are and how each is typed in.
//! A field's form name is its path in the API's document (`costs[1].amount`), so the API's
//! field-level messages land beside the field they are about.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::view::FormFields;
use crate::domain::case_study::{CaseStudy, CaseStudyDocument, CaseStudyInput};
use crate::domain::license::License;
use crate::domain::organisation::Organisation;
use crate::domain::practice::EvidenceLevel;
use crate::domain::self_assessment::SelfAssessmentInput;
use crate::domain::vocabulary::{
    AssessmentQuestion, CoproductionValue, CostKind, CostUnit, Country, Currency, Evaluation,
    JourneyStep, MetricUnit, OutcomeCategory, PartnerRole, SavingPeriod, Scale, Sector,
    StarQuadrant, Vocabulary,
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

/// How a field of a list is typed in.
#[derive(Clone, Copy)]
pub enum Input {
    Line,
    Text,
    Number,
    Year,
    /// One of a vocabulary, by code.
    Choice(fn() -> Vec<(&'static str, &'static str)>),
    /// An evidence level, 1 to 5.
    Level,
    /// A box to tick.
    Yes,
    /// An organisation, by name.
    Organisation,
}

impl Input {
    /// What the template draws.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Line => "line",
            Self::Text => "text",
            Self::Number | Self::Year => "number",
            Self::Choice(_) | Self::Level => "choice",
            Self::Yes => "yes",
            Self::Organisation => "organisation",
        }
    }

    pub fn options(&self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Choice(options) => options(),
            Self::Level => ["1", "2", "3", "4", "5"]
                .into_iter()
                .zip(EvidenceLevel::ALL.map(EvidenceLevel::description))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether a row with nothing else in it counts as empty with this field set: a choice
    /// or a ticked box alone is not a row.
    fn says_something(&self) -> bool {
        !matches!(self, Self::Choice(_) | Self::Level | Self::Yes)
    }
}

pub struct Column {
    /// Its path inside a row, e.g. `metric.value`.
    pub path: &'static str,
    pub label: &'static str,
    pub input: Input,
}

/// One repeated part of the document.
pub struct List {
    pub name: &'static str,
    pub heading: &'static str,
    /// One row, in words: "Partner" (numbered on the page: "Partner 2").
    pub noun: &'static str,
    /// One more of them: "a partner", "an outcome".
    pub another: &'static str,
    pub most: usize,
    /// An object the document has at most one of (`evidence`), rather than a list.
    pub single: bool,
    pub columns: &'static [Column],
}

const fn column(path: &'static str, label: &'static str, input: Input) -> Column {
    Column { path, label, input }
}

pub const LISTS: [List; 8] = [
    List {
        name: "partners",
        heading: "Partners",
        noun: "Partner",
        another: "a partner",
        most: 50,
        single: false,
        columns: &[
            column("organisation", "Organisation", Input::Organisation),
            column("role", "Role", Input::Choice(choices::<PartnerRole>)),
        ],
    },
    List {
        name: "outcomes",
        heading: "Outcomes",
        noun: "Outcome",
        another: "an outcome",
        most: 50,
        single: false,
        columns: &[
            column(
                "category",
                "Kind of outcome",
                Input::Choice(choices::<OutcomeCategory>),
            ),
            column("description", "What changed", Input::Text),
            column("metric.value", "Figure, if measured", Input::Number),
            column(
                "metric.unit",
                "Counting",
                Input::Choice(choices::<MetricUnit>),
            ),
        ],
    },
    List {
        name: "obstacles",
        heading: "Obstacles",
        noun: "Obstacle",
        another: "an obstacle",
        most: 5,
        single: false,
        columns: &[
            column("obstacle", "What stood in the way", Input::Text),
            column("overcome_by", "How it was overcome", Input::Text),
        ],
    },
    List {
        name: "costs",
        heading: "Costs",
        noun: "Cost",
        another: "a cost",
        most: 20,
        single: false,
        columns: &[
            column("kind", "Kind", Input::Choice(choices::<CostKind>)),
            column("amount", "Amount", Input::Number),
            column("unit", "In", Input::Choice(choices::<CostUnit>)),
            column("funder", "Paid by (a partner)", Input::Organisation),
            column("description", "What it paid for", Input::Line),
        ],
    },
    List {
        name: "savings",
        heading: "Savings",
        noun: "Saving",
        another: "a saving",
        most: 20,
        single: false,
        columns: &[
            column("amount", "Amount", Input::Number),
            column("unit", "In", Input::Choice(choices::<Currency>)),
            column(
                "period",
                "How often",
                Input::Choice(choices::<SavingPeriod>),
            ),
            column("cashable", "Cashable", Input::Yes),
            column("description", "What was saved", Input::Line),
        ],
    },
    List {
        name: "indicators",
        heading: "Performance indicators",
        noun: "Indicator",
        another: "an indicator",
        most: 20,
        single: false,
        columns: &[
            column("name", "Indicator", Input::Line),
            column("unit", "Counting", Input::Choice(choices::<MetricUnit>)),
            column("baseline.year", "Baseline year", Input::Year),
            column("baseline.value", "Baseline", Input::Number),
            column("target.year", "Target year", Input::Year),
            column("target.value", "Target", Input::Number),
            column("result.year", "Result year", Input::Year),
            column("result.value", "Result", Input::Number),
            column("source", "Where the figures come from", Input::Line),
        ],
    },
    List {
        name: "quotes",
        heading: "Quotes",
        noun: "Quote",
        another: "a quote",
        most: 10,
        single: false,
        columns: &[
            column("text", "Words", Input::Text),
            column("speaker", "Who said them", Input::Line),
            column("consent", "They agreed to be quoted in public", Input::Yes),
        ],
    },
    List {
        name: "evidence",
        heading: "Evidence",
        noun: "Evidence",
        another: "the evidence",
        most: 1,
        single: true,
        columns: &[
            column(
                "level",
                "Level (Nesta's Standards of Evidence)",
                Input::Level,
            ),
            column("rationale", "Why this level", Input::Text),
            column(
                "evaluation",
                "Evaluated by",
                Input::Choice(choices::<Evaluation>),
            ),
        ],
    },
];

/// A list's rows as typed, each a value per column.
pub struct Rows {
    pub list: &'static List,
    pub rows: Vec<Vec<String>>,
}

impl Rows {
    /// A field's form name: its path in the document.
    pub fn name(&self, row: &usize, path: &str) -> String {
        match self.list.single {
            true => format!("{}.{path}", self.list.name),
            false => format!("{}[{row}].{path}", self.list.name),
        }
    }

    pub fn id(&self, row: &usize, path: &str) -> String {
        field_id(&self.name(row, path))
    }

    pub fn full(&self) -> bool {
        self.rows.len() >= self.list.most
    }

    fn blank(&self) -> Vec<String> {
        vec![String::new(); self.list.columns.len()]
    }
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
    /// In the order of `LISTS`.
    pub lists: Vec<Rows>,
    pub answers: Vec<AnswerRow>,
    pub message: String,
}

impl CaseStudyForm {
    /// A new case study: the editor's own organisation as its lead, and an outcome to fill.
    pub fn blank(own_organisation: &str, license: License) -> Self {
        let lists = LISTS
            .iter()
            .map(|list| {
                let mut rows = Rows {
                    list,
                    rows: Vec::new(),
                };
                match list.name {
                    "partners" => rows.rows.push(vec![
                        own_organisation.to_owned(),
                        PartnerRole::Lead.code().to_owned(),
                    ]),
                    "outcomes" => rows.rows.push(rows.blank()),
                    _ => {}
                }
                rows
            })
            .collect();
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
            lists,
            answers: AssessmentQuestion::ALL
                .iter()
                .map(|question| AnswerRow {
                    question: *question,
                    answer: String::new(),
                    note: String::new(),
                })
                .collect(),
            message: String::new(),
        }
    }

    /// The version being edited, as the form shows it; organisations by their names.
    pub fn of(case_study: &CaseStudy, organisations: &[Organisation]) -> Self {
        let whole = serde_json::to_value(case_study).unwrap_or_default();
        let text = |name: &str| match whole.get(name) {
            Some(Value::String(text)) => text.clone(),
            _ => String::new(),
        };
        let codes = |name: &str| -> Vec<String> {
            match whole.get(name) {
                Some(Value::Array(codes)) => codes
                    .iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let name_of = |reference: &str| {
            organisations
                .iter()
                .find(|o| o.slug == reference || o.id.to_string() == reference)
                .map_or_else(|| reference.to_owned(), |o| o.name.clone())
        };
        let lists = LISTS
            .iter()
            .map(|list| {
                let items: Vec<&Value> = match whole.get(list.name) {
                    Some(Value::Array(items)) => items.iter().collect(),
                    Some(item @ Value::Object(_)) => vec![item],
                    _ => Vec::new(),
                };
                let rows = items
                    .into_iter()
                    .map(|item| {
                        list.columns
                            .iter()
                            .map(|column| {
                                let value =
                                    column.path.split('.').try_fold(item, |at, key| at.get(key));
                                match (value, column.input) {
                                    // Partners are read back as summaries, funders as ids.
                                    (Some(Value::Object(o)), Input::Organisation) => o
                                        .get("name")
                                        .and_then(Value::as_str)
                                        .unwrap_or_default()
                                        .to_owned(),
                                    (Some(Value::String(s)), Input::Organisation) => name_of(s),
                                    (Some(Value::String(s)), _) => s.clone(),
                                    (Some(Value::Bool(true)), _) => "true".to_owned(),
                                    (Some(Value::Number(n)), _) => n.to_string(),
                                    _ => String::new(),
                                }
                            })
                            .collect()
                    })
                    .collect();
                Rows { list, rows }
            })
            .collect();
        let answered = &case_study.self_assessment.answers;
        let year = |name: &str| {
            whole
                .get(name)
                .map(Value::to_string)
                .filter(|y| y != "null")
        };
        Self {
            title: text("title"),
            summary: text("summary"),
            texts: TEXTS
                .iter()
                .map(|(name, label, hint)| (*name, *label, *hint, text(name)))
                .collect(),
            quadrants: codes("quadrants"),
            journey_steps: codes("journey_steps"),
            values: codes("values"),
            scale: text("scale"),
            sector: text("sector"),
            locality: text("locality"),
            country: text("country"),
            start_year: year("start_year").unwrap_or_default(),
            end_year: year("end_year").unwrap_or_default(),
            license: text("license"),
            lists,
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
        }
    }

    /// The form as posted. Rows are read by their numbers, in order.
    pub fn posted(fields: &FormFields) -> Self {
        let lists = LISTS
            .iter()
            .map(|list| {
                let numbers = match list.single {
                    true => match fields.starts(&format!("{}.", list.name)) {
                        true => vec![0],
                        false => Vec::new(),
                    },
                    false => fields.rows(list.name),
                };
                let mut rows = Rows {
                    list,
                    rows: Vec::new(),
                };
                for n in numbers {
                    let row = list
                        .columns
                        .iter()
                        .map(|column| fields.get(&rows.name(&n, column.path)).to_owned())
                        .collect();
                    rows.rows.push(row);
                }
                rows
            })
            .collect();
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
            lists,
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
        }
    }

    /// Adds or removes a row when a form's button asks (`add-costs`, `remove-costs-2`);
    /// whether it did.
    pub fn rearrange(&mut self, action: &str) -> bool {
        for rows in &mut self.lists {
            let name = rows.list.name;
            if action.strip_prefix("add-") == Some(name) {
                if !rows.full() {
                    let blank = rows.blank();
                    rows.rows.push(blank);
                }
                return true;
            }
            let removed = action
                .strip_prefix("remove-")
                .and_then(|rest| rest.strip_prefix(name))
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|n| n.parse::<usize>().ok());
            if let Some(n) = removed {
                if n < rows.rows.len() {
                    rows.rows.remove(n);
                }
                return true;
            }
        }
        false
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
        let mut document = Map::new();
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
        for (name, text) in [
            ("start_year", &self.start_year),
            ("end_year", &self.end_year),
        ] {
            let year = typed(Input::Year, text, name, find, &mut mistakes);
            set(name, year.unwrap_or(Value::Null));
        }
        set("license", optional(&self.license));
        set("message", optional(&self.message));
        // A choice left unmade is said to be missing, not to be an unknown code; a stand-in
        // lets the rest of the form be checked (nothing is saved while a mistake stands).
        for (key, value, stand_in) in [
            ("scale", &self.scale, Scale::ALL[0].code()),
            ("sector", &self.sector, Sector::ALL[0].code()),
            ("country", &self.country, Country::ALL[0].code()),
        ] {
            match value.as_str() {
                "" => {
                    mistakes.push(FieldError::new(key, format!("Choose a {key}")));
                    set(key, Value::from(stand_in));
                }
                value => set(key, Value::from(value)),
            }
        }
        // Empty rows are left out, so the API numbers rows differently: its numbers are
        // mapped back to the form's.
        let mut numbering: HashMap<&str, Vec<usize>> = HashMap::new();
        for rows in &self.lists {
            let list = rows.list;
            let mut items = Vec::new();
            for (n, row) in rows.rows.iter().enumerate() {
                let said = list.columns.iter().zip(row).any(|(column, value)| {
                    column.input.says_something() && !value.trim().is_empty()
                });
                if !said {
                    continue;
                }
                let mut item = Map::new();
                for (column, value) in list.columns.iter().zip(row) {
                    let name = rows.name(&n, column.path);
                    if let Some(value) = typed(column.input, value, &name, find, &mut mistakes) {
                        insert_at(&mut item, column.path, value);
                    }
                }
                items.push(Value::Object(item));
                numbering.entry(list.name).or_default().push(n);
            }
            let value = match list.single {
                true => items.into_iter().next().unwrap_or(Value::Null),
                false => Value::Array(items),
            };
            set(list.name, value);
        }

        // The parser stops at the first value of the wrong shape: each is said and taken out
        // (its row, or its field), and the rest read again, so every mistake is said at once.
        let parsed = loop {
            let input = serde_json::to_vec(&document)
                .map_err(|error| vec![FieldError::new("form", error.to_string())])?;
            match crate::json::parse_json::<CaseStudyInput>(&input) {
                Ok(input) => {
                    break input.parse(default_license).map_err(|errors| {
                        errors
                            .into_iter()
                            .map(|error| renumber(error, &numbering))
                            .collect::<Vec<_>>()
                    });
                }
                Err(ApiError::Validation(errors)) if mistakes.len() < 200 => {
                    let Some(error) = errors.into_iter().next() else {
                        break Err(Vec::new());
                    };
                    let field = error.field.clone();
                    mistakes.push(renumber(error, &numbering));
                    if !take_out(&mut document, &mut numbering, &field) {
                        break Err(Vec::new());
                    }
                }
                Err(other) => break Err(validation(other)),
            }
        };
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

/// A field's text as the API's document has it; `None` when empty, or (with a mistake
/// noted) when it is not what the field takes.
fn typed(
    input: Input,
    text: &str,
    name: &str,
    find: &dyn Fn(&str) -> Option<String>,
    mistakes: &mut Vec<FieldError>,
) -> Option<Value> {
    let text = text.trim();
    if let Input::Yes = input {
        return Some(Value::Bool(text == "true"));
    }
    if text.is_empty() {
        return None;
    }
    let mut wrong = |message: String| {
        mistakes.push(FieldError::new(name, message));
        None
    };
    match input {
        Input::Number => match text.replace([',', '£', '%'], "").parse::<f64>() {
            Ok(number) if number.is_finite() => Some(json!(number)),
            _ => wrong("Enter a number, like 11 or 12.5".into()),
        },
        Input::Year | Input::Level => match text.parse::<i64>() {
            Ok(number) => Some(json!(number)),
            Err(_) if matches!(input, Input::Year) => {
                wrong("Enter a year as four figures, like 2019".into())
            }
            Err(_) => wrong("Choose a level from 1 to 5".into()),
        },
        Input::Organisation => match find(text) {
            Some(slug) => Some(Value::from(slug)),
            None => wrong(format!(
                "No organisation is called “{text}”: choose one from the list"
            )),
        },
        _ => Some(Value::from(text)),
    }
}

/// Sets `a.b` inside an object, making `a` as needed.
fn insert_at(object: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            object.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = object
                .entry(head.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                insert_at(inner, rest, value);
            }
        }
    }
}

/// Takes a value the parser refused out of the document: its whole row in a list (whose
/// numbering then closes up), else the field. Whether there was one to take.
fn take_out(
    document: &mut Map<String, Value>,
    numbering: &mut HashMap<&str, Vec<usize>>,
    field: &str,
) -> bool {
    let top = field.split(['.', '[']).next().unwrap_or(field);
    let row = field
        .strip_prefix(top)
        .and_then(|rest| rest.strip_prefix('['))
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<usize>().ok());
    match (document.get_mut(top), row) {
        (Some(Value::Array(items)), Some(n)) if n < items.len() => {
            items.remove(n);
            if let Some(rows) = numbering.get_mut(top).filter(|rows| n < rows.len()) {
                rows.remove(n);
            }
            true
        }
        _ => document.remove(top).is_some(),
    }
}

/// `costs[0].amount` as the API numbered it, named as the form's row it came from; and a
/// parser's "missing field" said as a person would.
fn renumber(error: FieldError, numbering: &HashMap<&str, Vec<usize>>) -> FieldError {
    let message = match error.message.starts_with("missing field") {
        true => "Fill this in".to_owned(),
        false => error.message,
    };
    let field = error
        .field
        .split_once('[')
        .and_then(|(list, rest)| {
            let (n, rest) = rest.split_once(']')?;
            let row = numbering.get(list)?.get(n.parse::<usize>().ok()?)?;
            Some(format!("{list}[{row}]{rest}"))
        })
        .unwrap_or(error.field);
    FieldError::new(field, message)
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

/// The lists the form's own fields choose from.
pub struct Choices {
    pub quadrants: Vec<(&'static str, &'static str)>,
    pub journey_steps: Vec<(&'static str, &'static str)>,
    pub values: Vec<(&'static str, &'static str)>,
    pub scales: Vec<(&'static str, &'static str)>,
    pub sectors: Vec<(&'static str, &'static str)>,
    pub countries: Vec<(&'static str, &'static str)>,
    /// Organisations' names, for choosing partners and funders.
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
            organisations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_apis_row_numbers_become_the_forms() {
        let numbering = HashMap::from([("costs", vec![1, 3])]);
        let error = FieldError::new("costs[1].unit", "missing field `unit`");
        let renumbered = renumber(error, &numbering);
        assert_eq!(renumbered.field, "costs[3].unit");
        assert_eq!(renumbered.message, "Fill this in");
        let mut item = Map::new();
        insert_at(&mut item, "baseline.year", json!(2015));
        insert_at(&mut item, "baseline.value", json!(2));
        assert_eq!(
            Value::Object(item),
            json!({"baseline": {"year": 2015, "value": 2}})
        );
    }

    #[test]
    fn every_mistake_is_said_at_once_by_its_forms_field() {
        let mut form = CaseStudyForm::blank("Casebook Stewards", License::default());
        form.title = "Kitchens".into();
        form.summary = "Chosen together.".into();
        // The first indicator row is empty; the second lacks its result's year.
        let indicators = form
            .lists
            .iter_mut()
            .find(|rows| rows.list.name == "indicators")
            .unwrap();
        indicators.rows.push(indicators.blank());
        let mut row = indicators.blank();
        let typed = ["Homes", "homes", "", "", "", "", "", "48", "Records"];
        for (value, text) in row.iter_mut().zip(typed) {
            *value = text.to_owned();
        }
        indicators.rows.push(row);
        let found = |name: &str| (name == "Casebook Stewards").then(|| "stewards".to_owned());
        let errors = form.document(License::default(), &found).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in [
            "scale",
            "sector",
            "country",
            "indicators[1].result.year",
            "quadrants",
        ] {
            assert!(fields.contains(&expected), "{expected} in {fields:?}");
        }
    }
}
