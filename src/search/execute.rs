//! Answering a search: match the words, evaluate the request over the index, cut the
//! page (from a kept answer for the public), and fill in the texts.

use std::sync::Arc;

use uuid::Uuid;

use super::cache::{self, Answer};
use super::evaluate::{self, Evaluation, OwnedKey, Plan, Position, SearchMode, Sort};
use super::facets::facets;
use super::index::{Doc, Index};
use super::live::SearchIndex;
use super::matching::{PreparedText, prepare_text};
use super::request::{SearchRequest, resolve_filters, start_after};
use super::results::{SearchResults, complete_items, items};
use super::text::wanted_text;
use crate::cursor::encode_cursor;
use crate::domain::user::Principal;
use crate::error::ApiError;

/// What an export holds: every match, and the state of the collection they were found in.
pub struct AllMatches {
    pub ids: Vec<Uuid>,
    /// The last change-log entry the index had applied.
    pub position: i64,
}

impl SearchIndex {
    /// Waits for the index, matches the words of the request, and settles its order.
    async fn prepare(
        &self,
        request: &SearchRequest,
        viewer: Option<&Principal>,
    ) -> Result<(Option<PreparedText>, Sort), ApiError> {
        self.ready().await?;
        let mode = self.mode(request)?;
        let question = match (self.meaning(), mode, request.text.as_deref()) {
            (Some(meaning), SearchMode::Hybrid | SearchMode::Semantic, Some(text)) => {
                Some(meaning.question(&wanted_text(text)).await?)
            }
            _ => None,
        };
        let question = question.map(|question| (mode, question));
        let prepared = prepare_text(self, &self.read(), request, viewer, question);
        let sort = request.sort.unwrap_or(if prepared.is_some() {
            Sort::Relevance
        } else {
            Sort::Newest
        });
        Ok((prepared, sort))
    }

    /// The mode a request is answered in: the one asked for, or the default; 400 for
    /// search by meaning on a service without a model.
    pub fn mode(&self, request: &SearchRequest) -> Result<SearchMode, ApiError> {
        match request.mode {
            None => Ok(self.default_mode()),
            Some(SearchMode::Lexical) => Ok(SearchMode::Lexical),
            Some(mode) if self.meaning().is_some() => Ok(mode),
            Some(_) => Err(ApiError::InvalidParameter {
                parameter: "mode".into(),
                detail: "this service has no embedding model, so it searches by words alone".into(),
                allowed: vec!["lexical".into()],
            }),
        }
    }

    pub async fn search(
        &self,
        request: &SearchRequest,
        viewer: Option<&Principal>,
    ) -> Result<SearchResults, ApiError> {
        if viewer.is_none()
            && let Some(results) = self.public_search(request).await?
        {
            return Ok(results);
        }
        let (prepared, sort) = self.prepare(request, viewer).await?;
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
            let stems = prepared.as_ref().map(|p| p.stems.as_slice());
            let items = items(&index, &evaluation.page);
            let items = complete_items(self.full_text(), &index, items, stems);
            let facets = facets(&index, &evaluation);
            (items, evaluation, facets)
        };
        Ok(SearchResults {
            items,
            total: evaluation.total,
            facets,
            next_cursor: evaluation
                .next
                .map(|key| encode_cursor(&Position { sort, key })),
            suggestion: prepared.and_then(|p| p.suggestion),
            mode: self.mode(request)?,
        })
    }

    /// A search by someone not signed in: everyone sees the same, so the answer is kept
    /// (see `cache`) and each page is cut from it. `None` for a page past what is kept.
    async fn public_search(
        &self,
        request: &SearchRequest,
    ) -> Result<Option<SearchResults>, ApiError> {
        self.ready().await?;
        let key = cache::search_key(request);
        // Taken before the answer is worked out: one worked out from what changes meanwhile
        // is kept under the older position, and so never used after the change.
        let position = self.position();
        let kept = self.answers.get(&key, position);
        let answer = match kept {
            Some(answer) => answer,
            None => {
                let (prepared, sort) = self.prepare(request, None).await?;
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
                self.answers.put(key, position, answer.clone());
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
            .map(|(page, next)| {
                let items = items(&index, &page);
                let stems = answer.stems.as_deref();
                (complete_items(self.full_text(), &index, items, stems), next)
            })
        };
        let Some((items, next)) = cut else {
            return Ok(None);
        };
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
            mode: self.mode(request)?,
        }))
    }

    /// Every match in order, as ids, with the change-log position the index had taken in
    /// when it found them: what an export streams, and what it is read as of.
    pub async fn all_matches(
        &self,
        request: &SearchRequest,
        viewer: Option<&Principal>,
    ) -> Result<AllMatches, ApiError> {
        self.with_matches(request, viewer, |index, docs| AllMatches {
            ids: docs.iter().map(|d| d.about.id).collect(),
            position: index.last_seq,
        })
        .await
    }

    /// Runs `summarise` over every match, in order, with the index at hand: how the
    /// statistics see exactly what the search finds.
    pub async fn with_matches<T>(
        &self,
        request: &SearchRequest,
        viewer: Option<&Principal>,
        summarise: impl FnOnce(&Index, &[&Doc]) -> T,
    ) -> Result<T, ApiError> {
        let (prepared, sort) = self.prepare(request, viewer).await?;
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
    let text = prepared.map(PreparedText::matches);
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
