//! "Did you mean": the words a misspelt query word may be corrected to. Only words anyone
//! may read are here (those of published titles and places, and organisation names), and a
//! word goes when the last published case study using it is changed or withdrawn, so a
//! correction never reveals a draft.
//!
//! Closeness is trigram similarity, as PostgreSQL's `pg_trgm` measures it: the share of
//! three-letter pieces (of the word padded with two spaces before and one after) the two
//! words have in common.

use std::collections::HashMap;

/// Words shorter than this are not worth correcting to.
const SHORTEST: usize = 4;
/// Below this similarity a word is too far to suggest.
const THRESHOLD: f32 = 0.35;

type Trigram = [char; 3];

#[derive(Debug, Default)]
pub struct Suggestions {
    words: Vec<Known>,
    by_word: HashMap<String, u32>,
    by_trigram: HashMap<Trigram, Vec<u32>>,
}

#[derive(Debug)]
struct Known {
    word: String,
    trigrams: u16,
    /// How many published case studies (or organisations) use it; 0 once none does.
    uses: u32,
}

impl Suggestions {
    /// Counts one more use of each word of `text`.
    pub fn add(&mut self, text: &str) {
        for word in words(text) {
            let id = match self.by_word.get(&word) {
                Some(id) => *id,
                None => self.learn(word),
            };
            self.words[id as usize].uses += 1;
        }
    }

    /// Counts one use fewer of each word of `text`.
    pub fn remove(&mut self, text: &str) {
        for word in words(text) {
            if let Some(id) = self.by_word.get(&word) {
                let known = &mut self.words[*id as usize];
                known.uses = known.uses.saturating_sub(1);
            }
        }
    }

    fn learn(&mut self, word: String) -> u32 {
        let id = self.words.len() as u32;
        let trigrams = trigrams(&word);
        for trigram in &trigrams {
            self.by_trigram.entry(*trigram).or_default().push(id);
        }
        self.words.push(Known {
            trigrams: trigrams.len() as u16,
            word: word.clone(),
            uses: 0,
        });
        self.by_word.insert(word, id);
        id
    }

    /// The closest word in use, if one is close enough; never the word itself.
    pub fn closest(&self, word: &str) -> Option<&str> {
        let word = word.to_lowercase();
        let wanted = trigrams(&word);
        let mut shared: HashMap<u32, u16> = HashMap::new();
        for trigram in &wanted {
            for id in self.by_trigram.get(trigram).into_iter().flatten() {
                *shared.entry(*id).or_default() += 1;
            }
        }
        shared
            .into_iter()
            .map(|(id, shared)| (&self.words[id as usize], shared))
            .filter(|(known, _)| known.uses > 0 && known.word != word)
            .map(|(known, shared)| {
                let union = wanted.len() as f32 + f32::from(known.trigrams) - f32::from(shared);
                (f32::from(shared) / union, known.word.as_str())
            })
            .filter(|(similarity, _)| *similarity >= THRESHOLD)
            // Most similar first; between equals, the first in alphabetical order.
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, word)| word)
    }
}

/// The words worth suggesting in a text: lowercased runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= SHORTEST)
        .map(str::to_lowercase)
}

fn trigrams(word: &str) -> Vec<Trigram> {
    let padded: Vec<char> = "  ".chars().chain(word.chars()).chain([' ']).collect();
    let mut trigrams: Vec<Trigram> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    trigrams.sort_unstable();
    trigrams.dedup();
    trigrams
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelling_is_corrected_to_a_word_in_use() {
        let mut suggestions = Suggestions::default();
        suggestions.add("Rutherford Square Refurbishment Project");
        suggestions.add("Kelso, Scottish Borders");
        assert_eq!(suggestions.closest("Rutherfrd"), Some("rutherford"));
        assert_eq!(suggestions.closest("Kelsoo"), Some("kelso"));
        assert_eq!(
            suggestions.closest("rutherford"),
            None,
            "not the word itself"
        );
        assert_eq!(suggestions.closest("zzzzzz"), None);
    }

    #[test]
    fn a_word_no_longer_in_use_is_never_suggested() {
        let mut suggestions = Suggestions::default();
        suggestions.add("Zephyrine orchard");
        suggestions.add("Zephyrine orchard");
        suggestions.remove("Zephyrine orchard");
        assert_eq!(suggestions.closest("zephyrin"), Some("zephyrine"));
        suggestions.remove("Zephyrine orchard");
        assert_eq!(suggestions.closest("zephyrin"), None);
    }

    #[test]
    fn similarity_is_pg_trgm_s() {
        // pg_trgm: similarity('word', 'words') = 0.5714286 (4 shared of 7).
        let (a, b) = (trigrams("word"), trigrams("words"));
        let shared = a.iter().filter(|t| b.contains(t)).count();
        assert_eq!((shared, a.len() + b.len() - shared), (4, 7));
    }
}
