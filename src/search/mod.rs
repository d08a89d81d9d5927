//! Search over case studies.
//!
//! PostgreSQL matches the words (one GIN lookup per query term, see `db::search`); the
//! service's in-memory index (see `index`) does the rest: visibility, filters, exact
//! multi-select facet counts, ranking and keyset pages. The index follows the change log, so
//! every replica of the service converges on what PostgreSQL holds.

pub mod cache;
pub mod evaluate;
pub mod highlight;
pub mod index;
pub mod text;

use std::collections::HashMap;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use self::cache::{Answer, Kept, PublicDocument};
use self::evaluate::{
    COMPLETENESS_BANDS, ClauseScoring, EXCLUDED, Evaluation, FIRST_YEAR, Filters, OwnedKey, Plan,
    Position, Ranked, Sort, TextMatches,
};
use self::highlight::{Highlight, highlight};
use self::index::{Doc, Index};
use self::text::{TextQuery, stems, term_hash};
use crate::auth::Principal;
use crate::db::{PgConnection, changes, search as queries};
use crate::domain::organisation::OrganisationRef;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, ChangedEntity, CoproductionValue, Country, DepthFlag,
    JourneyStep, OutcomeCategory, PartnerRole, Scale, Sector, StarQuadrant, Status, Vocabulary,
};
use crate::error::ApiError;
use crate::routes::pagination::{decode_cursor, encode_cursor};
use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use futures_util::StreamExt;

/// The search index shared by every worker of the service.
pub struct SearchIndex {
    index: RwLock<Index>,
    /// False until the first build is done.
    loaded: tokio::sync::watch::Sender<bool>,
    refreshing: tokio::sync::Mutex<()>,
    /// Answers to the public's recent searches.
    pub answers: Kept<SearchRequest, Answer>,
    /// Published case studies the public has read recently, by the id or slug it used.
    pub documents: Kept<String, PublicDocument>,
}

/// How long the first build of the index may take (100,000 case studies take seconds).
const LOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);
/// How long a request waits for the index to be built before answering 503.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// A search, as parsed from the query string.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct SearchRequest {
    pub text: Option<String>,
    pub quadrants: Vec<StarQuadrant>,
    /// Organisation slugs or ids.
    pub partners: Vec<String>,
    pub partner_roles: Vec<PartnerRole>,
    pub outcomes: Vec<OutcomeCategory>,
    pub sectors: Vec<Sector>,
    pub scales: Vec<Scale>,
    pub journey_steps: Vec<JourneyStep>,
    pub values: Vec<CoproductionValue>,
    pub localities: Vec<String>,
    pub countries: Vec<Country>,
    pub year_from: Option<i16>,
    pub year_to: Option<i16>,
    pub statuses: Vec<Status>,
    pub flags: Vec<DepthFlag>,
    pub min_completeness: Option<u8>,
    pub assessments: Vec<(AssessmentQuestion, AssessmentAnswer)>,
    pub sort: Option<Sort>,
    pub limit: usize,
    pub cursor: Option<String>,
}

/// One result: the case study in brief.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchItem {
    pub id: Uuid,
    #[schema(example = "listening-to-langlee-community")]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: Status,
    pub quadrants: Vec<StarQuadrant>,
    pub journey_steps: Vec<JourneyStep>,
    pub values: Vec<CoproductionValue>,
    pub sector: Sector,
    pub scale: Scale,
    pub locality: Option<String>,
    pub country: Country,
    pub start_year: Option<i16>,
    pub end_year: Option<i16>,
    /// The organisation whose editors look after it.
    pub owner: ItemOrganisation,
    pub partners: Vec<ItemPartner>,
    /// The categories of its outcomes.
    pub outcomes: Vec<OutcomeCategory>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// How complete it is against the toolkit's shape (0-100).
    pub completeness: u8,
    /// Signs it may be engagement more than co-production.
    pub flags: Vec<DepthFlag>,
    /// How well it matched `q` (higher is better); only with `q`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub score: Option<f32>,
    /// The matched words, marked; only with `q`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub highlight: Option<Highlight>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemOrganisation {
    pub name: String,
    pub slug: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemPartner {
    pub name: String,
    pub slug: String,
    pub role: PartnerRole,
}

/// How many results each value of a facet would give, with every other filter applied.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    #[schema(example = "co-design")]
    pub value: String,
    #[schema(example = "Co-design")]
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Default, Clone, Serialize, ToSchema)]
pub struct Facets {
    pub quadrant: Vec<FacetCount>,
    pub sector: Vec<FacetCount>,
    pub outcome: Vec<FacetCount>,
    /// The 20 organisations with most results (owners count as partners).
    pub partner: Vec<FacetCount>,
    pub country: Vec<FacetCount>,
    pub scale: Vec<FacetCount>,
    pub journey_step: Vec<FacetCount>,
    pub value: Vec<FacetCount>,
    /// By the year the work started.
    pub year: Vec<FacetCount>,
    /// By band of completeness: 0-19, 20-39, 40-59, 60-79, 80-100.
    pub completeness: Vec<FacetCount>,
    pub flag: Vec<FacetCount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub items: Vec<SearchItem>,
    /// Every match, exactly.
    pub total: u64,
    pub facets: Facets,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// The query with misspelt words corrected, when that is what was searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub suggestion: Option<String>,
}

impl SearchResults {
    /// Whether the texts of some result (summary, place, snippets) were not where they were
    /// read: a replica behind the index. A summary is never empty otherwise.
    pub fn lacks_texts(&self) -> bool {
        self.items.iter().any(|item| item.summary.is_empty())
    }
}

/// The partner facet lists this many organisations, most results first.
const PARTNER_FACET_SIZE: usize = 20;

impl SearchIndex {
    /// An empty index, and room for what the public reads (see `cache`).
    pub fn new(answers_bytes: usize, documents_bytes: usize) -> Self {
        Self {
            index: RwLock::default(),
            loaded: tokio::sync::watch::Sender::new(false),
            refreshing: tokio::sync::Mutex::default(),
            answers: Kept::new(answers_bytes),
            documents: Kept::new(documents_bytes),
        }
    }

    /// The change-log position the index has taken in: what kept values are valid for.
    pub fn position(&self) -> i64 {
        self.read().last_seq
    }

    fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Builds the index from the database: every live record and organisation. Run once,
    /// by the task that follows the change log; searches wait for it (see `ready`).
    pub async fn load(&self, conn: &mut PgConnection) -> Result<(), ApiError> {
        let _refreshing = self.refreshing.lock().await;
        if *self.loaded.borrow() {
            return Ok(());
        }
        let index = conn
            .transaction(async |conn| {
                // Reading the whole collection takes longer than any request may. Its plan
                // is costly enough for PostgreSQL to compile it, which takes longer than
                // running it; its grouped aggregates sort in memory rather than on disk.
                conn.batch_execute(&format!(
                    "SET LOCAL statement_timeout = {}; SET LOCAL jit = off; \
                     SET LOCAL work_mem = '64MB'",
                    LOAD_TIMEOUT.as_millis()
                ))
                .await?;
                // The log position first: changes committed while the records are read are
                // applied again afterwards, which is harmless.
                let mut index = Index::default();
                index.last_seq = changes::latest(conn).await?;
                for organisation in queries::organisation_rows(conn, None).await? {
                    index.upsert_organisation(organisation);
                }
                let mut rows = queries::all_index_rows(conn).await?;
                while let Some(row) = rows.next().await {
                    index.upsert(row?);
                }
                Ok::<_, ApiError>(index)
            })
            .await?;
        *self.index.write().unwrap_or_else(|p| p.into_inner()) = index;
        self.catch_up(conn).await?;
        self.loaded.send_replace(true);
        Ok(())
    }

    /// True once the index is built and searches can be answered.
    pub fn is_ready(&self) -> bool {
        *self.loaded.borrow()
    }

    /// Waits (a bounded time) for the index to be built; 503 if it is still loading.
    async fn ready(&self) -> Result<(), ApiError> {
        let mut loaded = self.loaded.subscribe();
        match tokio::time::timeout(READY_WAIT, loaded.wait_for(|loaded| *loaded)).await {
            Ok(Ok(_)) => Ok(()),
            _ => Err(ApiError::Unavailable(
                "the search index is still loading".into(),
            )),
        }
    }

    /// Applies every change-log entry not seen yet, so whoever calls it next reads what
    /// has been committed.
    pub async fn refresh(&self, conn: &mut PgConnection) -> Result<(), ApiError> {
        self.ready().await?;
        let _refreshing = self.refreshing.lock().await;
        self.catch_up(conn).await
    }

    /// `refresh` after a committed write, so the writer's next search sees it. The write
    /// stands whatever happens here: if the database went away since the commit, answering
    /// 503 would invite a retry and a duplicate, so the failure is only logged and the task
    /// following the change log applies the write once the database is back.
    pub async fn refresh_after_write(&self, conn: &mut PgConnection) {
        if let Err(error) = self.refresh(conn).await {
            tracing::warn!(error = %error, "search index not updated after a write; will catch up");
        }
    }

    async fn catch_up(&self, conn: &mut PgConnection) -> Result<(), ApiError> {
        loop {
            let after = self.read().last_seq;
            let batch = changes::since(conn, after, 1000, false).await?;
            let Some(last) = batch.last().map(|c| c.seq) else {
                return Ok(());
            };
            let mut case_studies = Vec::new();
            let mut organisations = Vec::new();
            for change in &batch {
                match change.entity {
                    ChangedEntity::CaseStudy => case_studies.push(change.entity_id),
                    ChangedEntity::Organisation => organisations.push(change.entity_id),
                }
            }
            case_studies.sort();
            case_studies.dedup();
            let rows = queries::index_rows(conn, &case_studies).await?;
            // Organisations a record names that this index has not met yet come along too.
            let known = {
                let index = self.read();
                rows.iter()
                    .flat_map(|r| r.partner_ids.iter().chain([&r.owner_id]))
                    .filter(|id| !index.organisation_by_id.contains_key(id))
                    .copied()
                    .collect::<Vec<_>>()
            };
            organisations.extend(known);
            organisations.sort();
            organisations.dedup();
            let organisation_rows = if organisations.is_empty() {
                Vec::new()
            } else {
                queries::organisation_rows(conn, Some(&organisations)).await?
            };
            let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
            for organisation in organisation_rows {
                index.upsert_organisation(organisation);
            }
            let found: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            for row in rows {
                index.upsert(row);
            }
            for id in case_studies.iter().filter(|id| !found.contains(id)) {
                index.remove(*id);
            }
            index.last_seq = last;
        }
    }

    /// Waits for the index, matches the words of the request, and settles its order.
    async fn prepare(
        &self,
        conn: &mut PgConnection,
        request: &SearchRequest,
    ) -> Result<(Option<PreparedText>, Sort), ApiError> {
        self.ready().await?;
        let documents = self.read().docs.len();
        let prepared = prepare_text(conn, request, documents).await?;
        let sort = request.sort.unwrap_or(if prepared.is_some() {
            Sort::Relevance
        } else {
            Sort::Newest
        });
        Ok((prepared, sort))
    }

    pub async fn search(
        &self,
        conn: &mut PgConnection,
        request: &SearchRequest,
        viewer: Option<&Principal>,
    ) -> Result<SearchResults, ApiError> {
        if viewer.is_none() {
            if let Some(results) = self.public_search(conn, request).await? {
                return Ok(results);
            }
        }
        let (prepared, sort) = self.prepare(conn, request).await?;
        let after = start_after(request, sort)?;
        let (items, evaluation, facets) = {
            let index = self.read();
            let evaluation = evaluate_request(
                &index,
                request,
                prepared.as_ref(),
                viewer,
                sort,
                after.as_ref(),
                Some(request.limit),
            )?;
            let items = items(&index, &evaluation.page);
            let facets = facets(&index, &evaluation);
            (items, evaluation, facets)
        };
        let items =
            complete_items(conn, items, prepared.as_ref().map(|p| p.stems.as_slice())).await?;
        Ok(SearchResults {
            items,
            total: evaluation.total,
            facets,
            next_cursor: evaluation
                .next
                .map(|key| encode_cursor(&Position { sort, key })),
            suggestion: prepared.and_then(|p| p.suggestion),
        })
    }

    /// A search by someone not signed in: everyone sees the same, so the answer is kept
    /// (see `cache`) and each page is cut from it. `None` for a page past what is kept.
    async fn public_search(
        &self,
        conn: &mut PgConnection,
        request: &SearchRequest,
    ) -> Result<Option<SearchResults>, ApiError> {
        self.ready().await?;
        let key = cache::search_key(request);
        let kept = self.answers.get(&key, self.position());
        let answer = match kept {
            Some(answer) => answer,
            None => {
                let (prepared, sort) = self.prepare(conn, request).await?;
                let index = self.read();
                let evaluation = evaluate_request(
                    &index,
                    request,
                    prepared.as_ref(),
                    None,
                    sort,
                    None,
                    Some(cache::KEPT_RESULTS),
                )?;
                let prepared = prepared.map(|p| (p.stems, p.suggestion));
                let answer = Arc::new(Answer {
                    sort,
                    total: evaluation.total,
                    facets: facets(&index, &evaluation),
                    complete: evaluation.next.is_none(),
                    order: evaluation.page,
                    stems: prepared.as_ref().map(|(stems, _)| stems.clone()),
                    suggestion: prepared.and_then(|(_, suggestion)| suggestion),
                });
                self.answers.put(key, index.last_seq, answer.clone());
                answer
            }
        };
        let after = start_after(request, answer.sort)?;
        let cut = {
            let index = self.read();
            evaluate::page_of(
                &index,
                answer.sort,
                &answer.order,
                answer.complete,
                after.as_ref(),
                request.limit,
            )
            .map(|(page, next)| (items(&index, &page), next))
        };
        let Some((items, next)) = cut else {
            return Ok(None);
        };
        let items = complete_items(conn, items, answer.stems.as_deref()).await?;
        Ok(Some(SearchResults {
            items,
            total: answer.total,
            facets: answer.facets.clone(),
            next_cursor: next.map(|key| {
                encode_cursor(&Position {
                    sort: answer.sort,
                    key,
                })
            }),
            suggestion: answer.suggestion.clone(),
        }))
    }

    /// Every match in order, as ids: what an export streams.
    pub async fn all_matches(
        &self,
        conn: &mut PgConnection,
        request: &SearchRequest,
        viewer: Option<&Principal>,
    ) -> Result<Vec<Uuid>, ApiError> {
        self.with_matches(conn, request, viewer, |_, docs| {
            docs.iter().map(|d| d.id).collect()
        })
        .await
    }

    /// Runs `summarise` over every match, in order, with the index at hand: how the
    /// statistics see exactly what the search finds.
    pub async fn with_matches<T>(
        &self,
        conn: &mut PgConnection,
        request: &SearchRequest,
        viewer: Option<&Principal>,
        summarise: impl FnOnce(&Index, &[&Doc]) -> T,
    ) -> Result<T, ApiError> {
        let (prepared, sort) = self.prepare(conn, request).await?;
        let index = self.read();
        let evaluation =
            evaluate_request(&index, request, prepared.as_ref(), viewer, sort, None, None)?;
        let docs: Vec<&Doc> = evaluation
            .page
            .iter()
            .filter_map(|(number, _)| index.doc(*number))
            .collect();
        Ok(summarise(&index, &docs))
    }

    /// Runs `look` over the index as it is now.
    pub async fn with_index<T>(&self, look: impl FnOnce(&Index) -> T) -> Result<T, ApiError> {
        self.ready().await?;
        Ok(look(&self.read()))
    }

    /// The published case studies most like this one, each with why.
    pub async fn related(
        &self,
        conn: &mut PgConnection,
        id: Uuid,
        limit: usize,
    ) -> Result<Vec<Related>, ApiError> {
        self.ready().await?;
        let candidates = {
            let index = self.read();
            let subject = index
                .by_id
                .get(&id)
                .and_then(|n| index.doc(*n))
                .ok_or(ApiError::NotFound("case study"))?;
            let mut scored: Vec<(f32, &Doc, Vec<String>)> = index
                .live_docs()
                .filter(|d| d.id != id && d.status == Status::Published)
                .filter_map(|d| {
                    let (score, reasons) = similarity(&index, subject, d);
                    (score > 0.0).then_some((score, d, reasons))
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.sort_time.cmp(&a.1.sort_time)));
            scored
                .into_iter()
                .take(limit)
                .map(|(score, doc, reasons)| (item(&index, doc, Some(score)), reasons))
                .collect::<Vec<_>>()
        };
        let (items, reasons): (Vec<SearchItem>, Vec<Vec<String>>) = candidates.into_iter().unzip();
        let items = complete_items(conn, items, None).await?;
        Ok(items
            .into_iter()
            .zip(reasons)
            .map(|(case_study, reasons)| Related {
                reason: reasons.join("; "),
                case_study,
            })
            .collect())
    }

    /// Whether the index knows this case study and a viewer may see it: used by `related`.
    pub fn visible(&self, id: Uuid, viewer: Option<&Principal>) -> bool {
        let index = self.read();
        index
            .by_id
            .get(&id)
            .and_then(|n| index.doc(*n))
            .is_some_and(|doc| evaluate::visible(doc, &index, viewer))
    }
}

/// A related case study and why it is related.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Related {
    pub case_study: SearchItem,
    #[schema(
        example = "both co-design; both with Scottish Borders Housing Association; same sector (housing)"
    )]
    pub reason: String,
}

fn similarity(index: &Index, a: &Doc, b: &Doc) -> (f32, Vec<String>) {
    let mut score = 0.0;
    let mut reasons = Vec::new();
    let shared_quadrants: Vec<StarQuadrant> = index::members(a.quadrants & b.quadrants);
    if !shared_quadrants.is_empty() {
        score += 1.0 * shared_quadrants.len() as f32;
        let names: Vec<&str> = shared_quadrants.iter().map(|q| q.code()).collect();
        reasons.push(format!("both {}", names.join(" and ")));
    }
    let shared_partners: Vec<&str> = a
        .partners
        .iter()
        .map(|(o, _)| *o)
        .chain([a.owner])
        .filter(|o| b.involves(*o))
        .map(|o| index.organisation(o).name.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !shared_partners.is_empty() {
        score += 2.0 * shared_partners.len() as f32;
        reasons.push(format!("both with {}", shared_partners.join(", ")));
    }
    if a.sector == b.sector {
        score += 1.5;
        reasons.push(format!("same sector ({})", a.sector));
    }
    let words = |d: &Doc| -> std::collections::HashSet<u32> {
        d.title_terms
            .iter()
            .chain(&d.summary_terms)
            .copied()
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    let union = wa.union(&wb).count().max(1);
    let jaccard = wa.intersection(&wb).count() as f32 / union as f32;
    if jaccard > 0.1 {
        score += 6.0 * jaccard;
        reasons.push("similar words in title and summary".to_owned());
    }
    (score, reasons)
}

/// The words part of a search, matched in the database and ready for ranking.
struct PreparedText {
    /// Per document, a bit per clause it satisfies (and `EXCLUDED`).
    masks: Vec<u16>,
    /// Per clause: its rarity and its atoms' stems, hashed.
    clauses: Vec<(f32, Vec<Vec<u32>>)>,
    required: u16,
    stems: Vec<String>,
    suggestion: Option<String>,
}

impl PreparedText {
    /// Ready for scoring against this index.
    fn matches(&self, index: &Index) -> TextMatches<'_> {
        TextMatches {
            masks: &self.masks,
            clauses: self
                .clauses
                .iter()
                .map(|(idf, atoms)| ClauseScoring::new(*idf, atoms.clone(), index))
                .collect(),
            required: self.required,
        }
    }
}

async fn prepare_text(
    conn: &mut PgConnection,
    request: &SearchRequest,
    documents: usize,
) -> Result<Option<PreparedText>, ApiError> {
    let Some(text) = request.text.as_deref() else {
        return Ok(None);
    };
    let mut query = TextQuery::parse(text);
    let mut atoms = query.atoms();
    let mut matches = queries::match_atoms(conn, &atoms).await?;
    // A word found nowhere may be misspelt: try the closest known name or place.
    let mut suggestion = None;
    if atoms
        .iter()
        .zip(&matches)
        .any(|(a, m)| !a.phrase && m.searchable && m.docs.is_empty())
    {
        let mut corrected = query.clone();
        let mut changed = false;
        let mut position = 0;
        for clause in &mut corrected.clauses {
            for atom in clause.iter_mut() {
                let found = &matches[position];
                position += 1;
                if !atom.phrase && found.searchable && found.docs.is_empty() {
                    if let Some(word) = queries::closest_word(conn, &atom.text).await? {
                        atom.text = word;
                        changed = true;
                    }
                }
            }
        }
        if changed {
            atoms = corrected.atoms();
            matches = queries::match_atoms(conn, &atoms).await?;
            suggestion = Some(corrected.to_text());
            query = corrected;
        }
    }
    let mut masks = vec![0u16; documents];
    let mut clauses = Vec::new();
    let mut required = 0u16;
    let mut position = 0;
    for clause in &query.clauses {
        let mut docs: Vec<i32> = Vec::new();
        let mut atom_stems = Vec::new();
        let mut all_phrases = true;
        let mut searchable = false;
        for atom in clause {
            let found = &matches[position];
            position += 1;
            if !found.searchable {
                continue;
            }
            searchable = true;
            all_phrases &= atom.phrase;
            docs.extend(&found.docs);
            atom_stems.push(stems(&atom.text).iter().map(|s| term_hash(s)).collect());
        }
        // A clause of stop words only says nothing; leave it out.
        if !searchable {
            continue;
        }
        let bit = 1u16 << clauses.len();
        docs.sort_unstable();
        docs.dedup();
        for doc in &docs {
            if let Some(mask) = masks.get_mut(*doc as usize) {
                *mask |= bit;
            }
        }
        if all_phrases {
            required |= bit;
        }
        let idf = (1.0 + documents.max(1) as f32 / (1.0 + docs.len() as f32)).ln();
        clauses.push((idf, atom_stems));
    }
    for found in &matches[position..] {
        for doc in &found.docs {
            if let Some(mask) = masks.get_mut(*doc as usize) {
                *mask |= EXCLUDED;
            }
        }
    }
    if clauses.is_empty() {
        // Nothing searchable (only stop words, or only exclusions): nothing matches.
        masks.iter_mut().for_each(|m| *m = 0);
    }
    Ok(Some(PreparedText {
        stems: query.stems(),
        masks,
        clauses,
        required,
        suggestion,
    }))
}

fn resolve_filters(index: &Index, request: &SearchRequest) -> Result<Filters, ApiError> {
    let partners = request
        .partners
        .iter()
        .map(|partner| {
            let found = match OrganisationRef::parse(partner) {
                Ok(OrganisationRef::Id(id)) => index.organisation_by_id.get(&id),
                Ok(OrganisationRef::Slug(slug)) => index.organisation_by_slug.get(&slug),
                Err(_) => None,
            };
            found.copied().ok_or_else(|| {
                ApiError::invalid_parameter(
                    "partner",
                    format!("no organisation `{partner}` (give a slug or an id)"),
                )
            })
        })
        .collect::<Result<Vec<u32>, ApiError>>()?;
    Ok(Filters {
        quadrants: request.quadrants.clone(),
        sectors: request.sectors.clone(),
        outcomes: request.outcomes.clone(),
        partners,
        partner_roles: request.partner_roles.clone(),
        countries: request.countries.clone(),
        scales: request.scales.clone(),
        journey_steps: request.journey_steps.clone(),
        values: request.values.clone(),
        localities: (!request.localities.is_empty())
            .then(|| index.localities_matching(&request.localities)),
        year_from: request.year_from,
        year_to: request.year_to,
        statuses: if request.statuses.is_empty() {
            vec![Status::Published]
        } else {
            request.statuses.clone()
        },
        flags: request.flags.clone(),
        min_completeness: request.min_completeness,
        assessments: request.assessments.clone(),
    })
}

/// The results of `request` in `sort` order after `after` (`limit` of them, or all), with
/// its total and facets.
fn evaluate_request(
    index: &Index,
    request: &SearchRequest,
    prepared: Option<&PreparedText>,
    viewer: Option<&Principal>,
    sort: Sort,
    after: Option<&OwnedKey>,
    limit: Option<usize>,
) -> Result<Evaluation, ApiError> {
    let filters = resolve_filters(index, request)?;
    let text = prepared.map(|p| p.matches(index));
    let plan = Plan {
        filters: &filters,
        text: text.as_ref(),
        viewer,
        sort,
        after,
        limit,
    };
    Ok(evaluate::evaluate(index, &plan))
}

/// Where a page starts, from the request's cursor; 400 if the cursor is not of this search.
fn start_after(request: &SearchRequest, sort: Sort) -> Result<Option<OwnedKey>, ApiError> {
    let Some(cursor) = &request.cursor else {
        return Ok(None);
    };
    let position: Position = decode_cursor(cursor)?;
    if position.sort != sort {
        return Err(ApiError::invalid_parameter(
            "cursor",
            "belongs to a search with another sort order",
        ));
    }
    Ok(Some(position.key))
}

fn items(index: &Index, page: &[Ranked]) -> Vec<SearchItem> {
    page.iter()
        .filter_map(|(number, relevance)| {
            Some(item(
                index,
                index.doc(*number)?,
                relevance.map(|(_, score)| score),
            ))
        })
        .collect()
}

fn item(index: &Index, doc: &Doc, score: Option<f32>) -> SearchItem {
    SearchItem {
        id: doc.id,
        slug: doc.slug.clone(),
        title: doc.title.clone(),
        summary: String::new(),
        status: doc.status,
        quadrants: doc.quadrant_list(),
        journey_steps: doc.journey_step_list(),
        values: doc.value_list(),
        sector: doc.sector,
        scale: doc.scale,
        locality: None,
        country: doc.country,
        start_year: doc.start_year,
        end_year: doc.end_year,
        owner: {
            let owner = index.organisation(doc.owner);
            ItemOrganisation {
                name: owner.name.clone(),
                slug: owner.slug.clone(),
            }
        },
        partners: doc
            .partners
            .iter()
            .map(|(o, role)| {
                let organisation = index.organisation(*o);
                ItemPartner {
                    name: organisation.name.clone(),
                    slug: organisation.slug.clone(),
                    role: *role,
                }
            })
            .collect(),
        outcomes: doc.outcome_list(),
        published_at: doc.published_at,
        updated_at: doc.updated_at,
        completeness: doc.completeness,
        flags: index::members(doc.flags),
        score,
        highlight: None,
    }
}

/// Fills in what the index does not keep (summaries, places as written) and, for text
/// searches, the highlighted passages.
async fn complete_items(
    conn: &mut PgConnection,
    mut items: Vec<SearchItem>,
    stems: Option<&[String]>,
) -> Result<Vec<SearchItem>, ApiError> {
    if items.is_empty() {
        return Ok(items);
    }
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let texts: HashMap<Uuid, queries::ItemText> = queries::item_texts(conn, &ids, stems.is_some())
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    for item in &mut items {
        let Some(text) = texts.get(&item.id) else {
            continue;
        };
        item.summary = text.summary.clone();
        item.locality = text.locality.clone();
        if let Some(stems) = stems {
            let fields = [
                ("summary", Some(text.summary.as_str())),
                ("you_asked", text.you_asked.as_deref()),
                ("we_said", text.we_said.as_deref()),
                ("we_did", text.we_did.as_deref()),
                ("what_worked", text.what_worked.as_deref()),
                ("could_improve", text.could_improve.as_deref()),
            ];
            item.highlight = Some(highlight(&item.title, &fields, stems));
        }
    }
    Ok(items)
}

fn facets(index: &Index, evaluation: &Evaluation) -> Facets {
    fn vocabulary<V: Vocabulary>(counts: &[u64]) -> Vec<FacetCount> {
        V::ALL
            .iter()
            .zip(counts)
            .map(|(member, count)| FacetCount {
                value: member.code().to_owned(),
                label: member.label().to_owned(),
                count: *count,
            })
            .collect()
    }
    let counts = &evaluation.counts;
    let mut partners: Vec<(u32, u64)> = counts
        .partner
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(o, c)| (o as u32, *c))
        .collect();
    partners.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            index
                .organisation(a.0)
                .name
                .cmp(&index.organisation(b.0).name)
        })
    });
    partners.truncate(PARTNER_FACET_SIZE);
    Facets {
        quadrant: vocabulary::<StarQuadrant>(&counts.quadrant),
        sector: vocabulary::<Sector>(&counts.sector),
        outcome: vocabulary::<OutcomeCategory>(&counts.outcome),
        partner: partners
            .into_iter()
            .map(|(o, count)| {
                let organisation = index.organisation(o);
                FacetCount {
                    value: organisation.slug.clone(),
                    label: organisation.name.clone(),
                    count,
                }
            })
            .collect(),
        country: vocabulary::<Country>(&counts.country),
        scale: vocabulary::<Scale>(&counts.scale),
        journey_step: vocabulary::<JourneyStep>(&counts.journey_step),
        value: vocabulary::<CoproductionValue>(&counts.value),
        year: counts
            .year
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(offset, count)| {
                let year = (FIRST_YEAR + offset as i16).to_string();
                FacetCount {
                    label: year.clone(),
                    value: year,
                    count: *count,
                }
            })
            .collect(),
        completeness: COMPLETENESS_BANDS
            .iter()
            .enumerate()
            .map(|(i, low)| {
                let high = COMPLETENESS_BANDS.get(i + 1).map_or(100, |next| next - 1);
                FacetCount {
                    value: format!("{low}-{high}"),
                    label: format!("{low}-{high}"),
                    count: counts.completeness[i],
                }
            })
            .collect(),
        flag: vocabulary::<DepthFlag>(&counts.flag),
    }
}
