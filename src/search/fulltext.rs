//! The words of every live record, in an embedded inverted index (tantivy): per field, which
//! documents hold each stem, how often and where, and how long each field is. Matching and
//! ranking read postings from here, in the service, with no round trip to the database.
//! PostgreSQL stays the source of truth: this is built from it and follows its change log,
//! like the rest of the search index.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::Value as _;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher,
    SegmentReader, TERMINATED, TantivyDocument, TantivyError, Term,
};

use crate::db::changes::Mark;

/// The analyser of every text field and of queries: words, lowercased, English stop words
/// left out, stemmed with the same Snowball stemmer as the highlighter.
const ANALYSER: &str = "casebook_english";
/// How often, and how far apart, a start tries for a directory another process holds.
const LOCK_TRIES: u32 = 30;
const LOCK_PAUSE: std::time::Duration = std::time::Duration::from_millis(100);
/// Memory the writer may fill before it writes a segment.
const WRITER_BYTES: usize = 16 * 1024 * 1024;

/// A text field of a case study, with what ranking makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Title,
    Summary,
    /// The names of its partners and its place.
    Context,
    /// The narrative (you asked, we said, we did, what worked, what could be improved) and
    /// the outcomes' descriptions.
    Body,
}

impl TextField {
    pub const ALL: [TextField; 4] = [Self::Title, Self::Summary, Self::Context, Self::Body];

    fn name(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Summary => "summary",
            Self::Context => "context",
            Self::Body => "body",
        }
    }
}

/// The texts of one case study, by field.
pub struct Texts<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub context: &'a str,
    pub body: &'a str,
}

/// What a page of results shows of a record besides what the index knows of it: its
/// summary, its place as written and, for snippets, its narrative. Kept with its words (in
/// the index's compressed store), so that a page is filled in without the database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageTexts {
    pub summary: String,
    pub locality: Option<String>,
    /// The narrative's fields, in the order of `NARRATIVE`.
    pub narrative: [Option<String>; 5],
}

/// The narrative's fields, as snippets name them.
pub const NARRATIVE: [&str; 5] = [
    "you_asked",
    "we_said",
    "we_did",
    "what_worked",
    "could_improve",
];

pub struct FullText {
    writer: Mutex<IndexWriter<TantivyDocument>>,
    reader: IndexReader,
    doc: Field,
    lengths: Field,
    fields: [Field; 4],
    /// Stored only, for pages (the summary is stored with its words).
    locality: Field,
    narrative: [Field; 5],
    /// Per segment, the document number of each of its documents (-1 for none): read from
    /// the column once per segment rather than once per posting of every search.
    numbers: Mutex<HashMap<SegmentId, Arc<[i32]>>>,
    /// What searches read besides the committed segments. Taken together with a searcher
    /// under this lock, and changed together with a reload, so that no search sees a
    /// document both in a new segment and among the fresh ones.
    fresh: RwLock<Arc<Fresh>>,
}

/// Documents written since the last commit, analysed and held in memory: a write is
/// searchable at once without committing the index (a new segment, its files synced: some
/// milliseconds each, which would cap the rate of writes); `fold` commits them in a batch.
#[derive(Debug, Clone, Default)]
struct Fresh {
    /// By number; `None` for a document removed.
    docs: HashMap<i32, Option<Arc<FreshDoc>>>,
    /// One bit per document number in `docs`: its committed copy, if any, is out of date.
    hidden: Vec<u64>,
}

#[derive(Debug)]
struct FreshDoc {
    texts: [String; 4],
    page: PageTexts,
    lengths: [u16; 4],
    /// Per field, each stem with its positions.
    stems: [HashMap<String, Vec<u32>>; 4],
}

impl Fresh {
    fn hides(&self, number: i32) -> bool {
        let number = number as usize;
        self.hidden
            .get(number / 64)
            .is_some_and(|bits| bits & (1 << (number % 64)) != 0)
    }

    /// What is left once `folded` is committed: the documents put since it was taken.
    fn without(&self, folded: &Fresh) -> Fresh {
        let mut left = Fresh::default();
        for (number, doc) in &self.docs {
            let committed = match (folded.docs.get(number), doc) {
                (Some(Some(then)), Some(now)) => Arc::ptr_eq(then, now),
                (Some(None), None) => true,
                _ => false,
            };
            if !committed {
                left.set(*number, doc.clone());
            }
        }
        left
    }

    fn set(&mut self, number: i32, doc: Option<Arc<FreshDoc>>) {
        let at = number as usize;
        if self.hidden.len() <= at / 64 {
            self.hidden.resize(at / 64 + 1, 0);
        }
        self.hidden[at / 64] |= 1 << (at % 64);
        self.docs.insert(number, doc);
    }
}

impl FullText {
    /// The index kept in `dir` when one is given and this process can have it (another
    /// instance holding it leaves this one an index of its own), or else in a temporary directory
    /// removed when the index is dropped. Memory-mapped either way: the operating system
    /// keeps what searches read in memory, and may give it back.
    pub fn open(dir: Option<&Path>) -> tantivy::Result<Self> {
        if let Some(dir) = dir {
            // The instance this one replaces may still be shutting down: give it a moment.
            let mut opened = Self::in_directory(dir);
            for _ in 0..LOCK_TRIES {
                if !matches!(opened, Err(TantivyError::LockFailure(..))) {
                    break;
                }
                std::thread::sleep(LOCK_PAUSE);
                opened = Self::in_directory(dir);
            }
            match opened {
                Err(TantivyError::LockFailure(..)) => tracing::warn!(
                    dir = %dir.display(),
                    "another instance is using the search index directory: this one builds \
                     its own in a temporary directory, from the database"
                ),
                opened => return opened,
            }
        }
        let directory = MmapDirectory::create_from_tempdir()
            .map_err(|error| TantivyError::SystemError(error.to_string()))?;
        Self::with(Index::create(
            directory,
            schema(),
            IndexSettings::default(),
        )?)
    }

    fn in_directory(dir: &Path) -> tantivy::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let schema = schema();
        let kept = match Index::exists(&MmapDirectory::open(dir)?)? {
            true => Some(Index::open(MmapDirectory::open(dir)?)?),
            false => None,
        };
        let index = match kept {
            Some(index) if index.schema() == schema => index,
            kept => {
                if let Some(older) = kept {
                    // Kept by a version whose index held other fields: made anew, and built
                    // again from the database. Tantivy will not create over an index, so its
                    // files go (and only they: the directory may hold others').
                    let files = older.directory().list_managed_files();
                    drop(older);
                    for file in files
                        .iter()
                        .map(PathBuf::as_path)
                        .chain([Path::new("meta.json"), Path::new(".managed.json")])
                    {
                        match std::fs::remove_file(dir.join(file)) {
                            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                                return Err(error.into());
                            }
                            _ => {}
                        }
                    }
                }
                Index::create(MmapDirectory::open(dir)?, schema, IndexSettings::default())?
            }
        };
        Self::with(index)
    }

    fn with(index: Index) -> tantivy::Result<Self> {
        let schema = index.schema();
        let field = |name| schema.get_field(name);
        index.tokenizers().register(ANALYSER, analyser());
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // Pages are of records spread over the collection: a cache of the store's blocks
            // would hardly ever be hit, and would hold memory for each segment.
            .doc_store_cache_num_blocks(0)
            .try_into()?;
        Ok(Self {
            writer: Mutex::new(writer),
            reader,
            doc: field("doc")?,
            lengths: field("lengths")?,
            fields: [
                field(TextField::Title.name())?,
                field(TextField::Summary.name())?,
                field(TextField::Context.name())?,
                field(TextField::Body.name())?,
            ],
            locality: field("locality")?,
            narrative: [
                field(NARRATIVE[0])?,
                field(NARRATIVE[1])?,
                field(NARRATIVE[2])?,
                field(NARRATIVE[3])?,
                field(NARRATIVE[4])?,
            ],
            numbers: Mutex::default(),
            fresh: RwLock::default(),
        })
    }

    /// The change-log entry the committed index had taken in when it was last committed, if
    /// it was built the way this version builds it.
    pub fn saved(&self) -> Option<Mark> {
        let metas = self.reader.searcher().index().load_metas().ok()?;
        let saved: Saved = serde_json::from_str(metas.payload.as_deref()?).ok()?;
        (saved.format == FORMAT).then_some(saved.taken_in)
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a document, or replaces the one with its number, in the next commit: for a
    /// build of the whole index, before its one commit.
    pub fn put(
        &self,
        number: i32,
        texts: &Texts,
        page: &PageTexts,
        lengths: [u16; 4],
    ) -> tantivy::Result<()> {
        let texts = [texts.title, texts.summary, texts.context, texts.body];
        self.write(&self.writer(), number, texts, page, lengths)
    }

    fn write(
        &self,
        writer: &IndexWriter<TantivyDocument>,
        number: i32,
        texts: [&str; 4],
        page: &PageTexts,
        lengths: [u16; 4],
    ) -> tantivy::Result<()> {
        writer.delete_term(self.number_term(number));
        let mut document = TantivyDocument::new();
        document.add_u64(self.doc, number as u64);
        let packed = lengths
            .iter()
            .rev()
            .fold(0u64, |packed, length| packed << 16 | u64::from(*length));
        document.add_u64(self.lengths, packed);
        for (field, text) in self.fields.iter().zip(texts) {
            document.add_text(*field, text);
        }
        let stored = std::iter::once(&page.locality)
            .chain(&page.narrative)
            .zip(std::iter::once(self.locality).chain(self.narrative));
        for (text, field) in stored {
            if let Some(text) = text {
                document.add_text(field, text);
            }
        }
        writer.add_document(document)?;
        Ok(())
    }

    /// Adds a document, or replaces the one with its number, for searches from now on; its
    /// fields' lengths in words (as ranking counts them) are kept with it.
    pub fn put_fresh(&self, number: i32, texts: &Texts, page: PageTexts, lengths: [u16; 4]) {
        let texts = [texts.title, texts.summary, texts.context, texts.body].map(str::to_owned);
        let stems = std::array::from_fn(|field| {
            let mut stems: HashMap<String, Vec<u32>> = HashMap::new();
            for (position, stem) in self.stems(&texts[field]) {
                stems.entry(stem).or_default().push(position);
            }
            stems
        });
        let doc = FreshDoc {
            texts,
            page,
            lengths,
            stems,
        };
        self.change_fresh(|fresh| fresh.set(number, Some(Arc::new(doc))));
    }

    /// Removes the document with this number, for searches from now on.
    pub fn remove(&self, number: i32) {
        self.change_fresh(|fresh| fresh.set(number, None));
    }

    fn change_fresh(&self, change: impl FnOnce(&mut Fresh)) {
        let mut fresh = self.fresh.write().unwrap_or_else(|p| p.into_inner());
        change(Arc::make_mut(&mut fresh));
    }

    /// How many documents wait to be committed by `fold`.
    pub fn fresh_count(&self) -> usize {
        self.fresh
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .docs
            .len()
    }

    /// Commits the fresh documents into the index, saving `taken_in` with them (read before
    /// this is called, so they hold every change up to that entry). Writes may go on
    /// meanwhile: what they put stays fresh.
    pub fn fold(&self, taken_in: Option<&Mark>) -> tantivy::Result<()> {
        let folded = self.fresh.read().unwrap_or_else(|p| p.into_inner()).clone();
        {
            let writer = self.writer();
            for (number, doc) in &folded.docs {
                match doc {
                    Some(doc) => self.write(
                        &writer,
                        *number,
                        doc.texts.each_ref().map(String::as_str),
                        &doc.page,
                        doc.lengths,
                    )?,
                    None => {
                        writer.delete_term(self.number_term(*number));
                    }
                }
            }
        }
        self.commit_keeping(taken_in, |now| now.without(&folded))
    }

    /// Makes every change written so far visible to searches, in place of the fresh
    /// documents (the caller has written those), and saves with them the change-log entry
    /// they bring the index up to.
    pub fn commit(&self, taken_in: Option<&Mark>) -> tantivy::Result<()> {
        self.commit_keeping(taken_in, |_| Fresh::default())
    }

    /// `commit`, keeping of the fresh documents what `keep` makes of them, at the moment the
    /// new segments become visible.
    fn commit_keeping(
        &self,
        taken_in: Option<&Mark>,
        keep: impl FnOnce(&Fresh) -> Fresh,
    ) -> tantivy::Result<()> {
        let mut writer = self.writer();
        let mut commit = writer.prepare_commit()?;
        if let Some(taken_in) = taken_in {
            let saved = Saved {
                format: FORMAT,
                taken_in: taken_in.clone(),
            };
            let payload = serde_json::to_string(&saved)
                .map_err(|error| TantivyError::InternalError(error.to_string()))?;
            commit.set_payload(&payload);
        }
        commit.commit()?;
        drop(writer);
        let mut current = self.fresh.write().unwrap_or_else(|p| p.into_inner());
        self.reader.reload()?;
        *current = Arc::new(keep(&current));
        Ok(())
    }

    /// Forgets every change since the last commit.
    pub fn rollback(&self) -> tantivy::Result<()> {
        self.writer().rollback().map(|_| ())
    }

    /// Removes every document (at the next commit), before a build from scratch.
    pub fn clear(&self) -> tantivy::Result<()> {
        self.writer().delete_all_documents().map(|_| ())
    }

    /// Calls `each` with the number and the field lengths of every committed document.
    pub fn lengths(&self, mut each: impl FnMut(i32, [u16; 4])) {
        let view = self.view();
        for (segment, numbers) in view.searcher.segment_readers().iter().zip(&view.numbers) {
            let Ok(column) = segment.fast_fields().u64("lengths") else {
                continue;
            };
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                let number = numbers[doc as usize];
                if number < 0 || !alive.is_none_or(|bits| bits.is_alive(doc)) {
                    continue;
                }
                if let Some(packed) = column.first(doc) {
                    each(
                        number,
                        std::array::from_fn(|field| (packed >> (16 * field)) as u16),
                    );
                }
            }
        }
    }

    /// Removes (at the next commit) every document whose number `live` refuses: the records
    /// deleted while the index was not following the change log.
    pub fn sweep(&self, live: impl Fn(i32) -> bool) {
        let view = self.view();
        let mut gone = Vec::new();
        for (segment, numbers) in view.searcher.segment_readers().iter().zip(&view.numbers) {
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                let number = numbers[doc as usize];
                if number >= 0 && alive.is_none_or(|bits| bits.is_alive(doc)) && !live(number) {
                    gone.push(number);
                }
            }
        }
        let writer = self.writer();
        for number in gone {
            writer.delete_term(self.number_term(number));
        }
    }

    fn page_of(&self, stored: &TantivyDocument) -> PageTexts {
        let text = |field: Field| {
            stored
                .get_first(field)
                .and_then(|value| value.as_str())
                .map(str::to_owned)
        };
        PageTexts {
            summary: text(self.fields[TextField::Summary as usize]).unwrap_or_default(),
            locality: text(self.locality),
            narrative: self.narrative.map(text),
        }
    }

    fn number_term(&self, number: i32) -> Term {
        Term::from_field_u64(self.doc, number as u64)
    }

    /// The stems of a text as the index holds them, each with its position (stop words
    /// leave gaps): empty for stop words alone.
    pub fn stems(&self, text: &str) -> Vec<(u32, String)> {
        let mut analyser = analyser();
        let mut stream = analyser.token_stream(text);
        let mut stems = Vec::new();
        while stream.advance() {
            let token = stream.token();
            stems.push((token.position as u32, token.text.clone()));
        }
        stems
    }

    /// A consistent view of the index for one search.
    pub fn view(&self) -> View<'_> {
        let (searcher, fresh) = {
            let fresh = self.fresh.read().unwrap_or_else(|p| p.into_inner());
            (self.reader.searcher(), fresh.clone())
        };
        let mut known = self.numbers.lock().unwrap_or_else(|p| p.into_inner());
        let numbers: Vec<Arc<[i32]>> = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                known
                    .entry(segment.segment_id())
                    .or_insert_with(|| numbers_of(segment))
                    .clone()
            })
            .collect();
        // Segments merged away are not read again.
        known.retain(|id, _| {
            searcher
                .segment_readers()
                .iter()
                .any(|segment| segment.segment_id() == *id)
        });
        drop(known);
        View {
            text: self,
            searcher,
            numbers,
            fresh,
        }
    }
}

/// Bumped whenever what the index holds, or how words are analysed, changes: an index saved
/// in another format is built again from the database.
const FORMAT: u32 = 2;

/// What a commit saves beside the index.
#[derive(serde::Serialize, serde::Deserialize)]
struct Saved {
    format: u32,
    taken_in: Mark,
}

fn schema() -> Schema {
    let mut schema = Schema::builder();
    // The document number: indexed to replace a document, a column to map postings back.
    schema.add_u64_field("doc", NumericOptions::default().set_indexed().set_fast());
    // Its fields' lengths, four 16-bit counts: kept, so a start that keeps the words need
    // not read the texts again to count them.
    schema.add_u64_field("lengths", NumericOptions::default().set_fast());
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYSER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    for field in TextField::ALL {
        // A page of results quotes the summary: kept as written, besides its words.
        let options = match field {
            TextField::Summary => text.clone().set_stored(),
            _ => text.clone(),
        };
        schema.add_text_field(field.name(), options);
    }
    for name in std::iter::once("locality").chain(NARRATIVE) {
        schema.add_text_field(name, TextOptions::default().set_stored());
    }
    schema.build()
}

fn analyser() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(
            StopWordFilter::new(Language::English).expect("English stop words ship with tantivy"),
        )
        .filter(Stemmer::new(Language::English))
        .build()
}

fn numbers_of(segment: &SegmentReader) -> Arc<[i32]> {
    let column = segment.fast_fields().u64("doc").ok();
    (0..segment.max_doc())
        .map(|doc| {
            column
                .as_ref()
                .and_then(|column| column.first(doc))
                .map_or(-1, |number| number as i32)
        })
        .collect()
}

/// One search's view of the index: postings are read through it.
pub struct View<'a> {
    text: &'a FullText,
    searcher: Searcher,
    /// Document numbers, by segment as the searcher holds them.
    numbers: Vec<Arc<[i32]>>,
    fresh: Arc<Fresh>,
}

/// A document holding a stem in a field: its number, how often the stem occurs there, and
/// where (when positions were asked for).
pub struct Occurrence<'p> {
    pub doc: i32,
    pub frequency: u32,
    places: Places<'p>,
}

enum Places<'p> {
    Committed(&'p mut SegmentPostings),
    Fresh(&'p [u32]),
}

impl Occurrence<'_> {
    /// Where the stem stands in the field.
    pub fn positions(&mut self) -> Vec<u32> {
        match &mut self.places {
            Places::Committed(postings) => {
                let mut positions = Vec::new();
                postings.positions(&mut positions);
                positions
            }
            Places::Fresh(positions) => positions.to_vec(),
        }
    }
}

/// Where some documents stand in the segments of a `View`: per segment, their places in it
/// and their numbers, in order.
pub struct Located {
    by_segment: Vec<Vec<(u32, i32)>>,
    /// The documents asked for, a flag per number.
    wanted: Vec<bool>,
}

impl View<'_> {
    /// Finds the documents numbered `numbers` in each segment.
    pub fn locate(&self, numbers: &[usize], documents: usize) -> Located {
        let mut wanted = vec![false; documents];
        for number in numbers {
            if let Some(flag) = wanted.get_mut(*number) {
                *flag = true;
            }
        }
        let by_segment = self
            .numbers
            .iter()
            .map(|segment| {
                segment
                    .iter()
                    .enumerate()
                    .filter(|(_, number)| {
                        usize::try_from(**number)
                            .is_ok_and(|n| wanted.get(n).copied().unwrap_or(false))
                    })
                    .map(|(doc, number)| (doc as u32, *number))
                    .collect()
            })
            .collect();
        Located { by_segment, wanted }
    }

    /// The texts a page shows of the documents numbered `numbers` (`documents` being how
    /// many numbers the index has given), by number; a number no longer live has none.
    pub fn pages(&self, numbers: &[i32], documents: usize) -> HashMap<i32, PageTexts> {
        let mut pages = HashMap::with_capacity(numbers.len());
        let mut committed = Vec::new();
        for number in numbers {
            match self.fresh.docs.get(number) {
                Some(Some(doc)) => {
                    pages.insert(*number, doc.page.clone());
                }
                Some(None) => {}
                None => committed.extend(usize::try_from(*number)),
            }
        }
        let located = self.locate(&committed, documents);
        let segments = self.searcher.segment_readers().iter();
        for (ord, (segment, docs)) in segments.zip(&located.by_segment).enumerate() {
            let alive = segment.alive_bitset();
            for (doc, number) in docs {
                if !alive.is_none_or(|bits| bits.is_alive(*doc)) {
                    continue;
                }
                let address = DocAddress::new(ord as u32, *doc);
                if let Ok(stored) = self.searcher.doc::<TantivyDocument>(address) {
                    pages.insert(*number, self.text.page_of(&stored));
                }
            }
        }
        pages
    }

    /// Calls `each`, with positions, for every located document whose `field` holds `stem`.
    /// Each list is sought to the documents rather than read through: they are a few hundred,
    /// and a common word's list holds most of the collection.
    pub fn occurrences_among(
        &self,
        field: TextField,
        stem: &str,
        located: &Located,
        mut each: impl FnMut(Occurrence<'_>),
    ) {
        let slot = field as usize;
        let term = Term::from_field_text(self.text.fields[slot], stem);
        let segments = self.searcher.segment_readers().iter();
        for (segment, docs) in segments.zip(&located.by_segment) {
            if docs.is_empty() {
                continue;
            }
            let Ok(inverted) = segment.inverted_index(self.text.fields[slot]) else {
                continue;
            };
            let Ok(Some(mut postings)) =
                inverted.read_postings(&term, IndexRecordOption::WithFreqsAndPositions)
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            for (doc, number) in docs {
                if postings.doc() < *doc && postings.seek(*doc) == TERMINATED {
                    break;
                }
                if postings.doc() == *doc
                    && alive.is_none_or(|bits| bits.is_alive(*doc))
                    && !self.fresh.hides(*number)
                {
                    let frequency = postings.term_freq();
                    each(Occurrence {
                        doc: *number,
                        frequency,
                        places: Places::Committed(&mut postings),
                    });
                }
            }
        }
        for (number, doc) in &self.fresh.docs {
            let wanted = usize::try_from(*number)
                .is_ok_and(|n| located.wanted.get(n).copied().unwrap_or(false));
            if wanted
                && let Some(positions) = doc.as_ref().and_then(|doc| doc.stems[slot].get(stem))
            {
                each(Occurrence {
                    doc: *number,
                    frequency: positions.len() as u32,
                    places: Places::Fresh(positions),
                });
            }
        }
    }

    /// Calls `each` for every document whose `field` holds `stem`.
    pub fn occurrences(
        &self,
        field: TextField,
        stem: &str,
        positions: bool,
        mut each: impl FnMut(Occurrence<'_>),
    ) {
        let slot = field as usize;
        let field = self.text.fields[slot];
        let term = Term::from_field_text(field, stem);
        let option = if positions {
            IndexRecordOption::WithFreqsAndPositions
        } else {
            IndexRecordOption::WithFreqs
        };
        for (segment, numbers) in self.searcher.segment_readers().iter().zip(&self.numbers) {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(Some(mut postings)) = inverted.read_postings(&term, option) else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                let number = numbers[doc as usize];
                if number >= 0
                    && alive.is_none_or(|bits| bits.is_alive(doc))
                    && !self.fresh.hides(number)
                {
                    let frequency = postings.term_freq();
                    each(Occurrence {
                        doc: number,
                        frequency,
                        places: Places::Committed(&mut postings),
                    });
                }
                doc = postings.advance();
            }
        }
        for (number, doc) in &self.fresh.docs {
            if let Some(positions) = doc.as_ref().and_then(|doc| doc.stems[slot].get(stem)) {
                each(Occurrence {
                    doc: *number,
                    frequency: positions.len() as u32,
                    places: Places::Fresh(positions),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index kept by a version whose documents had other fields is made anew (tantivy
    /// will not create one over another), not a start that fails.
    #[test]
    fn an_index_of_another_shape_is_made_anew() {
        let dir = std::env::temp_dir().join(format!("casebook-fulltext-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut older = Schema::builder();
        older.add_u64_field("doc", NumericOptions::default().set_indexed().set_fast());
        let older = Index::create_in_dir(&dir, older.build()).unwrap();
        let mut writer: IndexWriter<TantivyDocument> =
            older.writer_with_num_threads(1, WRITER_BYTES).unwrap();
        writer.commit().unwrap();
        drop((writer, older));

        std::fs::write(dir.join("notes.txt"), "someone else's").unwrap();

        let opened = FullText::open(Some(&dir)).unwrap();
        assert!(
            dir.join("notes.txt").exists(),
            "only the index's own files go"
        );
        assert!(
            opened.saved().is_none(),
            "nothing kept: built from the database"
        );
        let texts = Texts {
            title: "A play park",
            summary: "Children drew it.",
            context: "Selkirk",
            body: "",
        };
        let page = PageTexts {
            summary: texts.summary.to_owned(),
            locality: Some("Selkirk".into()),
            ..PageTexts::default()
        };
        opened.put(7, &texts, &page, [3, 3, 1, 0]).unwrap();
        opened.commit(None).unwrap();
        assert_eq!(opened.view().pages(&[7], 8).get(&7), Some(&page));
        drop(opened);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
