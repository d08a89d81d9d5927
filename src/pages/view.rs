//! What the templates are given: addresses built from the filters in force, and facts
//! put into words.

use crate::domain::case_study::Metric;
use crate::domain::vocabulary::{MetricUnit, Vocabulary};

/// The filters of a search page as its address carries them, one value a pair (a value
/// sent comma-separated is split, as the API reads it), for building the addresses of
/// the same search changed by one filter.
#[derive(Clone, Default)]
pub struct Filters(Vec<(String, String)>);

/// Parameters that say where in the results a page is, not what is searched for.
const PLACE: [&str; 3] = ["cursor", "trail", "limit"];

impl Filters {
    pub fn of(query: &str) -> Self {
        let pairs = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .filter(|(key, _)| !PLACE.contains(&key.as_str()))
            .flat_map(|(key, value)| {
                let values: Vec<String> = if key == "q" {
                    vec![value]
                } else {
                    value.split(',').map(str::to_owned).collect()
                };
                values.into_iter().map(move |value| (key.clone(), value))
            })
            .filter(|(_, value)| !value.trim().is_empty())
            .collect();
        Self(pairs)
    }

    pub fn has(&self, key: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == key && v == value)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// With the value added, or taken away if it is there.
    pub fn toggled(&self, key: &str, value: &str) -> Self {
        let mut next = self.without(key, value);
        if !self.has(key, value) {
            next.0.push((key.to_owned(), value.to_owned()));
        }
        next
    }

    pub fn without(&self, key: &str, value: &str) -> Self {
        Self(
            self.0
                .iter()
                .filter(|(k, v)| !(k == key && v == value))
                .cloned()
                .collect(),
        )
    }

    /// With `key` set to this one value alone.
    pub fn set(&self, key: &str, value: &str) -> Self {
        let mut next = self.cleared(key);
        next.0.push((key.to_owned(), value.to_owned()));
        next
    }

    pub fn cleared(&self, key: &str) -> Self {
        Self(self.0.iter().filter(|(k, _)| k != key).cloned().collect())
    }

    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.0.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The address of `path` with these filters.
    pub fn at(&self, path: &str) -> String {
        if self.0.is_empty() {
            return path.to_owned();
        }
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter())
            .finish();
        format!("{path}?{query}")
    }
}

/// A posted form's fields. Read by hand so that a form missing a field is answered with the
/// field's message, never a bare 400.
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The field's value; empty when it was not sent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    /// Every value of a field sent several times (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    /// Whether any field's name starts so.
    pub fn starts(&self, prefix: &str) -> bool {
        self.0.iter().any(|(key, _)| key.starts_with(prefix))
    }

    /// The numbers of the rows `prefix[n].…` sent, in order.
    pub fn rows(&self, prefix: &str) -> Vec<usize> {
        let mut numbers: Vec<usize> = self
            .0
            .iter()
            .filter_map(|(key, _)| {
                key.strip_prefix(prefix)?
                    .strip_prefix('[')?
                    .split(']')
                    .next()?
                    .parse()
                    .ok()
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        // A form has a few rows; numbers beyond any form's are not rows of ours.
        numbers.retain(|n| *n < 200);
        numbers
    }
}

/// A vocabulary member's label, found by its code.
pub fn label_of<V: Vocabulary>(code: &str) -> Option<&'static str> {
    V::parse(code).ok().map(Vocabulary::label)
}

/// "11 homes", "£23,000", "40%".
pub fn figure(metric: &Metric) -> String {
    let number = if metric.value.fract() == 0.0 && metric.value.abs() < 1e15 {
        grouped(metric.value as i64)
    } else {
        format!("{}", metric.value)
    };
    match metric.unit {
        MetricUnit::Gbp => format!("£{number}"),
        MetricUnit::Percent => format!("{number}%"),
        MetricUnit::Other => number,
        unit => format!("{number} {}", unit.label().to_lowercase()),
    }
}

fn grouped(number: i64) -> String {
    let digits = number.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if number < 0 {
        out.insert(0, '-');
    }
    out
}

/// "2019 to 2021", "since 2019", or nothing.
pub fn years(start: Option<i16>, end: Option<i16>) -> Option<String> {
    match (start, end) {
        (Some(start), Some(end)) if start == end => Some(start.to_string()),
        (Some(start), Some(end)) => Some(format!("{start} to {end}")),
        (Some(start), None) => Some(format!("since {start}")),
        (None, Some(end)) => Some(format!("until {end}")),
        (None, None) => None,
    }
}

/// JSON for a `<script type="application/ld+json">` block: nothing in it can close the
/// element or open a comment.
pub fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_toggle_and_keep_the_rest() {
        let filters = Filters::of("q=young+people&quadrant=co-design,co-delivery&cursor=x&trail=-");
        assert_eq!(
            filters.toggled("quadrant", "co-design").at("/case-studies"),
            "/case-studies?q=young+people&quadrant=co-delivery"
        );
        assert_eq!(
            filters.toggled("sector", "housing").at("/s"),
            "/s?q=young+people&quadrant=co-design&quadrant=co-delivery&sector=housing"
        );
        assert_eq!(Filters::of("q=").at("/s"), "/s");
    }

    #[test]
    fn figures_read_as_people_write_them() {
        let metric = |value, unit| Metric { value, unit };
        assert_eq!(figure(&metric(23000.0, MetricUnit::Gbp)), "£23,000");
        assert_eq!(figure(&metric(11.0, MetricUnit::Homes)), "11 homes");
        assert_eq!(figure(&metric(12.5, MetricUnit::Percent)), "12.5%");
        assert_eq!(
            script_safe(r#"{"a":"</script>"}"#),
            r#"{"a":"\u003c/script\u003e"}"#
        );
    }
}
