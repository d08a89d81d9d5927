//! Free-text queries in web-search syntax, and the word stems the service compares with
//! PostgreSQL's English configuration (the same Snowball stemmer) for ranking and highlighting.
//!
//! Syntax: words (any may match; more of them rank higher), `"quoted phrases"`
//! (must appear as written), `-word` or `-"phrase"` (must not appear), and `or` between two
//! terms (either will do).

use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const MAX_QUERY_LENGTH: usize = 500;
/// More terms than this say nothing more, and each costs an index lookup.
pub const MAX_TERMS: usize = 12;

/// One part of a free-text query: a word, or a phrase that must appear as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    pub text: String,
    pub phrase: bool,
}

/// A parsed query: clauses that should all match, and atoms that must not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextQuery {
    /// Each clause is satisfied by any one of its atoms (`a or b`).
    pub clauses: Vec<Vec<Atom>>,
    pub excluded: Vec<Atom>,
}

impl TextQuery {
    pub fn parse(text: &str) -> Self {
        let mut query = TextQuery::default();
        let mut pending_or = false;
        for token in tokenize(text) {
            match token {
                Token::Or => pending_or = !query.clauses.is_empty(),
                Token::Term {
                    atom,
                    negated: true,
                } => {
                    query.excluded.push(atom);
                    pending_or = false;
                }
                Token::Term {
                    atom,
                    negated: false,
                } => {
                    match query.clauses.last_mut() {
                        Some(clause) if pending_or => clause.push(atom),
                        _ => query.clauses.push(vec![atom]),
                    }
                    pending_or = false;
                }
            }
        }
        query.clauses.truncate(MAX_TERMS);
        query.excluded.truncate(MAX_TERMS);
        query
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The stems worth highlighting: those of every wanted atom.
    pub fn stems(&self) -> Vec<String> {
        let mut stems: Vec<String> = self
            .clauses
            .iter()
            .flatten()
            .flat_map(|a| stems(&a.text))
            .collect();
        stems.sort();
        stems.dedup();
        stems
    }

    /// The query written back, for "did you mean".
    pub fn to_text(&self) -> String {
        let write = |atom: &Atom| {
            // A quoted `"or"` is a word; written bare it would read as the operator.
            if atom.phrase || atom.text == "or" {
                format!("\"{}\"", atom.text)
            } else {
                atom.text.clone()
            }
        };
        let mut parts: Vec<String> = self
            .clauses
            .iter()
            .map(|clause| clause.iter().map(write).collect::<Vec<_>>().join(" or "))
            .collect();
        parts.extend(self.excluded.iter().map(|atom| format!("-{}", write(atom))));
        parts.join(" ")
    }
}

/// A question as written, without what it excludes (`-word`, `-"a phrase"`) or quotes:
/// what its meaning is taken from. Its wording stays whole, as a natural question's should.
pub fn wanted_text(text: &str) -> String {
    let mut wanted = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        if c == '-' && at_start {
            if chars.peek() == Some(&'"') {
                chars.next();
                for skipped in chars.by_ref() {
                    if skipped == '"' {
                        break;
                    }
                }
            } else {
                while chars.peek().is_some_and(|next| !next.is_whitespace()) {
                    chars.next();
                }
            }
            continue;
        }
        at_start = c.is_whitespace();
        if c != '"' {
            wanted.push(c);
        }
    }
    wanted.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug)]
enum Token {
    Term { atom: Atom, negated: bool },
    Or,
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        let (raw, phrase) = if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            (phrase, true)
        } else {
            let word: String =
                std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect();
            (word, false)
        };
        if !phrase && !negated && raw.eq_ignore_ascii_case("or") {
            tokens.push(Token::Or);
            continue;
        }
        let text = words(&raw).join(" ");
        if !text.is_empty() {
            let phrase = phrase && text.contains(' ');
            tokens.push(Token::Term {
                atom: Atom { text, phrase },
                negated,
            });
        }
    }
    tokens
}

/// The words of a text: runs of letters and digits, lowercased. Hyphenated words come apart
/// ("co-design" is "co" and "design"), as PostgreSQL also indexes their parts.
pub fn words(text: &str) -> Vec<String> {
    raw_words(text)
        .map(|word| {
            let mut lower = String::with_capacity(word.len());
            lowercase(word, &mut lower);
            lower
        })
        .collect()
}

/// Appends a word lowercased, as words are compared: without the combining marks the
/// lowercase of a few capitals brings (`İ` is `i` and a dot above), so a word stays letters
/// and digits.
fn lowercase(word: &str, into: &mut String) {
    if word.is_ascii() {
        let start = into.len();
        into.push_str(word);
        into[start..].make_ascii_lowercase();
    } else {
        into.extend(word.to_lowercase().chars().filter(|c| c.is_alphanumeric()));
    }
}

fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// How many words `words` finds in a text, without making them.
pub fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return raw_words(text).count();
    }
    // Most texts are ASCII: count the starts of runs of letters and digits, byte by byte.
    let mut count = 0;
    let mut in_word = false;
    for byte in text.bytes() {
        let alphanumeric = byte.is_ascii_alphanumeric();
        count += usize::from(alphanumeric && !in_word);
        in_word = alphanumeric;
    }
    count
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

pub fn stem(word: &str) -> String {
    stemmer().stem(word).into_owned()
}

pub fn stems(text: &str) -> Vec<String> {
    words(text).iter().map(|w| stem(w)).collect()
}

/// A stem as a small number, for compact per-document term sets.
pub fn term_hash(stem: &str) -> u32 {
    stem.bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

/// The term hash of a lowercase word's stem. Stemming is most of the work of building the
/// index and of highlighting, and texts repeat their words, so each thread remembers the
/// words it stemmed (up to a bound, as texts can hold any words at all).
pub fn stem_hash(word: &str) -> u32 {
    const MOST_REMEMBERED: usize = 200_000;
    thread_local! {
        static STEMMED: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
    }
    STEMMED.with_borrow_mut(|stemmed| {
        if let Some(hash) = stemmed.get(word) {
            return *hash;
        }
        if stemmed.len() >= MOST_REMEMBERED {
            stemmed.clear();
        }
        let hash = term_hash(&stem(word));
        stemmed.insert(word.to_owned(), hash);
        hash
    })
}

/// The sorted, distinct term hashes of a text.
pub fn term_set(text: &str) -> Vec<u32> {
    // One buffer for every lowercased word: building the index does this for every title
    // and summary, and allocating each word was most of its time.
    let mut lower = String::new();
    let mut terms: Vec<u32> = raw_words(text)
        .map(|word| {
            lower.clear();
            lowercase(word, &mut lower);
            stem_hash(&lower)
        })
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(text: &str, phrase: bool) -> Atom {
        Atom {
            text: text.into(),
            phrase,
        }
    }

    #[test]
    fn web_search_syntax() {
        let query = TextQuery::parse(
            r#"young "community youth voice" -alcohol housing OR homes -"care home""#,
        );
        assert_eq!(
            query.clauses,
            vec![
                vec![atom("young", false)],
                vec![atom("community youth voice", true)],
                vec![atom("housing", false), atom("homes", false)],
            ]
        );
        assert_eq!(
            query.excluded,
            vec![atom("alcohol", false), atom("care home", true)]
        );
        assert_eq!(
            query.to_text(),
            r#"young "community youth voice" housing or homes -alcohol -"care home""#
        );
    }

    /// Every atom, clauses first then exclusions.
    fn atoms(query: &TextQuery) -> Vec<Atom> {
        query
            .clauses
            .iter()
            .flatten()
            .chain(&query.excluded)
            .cloned()
            .collect()
    }

    #[test]
    fn operators_and_punctuation_are_only_words() {
        let query = TextQuery::parse("care' & !| <-> (x):* OR or");
        let texts: Vec<String> = atoms(&query).into_iter().map(|a| a.text).collect();
        assert_eq!(texts, ["care", "x"]);
        assert!(TextQuery::parse("  \"\" - or ").is_empty());
        let quoted_or = TextQuery::parse(r#""or" homes"#);
        assert_eq!(TextQuery::parse(&quoted_or.to_text()), quoted_or);
    }

    #[test]
    fn the_wanted_text_leaves_out_exclusions_and_quotes() {
        assert_eq!(
            wanted_text(r#"young "people of Langlee" -alcohol -"care home" well-being?"#),
            "young people of Langlee well-being?"
        );
    }

    #[test]
    fn stems_agree_with_postgresql_english() {
        assert_eq!(stem("volunteering"), stem("volunteers"));
        assert_eq!(
            stems("Co-designed communities"),
            ["co", "design", "communiti"]
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Whatever is typed, the atoms are bounded in number and hold only lowercase
            /// words separated by single spaces: nothing that could be read as syntax.
            #[test]
            fn any_text_parses_to_plain_words(
                text in prop_oneof![
                    any::<String>(),
                    r#"([a-zA-Z']{1,8}|"|-|OR|or| |&|\||!|:\*|<->|\(|\)){0,40}"#,
                ],
            ) {
                let query = TextQuery::parse(&text);
                prop_assert!(query.clauses.len() <= MAX_TERMS);
                prop_assert!(query.excluded.len() <= MAX_TERMS);
                prop_assert!(query.clauses.iter().all(|clause| !clause.is_empty()));
                for atom in atoms(&query) {
                    prop_assert!(!atom.text.is_empty());
                    prop_assert!(atom.text.split(' ').all(|word| {
                        !word.is_empty() && word.chars().all(char::is_alphanumeric)
                    }), "{atom:?}");
                }
                query.stems();
                TextQuery::parse(&query.to_text());
            }

            /// Counting words and listing them agree, for ASCII and any other text alike,
            /// as do the term sets made with and without lowercasing word by word.
            #[test]
            fn words_are_counted_as_they_are_listed(
                text in prop_oneof![any::<String>(), "[a-zA-Z0-9 ,.'-]{0,80}"],
            ) {
                let listed = words(&text);
                prop_assert_eq!(word_count(&text), listed.len());
                let mut hashes: Vec<u32> = listed.iter().map(|word| stem_hash(word)).collect();
                hashes.sort_unstable();
                hashes.dedup();
                prop_assert_eq!(term_set(&text), hashes);
            }

            /// Writing a query back and reading it again keeps what it asks for.
            #[test]
            fn written_back_queries_read_the_same(
                text in r#"(-?("[a-z]{1,6}( [a-z]{1,6}){0,2}"|[a-z]{1,8})( or)? ){0,8}"#,
            ) {
                let query = TextQuery::parse(&text);
                prop_assert_eq!(TextQuery::parse(&query.to_text()), query);
            }
        }
    }
}
