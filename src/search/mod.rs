//! Search over case studies.
//!
//! The full-text index (`fulltext`) matches the words and keeps the texts a page quotes;
//! `matching` ranks them (BM25F, proximity); the compact record index (`index`) does the
//! rest: visibility, filters, exact multi-select facet counts (`facets`) and keyset pages
//! (`evaluate`). Both follow PostgreSQL's change log (`live`); `execute` puts these together
//! and `results` fills in the texts. Public answers are kept while the index stays as it
//! was (`cache`).

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
