//! Turning what a client typed into text worth storing: trimmed, bounded, printable.

use crate::error::FieldError;

/// Collects every problem in a document, so a client hears about all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Text that must be present: trimmed, at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        match self.optional(field, Some(value), max) {
            Some(text) => text,
            None => {
                if !self.0.iter().any(|e| e.field == field) {
                    self.add(field, "must not be empty");
                }
                String::new()
            }
        }
    }

    /// Text that may be absent; blank counts as absent.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let text = value.map(str::trim).filter(|t| !t.is_empty())?;
        if let Some(message) = unprintable(text) {
            self.add(field, message);
            return None;
        }
        let length = text.chars().count();
        if length > max {
            self.add(
                field,
                format!("must be at most {max} characters (it has {length})"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    /// A single line: like `required`, and without line breaks.
    pub fn required_line(&mut self, field: &str, value: &str, max: usize) -> String {
        let text = self.required(field, value, max);
        if text.contains(['\n', '\r']) {
            self.add(field, "must be a single line");
        }
        text
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// PostgreSQL cannot store NUL, and other control characters are never meant as text.
fn unprintable(text: &str) -> Option<&'static str> {
    if text.contains('\0') {
        Some("must not contain NUL characters")
    } else if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Some("must not contain control characters")
    } else {
        None
    }
}

/// A URL-safe identifier: lowercase ASCII letters and digits joined by single hyphens.
pub fn slugify(text: &str, max: usize) -> String {
    let mut slug = String::with_capacity(text.len().min(max));
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= max {
            break;
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ŵ' => 'w',
        other => other,
    }
}

pub const SLUG_MAX: usize = 100;

pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= SLUG_MAX
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_hyphenated_ascii() {
        assert_eq!(
            slugify("Rutherford Square Refurbishment Project", 100),
            "rutherford-square-refurbishment-project"
        );
        assert_eq!(
            slugify("  Mr B: one-to-one — care & support!  ", 100),
            "mr-b-one-to-one-care-support"
        );
        assert_eq!(slugify("Café Ŵales", 100), "cafe-wales");
        assert_eq!(slugify("abc def ghi", 5), "abc-d");
        assert_eq!(slugify("***", 100), "");
    }

    #[test]
    fn slug_format() {
        assert!(is_slug("burnfoot-community-hub"));
        assert!(!is_slug("Burnfoot"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug("../etc/passwd"));
    }

    #[test]
    fn text_is_trimmed_bounded_and_printable() {
        let mut problems = Problems::default();
        assert_eq!(problems.required("title", "  Kelso  ", 10), "Kelso");
        assert_eq!(problems.optional("we_said", Some("   "), 10), None);
        problems.required("summary", "", 10);
        problems.optional("locality", Some("x\0y"), 10);
        problems.optional("we_did", Some("much too long"), 5);
        let errors = problems.finish(()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["summary", "locality", "we_did"]);
    }
}
