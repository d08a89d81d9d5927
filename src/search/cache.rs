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

use super::evaluate::{Ranked, Sort};
use super::request::SearchRequest;
use super::results::Facets;
use crate::kept::Weight;

/// How many results of each search answer are kept: twenty-five pages of twenty, five of a
/// hundred. Pages past them are computed afresh. Few readers go further, and keeping more
/// costs every new search the ordering of them and the cache their room.
pub const KEPT_RESULTS: usize = 500;

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

impl Weight for Answer {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.facets.bytes()
            + self.order.capacity() * std::mem::size_of::<Ranked>()
            + self
                .stems
                .iter()
                .flatten()
                .map(String::bytes)
                .sum::<usize>()
            + self.suggestion.as_ref().map_or(0, String::bytes)
    }
}

/// A search is kept under its request.
impl Weight for SearchRequest {
    fn bytes(&self) -> usize {
        // The lists of filters are short, and their members small: the words and the
        // names of partners and places are what can be long.
        std::mem::size_of::<Self>()
            + self.text.as_ref().map_or(0, String::bytes)
            + self.partners.iter().map(String::bytes).sum::<usize>()
            + self.localities.iter().map(String::bytes).sum::<usize>()
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
    use crate::kept::Kept;
    use crate::search::FacetCount;
    use std::sync::Arc;

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
    fn an_answer_weighs_the_names_in_its_facets() {
        let name = "Tweeddale Tenants and Residents Federation".to_owned();
        let partner = (0..20)
            .map(|count| FacetCount {
                value: name.to_lowercase().replace(' ', "-").into(),
                label: name.clone().into(),
                count,
            })
            .collect();
        let named = Answer {
            facets: Facets {
                partner,
                ..Facets::default()
            },
            ..Arc::into_inner(answer(3)).unwrap()
        };
        let names = 20 * 2 * name.len();
        assert!(named.bytes() >= answer(3).bytes() + names);
    }
}
