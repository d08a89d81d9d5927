//! Case studies like another: shared quadrants, partners, sector and words, each with
//! the reason a reader can check.

use std::collections::{BTreeSet, HashSet};

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

    /// The case studies most like this one, best first, with the reasons.
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
        let meaning = self.meaning().map(|m| m.as_ref());
        let mut scored: Vec<(f32, &Doc, Vec<String>)> = index
            .live_docs()
            .filter(|d| d.about.id != id && d.status == Status::Published)
            .filter_map(|d| {
                let (mut score, mut reasons) = similarity(&index, subject, d);
                if let Some(close) = meaning.and_then(|m| m.closeness(subject.doc, d.doc))
                    && close >= CLOSE_IN_MEANING
                {
                    score += 6.0 * close;
                    reasons.push(format!("close in meaning ({close:.2})"));
                }
                (score > 0.0).then_some((score, d, reasons))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.sort_time.cmp(&a.1.sort_time)));
        Ok(scored
            .into_iter()
            .take(limit)
            .map(|(score, doc, reasons)| (item(&index, doc, Some(score)), reasons))
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

fn similarity(index: &Index, a: &Doc, b: &Doc) -> (f32, Vec<String>) {
    let mut score = 0.0;
    let mut reasons = Vec::new();
    let shared_quadrants: Vec<StarQuadrant> = index::members(a.quadrants & b.quadrants);
    if !shared_quadrants.is_empty() {
        score += 1.0 * shared_quadrants.len() as f32;
        let names: Vec<&str> = shared_quadrants.iter().map(|q| q.code()).collect();
        reasons.push(format!("both {}", names.join(" and ")));
    }
    let shared_partners: Vec<&str> = a
        .partners
        .iter()
        .map(|(o, _)| *o)
        .chain([a.owner])
        .filter(|o| b.involves(*o))
        .map(|o| index.organisation(o).name.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !shared_partners.is_empty() {
        score += 2.0 * shared_partners.len() as f32;
        reasons.push(format!("both with {}", shared_partners.join(", ")));
    }
    if a.sector == b.sector {
        score += 1.5;
        reasons.push(format!("same sector ({})", a.sector));
    }
    let words = |d: &Doc| -> HashSet<u32> {
        d.about
            .title_terms
            .iter()
            .chain(&d.about.summary_terms)
            .copied()
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    let union = wa.union(&wb).count().max(1);
    let jaccard = wa.intersection(&wb).count() as f32 / union as f32;
    if jaccard > 0.1 {
        score += 6.0 * jaccard;
        reasons.push("similar words in title and summary".to_owned());
    }
    (score, reasons)
}
