//! Open metadata: a published case study in the formats repositories, harvesters and
//! reference managers already read. Every format is written from one mapping (`Citable`),
//! so no two of them can disagree about who, what, where or when.

pub mod citation;
pub mod jsonld;
pub mod oai;
pub mod xml;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::case_study::CaseStudy;
use crate::domain::doi::Doi;
use crate::domain::organisation::{OrganisationRef, OrganisationSummary};
use crate::domain::vocabulary::{Country, PartnerRole, Vocabulary};

/// A representation of a case study a client may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    JsonLd,
    Csl,
    BibTex,
    Ris,
    DataCite,
    DublinCore,
}

impl Format {
    pub const ALL: [Self; 7] = [
        Self::Json,
        Self::JsonLd,
        Self::Csl,
        Self::BibTex,
        Self::Ris,
        Self::DataCite,
        Self::DublinCore,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::JsonLd => "application/ld+json",
            Self::Csl => "application/vnd.citationstyles.csl+json",
            Self::BibTex => "application/x-bibtex",
            Self::Ris => "application/x-research-info-systems",
            Self::DataCite => "application/vnd.datacite.datacite+xml",
            Self::DublinCore => "application/oai_dc+xml",
        }
    }

    /// The name `?format=` takes, for links and browsers.
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::JsonLd => "jsonld",
            Self::Csl => "csl",
            Self::BibTex => "bibtex",
            Self::Ris => "ris",
            Self::DataCite => "datacite",
            Self::DublinCore => "dc",
        }
    }

    pub fn from_short_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.short_name() == name)
    }

    /// What a client's `Accept` header (its ranges in order of preference) asks for; `None`
    /// when nothing offered is acceptable. Any range that admits JSON gets the default.
    pub fn negotiate<'a>(mut ranges: impl Iterator<Item = &'a str>) -> Option<Self> {
        ranges.find_map(|range| {
            let range = range.split(';').next().unwrap_or("").trim();
            match range.to_ascii_lowercase().as_str() {
                "*/*" | "application/*" => Some(Self::Json),
                range => Self::ALL.into_iter().find(|f| f.media_type() == range),
            }
        })
    }

    /// Every media type offered, for the answer to an `Accept` nothing matches.
    pub fn offered() -> Vec<&'static str> {
        Self::ALL.into_iter().map(Self::media_type).collect()
    }
}

/// As `?format=` names it.
impl utoipa::PartialSchema for Format {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Self::ALL.map(Self::short_name)))
            .description(Some(
                "A format by short name: `json` (the document), `jsonld` (schema.org), `csl` (CSL-JSON), `bibtex`, `ris`, `datacite` (DataCite 4.5 XML) or `dc` (simple Dublin Core).",
            ))
            .into()
    }
}

impl ToSchema for Format {}

/// Where the service is and who publishes through it.
#[derive(Debug, Clone)]
pub struct Site {
    /// The public base URL, without a trailing slash.
    pub base: String,
    pub publisher: String,
}

impl Site {
    /// A case study's permanent address: its id, which no edit changes.
    pub fn case_study_url(&self, id: uuid::Uuid) -> String {
        format!("{}/api/v1/case-studies/{id}", self.base)
    }
}

/// One publication of a case study: what the public saw from `published_at`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Publication {
    /// Publications are numbered from 1.
    pub number: i32,
    pub published_at: DateTime<Utc>,
    pub state: VersionState,
    /// The newest publication's number.
    pub latest: i32,
    /// The DOI registered for the case study, when an administrator has recorded one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doi: Option<Doi>,
}

/// Whether a publication is still what the public sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VersionState {
    /// The newest publication, still public.
    Current,
    /// A newer publication replaced it.
    Superseded,
    /// The case study is no longer public.
    Withdrawn,
}

impl Publication {
    /// What a reader of this version should know, when it is no longer the current one.
    pub fn note(&self) -> Option<String> {
        match self.state {
            VersionState::Current => None,
            VersionState::Superseded => Some(format!(
                "Version {} of {}: a newer version of this case study exists.",
                self.number, self.latest
            )),
            VersionState::Withdrawn => {
                Some("This case study has been withdrawn by its partners.".to_owned())
            }
        }
    }
}

/// A term of one of casebook's vocabularies, as a subject of a case study.
pub struct Subject {
    /// The vocabulary's key in `/api/v1/vocabularies`.
    pub scheme: &'static str,
    /// The vocabulary's name for people.
    pub scheme_name: &'static str,
    pub code: &'static str,
    pub label: &'static str,
}

/// A published case study, seen as something to cite: the one mapping every format reads.
pub struct Citable<'a> {
    pub case_study: &'a CaseStudy,
    pub site: &'a Site,
    pub publication: &'a Publication,
    /// Case studies most like this one, by id (the current publication only: a frozen
    /// version says what it said).
    pub related: &'a [uuid::Uuid],
}

impl Citable<'_> {
    /// The permanent address of the case study (its id; never its slug, which may change).
    pub fn url(&self) -> String {
        self.site.case_study_url(self.case_study.id)
    }

    /// The permanent address of this version.
    pub fn version_url(&self) -> String {
        self.numbered_url(self.publication.number)
    }

    pub fn numbered_url(&self, number: i32) -> String {
        format!("{}/versions/{number}", self.url())
    }

    /// A key for reference managers: the slug and the version.
    pub fn key(&self) -> String {
        format!("{}-v{}", self.case_study.slug, self.publication.number)
    }

    pub fn title(&self) -> &str {
        &self.case_study.content.title
    }

    pub fn summary(&self) -> &str {
        &self.case_study.content.summary
    }

    /// The organisations that made the work, as its authors: every partner but the funders,
    /// or the owner when no partner is named.
    pub fn creators(&self) -> Vec<&OrganisationSummary> {
        let creators: Vec<&OrganisationSummary> = self
            .case_study
            .partners
            .iter()
            .filter(|p| p.role != PartnerRole::Funder)
            .map(|p| &p.organisation)
            .collect();
        if creators.is_empty() {
            vec![&self.case_study.owner]
        } else {
            creators
        }
    }

    /// Partners in the `funder` role and every partner a cost names as its funder.
    pub fn funders(&self) -> Vec<&OrganisationSummary> {
        let named: Vec<&OrganisationRef> = self.case_study.content.practice.funders().collect();
        self.case_study
            .partners
            .iter()
            .filter(|p| {
                p.role == PartnerRole::Funder
                    || named.iter().any(|r| match r {
                        OrganisationRef::Id(id) => *id == p.organisation.id,
                        OrganisationRef::Slug(slug) => *slug == p.organisation.slug,
                    })
            })
            .map(|p| &p.organisation)
            .collect()
    }

    /// Partners with their roles, in the document's order.
    pub fn partners(&self) -> impl Iterator<Item = (&OrganisationSummary, PartnerRole)> {
        self.case_study
            .partners
            .iter()
            .map(|p| (&p.organisation, p.role))
    }

    /// Quadrants, steps, values and the sector, in that order.
    pub fn subjects(&self) -> Vec<Subject> {
        fn terms<V: Vocabulary>(
            scheme: &'static str,
            scheme_name: &'static str,
            members: &[V],
        ) -> impl Iterator<Item = Subject> {
            members.iter().map(move |member| Subject {
                scheme,
                scheme_name,
                code: member.code(),
                label: member.label(),
            })
        }
        let content = &self.case_study.content;
        terms("quadrants", "Co-production Star", &content.quadrants)
            .chain(terms(
                "journey_steps",
                "Co-production journey",
                &content.journey_steps,
            ))
            .chain(terms("values", "Co-production values", &content.values))
            .chain(terms("sectors", "Service sector", &[content.sector]))
            .collect()
    }

    /// Where a subject's term is explained.
    pub fn subject_uri(&self, subject: &Subject) -> String {
        format!(
            "{}/api/v1/vocabularies#{}/{}",
            self.site.base, subject.scheme, subject.code
        )
    }

    pub fn scheme_uri(&self, subject: &Subject) -> String {
        format!("{}/api/v1/vocabularies#{}", self.site.base, subject.scheme)
    }

    /// The place, most specific first, with its country.
    pub fn place(&self) -> Option<String> {
        let content = &self.case_study.content;
        let country = (content.country != Country::Other).then(|| content.country.label());
        match (content.locality.as_deref(), country) {
            (Some(locality), Some(country)) => Some(format!("{locality}, {country}")),
            (Some(locality), None) => Some(locality.to_owned()),
            (None, country) => country.map(str::to_owned),
        }
    }

    /// The years the work ran, as an ISO 8601 interval (`2015/2017`, or `2015/..` while it
    /// goes on).
    pub fn temporal(&self) -> Option<String> {
        let content = &self.case_study.content;
        match (content.start_year, content.end_year) {
            (Some(start), Some(end)) if start == end => Some(start.to_string()),
            (Some(start), Some(end)) => Some(format!("{start}/{end}")),
            (Some(start), None) => Some(format!("{start}/..")),
            (None, Some(end)) => Some(format!("../{end}")),
            (None, None) => None,
        }
    }

    /// When this version was published.
    pub fn issued(&self) -> DateTime<Utc> {
        self.publication.published_at
    }

    /// When the case study was first published.
    pub fn first_published(&self) -> DateTime<Utc> {
        self.case_study
            .published_at
            .unwrap_or(self.publication.published_at)
    }

    pub fn year(&self) -> i32 {
        self.issued().year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_ranges_choose_the_first_format_offered() {
        let negotiate = |ranges: &[&str]| Format::negotiate(ranges.iter().copied());
        assert_eq!(
            negotiate(&["application/x-bibtex", "application/json"]),
            Some(Format::BibTex)
        );
        assert_eq!(negotiate(&["text/html", "*/*"]), Some(Format::Json));
        assert_eq!(
            negotiate(&["application/LD+JSON; profile=x"]),
            Some(Format::JsonLd)
        );
        assert_eq!(negotiate(&["text/html", "image/png"]), None);
    }
}
