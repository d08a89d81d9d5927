//! Highlighted snippets: the words that matched, marked with `<mark>` in text that is
//! HTML-escaped first, so a case study's own markup can never reach a page as markup.

use serde::Serialize;
use utoipa::ToSchema;

use super::text::{stem_hash, term_hash};
use crate::markup::escape;

/// Words either side of the first match in a snippet.
const CONTEXT_WORDS: usize = 12;
const MAX_FRAGMENTS: usize = 2;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Highlight {
    /// The title, HTML-escaped, with matched words in `<mark>`.
    #[schema(example = "Listening to <mark>Langlee</mark> Community")]
    pub title: String,
    /// Up to two passages where the query matched, escaped and marked the same way.
    pub fragments: Vec<Fragment>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Fragment {
    /// Which field the passage is from: summary, you_asked, we_said, we_did, what_worked, could_improve.
    #[schema(example = "we_did")]
    pub field: &'static str,
    #[schema(example = "… volunteers from <mark>Langlee</mark> spoke with over 130 people …")]
    pub text: String,
}

pub fn highlight(
    title: &str,
    fields: &[(&'static str, Option<&str>)],
    stems: &[String],
) -> Highlight {
    let wanted: Vec<u32> = stems.iter().map(|s| term_hash(s)).collect();
    let fragments = fields
        .iter()
        .filter_map(|(field, text)| Some((*field, (*text)?)))
        .filter_map(|(field, text)| fragment(text, &wanted).map(|text| Fragment { field, text }))
        .take(MAX_FRAGMENTS)
        .collect();
    Highlight {
        title: mark(&tokens(title), &wanted, 0, usize::MAX),
        fragments,
    }
}

/// A piece of text: a word (letters and digits) or what lies between words.
struct Token<'a> {
    text: &'a str,
    word: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric();
        if in_word != Some(word) {
            if let Some(was_word) = in_word {
                tokens.push(Token {
                    text: &text[start..i],
                    word: was_word,
                });
            }
            start = i;
            in_word = Some(word);
        }
    }
    if let Some(word) = in_word {
        tokens.push(Token {
            text: &text[start..],
            word,
        });
    }
    tokens
}

/// Whether the token is a word whose stem is `wanted` (as term hashes).
fn matches(token: &Token<'_>, wanted: &[u32]) -> bool {
    token.word && wanted.contains(&stem_hash(&token.text.to_lowercase()))
}

/// A window of words around the first match, or nothing if the text has none.
fn fragment(text: &str, wanted: &[u32]) -> Option<String> {
    let tokens = tokens(text);
    let first = tokens.iter().position(|t| matches(t, wanted))?;
    let word_positions: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.word)
        .map(|(i, _)| i)
        .collect();
    let nth = word_positions.iter().position(|&i| i == first).unwrap_or(0);
    // From the text's very start, or to its very end, when the window reaches them.
    let from = match nth.checked_sub(CONTEXT_WORDS) {
        Some(start) if start > 0 => word_positions[start],
        _ => 0,
    };
    let to = match word_positions.get(nth + CONTEXT_WORDS) {
        Some(&end) if nth + CONTEXT_WORDS + 1 < word_positions.len() => end,
        _ => tokens.len() - 1,
    };
    let mut snippet = mark(&tokens, wanted, from, to);
    if from > 0 {
        snippet.insert_str(0, "… ");
    }
    if to + 1 < tokens.len() {
        snippet.push_str(" …");
    }
    Some(snippet)
}

fn mark(tokens: &[Token<'_>], wanted: &[u32], from: usize, to: usize) -> String {
    let mut out = String::new();
    for token in tokens
        .iter()
        .skip(from)
        .take(to.saturating_sub(from).saturating_add(1))
    {
        let escaped = escape(token.text);
        if matches(token, wanted) {
            out.push_str("<mark>");
            out.push_str(&escaped);
            out.push_str("</mark>");
        } else {
            out.push_str(&escaped);
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::text::stem;

    fn stems(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| stem(w)).collect()
    }

    #[test]
    fn matched_words_are_marked_in_escaped_text() {
        let h = highlight(
            "<script>alert('x')</script> Volunteers of Langlee",
            &[
                ("summary", Some("Nothing here.")),
                ("we_did", Some("We trained volunteering champions & more.")),
            ],
            &stems(&["volunteering", "script"]),
        );
        assert_eq!(
            h.title,
            "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; <mark>Volunteers</mark> of Langlee"
        );
        assert_eq!(h.fragments.len(), 1);
        assert_eq!(h.fragments[0].field, "we_did");
        assert_eq!(
            h.fragments[0].text,
            "We trained <mark>volunteering</mark> champions &amp; more."
        );
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{} Galashiels {}", "word ".repeat(40), "tail ".repeat(40));
        let h = highlight("t", &[("summary", Some(&text))], &stems(&["galashiels"]));
        let fragment = &h.fragments[0].text;
        assert!(
            fragment.starts_with("… word") && fragment.ends_with("tail …"),
            "{fragment}"
        );
        assert_eq!(fragment.matches("word").count(), CONTEXT_WORDS);
    }
}
