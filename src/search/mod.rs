//! Search over case studies.
//!
//! PostgreSQL matches the words (one GIN lookup per query term, see `db::search` and
//! `matching`); the service's in-memory index (see `index`, kept current by `live`) does
//! the rest: visibility, filters, exact multi-select facet counts (`facets`), ranking
//! (`evaluate`) and keyset pages; `execute` puts these together and `results` fills in the
//! texts. Public answers are kept while the index stays as it was (`cache`).

pub mod cache;
pub mod evaluate;
mod execute;
mod facets;
mod fulltext;
pub mod highlight;
pub mod index;
mod live;
mod matching;
pub mod meaning;
mod related;
mod request;
mod results;
mod suggest;
pub mod text;

pub use execute::AllMatches;
pub use live::SearchIndex;
pub use request::SearchRequest;
pub use results::{
    FacetCount, Facets, ItemOrganisation, ItemPartner, Related, SearchItem, SearchResults,
};
