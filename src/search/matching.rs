//! The words of a search, matched in the full-text index and scored by BM25F: for each
//! clause, a document's occurrences in every field are weighted by the field and
//! normalised by the field's length, then saturated, so many mentions in a long narrative
//! count for less than a few in a short title or summary. A word found nowhere the asker
//! may see is corrected to the closest word in use when there is one.
//!
//! Every statistic (how many documents, how rare a word, how long a field on average) is
//! taken over what the asker may see, so no score says anything about a draft.

use std::cell::RefCell;

use super::evaluate::{self, EXCLUDED, SEMANTIC, SearchMode, TextMatches};
use super::fulltext::{FullText, TextField, View};
use super::index::{Audience, Index};
use super::live::SearchIndex;
use super::meaning::Question;
use super::request::SearchRequest;
use super::text::{Atom, TextQuery};
use crate::domain::user::Principal;

/// Saturation: how quickly more occurrences stop adding to a word's weight.
const K1: f32 = 1.2;

/// How much a field counts, and how much its length normalises (0 none, 1 fully).
fn weighting(field: TextField) -> (f32, f32) {
    match field {
        TextField::Title => (3.0, 0.4),
        TextField::Summary => (1.5, 0.6),
        TextField::Context => (1.0, 0.3),
        TextField::Body => (1.0, 0.8),
    }
}

/// A document that matches every clause keeps its whole score; one that misses some keeps
/// this share of it at least, growing with the share of clauses it matches. A short,
/// on-topic case study missing a word of a long question can still come first.
const PARTIAL_FLOOR: f32 = 0.7;
/// How close in meaning (cosine similarity) a case study must be to the question to be
/// found by meaning alone.
const SIMILAR_ENOUGH: f32 = 0.35;
/// What closeness in meaning adds to the words' score (scaled to the best match, 1) in
/// hybrid search.
const MEANING_WEIGHT: f32 = 1.0;

/// The words part of a search, matched and scored.
pub(super) struct PreparedText {
    /// Per document, a bit per clause it satisfies (and `SEMANTIC`, `EXCLUDED`).
    masks: Vec<u16>,
    /// Per document, its relevance.
    scores: Vec<f32>,
    required: u16,
    /// The query's stems, for highlighting.
    pub(super) stems: Vec<String>,
    /// The query as corrected, when a misspelt word was replaced.
    pub(super) suggestion: Option<String>,
}

impl PreparedText {
    pub(super) fn matches(&self) -> TextMatches<'_> {
        TextMatches {
            masks: &self.masks,
            scores: &self.scores,
            required: self.required,
        }
    }

    /// Adds closeness in meaning to the words' scores (hybrid), or ranks by it alone
    /// (semantic). `similarities` are by document number, 0 where not visible.
    fn meaning(&mut self, mode: SearchMode, similarities: &[f32], visible: &[bool]) {
        // The best score among what the asker may see: a draft's words must not move it.
        let best = self
            .scores
            .iter()
            .zip(visible)
            .filter(|(_, visible)| **visible)
            .map(|(score, _)| *score)
            .fold(0f32, f32::max)
            .max(f32::EPSILON);
        for (doc, similarity) in similarities.iter().enumerate() {
            let close = *similarity >= SIMILAR_ENOUGH;
            let mask = &mut self.masks[doc];
            let score = &mut self.scores[doc];
            match mode {
                SearchMode::Semantic => {
                    // Only the phrases asked for (and exclusions) still hold.
                    *mask &= self.required | EXCLUDED;
                    *score = *similarity;
                }
                SearchMode::Hybrid => *score = *score / best + MEANING_WEIGHT * similarity,
                SearchMode::Lexical => {}
            }
            if close {
                *mask |= SEMANTIC;
            }
        }
    }
}

/// A weight per document, zero for most: held by document number, with the documents that
/// have one listed, so that the work of a word is in proportion to where it occurs rather
/// than to the size of the collection.
struct Weights {
    by_doc: Vec<f32>,
    /// Where `by_doc` is above zero, each once, in the first `count` places; the rest is
    /// room, so that a document is listed without asking whether it already is.
    listed: Vec<i32>,
    count: usize,
}

thread_local! {
    /// The vectors of `Weights` given back on this thread, `by_doc` all zero. A search takes
    /// one or two a word; zeroing a new one each time cost more than reading a rare word's
    /// postings, and at a million case studies it is 4 MB a word.
    static SPARE: RefCell<Vec<(Vec<f32>, Vec<i32>)>> = const { RefCell::new(Vec::new()) };
}

/// How many spare vectors a thread keeps.
const SPARE_KEPT: usize = 8;

impl Weights {
    fn new(documents: usize) -> Self {
        let (mut by_doc, mut listed) = SPARE.with_borrow_mut(Vec::pop).unwrap_or_default();
        by_doc.resize(documents, 0.0);
        listed.resize(documents + 1, 0);
        Self {
            by_doc,
            listed,
            count: 0,
        }
    }

    /// The documents with a weight.
    fn docs(&self) -> &[i32] {
        &self.listed[..self.count]
    }

    fn add(&mut self, doc: i32, weight: f32) {
        if let Some(slot) = self.by_doc.get_mut(doc as usize)
            && weight > 0.0
        {
            // Whether the document is listed yet follows no pattern the processor could
            // predict (a word's fields each add to it): write it in the room after the list,
            // and count it only if it was not.
            if let Some(room) = self.listed.get_mut(self.count) {
                *room = doc;
            }
            self.count += usize::from(*slot == 0.0);
            *slot += weight;
        }
    }

    /// Keeps the larger of the document's weight and `weight`.
    fn raise(&mut self, doc: i32, weight: f32) {
        if let Some(slot) = self.by_doc.get_mut(doc as usize)
            && weight > *slot
        {
            if let Some(room) = self.listed.get_mut(self.count) {
                *room = doc;
            }
            self.count += usize::from(*slot == 0.0);
            *slot = weight;
        }
    }

    /// Sets each listed weight to `change` of it, and unlists those it sets to zero.
    fn update(&mut self, mut change: impl FnMut(i32, f32) -> f32) {
        let mut kept = 0;
        for at in 0..self.count {
            let doc = self.listed[at];
            let weight = &mut self.by_doc[doc as usize];
            *weight = change(doc, *weight);
            self.listed[kept] = doc;
            kept += usize::from(*weight > 0.0);
        }
        self.count = kept;
    }
}

impl Drop for Weights {
    /// Zeroes what was set (every weight above zero is listed) and gives the vectors back.
    fn drop(&mut self) {
        let mut by_doc = std::mem::take(&mut self.by_doc);
        for doc in self.docs() {
            by_doc[*doc as usize] = 0.0;
        }
        let listed = std::mem::take(&mut self.listed);
        SPARE.with_borrow_mut(|spare| {
            if spare.len() < SPARE_KEPT {
                spare.push((by_doc, listed));
            }
        });
    }
}

/// What one search knows of the collection, as the asker may see it.
struct Collection<'a> {
    index: &'a Index,
    view: View<'a>,
    text: &'a FullText,
    audience: std::sync::Arc<Audience>,
}

impl<'a> Collection<'a> {
    fn new(index: &'a Index, text: &'a FullText, viewer: Option<&Principal>) -> Self {
        let audience = match viewer {
            None => index.public_audience(),
            Some(_) => std::sync::Arc::new(Audience::of(index, |doc| {
                evaluate::visible(doc, index, viewer)
            })),
        };
        Self {
            index,
            view: text.view(),
            text,
            audience,
        }
    }

    fn is_visible(&self, doc: i32) -> bool {
        self.audience
            .visible
            .get(doc as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Per document, the length-normalised, field-weighted occurrences of a stem or a phrase
    /// (BM25F's pseudo-frequency); zero where it does not occur.
    fn frequencies(&self, stems: &[(u32, String)]) -> Weights {
        let mut weighted = Weights::new(self.index.docs.len());
        for field in TextField::ALL {
            let (weight, normalising) = weighting(field);
            let average = self.audience.average[field as usize];
            self.field_frequencies(field, stems, |doc, frequency| {
                let length = self
                    .index
                    .lengths
                    .get(doc as usize)
                    .map_or(average, |lengths| f32::from(lengths[field as usize]));
                let norm = 1.0 - normalising + normalising * length / average;
                weighted.add(doc, weight * frequency as f32 / norm.max(0.1));
            });
        }
        weighted
    }

    /// Calls `each` with every document whose field holds a stem, or a phrase of several
    /// (each at its place relative to the first), and how often it occurs there.
    fn field_frequencies(
        &self,
        field: TextField,
        stems: &[(u32, String)],
        mut each: impl FnMut(i32, u32),
    ) {
        let Some(((origin, first), rest)) = stems.split_first() else {
            return;
        };
        if rest.is_empty() {
            self.view.occurrences(field, first, false, |occurrence| {
                each(occurrence.doc, occurrence.frequency);
            });
            return;
        }
        // A phrase: where each stem stands one place after the one before.
        let mut starts: std::collections::HashMap<i32, Vec<u32>> = Default::default();
        self.view.occurrences(field, first, true, |mut occurrence| {
            starts.insert(occurrence.doc, occurrence.positions());
        });
        for (position, stem) in rest {
            if starts.is_empty() {
                break;
            }
            let offset = position - origin;
            let mut next: std::collections::HashMap<i32, Vec<u32>> = Default::default();
            self.view.occurrences(field, stem, true, |mut occurrence| {
                let Some(before) = starts.get(&occurrence.doc) else {
                    return;
                };
                let here = occurrence.positions();
                let kept: Vec<u32> = before
                    .iter()
                    .copied()
                    .filter(|start| here.contains(&(start + offset)))
                    .collect();
                if !kept.is_empty() {
                    next.insert(occurrence.doc, kept);
                }
            });
            starts = next;
        }
        for (doc, at) in starts {
            each(doc, at.len() as u32);
        }
    }

    /// BM25F of one atom per document (zero where it does not match), and whether it
    /// matched anything the asker may see. A word that stems to several parts (as a
    /// hyphenated one does) needs all of them.
    fn atom(&self, atom: &Atom) -> Option<(Weights, bool)> {
        let stems = self.text.stems(&atom.text);
        if stems.is_empty() {
            return None;
        }
        let parts: Vec<Vec<(u32, String)>> = if atom.phrase {
            vec![stems]
        } else {
            stems.into_iter().map(|stem| vec![stem]).collect()
        };
        let mut scores: Option<Weights> = None;
        for part in &parts {
            let mut part_scores = self.frequencies(part);
            let df = part_scores
                .docs()
                .iter()
                .filter(|doc| self.is_visible(**doc))
                .count() as f32;
            let idf = (1.0 + (self.audience.documents - df + 0.5) / (df + 0.5)).ln();
            part_scores.update(|_, w| idf * w * (K1 + 1.0) / (K1 + w));
            scores = Some(match scores {
                None => part_scores,
                // Every part must be there: a document missing one scores nothing.
                Some(mut so_far) => {
                    so_far.update(|doc, w| {
                        let part = part_scores.by_doc[doc as usize];
                        if part > 0.0 { w + part } else { 0.0 }
                    });
                    so_far
                }
            });
        }
        let scores = scores.unwrap_or_else(|| Weights::new(self.index.docs.len()));
        let found = scores.docs().iter().any(|doc| self.is_visible(*doc));
        Some((scores, found))
    }
}

/// How many of the best-scored documents proximity is worked out for: the rest are too far
/// down for a nearness bonus to lift them onto the first pages.
const NEAR_CANDIDATES: usize = 200;
/// Words of two neighbouring clauses this close (in words) or closer count as near.
const NEAR_WINDOW: u32 = 8;
/// What near words add, as a share of the document's score, for each neighbouring pair of
/// clauses: most for adjacent words, less as they stand further apart in the window.
const NEAR_BONUS: f32 = 0.3;

impl Collection<'_> {
    /// Lifts documents in which the query's neighbouring clauses stand near each other (in
    /// the same field, within a few words): "cutting noise" near each other says more than
    /// "cutting" in one paragraph and "noise" in another.
    fn reward_proximity(&self, near: &[Vec<String>], matched: &[i32], scores: &mut [f32]) {
        if near.len() < 2 {
            return;
        }
        let mut candidates: Vec<usize> = matched
            .iter()
            .map(|d| *d as usize)
            .filter(|d| scores[*d] > 0.0)
            .collect();
        if candidates.len() > NEAR_CANDIDATES {
            candidates
                .select_nth_unstable_by(NEAR_CANDIDATES, |a, b| scores[*b].total_cmp(&scores[*a]));
            candidates.truncate(NEAR_CANDIDATES);
        }
        let located = self.view.locate(&candidates, scores.len());
        // Per clause, per document and field: where its words stand.
        let mut places: Vec<std::collections::HashMap<(i32, usize), Vec<u32>>> =
            vec![Default::default(); near.len()];
        for (clause, stems) in near.iter().enumerate() {
            for stem in stems {
                for field in [TextField::Title, TextField::Summary, TextField::Body] {
                    self.view
                        .occurrences_among(field, stem, &located, |mut occurrence| {
                            places[clause]
                                .entry((occurrence.doc, field as usize))
                                .or_default()
                                .extend(occurrence.positions());
                        });
                }
            }
        }
        for doc in candidates {
            let mut bonus = 0.0;
            for pair in places.windows(2) {
                let closest = [TextField::Title, TextField::Summary, TextField::Body]
                    .iter()
                    .filter_map(|field| {
                        let key = (doc as i32, *field as usize);
                        Some(distance(pair[0].get(&key)?, pair[1].get(&key)?))
                    })
                    .min();
                if let Some(distance) = closest.filter(|d| *d <= NEAR_WINDOW) {
                    bonus += NEAR_BONUS / distance.max(1) as f32;
                }
            }
            scores[doc] *= 1.0 + bonus;
        }
    }
}

/// The fewest words between any position in `a` and any in `b`.
fn distance(a: &[u32], b: &[u32]) -> u32 {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| x.abs_diff(*y)))
        .min()
        .unwrap_or(u32::MAX)
}

/// Matches the words of `request` for `viewer`, and with the question's vector (when it is
/// matched by meaning too) its neighbours.
pub(super) fn prepare_text(
    search: &SearchIndex,
    index: &Index,
    request: &SearchRequest,
    viewer: Option<&Principal>,
    question: Option<(SearchMode, Question)>,
) -> Option<PreparedText> {
    let text = request.text.as_deref()?;
    let collection = Collection::new(index, search.full_text(), viewer);
    let mut query = TextQuery::parse(text);
    let mut prepared = score(&collection, &query);
    // A word found nowhere the asker may see may be misspelt: try the closest word in use.
    if !prepared.unmatched.is_empty() {
        let mut corrected = query.clone();
        let mut changed = false;
        for (c, a) in &prepared.unmatched {
            let atom = &mut corrected.clauses[*c][*a];
            if let Some(word) = index.suggestions.closest(&atom.text) {
                atom.text = word.to_owned();
                changed = true;
            }
        }
        if changed {
            prepared = score(&collection, &corrected);
            prepared.text.suggestion = Some(corrected.to_text());
            query = corrected;
        }
    }
    let mut text = prepared.text;
    text.stems = query.stems();
    if let (Some((mode, question)), Some(meaning)) = (question, search.meaning()) {
        let visible = &collection.audience.visible;
        let similarities = meaning.similarities(question, visible);
        text.meaning(mode, &similarities, visible);
    }
    Some(text)
}

struct Scored {
    text: PreparedText,
    /// Words (clause, atom) that matched nothing the asker may see.
    unmatched: Vec<(usize, usize)>,
}

fn score(collection: &Collection, query: &TextQuery) -> Scored {
    let documents = collection.index.docs.len();
    let mut masks = vec![0u16; documents];
    let mut scores = vec![0f32; documents];
    let mut clauses = 0usize;
    let mut required = 0u16;
    let mut unmatched = Vec::new();
    // The documents matching some clause, in the order first found: the first `found`.
    let mut matched = vec![0i32; documents + 1];
    let mut found = 0;
    // Each clause's words, for proximity: the stems of its single-word atoms.
    let mut near: Vec<Vec<String>> = Vec::new();
    for (c, clause) in query.clauses.iter().enumerate() {
        // A clause is satisfied by any of its atoms, and scores as its best one.
        let mut best: Option<Weights> = None;
        let mut all_phrases = true;
        for (a, atom) in clause.iter().enumerate() {
            // An atom of stop words only says nothing; leave it out.
            let Some((atom_scores, found)) = collection.atom(atom) else {
                continue;
            };
            if !found && !atom.phrase {
                unmatched.push((c, a));
            }
            all_phrases &= atom.phrase;
            best = Some(match best {
                None => atom_scores,
                Some(mut so_far) => {
                    for doc in atom_scores.docs() {
                        so_far.raise(*doc, atom_scores.by_doc[*doc as usize]);
                    }
                    so_far
                }
            });
        }
        let Some(best) = best else {
            continue;
        };
        near.push(
            clause
                .iter()
                .filter(|atom| !atom.phrase)
                .flat_map(|atom| collection.text.stems(&atom.text))
                .map(|(_, stem)| stem)
                .collect(),
        );
        let bit = 1u16 << clauses;
        clauses += 1;
        if all_phrases {
            required |= bit;
        }
        for doc in best.docs() {
            let at = *doc as usize;
            // As in `Weights::add`: written in the room after the list, counted if new.
            if let Some(room) = matched.get_mut(found) {
                *room = *doc;
            }
            found += usize::from(masks[at] == 0);
            masks[at] |= bit;
            scores[at] += best.by_doc[at];
        }
    }
    matched.truncate(found);
    for doc in &matched {
        let at = *doc as usize;
        let coverage = masks[at].count_ones() as f32 / clauses.max(1) as f32;
        scores[at] *= PARTIAL_FLOOR + (1.0 - PARTIAL_FLOOR) * coverage;
    }
    for atom in &query.excluded {
        if let Some((atom_scores, _)) = collection.atom(atom) {
            for doc in atom_scores.docs() {
                masks[*doc as usize] |= EXCLUDED;
            }
        }
    }
    if clauses == 0 {
        // Nothing searchable (only stop words, or only exclusions): nothing matches.
        masks.iter_mut().for_each(|m| *m = 0);
    } else {
        collection.reward_proximity(&near, &matched, &mut scores);
    }
    Scored {
        text: PreparedText {
            masks,
            scores,
            required,
            stems: Vec::new(),
            suggestion: None,
        },
        unmatched,
    }
}

#[cfg(test)]
mod tests {
    use super::Weights;

    #[test]
    fn weights_given_back_come_back_empty() {
        let mut first = Weights::new(100);
        first.add(3, 1.5);
        first.raise(7, 2.0);
        first.add(3, 0.5);
        assert_eq!((first.by_doc[3], first.docs()), (2.0, &[3, 7][..]));
        drop(first);
        // The vector given back, grown for a collection that has grown meanwhile.
        let second = Weights::new(120);
        assert_eq!(second.by_doc.len(), 120);
        assert!(second.by_doc.iter().all(|w| *w == 0.0) && second.docs().is_empty());
    }
}
