//! What the public reads, kept while the index stays as it was.
//!
//! Everyone who is not signed in gets the same answer to the same request, and that answer
//! depends only on what the index has taken in. So a public search's answer (its exact
//! total, its facets and the order of its first results) and a published case study's
//! document are kept, each with the change-log position of the index it was computed at.
//! The next page of a search, the same search from another reader, or another read of the
//! same case study, is then answered from memory. Any change the index takes in (a
//! publication, an edit, a withdrawal) empties the cache, so nothing kept is ever older
//! than what computing it again would give.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use actix_web::web::Bytes;

use super::evaluate::{Ranked, Sort};
use super::{Facets, SearchRequest};

/// How many results of each search answer are kept: a hundred pages of twenty. Pages past
/// them are computed afresh.
pub const KEPT_RESULTS: usize = 2000;

/// A public search, before paging.
pub struct Answer {
    pub sort: Sort,
    pub total: u64,
    pub facets: Facets,
    /// The first results (up to `KEPT_RESULTS`), in order.
    pub order: Vec<Ranked>,
    /// Whether `order` holds every result.
    pub complete: bool,
    /// The query's stems, for highlighting; `None` without words.
    pub stems: Option<Vec<String>>,
    pub suggestion: Option<String>,
}

/// A published case study as the public reads it: its JSON and its version.
pub struct PublicDocument {
    pub json: Bytes,
    pub version: i32,
}

/// Roughly the memory a kept value takes, for the budget.
pub trait Weight {
    fn bytes(&self) -> usize;
}

impl Weight for Answer {
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

impl Weight for PublicDocument {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.json.len()
    }
}

/// Values of `V` by `K`, valid while the index stays at one change-log position.
pub struct Kept<K, V> {
    /// The most memory values may take; 0 keeps none.
    budget: usize,
    state: Mutex<State<K, V>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

struct State<K, V> {
    /// The change-log position of the index the values were computed at.
    seq: i64,
    bytes: usize,
    values: HashMap<K, Arc<V>>,
}

impl<K: Hash + Eq, V: Weight> Kept<K, V> {
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            state: Mutex::new(State {
                seq: 0,
                bytes: 0,
                values: HashMap::new(),
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The value kept for `key`, if the index is still at `seq`.
    pub fn get(&self, key: &K, seq: i64) -> Option<Arc<V>> {
        if self.budget == 0 {
            return None;
        }
        let found = {
            let mut state = self.lock();
            state.expire(seq);
            state.values.get(key).cloned()
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps `value`, computed from the index at `seq`. When the budget is spent the cache
    /// starts again empty: simpler than tracking use, and every value is cheap to redo.
    pub fn put(&self, key: K, seq: i64, value: Arc<V>) {
        let bytes = value.bytes();
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
            state.values.clear();
            state.bytes = 0;
        }
        if let Some(previous) = state.values.insert(key, value) {
            state.bytes -= previous.bytes();
        }
        state.bytes += bytes;
    }

    /// Requests answered from the cache, and requests that had to be computed.
    pub fn hits_and_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn lock(&self) -> MutexGuard<'_, State<K, V>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl<K, V> State<K, V> {
    /// Forgets every value once the index has moved past them.
    fn expire(&mut self, seq: i64) {
        if seq > self.seq {
            self.values.clear();
            self.bytes = 0;
            self.seq = seq;
        }
    }
}

/// Every page of a search has the same answer: its key leaves out where the page starts
/// and how long it is.
pub fn search_key(request: &SearchRequest) -> SearchRequest {
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
        search_key(&SearchRequest {
            text: Some(text.to_owned()),
            limit: 20,
            ..SearchRequest::default()
        })
    }

    #[test]
    fn every_page_of_a_search_shares_its_answer() {
        let kept = Kept::new(1 << 20);
        kept.put(request("garden"), 0, answer(3));
        let next_page = SearchRequest {
            cursor: Some("later".into()),
            limit: 50,
            ..request("garden")
        };
        assert_eq!(
            kept.get(&search_key(&next_page), 0).map(|a| a.total),
            Some(3)
        );
        assert!(kept.get(&request("gardens"), 0).is_none());
        assert_eq!(kept.hits_and_misses(), (1, 1));
    }

    #[test]
    fn a_change_to_the_index_forgets_every_value() {
        let kept = Kept::new(1 << 20);
        kept.put(request("garden"), 4, answer(3));
        assert!(kept.get(&request("garden"), 5).is_none());
        // A value computed before the change is not kept after it.
        kept.put(request("garden"), 4, answer(3));
        assert!(kept.get(&request("garden"), 5).is_none());
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let one = answer(1000).bytes();
        let kept = Kept::new(one * 2);
        kept.put(request("a"), 0, answer(1000));
        kept.put(request("b"), 0, answer(1000));
        kept.put(request("c"), 0, answer(1000));
        assert!(kept.get(&request("c"), 0).is_some());
        assert!(kept.lock().bytes <= one * 2);
        let off = Kept::new(0);
        off.put(request("a"), 0, answer(1));
        assert!(off.get(&request("a"), 0).is_none());
    }
}
