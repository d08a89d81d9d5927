//! The service's compact copy of every live record: what filters, facets, ordering and
//! ranking need, and no more. PostgreSQL stays the source of truth; this is rebuilt from it
//! at start-up and follows the change log.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Utc};
use smallvec::SmallVec;
use uuid::Uuid;

use super::suggest::Suggestions;
use super::text::{term_set, word_count, words};
use crate::db::search::{IndexRow, OrganisationRow};
use crate::domain::practice::EvidenceLevel;
use crate::domain::quality::{self, QualityFacts};
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, CoproductionValue, CostBand, Country, DepthFlag,
    Evaluation, JourneyStep, OrganisationKind, OutcomeCategory, PartnerRole, Scale, Sector,
    StarQuadrant, Status, Vocabulary,
};

/// A set of members of a controlled list, one bit each, in the list's order.
pub fn bits<V: Vocabulary>(members: &[V]) -> u32 {
    members.iter().fold(0, |mask, member| mask | bit(*member))
}

pub fn bit<V: Vocabulary>(member: V) -> u32 {
    1 << member.position()
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub name_terms: Vec<u32>,
}

/// A case study as searches read it. What every search reads for every match comes first
/// and is held inline (`repr(C)`, cache-line aligned); what only a page of results reads is
/// behind `about`, so a loop over 100,000 matches streams as few cache lines as it can.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct Doc {
    pub doc: i32,
    pub status: Status,
    pub scale: Scale,
    pub sector: Sector,
    pub country: Country,
    pub completeness: u8,
    /// Index into `Index::organisations`.
    pub owner: u32,
    pub quadrants: u32,
    pub journey_steps: u32,
    pub values: u32,
    pub outcomes: u32,
    /// Depth flags, one bit each.
    pub flags: u32,
    /// Index into `Index::localities`.
    pub locality: Option<u32>,
    pub start_year: Option<i16>,
    pub end_year: Option<i16>,
    pub practice: Practice,
    /// When it was published, or else created: what "newest" orders by.
    pub sort_time: i64,
    /// Self-assessment answers, two bits a question (0 unanswered, else the answer's
    /// position in its list plus one).
    pub answers: u64,
    /// Most name a few: inline, as a pointer to chase per match would cost as much again.
    pub partners: SmallVec<[(u32, PartnerRole); 4]>,
    pub about: Box<About>,
}

/// What a page of results, likeness and alphabetical order read of a case study.
#[derive(Debug, Clone)]
pub struct About {
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    /// Lowercased title, for alphabetical order.
    pub title_key: String,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The distinct term hashes of the title and the summary together, in order: what
    /// likeness compares.
    pub words: Box<[u32]>,
}

/// What the pass over the matches (filters, facets, order, visibility) reads of each record,
/// packed into 32 bytes in a dense array apart from the records, two to a cache line: at
/// 100,000 matches that pass waits on memory, and a record is 128 bytes. A copy of fields
/// of `Doc`, made by `Index::upsert` alone.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
pub struct Facts {
    pub sort_time: i64,
    pub owner: u32,
    /// Where its partners start in `Index::partner_lists`, and how many there are.
    pub partners_at: u32,
    pub outcomes: u16,
    /// The practice template's facts (see `Practice`).
    pub practice: Practice,
    /// Years after `FIRST_YEAR` (case studies name 1900 to 2100), `NO_YEAR` for none.
    start_year: u8,
    end_year: u8,
    pub partners_len: u8,
    /// `None` for a document number with no live record.
    pub status: Option<Status>,
    pub sector: Sector,
    pub country: Country,
    pub scale: Scale,
    pub quadrants: u8,
    pub journey_steps: u8,
    pub values: u8,
    pub flags: u8,
    pub completeness: u8,
}

const _: () = assert!(std::mem::size_of::<Facts>() == 32);

/// The completeness facet's bands, by their lowest score.
pub const COMPLETENESS_BANDS: [u8; 5] = [0, 20, 40, 60, 80];

/// The facets with a handful of values, each given a range of bits in one word per record
/// (a bit per value), and how many values each has: quadrants, journey steps, values,
/// scale, sector, country, outcomes, flags, completeness bands. Counting a match in all of
/// them is adding its word to a tally.
pub const WORD_FACET_WIDTHS: [u32; 9] = [
    StarQuadrant::ALL.len() as u32,
    JourneyStep::ALL.len() as u32,
    CoproductionValue::ALL.len() as u32,
    Scale::ALL.len() as u32,
    Sector::ALL.len() as u32,
    Country::ALL.len() as u32,
    OutcomeCategory::ALL.len() as u32,
    DepthFlag::ALL.len() as u32,
    COMPLETENESS_BANDS.len() as u32,
];

/// Where the bits of each of `WORD_FACET_WIDTHS` start in the word.
pub const fn word_shift(facet: usize) -> u32 {
    let mut shift = 0;
    let mut i = 0;
    while i < facet {
        shift += WORD_FACET_WIDTHS[i];
        i += 1;
    }
    shift
}

const _: () = assert!(word_shift(WORD_FACET_WIDTHS.len()) <= 64);

/// The year of a case study that gives none.
const NO_YEAR: u8 = u8::MAX;

/// The first year a case study may name: years are held as the years after it.
pub const FIRST_YEAR: i16 = 1900;

fn year_offset(year: Option<i16>) -> u8 {
    year.and_then(|y| u8::try_from(y - FIRST_YEAR).ok())
        .filter(|offset| *offset != NO_YEAR)
        .unwrap_or(NO_YEAR)
}

/// What filters and facets read of a case study's practice template, in sixteen bits:
/// its evidence level (0 for none), evaluation (0 for none given, else its position plus
/// one), cost band, whether it has indicators, and whether it has files the public may read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Practice(u16);

impl Practice {
    pub fn new(
        level: Option<EvidenceLevel>,
        evaluation: Option<Evaluation>,
        band: CostBand,
        indicators: bool,
        attachments: bool,
    ) -> Self {
        let level = level.map_or(0, |l| u16::from(l.number()));
        let evaluation = evaluation.map_or(0, |e| e.position() as u16 + 1);
        let band = band.position() as u16;
        Self(
            level
                | evaluation << 3
                | band << 6
                | u16::from(indicators) << 9
                | u16::from(attachments) << 10,
        )
    }

    /// 1 to 5, or 0 when none is given.
    pub fn evidence_level(self) -> u8 {
        (self.0 & 0b111) as u8
    }

    pub fn evaluation(self) -> Option<Evaluation> {
        let code = usize::from(self.0 >> 3 & 0b111);
        code.checked_sub(1)
            .map(|position| Evaluation::ALL[position])
    }

    pub fn cost_band(self) -> CostBand {
        CostBand::ALL[usize::from(self.0 >> 6 & 0b111)]
    }

    pub fn has_indicators(self) -> bool {
        self.0 & 1 << 9 != 0
    }

    pub fn has_attachments(self) -> bool {
        self.0 & 1 << 10 != 0
    }
}

impl Facts {
    fn of(doc: &Doc, partners_at: u32) -> Self {
        // Each fits its field (see the assertion below).
        Self {
            sort_time: doc.sort_time,
            owner: doc.owner,
            partners_at,
            outcomes: doc.outcomes as u16,
            practice: doc.practice,
            start_year: year_offset(doc.start_year),
            end_year: year_offset(doc.end_year),
            partners_len: doc.partners.len() as u8,
            status: Some(doc.status),
            sector: doc.sector,
            country: doc.country,
            scale: doc.scale,
            quadrants: doc.quadrants as u8,
            journey_steps: doc.journey_steps as u8,
            values: doc.values as u8,
            flags: doc.flags as u8,
            completeness: doc.completeness,
        }
    }

    /// No live record at this number.
    const NONE: Self = Self {
        sort_time: 0,
        owner: 0,
        partners_at: 0,
        outcomes: 0,
        practice: Practice(0),
        start_year: NO_YEAR,
        end_year: NO_YEAR,
        partners_len: 0,
        status: None,
        sector: Sector::ALL[0],
        country: Country::ALL[0],
        scale: Scale::ALL[0],
        quadrants: 0,
        journey_steps: 0,
        values: 0,
        flags: 0,
        completeness: 0,
    };

    /// Its values in the facets of `WORD_FACET_WIDTHS`, as bits.
    fn facet_word(&self) -> u64 {
        let band = COMPLETENESS_BANDS
            .iter()
            .rposition(|low| self.completeness >= *low)
            .unwrap_or(0);
        let parts = [
            u64::from(self.quadrants),
            u64::from(self.journey_steps),
            u64::from(self.values),
            u64::from(bit(self.scale)),
            u64::from(bit(self.sector)),
            u64::from(bit(self.country)),
            u64::from(self.outcomes),
            u64::from(self.flags),
            1 << band,
        ];
        parts
            .iter()
            .enumerate()
            .fold(0, |word, (facet, part)| word | part << word_shift(facet))
    }

    /// The years the work ran, if it says.
    pub fn years(&self) -> Option<(i16, Option<i16>)> {
        let year = |offset: u8| (offset != NO_YEAR).then(|| FIRST_YEAR + i16::from(offset));
        year(self.start_year).map(|start| (start, year(self.end_year)))
    }
}

const _: () = assert!(
    StarQuadrant::ALL.len() <= 8
        && JourneyStep::ALL.len() <= 8
        && CoproductionValue::ALL.len() <= 8
        && crate::domain::vocabulary::DepthFlag::ALL.len() <= 8
        && OutcomeCategory::ALL.len() <= 16
        && Evaluation::ALL.len() < 8
        && CostBand::ALL.len() <= 8
        && crate::domain::case_study::PARTNERS_MAX <= u8::MAX as usize
);

impl Doc {
    pub fn quadrant_list(&self) -> Vec<StarQuadrant> {
        members(self.quadrants)
    }

    pub fn outcome_list(&self) -> Vec<OutcomeCategory> {
        members(self.outcomes)
    }

    pub fn journey_step_list(&self) -> Vec<JourneyStep> {
        members(self.journey_steps)
    }

    pub fn value_list(&self) -> Vec<CoproductionValue> {
        members(self.values)
    }

    /// True when the organisation is the owner or a named partner.
    pub fn involves(&self, organisation: u32) -> bool {
        self.owner == organisation || self.partners.iter().any(|(o, _)| *o == organisation)
    }
}

/// The members of a controlled list whose bits are set.
pub fn members<V: Vocabulary>(mask: u32) -> Vec<V> {
    V::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, m)| *m)
        .collect()
}

#[derive(Debug, Default)]
pub struct Index {
    /// By document number; numbers are dense but may have gaps.
    pub docs: Vec<Option<Doc>>,
    /// Words in each record's title, summary, partners and place, and narrative and
    /// outcomes, by document number: what relevance normalises by. Apart from the records,
    /// as ranking reads them for every occurrence of every word asked for, and a small
    /// array stays in the processor's cache where the records do not.
    pub lengths: Vec<[u16; 4]>,
    /// What the pass over the matches reads, by document number (see `Facts`).
    pub facts: Vec<Facts>,
    /// Each record's `Facts::facet_word`, by document number: worked out once per change
    /// rather than for every match of every search.
    pub facet_words: Vec<u64>,
    /// Every record's partners, one run per record (see `Facts::partners_at`). A record
    /// whose list grows is given a new run at the end; the old one stays unused until the
    /// index is next built, a few bytes per such edit.
    pub partner_lists: Vec<(u32, PartnerRole)>,
    pub by_id: HashMap<Uuid, i32>,
    pub organisations: Vec<Organisation>,
    pub organisation_by_id: HashMap<Uuid, u32>,
    pub organisation_by_slug: HashMap<String, u32>,
    /// Localities as " word word ", so a whole-word phrase is a substring search.
    pub localities: Vec<String>,
    locality_ids: HashMap<String, u32>,
    /// What misspelt words may be corrected to: words anyone may read.
    pub suggestions: Suggestions,
    /// The last change-log entry applied.
    pub last_seq: i64,
    /// What the public may see, worked out once per change rather than once per search.
    public: OnceLock<Arc<Audience>>,
}

/// How many documents hold each value of each dimension, by the value's position.
#[derive(Debug, Default, Clone)]
pub struct FacetCounts {
    pub quadrant: Vec<u64>,
    pub sector: Vec<u64>,
    pub outcome: Vec<u64>,
    pub country: Vec<u64>,
    pub scale: Vec<u64>,
    pub journey_step: Vec<u64>,
    pub value: Vec<u64>,
    pub partner: Vec<u64>,
    /// By start year, from 1900.
    pub year: Vec<u64>,
    /// By band of `COMPLETENESS_BANDS`.
    pub completeness: Vec<u64>,
    pub flag: Vec<u64>,
    /// By evidence level, 1 to 5.
    pub evidence_level: Vec<u64>,
    pub evaluation: Vec<u64>,
    pub cost_band: Vec<u64>,
}

impl FacetCounts {
    fn dimensions_mut(&mut self) -> [&mut Vec<u64>; 14] {
        [
            &mut self.quadrant,
            &mut self.sector,
            &mut self.outcome,
            &mut self.country,
            &mut self.scale,
            &mut self.journey_step,
            &mut self.value,
            &mut self.partner,
            &mut self.year,
            &mut self.completeness,
            &mut self.flag,
            &mut self.evidence_level,
            &mut self.evaluation,
            &mut self.cost_band,
        ]
    }

    /// These counts less those of `part`, a part of what these counted.
    pub fn without(mut self, mut part: FacetCounts) -> FacetCounts {
        for (counts, taken) in self.dimensions_mut().into_iter().zip(part.dimensions_mut()) {
            for (count, taken) in counts.iter_mut().zip(taken.iter()) {
                *count -= taken;
            }
        }
        self
    }
}

/// What one asker may see of the collection, and the statistics ranking takes over it.
#[derive(Debug)]
pub struct Audience {
    /// By document number.
    pub visible: Vec<bool>,
    pub documents: f32,
    /// Average length of each text field (see `Doc::lengths`) over what it may see.
    pub average: [f32; 4],
    /// The facet counts of everything it may see, once a search needs them.
    pub counts: OnceLock<FacetCounts>,
}

impl Audience {
    pub fn of(index: &Index, may_see: impl Fn(&Doc) -> bool) -> Self {
        let mut visible = vec![false; index.docs.len()];
        let mut totals = [0f64; 4];
        let mut documents = 0f64;
        for doc in index.live_docs().filter(|doc| may_see(doc)) {
            visible[doc.doc as usize] = true;
            documents += 1.0;
            for (total, length) in totals.iter_mut().zip(index.lengths[doc.doc as usize]) {
                *total += f64::from(length);
            }
        }
        Self {
            visible,
            documents: documents as f32,
            average: totals.map(|total| (total / documents.max(1.0)).max(1.0) as f32),
            counts: OnceLock::new(),
        }
    }
}

impl Index {
    pub fn doc(&self, number: i32) -> Option<&Doc> {
        self.docs.get(usize::try_from(number).ok()?)?.as_ref()
    }

    /// What the pass over the matches reads of a record; `None` for no live record.
    #[inline]
    pub fn facts(&self, number: u32) -> Option<&Facts> {
        self.facts
            .get(number as usize)
            .filter(|facts| facts.status.is_some())
    }

    /// A record's partners, with their roles (the owner is among them when it is a partner).
    #[inline]
    pub fn partners_of(&self, facts: &Facts) -> &[(u32, PartnerRole)] {
        let at = facts.partners_at as usize;
        &self.partner_lists[at..at + usize::from(facts.partners_len)]
    }

    /// True when the organisation owns the record or is one of its partners.
    #[inline]
    pub fn involves(&self, facts: &Facts, organisation: u32) -> bool {
        facts.owner == organisation
            || self
                .partners_of(facts)
                .iter()
                .any(|(o, _)| *o == organisation)
    }

    /// Asks the processor to start loading what the pass over the matches reads of the
    /// record numbered `number` a few steps on: the pass's work per record is long enough
    /// that the hardware does not run ahead by itself, and waiting for memory was most of it.
    #[inline]
    pub fn prefetch(&self, number: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(facts) = self.facts.get(number) {
            let at = (facts as *const Facts).cast::<i8>();
            let partners = self
                .partner_lists
                .get(facts.partners_at as usize)
                .map(|p| (p as *const (u32, PartnerRole)).cast::<i8>());
            // SAFETY: a prefetch is a hint that reads nothing and cannot fault, and both
            // addresses are of live elements.
            unsafe {
                use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
                _mm_prefetch::<_MM_HINT_T0>(at);
                if let Some(partners) = partners {
                    _mm_prefetch::<_MM_HINT_T0>(partners);
                }
            }
        }
    }

    pub fn live_docs(&self) -> impl Iterator<Item = &Doc> {
        self.docs.iter().flatten()
    }

    /// What anyone may see: published case studies.
    pub fn public_audience(&self) -> Arc<Audience> {
        self.public
            .get_or_init(|| Arc::new(Audience::of(self, |doc| doc.status == Status::Published)))
            .clone()
    }

    pub fn organisation(&self, index: u32) -> &Organisation {
        &self.organisations[index as usize]
    }

    pub fn upsert_organisation(&mut self, row: OrganisationRow) {
        let organisation = Organisation {
            name_terms: term_set(&row.name),
            id: row.id,
            slug: row.slug,
            name: row.name,
            kind: row.kind,
        };
        self.suggestions.add(&organisation.name);
        match self.organisation_by_id.get(&organisation.id) {
            Some(&index) => {
                let old = std::mem::replace(&mut self.organisations[index as usize], organisation);
                self.suggestions.remove(&old.name);
                self.organisation_by_slug.remove(&old.slug);
                self.organisation_by_slug
                    .insert(self.organisations[index as usize].slug.clone(), index);
            }
            None => {
                let index = self.organisations.len() as u32;
                self.organisation_by_id.insert(organisation.id, index);
                self.organisation_by_slug
                    .insert(organisation.slug.clone(), index);
                self.organisations.push(organisation);
            }
        }
    }

    /// The names of a record's partners and its place: its context, as the full-text
    /// index holds it.
    pub fn context(&self, doc: &Doc) -> String {
        let names = doc
            .partners
            .iter()
            .map(|(o, _)| *o)
            .chain([doc.owner])
            .map(|o| self.organisation(o).name.as_str());
        let place = doc.locality.map(|l| self.localities[l as usize].trim());
        names.chain(place).collect::<Vec<_>>().join(" ")
    }

    /// Adds or replaces a live record; its organisations must be known already.
    pub fn upsert(&mut self, row: &IndexRow) {
        let organisation = |id: &Uuid| self.organisation_by_id.get(id).copied();
        let Some(owner) = organisation(&row.owner_id) else {
            return;
        };
        let partners = row
            .partner_ids
            .iter()
            .zip(&row.partner_roles)
            .filter_map(|(id, role)| Some((organisation(id)?, *role)))
            .collect();
        let locality = row
            .locality
            .as_deref()
            .map(|locality| self.locality_id(locality));
        let sort_time = row
            .published_at
            .unwrap_or(row.created_at)
            .timestamp_micros();
        let quality = quality::assess(&QualityFacts {
            narrative: std::array::from_fn(|i| row.narrative & (1 << i) != 0),
            quadrants: row.quadrants.len(),
            community_partner: row.partner_roles.contains(&PartnerRole::Community),
            outcomes: row.outcome_count as usize,
            measured_outcome: row.measured_outcome,
            answered: row.assessment_questions.len(),
            involved_to_satisfaction: row
                .assessment_questions
                .iter()
                .zip(&row.assessment_answers)
                .find(|(q, _)| **q == AssessmentQuestion::InvolvedToSatisfaction)
                .map(|(_, a)| *a),
            indicators: row.indicator_count > 0,
            evidence_level: row
                .evidence_level
                .and_then(|level| u8::try_from(level).ok())
                .unwrap_or(0),
            costs: row.has_costs,
            savings: row.has_savings,
            evaluation_report: row.evaluation_report,
        });
        let answers = row
            .assessment_questions
            .iter()
            .zip(&row.assessment_answers)
            .fold(0u64, |bits, (question, answer)| {
                bits | answer_bits(*question, *answer)
            });
        let doc = Doc {
            doc: row.doc,
            about: Box::new(About {
                id: row.id,
                slug: row.slug.clone(),
                title: row.title.clone(),
                title_key: row.title.to_lowercase(),
                published_at: row.published_at,
                updated_at: row.updated_at,
                words: term_set(&format!("{} {}", row.title, row.summary)).into_boxed_slice(),
            }),
            status: row.status,
            owner,
            partners,
            quadrants: bits(&row.quadrants),
            journey_steps: bits(&row.journey_steps),
            values: bits(&row.coproduction_values),
            outcomes: bits(&row.outcomes),
            scale: row.scale,
            sector: row.sector,
            country: row.country,
            locality,
            start_year: row.start_year,
            end_year: row.end_year,
            practice: Practice::new(
                row.evidence_level
                    .and_then(|level| EvidenceLevel::from_number(level.into())),
                row.evaluation,
                row.cost_band,
                row.indicator_count > 0,
                row.has_attachments,
            ),
            sort_time,
            completeness: quality.completeness,
            flags: bits(&quality.flags),
            answers,
        };
        let context = self.context(&doc);
        let slot = usize::try_from(doc.doc).expect("document numbers are positive");
        if self.docs.len() <= slot {
            self.docs.resize(slot + 1, None);
            self.lengths.resize(slot + 1, [0; 4]);
            self.facts.resize(slot + 1, Facts::NONE);
            self.facet_words.resize(slot + 1, 0);
        }
        let before = self.facts[slot];
        // A list no longer than the one before goes where that one was.
        let partners_at = if doc.partners.len() <= usize::from(before.partners_len) {
            before.partners_at
        } else {
            let at = self.partner_lists.len();
            self.partner_lists
                .resize(at + doc.partners.len(), (0, PartnerRole::Lead));
            at as u32
        };
        let at = partners_at as usize;
        self.partner_lists[at..at + doc.partners.len()].copy_from_slice(&doc.partners);
        self.facts[slot] = Facts::of(&doc, partners_at);
        self.facet_words[slot] = self.facts[slot].facet_word();
        // A record read without its body has its lengths put back from where its words are
        // kept (see `restore_lengths`).
        if let Some(body) = &row.body {
            self.lengths[slot] = [&row.title, &row.summary, &context, body]
                .map(|text| u16::try_from(word_count(text)).unwrap_or(u16::MAX));
        }
        if let Some(old) = self.docs[slot].take() {
            self.suggest(&old, false);
        }
        self.suggest(&doc, true);
        self.public.take();
        self.by_id.insert(doc.about.id, doc.doc);
        self.docs[slot] = Some(doc);
    }

    /// Sets a record's field lengths as counted when its words were indexed, for a record
    /// read without its body (see `SearchIndex::load`).
    pub fn restore_lengths(&mut self, number: i32, lengths: [u16; 4]) {
        if let Some(slot) = self.lengths.get_mut(number as usize) {
            *slot = lengths;
            self.public.take();
        }
    }

    /// Removes a record; returns its document number, if it was here.
    pub fn remove(&mut self, id: Uuid) -> Option<i32> {
        let number = self.by_id.remove(&id)?;
        self.public.take();
        self.facts[number as usize].status = None;
        if let Some(old) = self.docs[number as usize].take() {
            self.suggest(&old, false);
        }
        Some(number)
    }

    /// Counts the words of a published case study's title and place in (or out of) what
    /// misspellings may be corrected to.
    fn suggest(&mut self, doc: &Doc, used: bool) {
        if doc.status != Status::Published {
            return;
        }
        let place = doc.locality.map(|l| self.localities[l as usize].as_str());
        for text in std::iter::once(doc.about.title.as_str()).chain(place) {
            if used {
                self.suggestions.add(text);
            } else {
                self.suggestions.remove(text);
            }
        }
    }

    fn locality_id(&mut self, locality: &str) -> u32 {
        let normalised = format!(" {} ", words(locality).join(" "));
        if let Some(&id) = self.locality_ids.get(&normalised) {
            return id;
        }
        let id = self.localities.len() as u32;
        self.localities.push(normalised.clone());
        self.locality_ids.insert(normalised, id);
        id
    }

    /// The localities containing one of these places as whole words, as a lookup table.
    pub fn localities_matching(&self, places: &[String]) -> Vec<bool> {
        let needles: Vec<String> = places
            .iter()
            .map(|p| format!(" {} ", words(p).join(" ")))
            .collect();
        self.localities
            .iter()
            .map(|locality| {
                needles
                    .iter()
                    .any(|needle| locality.contains(needle.as_str()))
            })
            .collect()
    }
}

/// The bits that say "this question has this answer".
pub fn answer_bits(question: AssessmentQuestion, answer: AssessmentAnswer) -> u64 {
    let question = bit(question).trailing_zeros();
    let answer = u64::from(bit(answer).trailing_zeros()) + 1;
    answer << (2 * question)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn practice_facts_read_back_as_packed_in_every_combination() {
        let levels = std::iter::once(None).chain(EvidenceLevel::ALL.map(Some));
        for level in levels {
            let evaluations =
                std::iter::once(None).chain(Evaluation::ALL.iter().copied().map(Some));
            for evaluation in evaluations {
                for band in CostBand::ALL {
                    for (indicators, attachments) in
                        [(false, false), (true, false), (false, true), (true, true)]
                    {
                        let practice =
                            Practice::new(level, evaluation, *band, indicators, attachments);
                        assert_eq!(
                            practice.evidence_level(),
                            level.map_or(0, EvidenceLevel::number)
                        );
                        assert_eq!(practice.evaluation(), evaluation);
                        assert_eq!(practice.cost_band(), *band);
                        assert_eq!(practice.has_indicators(), indicators);
                        assert_eq!(practice.has_attachments(), attachments);
                    }
                }
            }
        }
    }

    #[test]
    fn years_are_held_from_1900_to_2100() {
        for (start, end) in [(Some(1900), Some(2100)), (Some(2015), None), (None, None)] {
            let facts = Facts {
                start_year: year_offset(start),
                end_year: year_offset(end),
                ..Facts::NONE
            };
            assert_eq!(facts.years(), start.map(|s| (s, end)));
        }
    }
}
