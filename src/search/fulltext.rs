//! The words of every live record, in an embedded inverted index (tantivy): per field, which
//! documents hold each stem, how often and where, and how long each field is. Matching and
//! ranking read postings from here, in the service, with no round trip to the database.
//! PostgreSQL stays the source of truth: this is built from it and follows its change log,
//! like the rest of the search index.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::directory::MmapDirectory;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{
    DocSet, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, SegmentReader,
    TERMINATED, TantivyDocument, Term,
};

/// The analyser of every text field and of queries: words, lowercased, English stop words
/// left out, stemmed with the same Snowball stemmer as the highlighter.
const ANALYSER: &str = "casebook_english";
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

pub struct FullText {
    writer: Mutex<IndexWriter<TantivyDocument>>,
    reader: IndexReader,
    doc: Field,
    fields: [Field; 4],
    /// Per segment, the document number of each of its documents (-1 for none): read from
    /// the column once per segment rather than once per posting of every search.
    numbers: Mutex<HashMap<SegmentId, Arc<[i32]>>>,
}

impl FullText {
    /// An empty index in a temporary directory of its own (removed when the index is
    /// dropped), memory-mapped: the operating system keeps what searches read in memory,
    /// and may give it back.
    pub fn new() -> tantivy::Result<Self> {
        let mut schema = Schema::builder();
        // The document number: indexed to replace a document, a column to map postings back.
        let doc = schema.add_u64_field("doc", NumericOptions::default().set_indexed().set_fast());
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYSER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = TextField::ALL.map(|field| schema.add_text_field(field.name(), text.clone()));
        let directory = MmapDirectory::create_from_tempdir()
            .map_err(|error| tantivy::TantivyError::SystemError(error.to_string()))?;
        let index = Index::create(directory, schema.build(), IndexSettings::default())?;
        index.tokenizers().register(ANALYSER, analyser());
        let writer = index.writer_with_num_threads(1, WRITER_BYTES)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            writer: Mutex::new(writer),
            reader,
            doc,
            fields,
            numbers: Mutex::default(),
        })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a document, or replaces the one with its number; seen by searches after `commit`.
    pub fn put(&self, number: i32, texts: &Texts) -> tantivy::Result<()> {
        let writer = self.writer();
        writer.delete_term(self.number_term(number));
        let mut document = TantivyDocument::new();
        document.add_u64(self.doc, number as u64);
        for (field, text) in
            self.fields
                .iter()
                .zip([texts.title, texts.summary, texts.context, texts.body])
        {
            document.add_text(*field, text);
        }
        writer.add_document(document)?;
        Ok(())
    }

    /// Removes the document with this number; gone from searches after `commit`.
    pub fn remove(&self, number: i32) {
        self.writer().delete_term(self.number_term(number));
    }

    /// Makes every change so far visible to searches.
    pub fn commit(&self) -> tantivy::Result<()> {
        self.writer().commit()?;
        self.reader.reload()
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
        let searcher = self.reader.searcher();
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
        }
    }
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
}

/// A document holding a stem in a field: its number, how often the stem occurs there, and
/// the postings positioned on it (for positions, when they were asked for).
pub struct Occurrence<'p> {
    pub doc: i32,
    pub frequency: u32,
    pub postings: &'p mut SegmentPostings,
}

impl View<'_> {
    /// Calls `each` for every document whose `field` holds `stem`.
    pub fn occurrences(
        &self,
        field: TextField,
        stem: &str,
        positions: bool,
        mut each: impl FnMut(Occurrence<'_>),
    ) {
        let field = self.text.fields[field as usize];
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
                if number >= 0 && alive.is_none_or(|bits| bits.is_alive(doc)) {
                    let frequency = postings.term_freq();
                    each(Occurrence {
                        doc: number,
                        frequency,
                        postings: &mut postings,
                    });
                }
                doc = postings.advance();
            }
        }
    }
}

/// Positions of a stem in the current document of an occurrence list.
pub fn positions(postings: &mut SegmentPostings) -> Vec<u32> {
    let mut positions = Vec::new();
    postings.positions(&mut positions);
    positions
}
