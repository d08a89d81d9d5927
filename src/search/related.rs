//! Case studies like another: shared quadrants, partners, sector and words, each with
//! the reason a reader can check.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::evaluate;
use super::index::{self, Doc, Index};
use super::live::SearchIndex;
use super::results::{Related, SearchItem, complete_items, item};
use crate::domain::user::Principal;
use crate::domain::vocabulary::{StarQuadrant, Status, Vocabulary};
use crate::error::ApiError;

/// Cosine similarity from which two case studies' vectors make them related by meaning.
const CLOSE_IN_MEANING: f32 = 0.5;

impl SearchIndex {
    /// The published case studies most like this one, each with why.
    pub async fn related(&self, id: Uuid, limit: usize) -> Result<Vec<Related>, ApiError> {
        let (items, reasons): (Vec<SearchItem>, Vec<Vec<String>>) =
            self.most_like(id, limit).await?.into_iter().unzip();
        let items = complete_items(self.full_text(), &self.read(), items, None);
        Ok(items
            .into_iter()
            .zip(reasons)
            .map(|(case_study, reasons)| Related {
                reason: reasons.join("; "),
                case_study,
            })
            .collect())
    }

    /// The ids of the published case studies most like this one, for open metadata; none
    /// when the index does not hold it (no longer public).
    pub async fn related_ids(&self, id: Uuid, limit: usize) -> Result<Vec<Uuid>, ApiError> {
        match self.most_like(id, limit).await {
            Ok(found) => Ok(found.into_iter().map(|(item, _)| item.id).collect()),
            Err(ApiError::NotFound(_)) => Ok(Vec::new()),
            Err(error) => Err(error),
        }
    }

    /// The case studies most like this one, best first, with the reasons. Every published
    /// case study is weighed, so the pass allocates nothing per record: the reasons are
    /// written for the few shown.
    async fn most_like(
        &self,
        id: Uuid,
        limit: usize,
    ) -> Result<Vec<(SearchItem, Vec<String>)>, ApiError> {
        self.ready().await?;
        let index = self.read();
        let subject = index
            .by_id
            .get(&id)
            .and_then(|n| index.doc(*n))
            .ok_or(ApiError::NotFound("case study"))?;
        let closeness = self.meaning().map(|m| m.closeness_to(subject.doc));
        let words = WordSet::of(&subject.about.words);
        let mut scored: Vec<(f32, &Doc, Likeness)> = index
            .live_docs()
            .filter(|d| d.about.id != id && d.status == Status::Published)
            .filter_map(|d| {
                let close = closeness
                    .as_ref()
                    .and_then(|closeness| closeness.get(d.doc as usize).copied())
                    .filter(|close| !close.is_nan());
                let likeness = Likeness::of(subject, &words, d, close);
                let score = likeness.score();
                (score > 0.0).then_some((score, d, likeness))
            })
            .collect();
        let order = |a: &(f32, &Doc, Likeness), b: &(f32, &Doc, Likeness)| {
            b.0.total_cmp(&a.0)
                .then(b.1.sort_time.cmp(&a.1.sort_time))
                .then(a.1.doc.cmp(&b.1.doc))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_by(order);
        Ok(scored
            .into_iter()
            .map(|(score, doc, likeness)| {
                let reasons = likeness.reasons(&index, subject, doc);
                (item(&index, doc, Some(score)), reasons)
            })
            .collect())
    }

    /// Whether the index knows this case study and a viewer may see it: used by `related`.
    pub fn visible(&self, id: Uuid, viewer: Option<&Principal>) -> bool {
        let index = self.read();
        index
            .by_id
            .get(&id)
            .and_then(|n| index.doc(*n))
            .is_some_and(|doc| evaluate::visible(doc, &index, viewer))
    }
}

/// What two case studies share, weighed by `score`.
struct Likeness {
    /// Star quadrants both are in, as bits.
    quadrants: u32,
    /// Organisations involved in both.
    partners: usize,
    same_sector: bool,
    /// Distinct words of title and summary in both, of those in either.
    words: f32,
    /// Cosine similarity of their meanings, when both have a vector.
    meaning: Option<f32>,
}

impl Likeness {
    /// `a` with its words as a `WordSet`, and `b`.
    fn of(a: &Doc, a_words: &WordSet, b: &Doc, meaning: Option<f32>) -> Self {
        let partners = shared_organisations(a, b).count();
        let shared = a_words.shared(&b.about.words);
        let either = (a.about.words.len() + b.about.words.len() - shared).max(1);
        Self {
            quadrants: a.quadrants & b.quadrants,
            partners,
            same_sector: a.sector == b.sector,
            words: shared as f32 / either as f32,
            meaning,
        }
    }

    fn score(&self) -> f32 {
        self.quadrants.count_ones() as f32
            + 2.0 * self.partners as f32
            + if self.same_sector { 1.5 } else { 0.0 }
            + self.similar_words().map_or(0.0, |share| 6.0 * share)
            + self.close_in_meaning().map_or(0.0, |close| 6.0 * close)
    }

    fn similar_words(&self) -> Option<f32> {
        (self.words > 0.1).then_some(self.words)
    }

    fn close_in_meaning(&self) -> Option<f32> {
        self.meaning.filter(|close| *close >= CLOSE_IN_MEANING)
    }

    /// Why `b` is like `a`, in words a reader can check.
    fn reasons(&self, index: &Index, a: &Doc, b: &Doc) -> Vec<String> {
        let mut reasons = Vec::new();
        let quadrants: Vec<StarQuadrant> = index::members(self.quadrants);
        if !quadrants.is_empty() {
            let names: Vec<&str> = quadrants.iter().map(|q| q.code()).collect();
            reasons.push(format!("both {}", names.join(" and ")));
        }
        if self.partners > 0 {
            let names: BTreeSet<&str> = shared_organisations(a, b)
                .map(|o| index.organisation(o).name.as_str())
                .collect();
            reasons.push(format!(
                "both with {}",
                names.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if self.same_sector {
            reasons.push(format!("same sector ({})", a.sector));
        }
        if self.similar_words().is_some() {
            reasons.push("similar words in title and summary".to_owned());
        }
        if let Some(close) = self.close_in_meaning() {
            reasons.push(format!("close in meaning ({close:.2})"));
        }
        reasons
    }
}

/// The organisations involved in both case studies, as owner or partner, each once (an
/// owner may be listed as a partner too).
fn shared_organisations<'d>(a: &'d Doc, b: &'d Doc) -> impl Iterator<Item = u32> + 'd {
    let involved = move || a.partners.iter().map(|(o, _)| *o).chain([a.owner]);
    involved()
        .enumerate()
        .filter(move |(at, o)| b.involves(*o) && !involved().take(*at).any(|seen| seen == *o))
        .map(|(_, o)| o)
}

/// One case study's words, asked of every other's: a bit for each (by its hash) answers
/// most of the others' words at once, and the few whose bit is set are looked up.
struct WordSet<'a> {
    bits: [u64; 64],
    words: &'a [u32],
}

impl<'a> WordSet<'a> {
    /// `words` ascending and distinct, as `About::words` are.
    fn of(words: &'a [u32]) -> Self {
        let mut bits = [0u64; 64];
        for word in words {
            bits[(word >> 6) as usize % 64] |= 1 << (word & 63);
        }
        Self { bits, words }
    }

    /// How many of `others` (distinct) are in the set.
    fn shared(&self, others: &[u32]) -> usize {
        others
            .iter()
            .filter(|word| {
                self.bits[(*word >> 6) as usize % 64] & (1 << (*word & 63)) != 0
                    && self.words.binary_search(word).is_ok()
            })
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_words_are_counted_once_each() {
        let words = WordSet::of(&[1, 3, 5, 9, 4100]);
        assert_eq!(words.shared(&[2, 3, 4, 5, 10]), 2);
        // 4 takes the bit of 4100, 68 another: only 4100 is there.
        assert_eq!(words.shared(&[4, 68, 4100]), 1);
        assert_eq!(WordSet::of(&[]).shared(&[1, 2]), 0);
    }
}
