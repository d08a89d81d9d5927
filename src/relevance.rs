//! How good the search's first page is, measured: questions written as analysts ask them,
//! each with graded judgements of the case studies that answer it (3 exactly right, 2
//! clearly relevant, 1 marginal; anything unjudged counts 0), asked as a client would ask
//! (a query string) and scored by nDCG@10, MRR and recall@20.
//!
//! The set the project keeps is `tests/relevance/questions.json`, over the demo case
//! studies among a thousand synthetic ones; `casebook relevance` prints its figures for the
//! collection in `DATABASE_URL`, and a test holds the ranking to them.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::error::ApiError;
use crate::routes::pagination::PageParams;
use crate::routes::query::{Choice, FromQuery, QueryParams};
use crate::routes::search::SearchParams;
use crate::search::SearchIndex;
use crate::search::evaluate::SearchMode;

/// A page of this many results is what is judged.
const PAGE: usize = 20;

#[derive(Debug, Deserialize)]
pub struct QuestionSet {
    pub description: String,
    pub questions: Vec<Question>,
}

#[derive(Debug, Deserialize)]
pub struct Question {
    pub id: String,
    /// What the question tests: situation, synonym, long, filtered, phrase, exclusion,
    /// two-answers, keyword.
    pub kind: String,
    pub q: String,
    /// Other search parameters, as a query string would give them.
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    /// Grade (1-3) of each case study, by slug, that answers the question.
    pub judgements: HashMap<String, u8>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The three measures, for one question or averaged over many.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    /// Discounted gain of the first ten results against the best possible order (0-1).
    pub ndcg10: f64,
    /// One over the rank of the first relevant result (grade 2 or 3); 0 if none in 20.
    pub mrr: f64,
    /// The share of relevant case studies (grade 2 or 3) in the first twenty results.
    pub recall20: f64,
}

impl Scores {
    fn mean<'a>(all: impl Iterator<Item = &'a Scores>) -> Scores {
        let (mut sum, mut count) = (Scores::default(), 0.0);
        for scores in all {
            sum.ndcg10 += scores.ndcg10;
            sum.mrr += scores.mrr;
            sum.recall20 += scores.recall20;
            count += 1.0;
        }
        if count > 0.0 {
            sum.ndcg10 /= count;
            sum.mrr /= count;
            sum.recall20 /= count;
        }
        sum
    }
}

/// What every question scored, and the averages.
#[derive(Debug)]
pub struct Report {
    /// Question id, its kind, its scores and the slugs of its first results.
    pub questions: Vec<(String, String, Scores, Vec<String>)>,
}

impl Report {
    pub fn overall(&self) -> Scores {
        Scores::mean(self.questions.iter().map(|(_, _, scores, _)| scores))
    }

    /// Averages per kind of question, in name order.
    pub fn by_kind(&self) -> BTreeMap<String, Scores> {
        let mut kinds: BTreeMap<String, Vec<Scores>> = BTreeMap::new();
        for (_, kind, scores, _) in &self.questions {
            kinds.entry(kind.clone()).or_default().push(*scores);
        }
        kinds
            .into_iter()
            .map(|(kind, scores)| (kind, Scores::mean(scores.iter())))
            .collect()
    }

    /// A table for people: overall, then each kind.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<14} {:>9} {:>7} {:>7} {:>9}\n",
            "questions", "count", "nDCG@10", "MRR", "recall@20"
        );
        let overall = self.overall();
        let mut row = |name: &str, count: usize, s: Scores| {
            out.push_str(&format!(
                "{name:<14} {count:>9} {:>7.3} {:>7.3} {:>9.3}\n",
                s.ndcg10, s.mrr, s.recall20
            ));
        };
        row("all", self.questions.len(), overall);
        for (kind, scores) in self.by_kind() {
            let count = self.questions.iter().filter(|q| q.1 == kind).count();
            row(&kind, count, scores);
        }
        out
    }
}

/// Asks every question of the public search in `mode`, as an anonymous client would.
pub async fn evaluate(
    search: &SearchIndex,
    set: &QuestionSet,
    mode: SearchMode,
) -> Result<Report, ApiError> {
    let mut questions = Vec::with_capacity(set.questions.len());
    for question in &set.questions {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("q", &question.q);
        for (name, value) in &question.filters {
            query.append_pair(name, value);
        }
        query.append_pair("limit", &PAGE.to_string());
        query.append_pair("mode", mode.code());
        let query = QueryParams::parse(&query.finish());
        let (filters, page) = <(SearchParams, PageParams)>::from_query(&query)?;
        let request = filters.into_request(None, Some(page))?;
        let results = search.search(&request, None).await?;
        let ranked: Vec<String> = results.items.into_iter().map(|item| item.slug).collect();
        let scores = score(&ranked, &question.judgements);
        questions.push((question.id.clone(), question.kind.clone(), scores, ranked));
    }
    Ok(Report { questions })
}

/// The measures of one ranked list against its judgements.
pub fn score(ranked: &[String], judgements: &HashMap<String, u8>) -> Scores {
    let grade = |slug: &String| f64::from(judgements.get(slug).copied().unwrap_or(0));
    let gain = |grade: f64, rank: usize| (2f64.powf(grade) - 1.0) / ((rank + 2) as f64).log2();
    let dcg: f64 = ranked
        .iter()
        .take(10)
        .enumerate()
        .map(|(rank, slug)| gain(grade(slug), rank))
        .sum();
    let mut ideal: Vec<f64> = judgements.values().map(|g| f64::from(*g)).collect();
    ideal.sort_by(|a, b| b.total_cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(10)
        .enumerate()
        .map(|(rank, grade)| gain(*grade, rank))
        .sum();
    let relevant = |slug: &String| grade(slug) >= 2.0;
    let first = ranked.iter().take(PAGE).position(relevant);
    let wanted = judgements.values().filter(|g| **g >= 2).count();
    let found = ranked
        .iter()
        .take(PAGE)
        .filter(|slug| relevant(slug))
        .count();
    Scores {
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
        mrr: first.map_or(0.0, |rank| 1.0 / (rank + 1) as f64),
        recall20: if wanted > 0 {
            found as f64 / wanted as f64
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u8)]) -> HashMap<String, u8> {
        pairs.iter().map(|(s, g)| ((*s).to_owned(), *g)).collect()
    }

    fn ranked(slugs: &[&str]) -> Vec<String> {
        slugs.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_best_order_scores_one_and_a_miss_scores_nothing() {
        let judgements = judged(&[("a", 3), ("b", 1)]);
        let best = score(&ranked(&["a", "b", "x"]), &judgements);
        assert_eq!(best.ndcg10, 1.0);
        assert_eq!((best.mrr, best.recall20), (1.0, 1.0));
        let none = score(&ranked(&["x", "y"]), &judgements);
        assert_eq!(none, Scores::default());
    }

    #[test]
    fn lower_ranks_earn_less() {
        let judgements = judged(&[("a", 3)]);
        let second = score(&ranked(&["x", "a"]), &judgements);
        assert!((second.ndcg10 - 1.0 / 3f64.log2()).abs() < 1e-9);
        assert_eq!(second.mrr, 0.5);
        assert_eq!(second.recall20, 1.0);
        let swapped = score(&ranked(&["b", "a"]), &judged(&[("a", 3), ("b", 1)]));
        assert!(swapped.ndcg10 < 1.0 && swapped.ndcg10 > 0.5);
    }
}
