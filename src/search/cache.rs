//! Answers to recent public searches, kept while the index stays as it was.
//!
//! What a public search finds (its exact total, its facets and the order of its results)
//! depends only on the request and the index. Kept, the next page of that search, or the
//! same search from another reader, is a binary search in the kept order rather than a
//! match in PostgreSQL and a pass over every record. Any change the index takes in (a
//! publication, an edit, a withdrawal) empties the cache, so an answer is never older than
//! the index it would otherwise have been computed from.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::evaluate::{Ranked, Sort};
use super::{Facets, SearchRequest};

/// How many results of each answer are kept: a hundred pages of twenty. Pages past them
/// are computed afresh.
pub const KEPT_RESULTS: usize = 2000;

/// A public search, before paging.
pub struct Answer {
    pub sort: Sort,
    pub total: u64,
    pub facets: Facets,
    /// The first results (up to `KEPT_RESULTS`), in order: document number and how it
    /// matched the words.
    pub order: Vec<Ranked>,
    /// Whether `order` holds every result.
    pub complete: bool,
    /// The query's stems, for highlighting; `None` without words.
    pub stems: Option<Vec<String>>,
    pub suggestion: Option<String>,
}

impl Answer {
    /// Roughly what it holds in memory, for the budget.
    fn bytes(&self) -> usize {
        const FACETS: usize = 4096;
        std::mem::size_of::<Self>()
            + FACETS
            + self.order.len() * std::mem::size_of::<Ranked>()
            + self
                .stems
                .iter()
                .flatten()
                .map(|s| s.len() + 24)
                .sum::<usize>()
    }
}

pub struct SearchCache {
    /// The most memory answers may take; 0 turns the cache off.
    budget: usize,
    state: Mutex<State>,
    hits: AtomicU64,
    misses: AtomicU64,
}

#[derive(Default)]
struct State {
    /// The change-log position of the index the answers were computed from.
    seq: i64,
    bytes: usize,
    answers: HashMap<SearchRequest, Arc<Answer>>,
}

impl SearchCache {
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            state: Mutex::default(),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The kept answer to `request`, if the index is still at `seq`.
    pub fn get(&self, request: &SearchRequest, seq: i64) -> Option<Arc<Answer>> {
        if self.budget == 0 {
            return None;
        }
        let found = {
            let mut state = self.lock();
            state.expire(seq);
            state.answers.get(&key(request)).cloned()
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `answer`, computed from the index at `seq`. When the budget is spent the
    /// cache starts again empty: simpler than tracking use, and searches are cheap to redo.
    pub fn put(&self, request: &SearchRequest, seq: i64, answer: Arc<Answer>) {
        let bytes = answer.bytes();
        if bytes > self.budget {
            return;
        }
        let mut state = self.lock();
        state.expire(seq);
        if state.seq != seq {
            // Computed from an index that has moved on since.
            return;
        }
        if state.bytes + bytes > self.budget {
            state.answers.clear();
            state.bytes = 0;
        }
        if let Some(previous) = state.answers.insert(key(request), answer) {
            state.bytes -= previous.bytes();
        }
        state.bytes += bytes;
    }

    /// Searches answered from the cache, and searches that had to be computed.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    /// Forgets every answer once the index has moved past them.
    fn expire(&mut self, seq: i64) {
        if seq > self.seq {
            self.answers.clear();
            self.bytes = 0;
            self.seq = seq;
        }
    }
}

/// Every page of a search has the same answer: the key leaves out where the page starts
/// and how long it is.
fn key(request: &SearchRequest) -> SearchRequest {
    SearchRequest {
        cursor: None,
        limit: 0,
        ..request.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(results: usize) -> Arc<Answer> {
        Arc::new(Answer {
            sort: Sort::Newest,
            total: results as u64,
            facets: Facets::default(),
            order: (0..results as i32).map(|n| (n, None)).collect(),
            complete: true,
            stems: None,
            suggestion: None,
        })
    }

    fn request(text: &str) -> SearchRequest {
        SearchRequest {
            text: Some(text.to_owned()),
            limit: 20,
            ..SearchRequest::default()
        }
    }

    #[test]
    fn every_page_of_a_search_shares_its_answer() {
        let cache = SearchCache::new(1 << 20);
        cache.put(&request("garden"), 0, answer(3));
        let next_page = SearchRequest {
            cursor: Some("later".into()),
            limit: 50,
            ..request("garden")
        };
        assert_eq!(cache.get(&next_page, 0).map(|a| a.total), Some(3));
        assert!(cache.get(&request("gardens"), 0).is_none());
        assert_eq!(cache.hits_and_misses(), (1, 1));
    }

    #[test]
    fn a_change_to_the_index_forgets_every_answer() {
        let cache = SearchCache::new(1 << 20);
        cache.put(&request("garden"), 4, answer(3));
        assert!(cache.get(&request("garden"), 5).is_none());
        // An answer computed before the change is not kept after it.
        cache.put(&request("garden"), 4, answer(3));
        assert!(cache.get(&request("garden"), 5).is_none());
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let one = answer(1000).bytes();
        let cache = SearchCache::new(one * 2);
        cache.put(&request("a"), 0, answer(1000));
        cache.put(&request("b"), 0, answer(1000));
        cache.put(&request("c"), 0, answer(1000));
        assert!(cache.get(&request("c"), 0).is_some());
        assert!(cache.lock().bytes <= one * 2);
        let off = SearchCache::new(0);
        off.put(&request("a"), 0, answer(1));
        assert!(off.get(&request("a"), 0).is_none());
    }
}
