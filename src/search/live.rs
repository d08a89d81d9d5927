//! The index every worker shares: built once from the database, then kept current by
//! following the change log, so every instance of the service converges on what
//! PostgreSQL holds.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::Instant;

use diesel_async::{AsyncConnection, SimpleAsyncConnection};
use futures_util::StreamExt;
use uuid::Uuid;

use super::cache::Answer;
use super::evaluate::SearchMode;
use super::fulltext::{FullText, PageTexts, Texts};
use super::index::Index;
use super::meaning::Meaning;
use super::request::SearchRequest;
use crate::db::changes::Mark;
use crate::db::search::IndexRow;
use crate::db::{PgConnection, changes, search as queries};
use crate::domain::vocabulary::ChangedEntity;
use crate::error::ApiError;
use crate::kept::Kept;

/// The search index shared by every worker of the service.
pub struct SearchIndex {
    index: RwLock<Index>,
    /// False until the first build is done.
    loaded: tokio::sync::watch::Sender<bool>,
    refreshing: tokio::sync::Mutex<()>,
    /// Answers to the public's recent searches.
    pub answers: Kept<SearchRequest, Answer>,
    /// The words of every live record, for matching and ranking.
    full_text: FullText,
    /// Case studies whose words were analysed since the service started.
    words_indexed: AtomicU64,
    /// The change-log entry last taken in, saved with the words when they are committed.
    taken_in: Mutex<Option<Mark>>,
    /// When the fresh words were last committed.
    folded_at: Mutex<Instant>,
    /// Their meaning, when the service has an embedding model.
    meaning: Option<Arc<Meaning>>,
}

/// How long the first build of the index may take (100,000 case studies take seconds).
const LOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);
/// Fresh words are committed to the full-text index at most this often while writes come in
/// one by one (each commit writes and syncs a segment), and at once when this many wait.
const FOLD_EVERY: std::time::Duration = std::time::Duration::from_secs(2);
const FOLD_AT: usize = 1000;
/// How long a request waits for the index to be built before answering 503.
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl SearchIndex {
    /// An empty index, and room for the answers to public searches (see `cache`). The words
    /// are kept in `words_dir` between starts when it is given (see `load`).
    pub fn new(
        answers_bytes: usize,
        meaning: Option<Arc<Meaning>>,
        words_dir: Option<&Path>,
    ) -> anyhow::Result<Self> {
        Ok(Self {
            index: RwLock::default(),
            loaded: tokio::sync::watch::Sender::new(false),
            refreshing: tokio::sync::Mutex::default(),
            answers: Kept::new(answers_bytes),
            full_text: FullText::open(words_dir)?,
            words_indexed: AtomicU64::default(),
            taken_in: Mutex::default(),
            folded_at: Mutex::new(Instant::now()),
            meaning,
        })
    }

    /// Search by meaning, when the service has an embedding model.
    pub fn meaning(&self) -> Option<&Arc<Meaning>> {
        self.meaning.as_ref()
    }

    /// Case studies whose words were analysed since the service started: all of them at
    /// start-up, unless the words were kept from the run before, then each one changed.
    pub fn words_indexed(&self) -> u64 {
        self.words_indexed.load(Ordering::Relaxed)
    }

    /// Case studies with a vector, and live case studies in all.
    pub fn embedding_progress(&self) -> (u64, u64) {
        let embedded = self.meaning.as_ref().map_or(0, |m| m.embedded()) as u64;
        (embedded, self.read().live_docs().count() as u64)
    }

    /// How `q` is matched when the request does not say: by meaning too, with a model.
    pub fn default_mode(&self) -> SearchMode {
        match self.meaning {
            Some(_) => SearchMode::Hybrid,
            None => SearchMode::Lexical,
        }
    }

    pub(super) fn full_text(&self) -> &FullText {
        &self.full_text
    }

    /// Puts a record's words in the full-text index: into the next commit when the whole
    /// index is being built, else among the fresh documents, searchable at once.
    fn put_text(&self, index: &Index, row: &IndexRow, building: bool) -> Result<(), ApiError> {
        let context = index
            .doc(row.doc)
            .map(|doc| index.context(doc))
            .unwrap_or_default();
        let texts = Texts {
            title: &row.title,
            summary: &row.summary,
            context: &context,
            body: row.body.as_deref().unwrap_or_default(),
        };
        let page = PageTexts {
            summary: row.summary.clone(),
            locality: row.locality.clone(),
            narrative: [
                &row.you_asked,
                &row.we_said,
                &row.we_did,
                &row.what_worked,
                &row.could_improve,
            ]
            .map(Clone::clone),
        };
        let lengths = index.lengths[row.doc as usize];
        self.words_indexed.fetch_add(1, Ordering::Relaxed);
        if building {
            return self
                .full_text
                .put(row.doc, &texts, &page, lengths)
                .map_err(full_text_failed);
        }
        self.full_text.put_fresh(row.doc, &texts, page, lengths);
        Ok(())
    }

    /// Commits the fresh documents of the full-text index, with the change-log entry
    /// they are current to (read first: they hold at least every change up to it).
    fn fold_words(&self) -> Result<(), ApiError> {
        let taken_in = self
            .taken_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        self.full_text
            .fold(taken_in.as_ref())
            .map_err(full_text_failed)?;
        *self.folded_at.lock().unwrap_or_else(|p| p.into_inner()) = Instant::now();
        Ok(())
    }

    /// Commits the fresh documents of the full-text index if they have waited long enough:
    /// the task following the change log calls it at every turn.
    pub fn fold_if_due(&self) -> Result<(), ApiError> {
        let due = self
            .folded_at
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .elapsed()
            >= FOLD_EVERY;
        if due && self.full_text.fresh_count() > 0 {
            self.fold_words()?;
        }
        Ok(())
    }

    /// The change-log entry the index has taken in: every entry up to it is settled (no
    /// transaction can still add one below it).
    pub fn settled_seq(&self) -> i64 {
        self.read().last_seq
    }

    /// What kept values are valid for: the change-log position the index has taken in, plus
    /// the vectors put so far (both only grow, so the sum grows with any change to either).
    pub fn position(&self) -> i64 {
        self.read().last_seq + self.meaning.as_ref().map_or(0, |m| m.generation())
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, Index> {
        self.index
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Builds the index from the database: every live record and organisation. Run once,
    /// by the task that follows the change log; searches wait for it (see `ready`).
    ///
    /// Words saved by an earlier run, at a change-log entry this database still holds, are
    /// kept: only what changed since that entry is analysed again, and what was deleted
    /// meanwhile is swept out. Otherwise every record's words are indexed afresh.
    pub async fn load(&self, conn: &mut PgConnection) -> Result<(), ApiError> {
        let _refreshing = self.refreshing.lock().await;
        if *self.loaded.borrow() {
            return Ok(());
        }
        let saved = match self.full_text.saved() {
            Some(mark) if changes::holds(conn, &mark).await? => Some(mark),
            _ => None,
        };
        let built = self.build(conn, saved.as_ref()).await;
        let (mut index, taken_in) = match built {
            Ok(built) => built,
            Err(error) => {
                self.full_text.rollback().map_err(full_text_failed)?;
                return Err(error);
            }
        };
        if saved.is_some() {
            self.full_text.sweep(|number| index.doc(number).is_some());
            self.full_text
                .lengths(|number, lengths| index.restore_lengths(number, lengths));
        }
        self.full_text
            .commit(taken_in.as_ref())
            .map_err(full_text_failed)?;
        *self.taken_in.lock().unwrap_or_else(|p| p.into_inner()) = taken_in;
        *self.index.write().unwrap_or_else(|p| p.into_inner()) = index;
        self.catch_up(conn).await?;
        self.loaded.send_replace(true);
        Ok(())
    }

    /// Reads every live record into a new index, and their words into the full-text index
    /// unless they were `saved` at an entry (then the new index stands at that entry, so
    /// that catching up analyses again whatever changed after it).
    async fn build(
        &self,
        conn: &mut PgConnection,
        saved: Option<&Mark>,
    ) -> Result<(Index, Option<Mark>), ApiError> {
        conn.transaction(async |conn| {
            // Reading the whole collection takes longer than any request may. Its plan
            // is costly enough for PostgreSQL to compile it, which takes longer than
            // running it; its grouped aggregates sort in memory rather than on disk. Merge
            // joins (everything read in case-study order) send the first row at once, so
            // the service works on the rows while the rest are read; hash joins would first
            // aggregate every partner and outcome.
            conn.batch_execute(&format!(
                "SET LOCAL statement_timeout = {}; SET LOCAL jit = off; \
                 SET LOCAL work_mem = '64MB'; SET LOCAL enable_hashjoin = off",
                LOAD_TIMEOUT.as_millis()
            ))
            .await?;
            // The log position first: changes committed while the records are read are
            // applied again afterwards, which is harmless.
            let taken_in = match saved {
                Some(saved) => Some(saved.clone()),
                None => changes::newest(conn).await?,
            };
            let mut index = Index::default();
            index.last_seq = taken_in.as_ref().map_or(0, |mark| mark.seq);
            for organisation in queries::organisation_rows(conn, None).await? {
                index.upsert_organisation(organisation);
            }
            let words = saved.is_none();
            if words {
                self.full_text.clear().map_err(full_text_failed)?;
            }
            let mut rows = queries::all_index_rows(conn, words).await?;
            while let Some(row) = rows.next().await {
                let row = row?;
                index.upsert(&row);
                if words {
                    self.put_text(&index, &row, true)?;
                }
            }
            Ok::<_, ApiError>((index, taken_in))
        })
        .await
    }

    /// True once the index is built and searches can be answered.
    pub fn is_ready(&self) -> bool {
        *self.loaded.borrow()
    }

    /// Waits (a bounded time) for the index to be built; 503 if it is still loading.
    pub(super) async fn ready(&self) -> Result<(), ApiError> {
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
        if let Err(error) = self.take_in_writes(conn).await {
            tracing::warn!(error = %error, "search index not updated after a write; will catch up");
        }
    }

    /// `refresh`, unless another has already taken in every entry this connection could
    /// have written: writers at once share one catching up rather than queue for one each.
    async fn take_in_writes(&self, conn: &mut PgConnection) -> Result<(), ApiError> {
        self.ready().await?;
        let newest = changes::newest_visible(conn).await?;
        if self.read().last_seq >= newest {
            return Ok(());
        }
        let _refreshing = self.refreshing.lock().await;
        if self.read().last_seq >= newest {
            return Ok(());
        }
        self.catch_up(conn).await
    }

    async fn catch_up(&self, conn: &mut PgConnection) -> Result<(), ApiError> {
        loop {
            let after = self.read().last_seq;
            let batch = changes::since(conn, after, 1000, false).await?;
            if batch.through == after {
                return Ok(());
            }
            let (last, batch) = (batch.through, batch.changes);
            let mut case_studies = Vec::new();
            let mut organisations = Vec::new();
            for change in &batch {
                match change.entity {
                    ChangedEntity::CaseStudy => case_studies.push(change.entity_id),
                    ChangedEntity::Organisation => organisations.push(change.entity_id),
                }
            }
            // Case studies naming a changed organisation hold its name among their words.
            {
                let index = self.read();
                let changed: Vec<u32> = organisations
                    .iter()
                    .filter_map(|id| index.organisation_by_id.get(id).copied())
                    .collect();
                if !changed.is_empty() {
                    case_studies.extend(
                        index
                            .live_docs()
                            .filter(|doc| changed.iter().any(|o| doc.involves(*o)))
                            .map(|doc| doc.about.id),
                    );
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
            for row in &rows {
                index.upsert(row);
                self.put_text(&index, row, false)?;
            }
            for id in case_studies.iter().filter(|id| !found.contains(id)) {
                if let Some(number) = index.remove(*id) {
                    self.full_text.remove(number);
                }
            }
            index.last_seq = last;
            drop(index);
            *self.taken_in.lock().unwrap_or_else(|p| p.into_inner()) =
                batch.last().map(|change| change.mark());
            if self.full_text.fresh_count() >= FOLD_AT {
                self.fold_words()?;
            }
        }
    }

    /// Runs `look` over the index as it is now.
    pub async fn with_index<T>(&self, look: impl FnOnce(&Index) -> T) -> Result<T, ApiError> {
        self.ready().await?;
        Ok(look(&self.read()))
    }
}

/// Words still fresh when the service stops are committed, so the next start need not
/// analyse them again.
impl Drop for SearchIndex {
    fn drop(&mut self) {
        if self.full_text.fresh_count() > 0
            && let Err(error) = self.fold_words()
        {
            tracing::warn!(error = %error, "fresh words not kept; the next start analyses them again");
        }
    }
}

fn full_text_failed(error: tantivy::TantivyError) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("the full-text index failed: {error}"))
}
