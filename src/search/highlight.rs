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
    let wanted = Wanted::new(stems);
    let fragments = fields
        .iter()
        .filter_map(|(field, text)| Some((*field, (*text)?)))
        .filter_map(|(field, text)| fragment(text, &wanted).map(|text| Fragment { field, text }))
        .take(MAX_FRAGMENTS)
        .collect();
    Highlight {
        title: mark(&tokens(title).collect::<Vec<_>>(), &wanted),
        fragments,
    }
}

/// A piece of text: a word (letters and digits) or what lies between words.
struct Token<'a> {
    text: &'a str,
    word: bool,
}

/// The text's tokens in order, found as they are asked for: most fields hold no match,
/// and are read only up to their end, never gathered.
fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let word = rest.chars().next()?.is_alphanumeric();
        let (token, after) = rest.split_at(run_end(rest, word));
        rest = after;
        Some(Token { text: token, word })
    })
}

/// Where the run of word characters (or of others, when `word` is false) that starts
/// `text` ends. ASCII, most of any text, is told apart byte by byte without decoding.
fn run_end(text: &str, word: bool) -> usize {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let (is_word, width) = if byte.is_ascii() {
            (byte.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        };
        if is_word != word {
            return at;
        }
        at += width;
    }
    bytes.len()
}

/// The stems a highlight marks.
struct Wanted {
    /// As term hashes.
    hashes: Vec<u32>,
    /// Each stem's `opening`.
    openings: Vec<Opening>,
}

/// A word's first two letters, lowercase, a second `y` read as `i`: what the stemmer keeps of
/// a word (it changes endings, and "dying" to "die"). Fewer for a shorter word. Held in
/// place: it is taken of every word a highlight reads.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Opening {
    letters: [u8; 2],
    len: usize,
}

impl Opening {
    fn starts_with(&self, other: &Opening) -> bool {
        self.letters[..self.len].starts_with(&other.letters[..other.len])
    }
}

fn opening(word: &[u8]) -> Opening {
    let mut letters = [0; 2];
    let len = word.len().min(2);
    for (i, byte) in word[..len].iter().enumerate() {
        letters[i] = match byte.to_ascii_lowercase() {
            b'y' if i == 1 => b'i',
            lower => lower,
        };
    }
    Opening { letters, len }
}

impl Wanted {
    fn new(stems: &[String]) -> Self {
        Self {
            hashes: stems.iter().map(|s| term_hash(s)).collect(),
            openings: stems.iter().map(|s| opening(s.as_bytes())).collect(),
        }
    }

    /// Whether `word` stems to a wanted stem. An ASCII word whose opening no stem shares is
    /// turned away before the costlier lowercasing and stemming: most words of a narrative.
    fn stem_of(&self, word: &str) -> bool {
        let bytes = word.as_bytes();
        if bytes.len() >= 2 && bytes[..2].is_ascii() {
            let word_opening = opening(bytes);
            if !self.openings.iter().any(|o| word_opening.starts_with(o)) {
                return false;
            }
        }
        self.hashes.contains(&stem_hash(&word.to_lowercase()))
    }
}

/// Whether the token is a word whose stem is wanted.
fn matches(token: &Token<'_>, wanted: &Wanted) -> bool {
    token.word && wanted.stem_of(token.text)
}

/// A window of words around the first match, or nothing if the text has none. The text is
/// read once and only as far as the window reaches: a narrative runs to thousands of words.
fn fragment(text: &str, wanted: &Wanted) -> Option<String> {
    // Where each of the last CONTEXT_WORDS words began, by word number modulo the window.
    let mut starts = [0usize; CONTEXT_WORDS];
    let (mut words, mut at) = (0, 0);
    let mut first = None;
    for token in tokens(text) {
        if token.word {
            if wanted.stem_of(token.text) {
                first = Some(words);
                break;
            }
            starts[words % CONTEXT_WORDS] = at;
            words += 1;
        }
        at += token.text.len();
    }
    let first = first?;
    // From the text's very start when the window reaches it.
    let (from, mut word) = match first.checked_sub(CONTEXT_WORDS) {
        Some(start) if start > 0 => (starts[start % CONTEXT_WORDS], start),
        _ => (0, 0),
    };
    // To its very end, unless a word lies beyond the window's last.
    let mut shown = Vec::new();
    let mut last_word_end = 0;
    let mut cut = false;
    for token in tokens(&text[from..]) {
        if token.word {
            if word > first + CONTEXT_WORDS {
                cut = true;
                break;
            }
            word += 1;
        }
        shown.push(token);
        if shown.last().is_some_and(|t| t.word) {
            last_word_end = shown.len();
        }
    }
    if cut {
        shown.truncate(last_word_end);
    }
    let mut snippet = mark(&shown, wanted);
    if from > 0 {
        snippet.insert_str(0, "… ");
    }
    if cut {
        snippet.push_str(" …");
    }
    Some(snippet)
}

fn mark(tokens: &[Token<'_>], wanted: &Wanted) -> String {
    let mut out = String::new();
    for token in tokens {
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

    #[test]
    fn a_window_reaching_the_end_is_not_marked_as_cut() {
        for (after, cut) in [(CONTEXT_WORDS, false), (CONTEXT_WORDS + 1, true)] {
            let text = format!("Galashiels{}.", " tail,".repeat(after));
            let h = highlight("t", &[("summary", Some(&text))], &stems(&["galashiels"]));
            let fragment = &h.fragments[0].text;
            assert_eq!(
                fragment.matches("tail").count(),
                CONTEXT_WORDS,
                "{fragment}"
            );
            assert_eq!(fragment.ends_with("tail …"), cut, "{fragment}");
            assert_eq!(fragment.ends_with("tail,."), !cut, "{fragment}");
        }
    }

    #[test]
    fn words_the_stemmer_treats_as_exceptions_are_still_marked() {
        for word in [
            "skies", "Dying", "lying", "idly", "gently", "ugly", "early", "only", "cry",
        ] {
            let wanted = Wanted::new(&[stem(&word.to_lowercase())]);
            assert!(wanted.stem_of(word), "{word}");
        }
        assert!(!Wanted::new(&stems(&["dying"])).stem_of("lying"));
    }

    proptest::proptest! {
        /// What lets `Wanted` turn words away by their opening.
        #[test]
        fn a_stem_keeps_the_opening_of_its_word(word in "[a-zA-Z]{1,14}") {
            let stem = stem(&word.to_lowercase());
            proptest::prop_assert!(opening(word.as_bytes()).starts_with(&opening(stem.as_bytes())));
            proptest::prop_assert!(Wanted::new(&[stem]).stem_of(&word));
        }
    }
}
