//! The pages anyone may read: home, search, a case study, an organisation, the Star.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::frame::{Chrome, PageError};
use super::session::Visitor;
use super::view::{Filters, figure, label_of, script_safe, years};
use crate::db::case_studies::CaseStudyKey;
use crate::domain::case_study::CaseStudy;
use crate::domain::text::is_slug;
use crate::domain::user::Principal;
use crate::domain::vocabulary::{
    CoproductionValue, CostBand, Country, DepthFlag, Evaluation, JourneyStep, OutcomeCategory,
    PartnerRole, Scale, Sector, StarQuadrant, Status, Vocabulary,
};
use crate::error::ApiError;
use crate::insight::{self, Crosstab, Dimension, Profile, StarMap};
use crate::markup::escape;
use crate::metadata::Format;
use crate::publications;
use crate::routes::case_studies::readable;
use crate::routes::pagination::PageParams;
use crate::routes::profiles::profile_of;
use crate::routes::query::{QueryParams, query_params, read};
use crate::routes::search::{SearchParams, run};
use crate::routes::stats::star_map;
use crate::search::{FacetCount, SearchItem, SearchResults};
use crate::state::AppState;

/// A link with its words; `current` marks the one in force.
pub struct Link {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// A case study in a list of results.
pub struct Card {
    pub href: String,
    /// HTML: escaped, with matched words marked.
    pub title: String,
    pub summary: String,
    /// HTML passages where the words matched, escaped and marked.
    pub passages: Vec<String>,
    pub quadrants: Vec<&'static str>,
    pub owner: Link,
    pub place: String,
    pub years: Option<String>,
    /// Said only when it is not simply published.
    pub status: Option<&'static str>,
}

impl Card {
    pub fn of(item: &SearchItem) -> Self {
        let (title, passages) = match &item.highlight {
            Some(highlight) => (
                highlight.title.clone(),
                highlight.fragments.iter().map(|f| f.text.clone()).collect(),
            ),
            None => (escape(&item.title), Vec::new()),
        };
        Self {
            href: format!("/case-studies/{}", item.slug),
            title,
            summary: item.summary.clone(),
            passages,
            quadrants: item.quadrants.iter().map(|q| q.label()).collect(),
            owner: Link {
                label: item.owner.name.clone(),
                href: format!("/organisations/{}", item.owner.slug),
                current: false,
            },
            place: match &item.locality {
                Some(locality) => format!("{locality}, {}", item.country.label()),
                None => item.country.label().to_owned(),
            },
            years: years(item.start_year, item.end_year),
            status: (item.status != Status::Published).then(|| item.status.label()),
        }
    }
}

fn viewer(visitor: &Visitor) -> Option<&Principal> {
    visitor.principal.as_ref()
}

/// The parameters of a page that takes the search's filters, read as the API reads them.
fn filters_of<T: crate::routes::query::FromQuery>(request: &HttpRequest) -> Result<T, ApiError> {
    read(&QueryParams::parse(request.query_string()))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    star: StarMap,
    latest: Vec<Card>,
}

#[get("/")]
pub async fn home_page(
    state: web::Data<AppState>,
    visitor: Visitor,
) -> Result<HttpResponse, PageError> {
    let everything: SearchParams = read(&QueryParams::default())?;
    let star = star_map(&state, visitor.principal.clone(), everything).await?;
    let (newest, page_size): (SearchParams, PageParams) =
        read(&QueryParams::parse("sort=newest&limit=6"))?;
    // The home page is the public's: what is published, whoever looks.
    let request = newest.into_request(None, Some(page_size))?;
    let latest = run(&state, &request, None).await?;
    visitor.page(&HomePage {
        chrome: visitor.chrome("home"),
        star,
        latest: latest.items.iter().map(Card::of).collect(),
    })
}

query_params! {
    /// Where a results page stands in the pages before it.
    pub struct Trail {
        /// The cursors of the pages before this one, `-` for the first, comma-separated.
        pub trail: Option<String>,
    }
}

/// One facet as a list of filters, each with the count it would give.
pub struct FacetList {
    pub heading: &'static str,
    pub links: Vec<(Link, u64)>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    /// The filters in force besides the words, for the search form to keep.
    kept: Vec<(String, String)>,
    total: u64,
    cards: Vec<Card>,
    facets: Vec<FacetList>,
    active: Vec<Link>,
    sorts: Vec<Link>,
    suggestion: Option<String>,
    previous: Option<String>,
    next: Option<String>,
    csv: String,
    ndjson: String,
}

/// How each facet is asked for: its heading, and the filter a value of it sets.
enum Toggle {
    /// Any of several values (`quadrant=a&quadrant=b`).
    List(&'static str),
    /// One year: from and to.
    Year,
    /// A minimum: the band's lowest value.
    AtLeast(&'static str),
}

fn facet_lists(results: &SearchResults, filters: &Filters) -> Vec<FacetList> {
    let facets = &results.facets;
    let all: [(&'static str, &[FacetCount], Toggle); 14] = [
        (
            "Co-production Star",
            &facets.quadrant,
            Toggle::List("quadrant"),
        ),
        (
            "Journey step",
            &facets.journey_step,
            Toggle::List("journey_step"),
        ),
        ("Values", &facets.value, Toggle::List("value")),
        ("Sector", &facets.sector, Toggle::List("sector")),
        ("Outcome", &facets.outcome, Toggle::List("outcome")),
        ("Partner", &facets.partner, Toggle::List("partner")),
        ("Country", &facets.country, Toggle::List("country")),
        ("Scale", &facets.scale, Toggle::List("scale")),
        ("Year started", &facets.year, Toggle::Year),
        (
            "Evidence level (at least)",
            &facets.evidence_level,
            Toggle::AtLeast("evidence_level_min"),
        ),
        (
            "Evaluated by",
            &facets.evaluation,
            Toggle::List("evaluation"),
        ),
        ("Money costs", &facets.cost_band, Toggle::List("cost_band")),
        (
            "Completeness (at least)",
            &facets.completeness,
            Toggle::AtLeast("min_completeness"),
        ),
        (
            "Signs of thin co-production",
            &facets.flag,
            Toggle::List("flag"),
        ),
    ];
    all.into_iter()
        .map(|(heading, counts, toggle)| {
            let links = counts
                .iter()
                .filter_map(|count| {
                    let (current, next) = match toggle {
                        Toggle::List(key) => (
                            filters.has(key, &count.value),
                            filters.toggled(key, &count.value),
                        ),
                        Toggle::Year => {
                            let current = filters.get("year_from") == Some(&*count.value)
                                && filters.get("year_to") == Some(&*count.value);
                            let cleared = filters.cleared("year_from").cleared("year_to");
                            let next = match current {
                                true => cleared,
                                false => cleared
                                    .with("year_from", &count.value)
                                    .with("year_to", &count.value),
                            };
                            (current, next)
                        }
                        Toggle::AtLeast(key) => {
                            let low = count.value.split('-').next().unwrap_or_default();
                            let current = filters.get(key) == Some(low);
                            let next = match current {
                                true => filters.cleared(key),
                                false => filters.set(key, low),
                            };
                            (current, next)
                        }
                    };
                    (count.count > 0 || current).then(|| {
                        let link = Link {
                            label: count.label.to_string(),
                            href: next.at("/case-studies"),
                            current,
                        };
                        (link, count.count)
                    })
                })
                .collect();
            FacetList { heading, links }
        })
        .filter(|list| !list.links.is_empty())
        .collect()
}

/// The filters in force, each a link that takes it away.
fn active_filters(filters: &Filters) -> Vec<Link> {
    filters
        .pairs()
        .iter()
        .filter(|(key, _)| !["q", "sort", "mode"].contains(&key.as_str()))
        .map(|(key, value)| {
            let label = match key.as_str() {
                "quadrant" => label_of::<StarQuadrant>(value),
                "journey_step" => label_of::<JourneyStep>(value),
                "value" => label_of::<CoproductionValue>(value),
                "sector" => label_of::<Sector>(value),
                "outcome" => label_of::<OutcomeCategory>(value),
                "country" => label_of::<Country>(value),
                "scale" => label_of::<Scale>(value),
                "evaluation" => label_of::<Evaluation>(value),
                "cost_band" => label_of::<CostBand>(value),
                "flag" => label_of::<DepthFlag>(value),
                "partner_role" => label_of::<PartnerRole>(value),
                _ => None,
            };
            let name = key.replace('_', " ");
            Link {
                label: format!("{name}: {}", label.unwrap_or(value)),
                href: filters.without(key, value).at("/case-studies"),
                current: true,
            }
        })
        .collect()
}

#[get("/case-studies")]
pub async fn search_page(
    state: web::Data<AppState>,
    request: HttpRequest,
    visitor: Visitor,
) -> Result<HttpResponse, PageError> {
    let (search, (place, Trail { trail })): (SearchParams, (PageParams, Trail)) =
        filters_of(&request)?;
    let cursor = place.cursor.clone();
    let search_request = search.into_request(viewer(&visitor), Some(place))?;
    let results = run(&state, &search_request, viewer(&visitor)).await?;
    let filters = Filters::of(request.query_string());
    let q = filters.get("q").unwrap_or_default().to_owned();

    // Earlier pages' cursors travel in the address, so "previous" needs no state kept.
    let trail: Vec<String> = trail
        .as_deref()
        .map(|t| t.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let previous = cursor.as_ref().map(|_| {
        let mut before = trail.clone();
        let back = before.pop().filter(|c| c != "-");
        let mut to = filters.clone();
        if let Some(back) = back {
            to = to.with("cursor", &back);
        }
        if !before.is_empty() {
            to = to.with("trail", &before.join(","));
        }
        to.at("/case-studies")
    });
    let next = results.next_cursor.as_ref().map(|next| {
        let mut after = trail.clone();
        after.push(cursor.clone().unwrap_or_else(|| "-".to_owned()));
        filters
            .clone()
            .with("cursor", next)
            .with("trail", &after.join(","))
            .at("/case-studies")
    });
    let sorts = [
        ("relevance", "Relevance"),
        ("newest", "Newest"),
        ("oldest", "Oldest"),
        ("title", "Title"),
        ("completeness", "Completeness"),
    ]
    .into_iter()
    .filter(|(code, _)| *code != "relevance" || !q.is_empty())
    .map(|(code, label)| {
        let default = if q.is_empty() { "newest" } else { "relevance" };
        Link {
            label: label.to_owned(),
            href: filters.set("sort", code).at("/case-studies"),
            current: filters.get("sort").unwrap_or(default) == code,
        }
    })
    .collect();
    let export = |format: &str| {
        filters
            .clone()
            .with("format", format)
            .at("/api/v1/case-studies/export")
    };
    let shown = SearchPage {
        chrome: visitor.chrome("search"),
        kept: filters
            .pairs()
            .iter()
            .filter(|(key, _)| key != "q")
            .cloned()
            .collect(),
        total: results.total,
        cards: results.items.iter().map(Card::of).collect(),
        facets: facet_lists(&results, &filters),
        active: active_filters(&filters),
        sorts,
        suggestion: results.suggestion.clone(),
        previous,
        next,
        csv: export("csv"),
        ndjson: export("ndjson"),
        q,
    };
    visitor.page(&shown)
}

/// A part of the story, in paragraphs.
pub struct Passage {
    pub heading: &'static str,
    pub paragraphs: Vec<String>,
}

pub struct PartnerRow {
    pub organisation: Link,
    pub role: &'static str,
}

pub struct OutcomeRow {
    pub category: &'static str,
    pub description: String,
    pub figure: Option<String>,
}

pub struct AnswerRow {
    pub question: &'static str,
    pub answer: &'static str,
    pub note: String,
}

#[derive(Template)]
#[template(path = "case_study.html")]
struct CaseStudyPage {
    chrome: Chrome,
    case_study: CaseStudy,
    status: Option<&'static str>,
    quadrants: Vec<Link>,
    steps: Vec<Link>,
    values: Vec<Link>,
    facts: Vec<(&'static str, String)>,
    story: Vec<Passage>,
    partners: Vec<PartnerRow>,
    outcomes: Vec<OutcomeRow>,
    answers: Vec<AnswerRow>,
    related: Vec<(Link, String)>,
    json_ld: Option<String>,
    formats: Vec<Link>,
    /// Whether the visitor's organisation writes it (the save checks again).
    editable: bool,
}

fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

fn badge<V: Vocabulary>(parameter: &str, member: V) -> Link {
    Link {
        label: member.label().to_owned(),
        href: Filters::default()
            .with(parameter, member.code())
            .at("/case-studies"),
        current: false,
    }
}

#[get("/case-studies/{slug}")]
pub async fn case_study_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let case_study = match readable(&state, viewer(&visitor), &slug).await {
        Err(ApiError::NotFound(what)) => return moved(&state, &slug, what).await,
        read => read?,
    };
    let content = &case_study.content;
    let story = [
        ("You asked", &content.you_asked),
        ("We said", &content.we_said),
        ("We did", &content.we_did),
        ("What worked", &content.what_worked),
        ("What could be improved", &content.could_improve),
        ("Objectives", &content.practice.objectives),
        ("Leadership", &content.practice.leadership),
        ("Next steps", &content.practice.next_steps),
    ]
    .into_iter()
    .filter_map(|(heading, text)| {
        Some(Passage {
            heading,
            paragraphs: paragraphs(text.as_deref()?),
        })
    })
    .collect();
    let mut facts = vec![
        ("Sector", content.sector.label().to_owned()),
        ("Scale", content.scale.label().to_owned()),
        (
            "Place",
            match &content.locality {
                Some(locality) => format!("{locality}, {}", content.country.label()),
                None => content.country.label().to_owned(),
            },
        ),
    ];
    if let Some(years) = years(content.start_year, content.end_year) {
        facts.push(("When", years));
    }
    facts.push((
        "Completeness",
        format!("{}%", case_study.quality.completeness),
    ));
    facts.push(("Licence", content.license.to_string()));
    let published = case_study.status == Status::Published;
    let related = match published {
        true => related(&state, &case_study, viewer(&visitor)).await?,
        false => Vec::new(),
    };
    let json_ld = match published {
        true => Some(json_ld(&state, &case_study).await?),
        false => None,
    };
    let formats = [
        (Format::JsonLd, "JSON-LD"),
        (Format::Csl, "CSL-JSON"),
        (Format::BibTex, "BibTeX"),
        (Format::Ris, "RIS"),
        (Format::DataCite, "DataCite XML"),
    ]
    .into_iter()
    .filter(|_| published)
    .map(|(format, label)| Link {
        label: label.to_owned(),
        href: format!(
            "/api/v1/case-studies/{}?format={}",
            case_study.id,
            format.short_name()
        ),
        current: false,
    })
    .collect();
    let shown = CaseStudyPage {
        chrome: visitor.chrome("search"),
        status: (!published).then(|| case_study.status.label()),
        quadrants: content
            .quadrants
            .iter()
            .map(|q| badge("quadrant", *q))
            .collect(),
        steps: content
            .journey_steps
            .iter()
            .map(|s| badge("journey_step", *s))
            .collect(),
        values: content.values.iter().map(|v| badge("value", *v)).collect(),
        facts,
        story,
        partners: case_study
            .partners
            .iter()
            .map(|partner| PartnerRow {
                organisation: Link {
                    label: partner.organisation.name.clone(),
                    href: format!("/organisations/{}", partner.organisation.slug),
                    current: false,
                },
                role: partner.role.label(),
            })
            .collect(),
        outcomes: case_study
            .outcomes
            .iter()
            .map(|outcome| OutcomeRow {
                category: outcome.category.label(),
                description: outcome.description.clone(),
                figure: outcome.metric.as_ref().map(figure),
            })
            .collect(),
        answers: case_study
            .self_assessment
            .answers
            .iter()
            .map(|entry| AnswerRow {
                question: entry.question.description(),
                answer: entry.answer.label(),
                note: entry.note.clone(),
            })
            .collect(),
        related,
        json_ld,
        formats,
        editable: visitor.principal.as_ref().is_some_and(|principal| {
            case_study.owner.id == principal.organisation_id
                || case_study
                    .partners
                    .iter()
                    .any(|p| p.organisation.id == principal.organisation_id)
        }),
        case_study,
    };
    visitor.page(&shown)
}

/// The case studies most like this one, each with why.
async fn related(
    state: &AppState,
    case_study: &CaseStudy,
    viewer: Option<&Principal>,
) -> Result<Vec<(Link, String)>, ApiError> {
    if !state.search.visible(case_study.id, viewer) {
        return Ok(Vec::new());
    }
    let related = state.search.related(case_study.id, 5).await?;
    Ok(related
        .into_iter()
        .map(|related| {
            let link = Link {
                label: related.case_study.title,
                href: format!("/case-studies/{}", related.case_study.slug),
                current: false,
            };
            (link, related.reason)
        })
        .collect())
}

/// The schema.org description of the published version, for the page's head.
async fn json_ld(state: &AppState, case_study: &CaseStudy) -> Result<String, ApiError> {
    let key =
        CaseStudyKey::parse(&case_study.id.to_string()).ok_or(ApiError::NotFound("case study"))?;
    let mut conn = state.read_db(None).await?;
    let (live, publication) = publications::live(&mut conn, &key).await?;
    let related = state
        .search
        .related_ids(live.id, publications::RELATED_CITED)
        .await?;
    let rendered =
        publications::render(&live, &publication, &state.site(), Format::JsonLd, &related)?;
    Ok(script_safe(&String::from_utf8_lossy(&rendered.body)))
}

/// A slug the case study used to have leads to where it is now.
async fn moved(
    state: &AppState,
    slug: &str,
    what: &'static str,
) -> Result<HttpResponse, PageError> {
    if !is_slug(slug) {
        return Err(ApiError::NotFound(what).into());
    }
    let mut conn = state.read_db(None).await?;
    let current = publications::moved(&mut conn, slug)
        .await?
        .ok_or(ApiError::NotFound(what))?;
    Ok(HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, format!("/case-studies/{current}")))
        .finish())
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    chrome: Chrome,
    profile: Profile,
    cards: Vec<Card>,
    all: String,
}

#[get("/organisations/{slug}")]
pub async fn organisation_page(
    state: web::Data<AppState>,
    visitor: Visitor,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let profile = profile_of(&state, viewer(&visitor), &slug).await?;
    let theirs = Filters::default().with("partner", &profile.slug);
    // A slug needs no escaping in a query.
    let (search, place): (SearchParams, PageParams) = read(&QueryParams::parse(&format!(
        "partner={}&limit=10",
        profile.slug
    )))?;
    let request = search.into_request(viewer(&visitor), Some(place))?;
    let results = run(&state, &request, viewer(&visitor)).await?;
    let shown = OrganisationPage {
        chrome: visitor.chrome("search"),
        cards: results.items.iter().map(Card::of).collect(),
        all: theirs.at("/case-studies"),
        profile,
    };
    visitor.page(&shown)
}

query_params! {
    pub struct TableParams {
        /// What the table's rows count by.
        #[param(inline)]
        pub rows: Option<Dimension>,
        /// What its columns count by.
        #[param(inline)]
        pub cols: Option<Dimension>,
    }
}

#[derive(Template)]
#[template(path = "star.html")]
struct StarPage {
    chrome: Chrome,
    star: StarMap,
    picture: String,
    quadrant_links: Vec<String>,
    table: Crosstab,
    row_labels: Vec<String>,
    column_labels: Vec<String>,
    dimensions: Vec<(&'static str, &'static str)>,
    rows: &'static str,
    cols: &'static str,
    kept: Vec<(String, String)>,
}

#[get("/star")]
pub async fn star_page(
    state: web::Data<AppState>,
    request: HttpRequest,
    visitor: Visitor,
) -> Result<HttpResponse, PageError> {
    let (table, search): (TableParams, SearchParams) = filters_of(&request)?;
    let rows = table.rows.unwrap_or(Dimension::Quadrant);
    let columns = table.cols.unwrap_or(Dimension::Sector);
    let search = search.into_request(viewer(&visitor), None)?;
    let (star, crosstab) = state
        .search
        .with_matches(&search, viewer(&visitor), |index, docs| {
            (
                insight::star_map(docs),
                insight::crosstab(index, docs, rows, columns),
            )
        })
        .await?;
    let filters = Filters::of(request.query_string())
        .cleared("rows")
        .cleared("cols");
    let quadrant_links = star
        .quadrants
        .iter()
        .map(|q| {
            filters
                .set("quadrant", q.quadrant.code())
                .at("/case-studies")
        })
        .collect();
    let shown = StarPage {
        chrome: visitor.chrome("star"),
        picture: filters.at("/api/v1/stats/star.svg"),
        quadrant_links,
        row_labels: crosstab
            .row_values
            .iter()
            .map(|v| rows.value_label(v))
            .collect(),
        column_labels: crosstab
            .column_values
            .iter()
            .map(|v| columns.value_label(v))
            .collect(),
        table: crosstab,
        dimensions: Dimension::ALL
            .iter()
            .map(|d| (d.name(), d.label()))
            .collect(),
        rows: rows.name(),
        cols: columns.name(),
        kept: filters.pairs().to_vec(),
        star,
    };
    visitor.page(&shown)
}
