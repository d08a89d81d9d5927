//! The vocabulary of co-production as types: what the API accepts, stores and returns.

pub mod api_key;
pub mod attachment;
pub mod case_study;
pub mod doi;
pub mod figures;
pub mod license;
pub mod organisation;
pub mod practice;
pub mod quality;
pub mod self_assessment;
pub mod text;
pub mod user;
pub mod vocabulary;
pub mod workflow;

/// The version of a resource a client says it is changing (from `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// The client named no version.
    Absent,
    /// The client accepts any version (`If-Match: *`).
    Any,
    /// The client edits one of these versions; any other is stale.
    Versions(Vec<i32>),
}

impl Precondition {
    pub fn admits(&self, version: i32) -> bool {
        match self {
            Self::Absent | Self::Any => true,
            Self::Versions(versions) => versions.contains(&version),
        }
    }
}
