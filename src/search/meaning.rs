//! Search by meaning: a vector per live record from the embedding model, kept in memory as
//! bytes (int8, 384 a record), kept current by a worker that follows the change log, and
//! compared with a question's vector by brute force.
//!
//! The worker embeds outside any write: a case study is committed first and found by its
//! words at once, and by its meaning once its vector is in (within a second or two).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::db::{Pool, changes, embeddings};
use crate::domain::vocabulary::ChangedEntity;
use crate::embedding::{DIMENSIONS, Embedder};
use crate::error::ApiError;

/// What a stored vector is: the model, and what of a case study it was given (see
/// `db::embeddings::texts`). Vectors of anything else are recomputed.
const VECTORS_OF: &str =
    "all-MiniLM-L6-v2: title, summary and narrative, first 700 characters, first 96 tokens";

/// Case studies embedded at once: long enough batches for the model, short enough that a
/// new one waits little.
const BATCH: usize = 8;
/// Recent questions whose vectors are kept: a repeated or paged question is not embedded again.
const KEPT_QUESTIONS: usize = 1024;
/// Questions embedded at once, at most.
const QUESTION_BATCH: usize = 8;

/// Where the worker stands: what it has read of the change log, and what it has yet to embed.
#[derive(Default)]
struct Follower {
    started: bool,
    after: i64,
    queue: VecDeque<Uuid>,
}

/// Where a question goes once it is embedded.
type Answer = tokio::sync::oneshot::Sender<anyhow::Result<Question>>;

/// A question as the model sees it.
pub struct Question {
    vector: Arc<Vec<f32>>,
    /// Its similarity to every case study with a vector, by document number, when it was
    /// worked out as the question was embedded.
    similarities: Option<Vec<f32>>,
}

/// Questions waiting for the model, and how many threads are embedding them.
#[derive(Default)]
struct Waiting {
    questions: Vec<(String, Answer)>,
    /// Threads embedding them.
    embedding: usize,
}

pub struct Meaning {
    embedder: Embedder,
    vectors: RwLock<Vectors>,
    questions: Mutex<HashMap<String, Arc<Vec<f32>>>>,
    waiting: Mutex<Waiting>,
    /// Threads that may embed questions at once.
    question_threads: usize,
    /// True once the stored vectors are loaded.
    loaded: AtomicBool,
    /// Vectors put so far: answers kept from before a change are stale.
    generation: AtomicU64,
}

/// Unit vectors scaled to bytes, by document number.
#[derive(Default)]
struct Vectors {
    /// Per document number: where its vector starts in `data`, plus one; 0 for none.
    slots: Vec<u32>,
    data: Vec<i8>,
    /// Per vector in `data`, its document number: a pass reads `data` in the order it is
    /// held, which the processor can fetch ahead (by document number the vectors are where
    /// they were loaded, in no order, and a pass over 100,000 took 7 ms instead of 2).
    docs: Vec<u32>,
    /// What each vector was computed from, by case study.
    hashes: HashMap<Uuid, [u8; 8]>,
}

impl Vectors {
    fn put(&mut self, doc: i32, id: Uuid, hash: [u8; 8], vector: &[f32]) {
        let doc = doc as usize;
        if self.slots.len() <= doc {
            self.slots.resize(doc + 1, 0);
        }
        let start = match self.slots[doc] {
            0 => {
                let start = self.data.len();
                self.data.resize(start + DIMENSIONS, 0);
                self.slots[doc] = (start / DIMENSIONS) as u32 + 1;
                self.docs.push(doc as u32);
                start
            }
            slot => (slot as usize - 1) * DIMENSIONS,
        };
        self.data[start..start + DIMENSIONS].copy_from_slice(&quantised(vector));
        self.hashes.insert(id, hash);
    }

    /// Room for this many more vectors, exactly: grown by doubling, the vectors of 100,000
    /// case studies (37 MB) would sit in an allocation of 64 MB.
    fn reserve(&mut self, more: usize) {
        self.data.reserve_exact(more * DIMENSIONS);
        self.docs.reserve_exact(more);
        self.hashes.reserve(more);
    }

    fn get(&self, doc: usize) -> Option<&[i8]> {
        let slot = *self.slots.get(doc)? as usize;
        (slot > 0).then(|| &self.data[(slot - 1) * DIMENSIONS..slot * DIMENSIONS])
    }
}

impl Meaning {
    pub fn new(embedder: Embedder) -> Self {
        Self {
            embedder,
            vectors: RwLock::default(),
            questions: Mutex::default(),
            waiting: Mutex::default(),
            question_threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            loaded: AtomicBool::new(false),
            generation: AtomicU64::new(0),
        }
    }

    /// How many case studies have a vector.
    pub fn embedded(&self) -> usize {
        self.read().hashes.len()
    }

    /// Grows with every vector put, so what was kept before a vector changed is not used after.
    pub fn generation(&self) -> i64 {
        self.generation.load(Ordering::Relaxed) as i64
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Relaxed)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vectors> {
        self.vectors.read().unwrap_or_else(|p| p.into_inner())
    }

    /// A question's vector, from those kept or freshly embedded (off the async threads: it
    /// takes milliseconds).
    pub async fn question(self: &Arc<Self>, text: &str) -> Result<Question, ApiError> {
        let key = text.trim().to_lowercase();
        if let Some(kept) = self.lock_questions().get(&key) {
            return Ok(Question {
                vector: kept.clone(),
                similarities: None,
            });
        }
        let (answer, answered) = tokio::sync::oneshot::channel();
        let start = {
            let mut waiting = self.lock_waiting();
            waiting.questions.push((key.clone(), answer));
            // One thread a core: a single one left a core idle while questions queued
            // (hybrid questions at 8 connections: 107/s, p99 110 ms; with two 150/s, 100 ms).
            let start = waiting.embedding < self.question_threads;
            waiting.embedding += usize::from(start);
            start
        };
        if start {
            let meaning = self.clone();
            tokio::task::spawn_blocking(move || meaning.embed_waiting());
        }
        let question = answered
            .await
            .map_err(|_| ApiError::Internal(anyhow::anyhow!("the question was not embedded")))?
            .map_err(ApiError::Internal)?;
        let mut kept = self.lock_questions();
        if kept.len() >= KEPT_QUESTIONS {
            kept.clear();
        }
        kept.insert(key, question.vector.clone());
        Ok(question)
    }

    /// Embeds the waiting questions, several at a time, until none is left, and compares
    /// each batch with every vector in one pass (one such thread a core at most). Both cost less a question in a batch: the
    /// model on one core 6.1 ms alone, 3.4 ms in eight; the pass reads the vectors (38 MB at
    /// 100,000) once for all. Under load, questions that arrive while a batch is worked on
    /// go together into the next.
    fn embed_waiting(&self) {
        loop {
            let batch: Vec<(String, Answer)> = {
                let mut waiting = self.lock_waiting();
                if waiting.questions.is_empty() {
                    waiting.embedding -= 1;
                    return;
                }
                let count = waiting.questions.len().min(QUESTION_BATCH);
                waiting.questions.drain(..count).collect()
            };
            let texts: Vec<&str> = batch.iter().map(|(text, _)| text.as_str()).collect();
            // A panic in the model must not leave `embedding` set, or no question would
            // be embedded again: it fails this batch like any other error.
            let embedded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.embedder.embed(&texts)
            }))
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the model panicked")));
            match embedded {
                Ok(vectors) => {
                    let asked: Vec<[i16; DIMENSIONS]> =
                        vectors.iter().map(|v| widened(&quantised(v))).collect();
                    let held = self.read();
                    let mut similarities = vec![vec![0f32; held.slots.len()]; asked.len()];
                    each_dot(&held, &asked, None, &mut similarities);
                    drop(held);
                    for ((_, answer), (vector, similarities)) in
                        batch.into_iter().zip(vectors.into_iter().zip(similarities))
                    {
                        let _ = answer.send(Ok(Question {
                            vector: Arc::new(vector),
                            similarities: Some(similarities),
                        }));
                    }
                }
                Err(error) => {
                    for (_, answer) in batch {
                        let _ =
                            answer.send(Err(anyhow::anyhow!("embedding the question: {error:#}")));
                    }
                }
            }
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_questions(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Vec<f32>>>> {
        self.questions.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Cosine similarity of the question to every document with a vector that `visible`
    /// admits, by document number (0 for the rest): worked out with the question when it
    /// was embedded with others, else now.
    pub fn similarities(&self, question: Question, visible: &[bool]) -> Vec<f32> {
        match question.similarities {
            Some(mut similarities) => {
                similarities.resize(visible.len(), 0.0);
                for (similarity, visible) in similarities.iter_mut().zip(visible) {
                    if !visible {
                        *similarity = 0.0;
                    }
                }
                similarities
            }
            None => {
                let asked = [widened(&quantised(&question.vector))];
                let mut similarities = [vec![0f32; visible.len()]];
                each_dot(&self.read(), &asked, Some(visible), &mut similarities);
                let [similarities] = similarities;
                similarities
            }
        }
    }

    /// How close each case study is to one in meaning (the cosine similarity of their
    /// vectors), by document number: NaN where either has no vector.
    pub fn closeness_to(&self, subject: i32) -> Vec<f32> {
        let vectors = self.read();
        let mut closeness = [vec![f32::NAN; vectors.slots.len()]];
        if let Some(asked) = vectors.get(subject as usize).map(widened) {
            each_dot(&vectors, &[asked], None, &mut closeness);
        }
        let [closeness] = closeness;
        closeness
    }

    /// Loads the stored vectors, then embeds what is missing or out of date and follows
    /// the change log for what changes next, for as long as the service runs.
    pub async fn keep_current(self: Arc<Self>, pool: Pool, every: Duration) {
        let mut follower = Follower::default();
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            if let Err(error) = self.step(&pool, &mut follower).await {
                tracing::warn!(error = %error, "search by meaning not up to date; will retry");
            }
        }
    }

    /// Loads the stored vectors and embeds every case study that has none for its
    /// current text: what a command measuring relevance needs before it asks.
    pub async fn catch_up(self: &Arc<Self>, pool: &Pool) -> Result<(), ApiError> {
        self.step(pool, &mut Follower::default()).await
    }

    async fn step(self: &Arc<Self>, pool: &Pool, follower: &mut Follower) -> Result<(), ApiError> {
        if !follower.started {
            let mut conn = pool.get().await?;
            follower.after = changes::newest(&mut conn)
                .await?
                .map_or(0, |newest| newest.seq);
            if !self.is_loaded() {
                let stored = embeddings::all(&mut conn, VECTORS_OF).await?;
                let mut vectors = self.vectors.write().unwrap_or_else(|p| p.into_inner());
                vectors.reserve(stored.len());
                for row in stored {
                    if let Some(vector) = decode(&row.vector) {
                        let hash = row.text_hash.get(..8).and_then(|h| h.try_into().ok());
                        vectors.put(
                            row.doc,
                            row.case_study_id,
                            hash.unwrap_or_default(),
                            &vector,
                        );
                    }
                }
                self.generation.fetch_add(1, Ordering::Relaxed);
            }
            let stale = embeddings::stale(&mut conn, VECTORS_OF).await?;
            self.vectors
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .reserve(stale.len());
            follower.queue.extend(stale);
            follower.started = true;
            self.loaded.store(true, Ordering::Relaxed);
        }
        loop {
            // What changed since the last batch goes before what is still waiting: while a
            // large collection is embedded for the first time (an hour at 100,000), a new or
            // edited case study is found by its meaning within seconds, not after the rest.
            let changed = {
                let mut conn = pool.get().await?;
                changes::since(&mut conn, follower.after, 1000, false).await?
            };
            follower.after = changed.through;
            for change in changed.changes.iter().rev() {
                if change.entity == ChangedEntity::CaseStudy {
                    follower.queue.push_front(change.entity_id);
                }
            }
            if follower.queue.is_empty() {
                return Ok(());
            }
            let count = follower.queue.len().min(BATCH);
            let batch: Vec<Uuid> = follower.queue.drain(..count).collect();
            self.embed(pool, &batch).await?;
        }
    }

    /// Embeds these case studies, unless their text is what their vector was made from.
    async fn embed(self: &Arc<Self>, pool: &Pool, ids: &[Uuid]) -> Result<(), ApiError> {
        let mut conn = pool.get().await?;
        let sources = embeddings::texts(&mut conn, ids).await?;
        let hashes: Vec<[u8; 8]> = sources.iter().map(|s| text_hash(&s.text)).collect();
        let changed: Vec<usize> = {
            let vectors = self.read();
            (0..sources.len())
                .filter(|i| vectors.hashes.get(&sources[*i].id) != Some(&hashes[*i]))
                .collect()
        };
        if changed.is_empty() {
            return Ok(());
        }
        // The connection goes back to the pool while the model works.
        drop(conn);
        let texts: Vec<String> = changed.iter().map(|i| sources[*i].text.clone()).collect();
        let meaning = self.clone();
        let vectors = tokio::task::spawn_blocking(move || {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            meaning.embedder.embed(&texts)
        })
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(ApiError::Internal)?;
        let mut conn = pool.get().await?;
        for (i, vector) in changed.into_iter().zip(vectors) {
            let source = &sources[i];
            embeddings::store(&mut conn, source, VECTORS_OF, &hashes[i], &encode(&vector)).await?;
            self.vectors
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .put(source.doc, source.id, hashes[i], &vector);
            self.generation.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// A unit vector as bytes: each number times 127, rounded.
fn quantised(vector: &[f32]) -> Vec<i8> {
    vector
        .iter()
        .map(|v| (v * 127.0).round().clamp(-127.0, 127.0) as i8)
        .collect()
}

/// A vector of bytes widened to 16 bits, the other side of `similarity`: products of two
/// bytes fit in 16 bits, which lets the compiler multiply and add sixteen pairs at a time.
fn widened(vector: &[i8]) -> [i16; DIMENSIONS] {
    std::array::from_fn(|i| i16::from(vector[i]))
}

/// The cosine similarity of two quantised unit vectors.
#[inline(always)]
fn similarity(vector: &[i8], asked: &[i16; DIMENSIONS]) -> f32 {
    let dot: i32 = vector
        .iter()
        .zip(asked)
        .map(|(a, b)| i32::from(i16::from(*a) * b))
        .sum();
    dot as f32 / (127.0 * 127.0)
}

/// `similarity` of each of `asked` to every vector (that `visible` admits, if given), into
/// the matching `out` by document number; the rest of `out` is left as it was. With the
/// instructions every x86-64 has, a pass over 100,000 vectors takes some 11 ms; compiled for
/// AVX2 (used where the processor has it) it is bound by memory instead: under 2 ms with the
/// vectors in the processor's cache, about 5 ms from memory. Several questions in one pass
/// share that reading: each vector is read once and compared with all of them.
fn each_dot(
    vectors: &Vectors,
    asked: &[[i16; DIMENSIONS]],
    visible: Option<&[bool]>,
    out: &mut [Vec<f32>],
) {
    #[inline(always)]
    fn pass(
        vectors: &Vectors,
        asked: &[[i16; DIMENSIONS]],
        visible: Option<&[bool]>,
        out: &mut [Vec<f32>],
    ) {
        for (vector, doc) in vectors.data.chunks_exact(DIMENSIONS).zip(&vectors.docs) {
            let doc = *doc as usize;
            if visible.is_none_or(|visible| visible.get(doc) == Some(&true)) {
                for (asked, out) in asked.iter().zip(out.iter_mut()) {
                    if let Some(similar) = out.get_mut(doc) {
                        *similar = similarity(vector, asked);
                    }
                }
            }
        }
    }
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn pass_avx2(
        vectors: &Vectors,
        asked: &[[i16; DIMENSIONS]],
        visible: Option<&[bool]>,
        out: &mut [Vec<f32>],
    ) {
        pass(vectors, asked, visible, out);
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, as just checked.
        return unsafe { pass_avx2(vectors, asked, visible, out) };
    }
    pass(vectors, asked, visible, out);
}

/// What a vector was made from: the model and the text.
fn text_hash(text: &str) -> [u8; 8] {
    let digest = Sha256::new()
        .chain_update(VECTORS_OF)
        .chain_update([0])
        .chain_update(text)
        .finalize();
    digest[..8]
        .try_into()
        .expect("a digest is longer than 8 bytes")
}

fn encode(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn decode(bytes: &[u8]) -> Option<Vec<f32>> {
    (bytes.len() == DIMENSIONS * 4).then(|| {
        bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    })
}
