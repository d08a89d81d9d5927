//! Values kept while the search index stays at one change-log position: answers to the
//! public's searches and published case studies as the public reads them. Any change the
//! index takes in empties them, so nothing kept is ever older than computing it again.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Roughly the memory a kept key or value takes, for the budget.
pub trait Weight {
    fn bytes(&self) -> usize;
}

impl Weight for String {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.capacity()
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

impl<K: Hash + Eq + Weight, V: Weight> Kept<K, V> {
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
        // The key, the value and the table's slot for them.
        let bytes = key.bytes() + value.bytes() + std::mem::size_of::<(K, Arc<V>)>();
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
        let key_bytes = key.bytes() + std::mem::size_of::<(K, Arc<V>)>();
        if let Some(previous) = state.values.insert(key, value) {
            state.bytes -= key_bytes + previous.bytes();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A value of a given size.
    struct Block(usize);

    impl Weight for &str {
        fn bytes(&self) -> usize {
            self.len()
        }
    }

    impl Weight for Block {
        fn bytes(&self) -> usize {
            self.0
        }
    }

    #[test]
    fn a_change_to_the_index_forgets_every_value() {
        let kept = Kept::new(1 << 20);
        kept.put("garden", 4, Arc::new(Block(100)));
        assert!(kept.get(&"garden", 4).is_some());
        assert!(kept.get(&"garden", 5).is_none());
        // A value computed before the change is not kept after it.
        kept.put("garden", 4, Arc::new(Block(100)));
        assert!(kept.get(&"garden", 5).is_none());
        assert_eq!(kept.hits_and_misses(), (1, 2));
    }

    #[test]
    fn the_budget_bounds_what_is_kept() {
        let kept = Kept::new(2000);
        kept.put("a", 0, Arc::new(Block(1000)));
        kept.put("b", 0, Arc::new(Block(1000)));
        kept.put("c", 0, Arc::new(Block(1000)));
        assert!(kept.get(&"c", 0).is_some());
        assert!(kept.lock().bytes <= 2000);
        kept.put("d", 0, Arc::new(Block(3000)));
        assert!(kept.get(&"d", 0).is_none());
        let off = Kept::new(0);
        off.put("a", 0, Arc::new(Block(1)));
        assert!(off.get(&"a", 0).is_none());
    }
}
