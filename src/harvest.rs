//! The OAI-PMH repository: published case studies for harvesters (national networks,
//! university repositories, data portals), as Dublin Core or DataCite, withdrawn ones
//! reported as deleted, page by page along the change log.

use std::io;

use uuid::Uuid;

use crate::db::PgConnection;
use crate::db::harvest::{self, Listed, Page, SetKind};
use crate::domain::case_study::CaseStudy;
use crate::domain::text::slugify;
use crate::domain::vocabulary::{Country, Sector, StarQuadrant, Vocabulary};
use crate::error::ApiError;
use crate::metadata::oai::{
    self, Arguments, Header, Identity, OaiError, Prefix, Request, Selection,
};
use crate::metadata::xml::{XmlWriter, datacite_resource, dublin_core_element};
use crate::metadata::{Citable, Publication, Site};
use crate::publications;
use crate::publications::RELATED_CITED;
use crate::search::SearchIndex;

/// What the repository is, for one request.
pub struct Repository<'a> {
    pub site: &'a Site,
    pub admin_email: &'a str,
    /// Change-log entries up to here are settled; pages never go past it.
    pub settled: i64,
    /// Finds the case studies each record names as related.
    pub search: &'a SearchIndex,
    /// Records a page of `ListRecords` holds; a page of `ListIdentifiers` holds four times
    /// as many headers.
    pub page_size: i64,
}

impl Repository<'_> {
    fn base_url(&self) -> String {
        format!("{}/oai", self.site.base)
    }

    /// The host part of item identifiers.
    fn host(&self) -> String {
        url::Url::parse(&self.site.base)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "localhost".to_owned())
    }
}

/// Answers an OAI-PMH request: always a document, protocol errors inside it.
pub async fn answer(
    conn: &mut PgConnection,
    repository: &Repository<'_>,
    arguments: &Arguments,
) -> Result<String, ApiError> {
    let host = repository.host();
    let base_url = repository.base_url();
    let written = match oai::parse(arguments, &host) {
        Err(error) => oai::response(&base_url, arguments, Err(&error), |_| Ok(())),
        Ok((verb, request)) => match body(conn, repository, &host, request).await? {
            Ok(body) => oai::response(&base_url, arguments, Ok(verb), |w| {
                body.write(w, repository, &host)
            }),
            Err(error) => oai::response(&base_url, arguments, Err(&error), |_| Ok(())),
        },
    };
    Ok(written.map_err(anyhow::Error::from)?)
}

/// What a verb answers with, read before anything is written.
enum Body {
    Identify(chrono::DateTime<chrono::Utc>),
    MetadataFormats,
    Sets(Vec<(String, String)>),
    List {
        records: bool,
        entries: Vec<Entry>,
        paging: Paging,
    },
    Record(Box<Entry>),
}

/// A listed case study, with its document when it is public.
struct Entry {
    listed: Listed,
    public: Option<(CaseStudy, Publication)>,
    related: Vec<Uuid>,
    prefix: Prefix,
}

async fn body(
    conn: &mut PgConnection,
    repository: &Repository<'_>,
    host: &str,
    request: Request,
) -> Result<Result<Body, OaiError>, ApiError> {
    Ok(Ok(match request {
        Request::Identify => Body::Identify(
            harvest::earliest(conn)
                .await?
                .unwrap_or_else(chrono::Utc::now),
        ),
        Request::ListMetadataFormats { identifier } => {
            if let Some(id) = identifier
                && find(conn, repository, id).await?.is_none()
            {
                return Ok(Err(unknown(host, id)));
            }
            Body::MetadataFormats
        }
        Request::ListSets => Body::Sets(all_sets(conn).await?),
        Request::GetRecord { identifier, prefix } => {
            let Some(listed) = find(conn, repository, identifier).await? else {
                return Ok(Err(unknown(host, identifier)));
            };
            let mut entries = entries(conn, repository, vec![listed], prefix, true).await?;
            Body::Record(Box::new(entries.remove(0)))
        }
        Request::List { records, selection } => {
            let set = match &selection.set {
                Some(spec) => match parse_set(spec) {
                    Some(set) => Some(set),
                    None => return Ok(Err(no_records())),
                },
                None => None,
            };
            let limit = repository.page_size * if records { 1 } else { 4 };
            let page = Page {
                after: selection.after,
                settled: repository.settled,
                from: selection.from,
                before: selection.before,
                set: set.as_ref().map(|(kind, value)| (*kind, value.as_str())),
                only: None,
                limit: limit + 1,
            };
            let mut listed = harvest::list(conn, &page).await?;
            if listed.is_empty() {
                return Ok(Err(no_records()));
            }
            let more = listed.len() > limit as usize;
            listed.truncate(limit as usize);
            let paging = Paging {
                next: more.then(|| Selection {
                    after: listed.last().map_or(selection.after, |l| l.seq),
                    cursor: selection.cursor + listed.len() as u64,
                    ..selection.clone()
                }),
                cursor: selection.cursor,
            };
            let entries = entries(conn, repository, listed, selection.prefix, records).await?;
            Body::List {
                records,
                entries,
                paging,
            }
        }
    }))
}

/// Where a page stands in its list.
struct Paging {
    next: Option<Selection>,
    /// How many records came before this page.
    cursor: u64,
}

fn no_records() -> OaiError {
    OaiError::new(
        "noRecordsMatch",
        "no case study matches; try other dates or another set",
    )
}

fn unknown(host: &str, id: Uuid) -> OaiError {
    OaiError::new(
        "idDoesNotExist",
        format!(
            "{} has never been public here",
            oai::item_identifier(host, id)
        ),
    )
}

/// A case study that has ever been public, as it is listed now.
async fn find(
    conn: &mut PgConnection,
    repository: &Repository<'_>,
    id: Uuid,
) -> Result<Option<Listed>, ApiError> {
    let page = Page {
        after: 0,
        settled: repository.settled,
        from: None,
        before: None,
        set: None,
        only: Some(id),
        limit: 1,
    };
    Ok(harvest::list(conn, &page).await?.pop())
}

/// The documents of the listed case studies that are public; withdrawn ones have none.
async fn entries(
    conn: &mut PgConnection,
    repository: &Repository<'_>,
    listed: Vec<Listed>,
    prefix: Prefix,
    records: bool,
) -> Result<Vec<Entry>, ApiError> {
    let live: Vec<Uuid> = listed.iter().filter(|l| l.live).map(|l| l.id).collect();
    let mut public: std::collections::HashMap<Uuid, (CaseStudy, Publication)> =
        publications::live_many(conn, &live)
            .await?
            .into_iter()
            .map(|(case_study, publication)| (case_study.id, (case_study, publication)))
            .collect();
    let mut entries = Vec::with_capacity(listed.len());
    for listed in listed {
        let public = public.remove(&listed.id);
        // Only a DataCite record names relations; a withdrawn one has none.
        let related = match (&public, prefix) {
            (Some(_), Prefix::DataCite) if records => {
                repository
                    .search
                    .related_ids(listed.id, RELATED_CITED)
                    .await?
            }
            _ => Vec::new(),
        };
        entries.push(Entry {
            listed,
            public,
            related,
            prefix,
        });
    }
    Ok(entries)
}

/// Every set: the Star's quadrants, sectors, countries and the organisations named on
/// public case studies.
async fn all_sets(conn: &mut PgConnection) -> Result<Vec<(String, String)>, ApiError> {
    let mut sets = Vec::new();
    sets.extend(StarQuadrant::ALL.iter().map(|q| {
        (
            format!("quadrant:{}", q.code()),
            format!("Co-production Star: {}", q.label()),
        )
    }));
    sets.extend(Sector::ALL.iter().map(|s| {
        (
            format!("sector:{}", s.code()),
            format!("Sector: {}", s.label()),
        )
    }));
    sets.extend(Country::ALL.iter().map(|c| {
        (
            format!("country:{}", country_spec(*c)),
            format!("Country: {}", c.label()),
        )
    }));
    sets.extend(
        harvest::organisations(conn)
            .await?
            .into_iter()
            .map(|(slug, name)| {
                (
                    format!("organisation:{slug}"),
                    format!("Organisation: {name}"),
                )
            }),
    );
    Ok(sets)
}

/// Countries by a set spec's alphabet (no spaces, lower case).
fn country_spec(country: Country) -> String {
    slugify(country.label(), 50)
}

/// A set spec as a filter; `None` for one this repository does not have.
fn parse_set(spec: &str) -> Option<(SetKind, String)> {
    let (kind, value) = spec.split_once(':')?;
    match kind {
        "quadrant" => StarQuadrant::parse(value)
            .ok()
            .map(|q| (SetKind::Quadrant, q.code().to_owned())),
        "sector" => Sector::parse(value)
            .ok()
            .map(|s| (SetKind::Sector, s.code().to_owned())),
        "country" => Country::ALL
            .iter()
            .find(|c| country_spec(**c) == value)
            .map(|c| (SetKind::Country, c.code().to_owned())),
        "organisation" if crate::domain::text::is_slug(value) => {
            Some((SetKind::Organisation, value.to_owned()))
        }
        _ => None,
    }
}

/// The sets a public case study is in.
fn sets_of(case_study: &CaseStudy) -> Vec<String> {
    let content = &case_study.content;
    let mut sets: Vec<String> = content
        .quadrants
        .iter()
        .map(|q| format!("quadrant:{}", q.code()))
        .collect();
    sets.push(format!("sector:{}", content.sector.code()));
    sets.push(format!("country:{}", country_spec(content.country)));
    let mut organisations: Vec<&str> = case_study
        .partners
        .iter()
        .map(|p| p.organisation.slug.as_str())
        .chain([case_study.owner.slug.as_str()])
        .collect();
    organisations.sort_unstable();
    organisations.dedup();
    sets.extend(
        organisations
            .into_iter()
            .map(|slug| format!("organisation:{slug}")),
    );
    sets
}

impl Body {
    fn write(&self, w: &mut XmlWriter, repository: &Repository<'_>, host: &str) -> io::Result<()> {
        match self {
            Self::Identify(earliest) => {
                let identity = Identity {
                    name: &repository.site.publisher,
                    base_url: &repository.base_url(),
                    admin_email: repository.admin_email,
                    earliest: *earliest,
                };
                oai::identify(w, &identity, host)
            }
            Self::MetadataFormats => oai::metadata_formats(w),
            Self::Sets(sets) => oai::sets(w, sets),
            Self::Record(entry) => entry.write_record(w, repository, host),
            Self::List {
                records,
                entries,
                paging,
            } => {
                for entry in entries {
                    if *records {
                        entry.write_record(w, repository, host)?;
                    } else {
                        oai::header(w, &entry.header(host))?;
                    }
                }
                if paging.next.is_some() || paging.cursor > 0 {
                    oai::resumption_token(w, paging.next.as_ref(), paging.cursor)?;
                }
                Ok(())
            }
        }
    }
}

impl Entry {
    fn header(&self, host: &str) -> Header {
        Header {
            identifier: oai::item_identifier(host, self.listed.id),
            datestamp: self.listed.datestamp,
            sets: self
                .public
                .as_ref()
                .map(|(case_study, _)| sets_of(case_study))
                .unwrap_or_default(),
            deleted: self.public.is_none(),
        }
    }

    fn write_record(
        &self,
        w: &mut XmlWriter,
        repository: &Repository<'_>,
        host: &str,
    ) -> io::Result<()> {
        w.create_element("record").write_inner_content(|w| {
            oai::header(w, &self.header(host))?;
            if let Some((case_study, publication)) = &self.public {
                let citable = Citable {
                    case_study,
                    site: repository.site,
                    publication,
                    related: &self.related,
                };
                w.create_element("metadata")
                    .write_inner_content(|w| match self.prefix {
                        Prefix::DublinCore => dublin_core_element(w, &citable),
                        Prefix::DataCite => datacite_resource(w, &citable),
                    })?;
            }
            Ok(())
        })?;
        Ok(())
    }
}
