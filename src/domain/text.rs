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

    /// Text that may be absent; blank counts as absent. The text as sent is what must be
    /// printable and short enough (as the document's patterns and lengths say); what is
    /// kept is trimmed.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let value = value?;
        if let Some(message) = unprintable(value) {
            self.add(field, message);
            return None;
        }
        let length = value.chars().count();
        if length > max {
            self.add(
                field,
                format!("must be at most {max} characters (it has {length})"),
            );
            return None;
        }
        Some(value.trim().to_owned()).filter(|text| !text.is_empty())
    }

    /// A single line: like `required`, and without line breaks.
    pub fn required_line(&mut self, field: &str, value: &str, max: usize) -> String {
        let text = self.required(field, value, max);
        if text.contains(['\n', '\r']) {
            self.add(field, "must be a single line");
        }
        text
    }

    /// An http:// or https:// address a browser can follow as written, or nothing.
    pub fn web_address(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let address = self.optional(field, value, max)?;
        let valid = ["https://", "http://"].iter().any(|scheme| {
            address
                .strip_prefix(scheme)
                .is_some_and(|rest| !rest.is_empty())
        }) && !address
            .contains(|c: char| c.is_whitespace() || NOT_IN_ADDRESSES.contains(c));
        if valid {
            Some(address)
        } else {
            self.add(field, "must be an http:// or https:// address");
            None
        }
    }

    /// A slug a client chose: exactly as the pattern says, nothing trimmed or assumed.
    pub fn slug(&mut self, field: &str, value: Option<&str>) -> Option<String> {
        let slug = value?;
        if is_slug(slug) {
            Some(slug.to_owned())
        } else {
            self.add(
                field,
                format!(
                    "must be lowercase letters and digits joined by single hyphens, \
                     at most {SLUG_MAX} characters"
                ),
            );
            None
        }
    }

    /// The fields found wanting so far.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|e| e.field.as_str())
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

// The rules above as the OpenAPI document states them (JSON Schema patterns, read the same
// by ECMAScript, Python and Rust regular expressions), so that clients validating against
// the document refuse exactly what the service refuses.

/// Control characters other than tab, line feed and carriage return.
macro_rules! controls {
    () => {
        r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F"
    };
}

/// What trimming removes: Unicode white space that is not a control character.
macro_rules! spaces {
    () => {
        r"\t\n\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
    };
}

/// Characters a web address carries only percent-encoded (RFC 3986).
const NOT_IN_ADDRESSES: &str = "<>\"[]\\^`{|}";

/// Text that may be blank (then it counts as absent).
pub const PROSE_PATTERN: &str = concat!("^[^", controls!(), "]*$");
/// Text with at least one character that is not white space.
pub const REQUIRED_PROSE_PATTERN: &str = concat!(
    "^[^",
    controls!(),
    "]*[^",
    controls!(),
    spaces!(),
    "][^",
    controls!(),
    "]*$"
);
/// Required text on one line: no line break once the white space around it is trimmed.
pub const LINE_PATTERN: &str = concat!(
    "^[",
    spaces!(),
    "]*[^",
    controls!(),
    spaces!(),
    "]([^",
    controls!(),
    r"\n\r",
    "]*[^",
    controls!(),
    spaces!(),
    "])?[",
    spaces!(),
    "]*$"
);
/// Blank, or an http:// or https:// address without white space inside, or any character
/// an address must percent-encode.
pub const WEB_ADDRESS_PATTERN: &str = concat!(
    "^[",
    spaces!(),
    "]*(https?://[^",
    controls!(),
    spaces!(),
    r#"<>"\[\]\\^`{|}"#,
    "]+[",
    spaces!(),
    "]*)?$"
);

/// An email address: something, `@`, a domain with a dot; no white space inside.
pub const EMAIL_PATTERN: &str = concat!(
    "^[",
    spaces!(),
    "]*[^",
    controls!(),
    spaces!(),
    "@]+@[^",
    controls!(),
    spaces!(),
    r"@]*\.[^",
    controls!(),
    spaces!(),
    "@]*[",
    spaces!(),
    "]*$"
);

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
        // Bounded as sent, as the document's `maxLength` is.
        problems.optional("we_asked", Some("  abc  "), 5);
        problems.slug("slug", Some(""));
        problems.slug("slug", Some(" kelso"));
        assert_eq!(
            problems.slug("slug", Some("kelso")).as_deref(),
            Some("kelso")
        );
        let errors = problems.finish(()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["summary", "locality", "we_did", "we_asked", "slug", "slug"]
        );
    }

    mod patterns {
        use super::*;
        use proptest::prelude::*;
        use regex::Regex;

        fn matches(pattern: &str, text: &str) -> bool {
            Regex::new(pattern).unwrap().is_match(text)
        }

        /// Mostly the characters the rules are about, and now and then anything at all.
        fn texts() -> impl Strategy<Value = String> {
            prop_oneof![
                "[ a\\t\\n\\r\\x00\\x01\\x0b\\x1c\\x7f\\u{85}\\u{a0}\\u{2028}\\u{3000}é]{0,6}",
                "[ \\n]{0,2}(https?://)?[a:/ \\n\\x0c\\[|]{0,5}",
                "[ \\n]{0,2}[a@.\\x85 ]{0,6}",
                any::<String>(),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn the_patterns_accept_exactly_what_the_rules_accept(text in texts()) {
                let mut problems = Problems::default();
                problems.optional("f", Some(&text), usize::MAX);
                prop_assert_eq!(matches(PROSE_PATTERN, &text), problems.finish(()).is_ok());

                let mut problems = Problems::default();
                problems.required("f", &text, usize::MAX);
                prop_assert_eq!(matches(REQUIRED_PROSE_PATTERN, &text), problems.finish(()).is_ok());

                let mut problems = Problems::default();
                problems.required_line("f", &text, usize::MAX);
                prop_assert_eq!(matches(LINE_PATTERN, &text), problems.finish(()).is_ok());

                let mut problems = Problems::default();
                problems.web_address("f", Some(&text), usize::MAX);
                prop_assert_eq!(matches(WEB_ADDRESS_PATTERN, &text), problems.finish(()).is_ok());

                let mut problems = Problems::default();
                crate::domain::user::parse_email(&mut problems, "f", &text);
                prop_assert_eq!(matches(EMAIL_PATTERN, &text), problems.finish(()).is_ok());
            }
        }
    }
}
