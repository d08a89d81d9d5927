//! One pass over the candidates: filters, multi-select facet counts, exact total, ranking
//! and the requested page, all in memory.
//!
//! Each filter is a dimension. A document failing no dimension is a result and counts in
//! every facet; a document failing exactly one dimension still counts in that dimension's
//! facet, which is what "every other filter applied but its own" means.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::index::{Doc, FIRST_YEAR, Facts, Index, answer_bits, bit, bits};
use crate::domain::user::Principal;
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, CoproductionValue, CostBand, Country, DepthFlag,
    Evaluation as Evaluated, JourneyStep, OutcomeCategory, PartnerRole, Scale, Sector,
    StarQuadrant, Status, Vocabulary,
};

const QUADRANT: u32 = 1 << 0;
const SECTOR: u32 = 1 << 1;
const OUTCOME: u32 = 1 << 2;
const PARTNER: u32 = 1 << 3;
const COUNTRY: u32 = 1 << 4;
const SCALE: u32 = 1 << 5;
const JOURNEY_STEP: u32 = 1 << 6;
const VALUE: u32 = 1 << 7;
const YEAR: u32 = 1 << 8;
const LOCALITY: u32 = 1 << 9;
const PARTNER_ROLE: u32 = 1 << 10;
const FLAG: u32 = 1 << 11;
const COMPLETENESS: u32 = 1 << 12;
const ASSESSMENT: u32 = 1 << 13;
const EVIDENCE: u32 = 1 << 14;
const EVALUATION: u32 = 1 << 15;
const COST_BAND: u32 = 1 << 16;
const INDICATORS: u32 = 1 << 17;
const ATTACHMENTS: u32 = 1 << 18;

/// The completeness facet's bands, by their lowest score.
pub const COMPLETENESS_BANDS: [u8; 5] = [0, 20, 40, 60, 80];

/// Filters with their names resolved against the index.
#[derive(Debug, Default)]
pub struct Filters {
    pub quadrants: Vec<StarQuadrant>,
    pub sectors: Vec<Sector>,
    pub outcomes: Vec<OutcomeCategory>,
    /// Indexes of organisations.
    pub partners: Vec<u32>,
    pub partner_roles: Vec<PartnerRole>,
    pub countries: Vec<Country>,
    pub scales: Vec<Scale>,
    pub journey_steps: Vec<JourneyStep>,
    pub values: Vec<CoproductionValue>,
    /// One flag per locality of the index: does it match a `locality` filter?
    pub localities: Option<Vec<bool>>,
    pub year_from: Option<i16>,
    pub year_to: Option<i16>,
    pub statuses: Vec<Status>,
    pub flags: Vec<DepthFlag>,
    pub min_completeness: Option<u8>,
    /// Case studies with any of these answers.
    pub assessments: Vec<(AssessmentQuestion, AssessmentAnswer)>,
    /// Case studies whose evidence is at least this level (1-5).
    pub min_evidence_level: Option<u8>,
    pub evaluations: Vec<Evaluated>,
    pub cost_bands: Vec<CostBand>,
    pub has_indicators: Option<bool>,
    pub has_attachments: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best matches first (the default when `q` is given).
    Relevance,
    /// Most recently published first (the default otherwise).
    Newest,
    Oldest,
    /// Alphabetical by title.
    Title,
    /// Most complete first.
    Completeness,
}

/// How `q` is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    /// By words and by meaning, ranked together (the default when the service has an
    /// embedding model).
    Hybrid,
    /// By words alone (BM25F).
    Lexical,
    /// By meaning alone: case studies whose text is close to the question's.
    Semantic,
}

/// How the text query matched: per document, a bit per satisfied clause (`SEMANTIC` when
/// close in meaning, `EXCLUDED` when an excluded word is there) and its relevance.
pub struct TextMatches<'a> {
    pub masks: &'a [u16],
    pub scores: &'a [f32],
    /// Clauses that are all phrases: wanted even in a partial match.
    pub required: u16,
}

pub const EXCLUDED: u16 = 1 << 15;
pub const SEMANTIC: u16 = 1 << 14;

/// How well a document matched the words (higher is better).
pub type Relevance = f32;

/// A result: its document number, and how it matched the words if there were any.
pub type Ranked = (i32, Option<Relevance>);

impl TextMatches<'_> {
    /// None if the document does not match; else its relevance.
    fn score(&self, number: u32) -> Option<Relevance> {
        let mask = *self.masks.get(number as usize)?;
        let wanted = mask & !EXCLUDED;
        if mask & EXCLUDED != 0 || wanted & self.required != self.required || wanted == 0 {
            return None;
        }
        Some(self.scores.get(number as usize).copied().unwrap_or(0.0))
    }
}

/// Where results start, as the previous page left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub sort: Sort,
    pub key: OwnedKey,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OwnedKey {
    Numbers([i64; 4]),
    Title(String, i64),
}

/// A result's place in the order: smaller comes first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Numbers([i64; 4]),
    Title(&'a str, i64),
}

impl Key<'_> {
    fn owned(&self) -> OwnedKey {
        match self {
            Key::Numbers(n) => OwnedKey::Numbers(*n),
            Key::Title(t, d) => OwnedKey::Title((*t).to_owned(), *d),
        }
    }

    fn after(&self, position: &OwnedKey) -> bool {
        match (self, position) {
            (Key::Numbers(a), OwnedKey::Numbers(b)) => a > b,
            (Key::Title(t, d), OwnedKey::Title(pt, pd)) => (*t, *d) > (pt.as_str(), *pd),
            _ => true,
        }
    }
}

fn key<'a>(
    sort: Sort,
    index: &'a Index,
    number: u32,
    facts: &Facts,
    relevance: Option<Relevance>,
) -> Key<'a> {
    let (time, number) = (facts.sort_time, i64::from(number));
    match sort {
        Sort::Relevance => {
            let score = relevance.unwrap_or(0.0);
            // Non-negative floats order like their bit patterns.
            Key::Numbers([-i64::from(score.max(0.0).to_bits()), -time, -number, 0])
        }
        Sort::Newest => Key::Numbers([-time, -number, 0, 0]),
        Sort::Oldest => Key::Numbers([time, number, 0, 0]),
        Sort::Title => Key::Title(
            index
                .doc(number as i32)
                .map_or("", |doc| doc.about.title_key.as_str()),
            number,
        ),
        Sort::Completeness => Key::Numbers([-i64::from(facts.completeness), -time, -number, 0]),
    }
}

/// Who is looking, for what they may see.
pub fn visible(doc: &Doc, index: &Index, viewer: Option<&Principal>) -> bool {
    index
        .facts(doc.doc as u32)
        .is_some_and(|facts| may_see(facts, index, viewer))
}

fn may_see(facts: &Facts, index: &Index, viewer: Option<&Principal>) -> bool {
    facts.status == Some(Status::Published)
        || viewer.is_some_and(|p| {
            p.is_admin()
                || (p.reads_submitted() && facts.status == Some(Status::Submitted))
                || (p.reads_drafts()
                    && index
                        .organisation_by_id
                        .get(&p.organisation_id)
                        .is_some_and(|o| index.involves(facts, *o)))
        })
}

pub struct Plan<'a> {
    pub filters: &'a Filters,
    pub text: Option<&'a TextMatches<'a>>,
    pub viewer: Option<&'a Principal>,
    pub sort: Sort,
    pub after: Option<&'a OwnedKey>,
    /// Results wanted on this page; `None` for all of them (exports).
    pub limit: Option<usize>,
}

pub struct Evaluation {
    pub total: u64,
    pub counts: FacetCounts,
    /// The page, in order: document number and relevance.
    pub page: Vec<Ranked>,
    pub next: Option<OwnedKey>,
}

#[derive(Debug, Default)]
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

/// The facets with a handful of values, each given a range of bits in one word per record
/// (a bit per value): counting a match in all of them is adding one word to a `Tally`.
const WORD_FACETS: [(u32, u32); 9] = [
    (QUADRANT, StarQuadrant::ALL.len() as u32),
    (JOURNEY_STEP, JourneyStep::ALL.len() as u32),
    (VALUE, CoproductionValue::ALL.len() as u32),
    (SCALE, Scale::ALL.len() as u32),
    (SECTOR, Sector::ALL.len() as u32),
    (COUNTRY, Country::ALL.len() as u32),
    (OUTCOME, OutcomeCategory::ALL.len() as u32),
    (FLAG, DepthFlag::ALL.len() as u32),
    (COMPLETENESS, COMPLETENESS_BANDS.len() as u32),
];

/// Where each of `WORD_FACETS` starts in the word.
const fn word_shift(facet: usize) -> u32 {
    let mut shift = 0;
    let mut i = 0;
    while i < facet {
        shift += WORD_FACETS[i].1;
        i += 1;
    }
    shift
}

const _: () = assert!(word_shift(WORD_FACETS.len()) <= 64);

/// A record's values in the facets of `WORD_FACETS`, as bits.
fn facet_word(facts: &Facts) -> u64 {
    let band = COMPLETENESS_BANDS
        .iter()
        .rposition(|low| facts.completeness >= *low)
        .unwrap_or(0);
    let parts = [
        u64::from(facts.quadrants),
        u64::from(facts.journey_steps),
        u64::from(facts.values),
        u64::from(bit(facts.scale)),
        u64::from(bit(facts.sector)),
        u64::from(bit(facts.country)),
        u64::from(facts.outcomes),
        u64::from(facts.flags),
        1 << band,
    ];
    parts
        .iter()
        .enumerate()
        .fold(0, |word, (facet, part)| word | part << word_shift(facet))
}

/// The bits of the word that belong to the facets of the dimensions in `facets`.
fn word_bits(facets: u32) -> u64 {
    WORD_FACETS
        .iter()
        .enumerate()
        .filter(|(_, (dimension, _))| facets & dimension != 0)
        .fold(0, |bits, (facet, (_, width))| {
            bits | ((1u64 << width) - 1) << word_shift(facet)
        })
}

/// Counts, for each bit of a word, how many of the words added had it set. The counts are
/// held bit-sliced (plane p holds digit p of all 64 counts at once), so adding a word is a
/// carry through a plane or two rather than an increment per value: the pass over 100,000
/// matches spent more time counting facets than anything else.
struct Tally {
    planes: [u64; Self::PLANES],
    /// Words added since the planes were last emptied into `counts`.
    pending: u32,
    counts: [u64; 64],
}

impl Tally {
    const PLANES: usize = 16;

    fn new() -> Self {
        Self {
            planes: [0; Self::PLANES],
            pending: 0,
            counts: [0; 64],
        }
    }

    fn add(&mut self, word: u64) {
        let mut carry = word;
        for plane in &mut self.planes {
            let next = *plane & carry;
            *plane ^= carry;
            carry = next;
            if carry == 0 {
                break;
            }
        }
        self.pending += 1;
        // The planes hold counts below 2^PLANES: empty them before one could overflow.
        if self.pending == (1 << Self::PLANES) - 1 {
            self.empty();
        }
    }

    fn empty(&mut self) {
        for (digit, plane) in self.planes.iter_mut().enumerate() {
            let mut bits = *plane;
            while bits != 0 {
                self.counts[bits.trailing_zeros() as usize] += 1 << digit;
                bits &= bits - 1;
            }
            *plane = 0;
        }
        self.pending = 0;
    }

    /// The counts of the bits of `WORD_FACETS[facet]`.
    fn facet(&self, facet: usize) -> Vec<u64> {
        let shift = word_shift(facet) as usize;
        self.counts[shift..shift + WORD_FACETS[facet].1 as usize].to_vec()
    }
}

/// Facet counts as the pass over the matches gathers them.
struct Counting {
    words: Tally,
    partner: Vec<u64>,
    year: Vec<u64>,
    evidence_level: Vec<u64>,
    evaluation: Vec<u64>,
    cost_band: Vec<u64>,
}

impl Counting {
    fn new(organisations: usize) -> Self {
        Self {
            words: Tally::new(),
            partner: vec![0; organisations],
            year: vec![0; 201],
            evidence_level: vec![0; 5],
            evaluation: vec![0; Evaluated::ALL.len()],
            cost_band: vec![0; CostBand::ALL.len()],
        }
    }

    /// Counts the document in every facet whose own dimension is in `facets`.
    #[inline]
    fn add(&mut self, index: &Index, facts: &Facts, facets: u32) {
        let bits = if facets == u32::MAX {
            u64::MAX
        } else {
            word_bits(facets)
        };
        if bits != 0 {
            self.words.add(facet_word(facts) & bits);
        }
        if facets & PARTNER != 0 {
            let partners = index.partners_of(facts);
            // The owner counts as a partner of its own case study, once.
            if !partners.iter().any(|(o, _)| *o == facts.owner) {
                self.partner[facts.owner as usize] += 1;
            }
            for (organisation, _) in partners {
                self.partner[*organisation as usize] += 1;
            }
        }
        let practice = facts.practice;
        if facets & EVIDENCE != 0
            && let Some(slot) = usize::from(practice.evidence_level()).checked_sub(1)
        {
            self.evidence_level[slot] += 1;
        }
        if facets & EVALUATION != 0
            && let Some(evaluation) = practice.evaluation()
        {
            self.evaluation[evaluation.position()] += 1;
        }
        if facets & COST_BAND != 0 {
            self.cost_band[practice.cost_band().position()] += 1;
        }
        if facets & YEAR != 0
            && let Some(year) = facts
                .years()
                .and_then(|(start, _)| usize::try_from(start - FIRST_YEAR).ok())
            && let Some(slot) = self.year.get_mut(year)
        {
            *slot += 1;
        }
    }

    fn finish(mut self) -> FacetCounts {
        self.words.empty();
        let words = &self.words;
        FacetCounts {
            quadrant: words.facet(0),
            journey_step: words.facet(1),
            value: words.facet(2),
            scale: words.facet(3),
            sector: words.facet(4),
            country: words.facet(5),
            outcome: words.facet(6),
            flag: words.facet(7),
            completeness: words.facet(8),
            partner: self.partner,
            year: self.year,
            evidence_level: self.evidence_level,
            evaluation: self.evaluation,
            cost_band: self.cost_band,
        }
    }
}

fn failed_dimensions(index: &Index, number: u32, facts: &Facts, filters: &CompiledFilters) -> u32 {
    let mut failed = 0;
    if filters.quadrants != 0 && u32::from(facts.quadrants) & filters.quadrants == 0 {
        failed |= QUADRANT;
    }
    if filters.sectors != 0 && bit(facts.sector) & filters.sectors == 0 {
        failed |= SECTOR;
    }
    if filters.outcomes != 0 && u32::from(facts.outcomes) & filters.outcomes == 0 {
        failed |= OUTCOME;
    }
    if !filters.partners.is_empty() && !filters.partners.iter().any(|o| index.involves(facts, *o)) {
        failed |= PARTNER;
    }
    if filters.partner_roles != 0
        && !index
            .partners_of(facts)
            .iter()
            .any(|(_, role)| bit(*role) & filters.partner_roles != 0)
    {
        failed |= PARTNER_ROLE;
    }
    if filters.countries != 0 && bit(facts.country) & filters.countries == 0 {
        failed |= COUNTRY;
    }
    if filters.scales != 0 && bit(facts.scale) & filters.scales == 0 {
        failed |= SCALE;
    }
    if filters.journey_steps != 0 && u32::from(facts.journey_steps) & filters.journey_steps == 0 {
        failed |= JOURNEY_STEP;
    }
    if filters.values != 0 && u32::from(facts.values) & filters.values == 0 {
        failed |= VALUE;
    }
    // Place and self-assessment filters are rarer: they read the record itself.
    let doc = || index.doc(number as i32);
    if let Some(localities) = filters.localities
        && !doc()
            .and_then(|doc| doc.locality)
            .is_some_and(|l| localities[l as usize])
    {
        failed |= LOCALITY;
    }
    if filters.year_from.is_some() || filters.year_to.is_some() {
        // Overlap of the work's years with the range; an ongoing case study runs on.
        let overlaps = facts.years().is_some_and(|(start, end)| {
            let end = end.unwrap_or(i16::MAX);
            filters.year_to.is_none_or(|to| start <= to)
                && filters.year_from.is_none_or(|from| end >= from)
        });
        if !overlaps {
            failed |= YEAR;
        }
    }
    if filters.flags != 0 && u32::from(facts.flags) & filters.flags == 0 {
        failed |= FLAG;
    }
    if filters
        .min_completeness
        .is_some_and(|min| facts.completeness < min)
    {
        failed |= COMPLETENESS;
    }
    let practice = facts.practice;
    if filters
        .min_evidence_level
        .is_some_and(|min| practice.evidence_level() < min)
    {
        failed |= EVIDENCE;
    }
    if filters.evaluations != 0
        && practice
            .evaluation()
            .is_none_or(|e| bit(e) & filters.evaluations == 0)
    {
        failed |= EVALUATION;
    }
    if filters.cost_bands != 0 && bit(practice.cost_band()) & filters.cost_bands == 0 {
        failed |= COST_BAND;
    }
    if filters
        .has_indicators
        .is_some_and(|wanted| practice.has_indicators() != wanted)
    {
        failed |= INDICATORS;
    }
    if filters
        .has_attachments
        .is_some_and(|wanted| practice.has_attachments() != wanted)
    {
        failed |= ATTACHMENTS;
    }
    if !filters.assessments.is_empty() {
        let answers = doc().map_or(0, |doc| doc.answers);
        if !filters
            .assessments
            .iter()
            .any(|bits| answers & bits == *bits)
        {
            failed |= ASSESSMENT;
        }
    }
    failed
}

struct CompiledFilters<'a> {
    quadrants: u32,
    sectors: u32,
    outcomes: u32,
    partners: &'a [u32],
    partner_roles: u32,
    countries: u32,
    scales: u32,
    journey_steps: u32,
    values: u32,
    localities: Option<&'a [bool]>,
    year_from: Option<i16>,
    year_to: Option<i16>,
    statuses: u32,
    flags: u32,
    min_completeness: Option<u8>,
    assessments: Vec<u64>,
    min_evidence_level: Option<u8>,
    evaluations: u32,
    cost_bands: u32,
    has_indicators: Option<bool>,
    has_attachments: Option<bool>,
}

/// How many records ahead the loop below asks for (see `Index::prefetch`).
const PREFETCH_AHEAD: usize = 6;

pub fn evaluate(index: &Index, plan: &Plan<'_>) -> Evaluation {
    let f = plan.filters;
    let filters = CompiledFilters {
        quadrants: bits(&f.quadrants),
        sectors: bits(&f.sectors),
        outcomes: bits(&f.outcomes),
        partners: &f.partners,
        partner_roles: bits(&f.partner_roles),
        countries: bits(&f.countries),
        scales: bits(&f.scales),
        journey_steps: bits(&f.journey_steps),
        values: bits(&f.values),
        localities: f.localities.as_deref(),
        year_from: f.year_from,
        year_to: f.year_to,
        statuses: bits(&f.statuses),
        flags: bits(&f.flags),
        min_completeness: f.min_completeness,
        assessments: f
            .assessments
            .iter()
            .map(|(q, a)| answer_bits(*q, *a))
            .collect(),
        min_evidence_level: f.min_evidence_level,
        evaluations: bits(&f.evaluations),
        cost_bands: bits(&f.cost_bands),
        has_indicators: f.has_indicators,
        has_attachments: f.has_attachments,
    };
    let mut counts = Counting::new(index.organisations.len());
    let mut total = 0u64;
    let mut remaining = 0usize;
    let limit = plan.limit.unwrap_or(usize::MAX);
    // The best `limit` results; the key alone orders them (it ends in the document number),
    // the score comes along.
    let mut best: Best<(Key<'_>, i32, u32)> = Best::new(limit);
    // The records to read, listed first so that the one a few matches on can be asked for
    // while this one is worked on (see `Index::prefetch`).
    let candidates: Vec<u32> = match plan.text {
        Some(text) => text
            .masks
            .iter()
            .enumerate()
            .filter(|(_, mask)| **mask != 0)
            .map(|(number, _)| number as u32)
            .collect(),
        None => (0..index.docs.len() as u32).collect(),
    };
    for (at, &number) in candidates.iter().enumerate() {
        if let Some(ahead) = candidates.get(at + PREFETCH_AHEAD) {
            index.prefetch(*ahead as usize);
        }
        let Some(facts) = index.facts(number) else {
            continue;
        };
        if facts
            .status
            .is_none_or(|status| bit(status) & filters.statuses == 0)
            || !may_see(facts, index, plan.viewer)
        {
            continue;
        }
        let relevance = match plan.text {
            Some(text) => match text.score(number) {
                Some(relevance) => Some(relevance),
                None => continue,
            },
            None => None,
        };
        let failed = failed_dimensions(index, number, facts, &filters);
        if failed != 0 {
            if failed.is_power_of_two() {
                counts.add(index, facts, failed);
            }
            continue;
        }
        total += 1;
        counts.add(index, facts, u32::MAX);
        let key = key(plan.sort, index, number, facts, relevance);
        if plan.after.is_some_and(|after| !key.after(after)) {
            continue;
        }
        remaining += 1;
        best.offer((key, number as i32, relevance.unwrap_or(0.0).to_bits()));
    }
    let page = best.into_sorted();
    let next = (remaining > limit)
        .then(|| page.last().map(|(key, ..)| key.owned()))
        .flatten();
    let scored = plan.text.is_some();
    Evaluation {
        total,
        counts: counts.finish(),
        page: page
            .into_iter()
            .map(|(_, doc, score)| (doc, scored.then(|| f32::from_bits(score))))
            .collect(),
        next,
    }
}

/// The smallest `limit` of a stream of values, kept without a heap: values that beat the
/// worst kept so far are gathered, and whenever `limit` more have come in the list is cut
/// back to the best `limit` by a linear selection. Most values are turned away by one
/// comparison, and one taken in is not reordered at once (a heap paid a reordering for each,
/// which a search ordered by date, where every record beats the one before, paid for all).
struct Best<T> {
    limit: usize,
    kept: Vec<T>,
    /// The worst value kept, once `limit` are: anything not better is turned away.
    bar: Option<T>,
}

impl<T: Ord + Clone> Best<T> {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            kept: Vec::new(),
            bar: None,
        }
    }

    fn offer(&mut self, value: T) {
        if self.limit == 0 || self.bar.as_ref().is_some_and(|bar| value >= *bar) {
            return;
        }
        self.kept.push(value);
        if self.kept.len() >= self.limit.saturating_mul(2) {
            self.cut();
        }
    }

    fn cut(&mut self) {
        if self.kept.len() > self.limit {
            self.kept.select_nth_unstable(self.limit);
            self.kept.truncate(self.limit);
        }
        if self.kept.len() == self.limit {
            self.bar = self.kept.iter().max().cloned();
        }
    }

    fn into_sorted(mut self) -> Vec<T> {
        self.cut();
        self.kept.sort_unstable();
        self.kept
    }
}

/// The page of `order` (the first results of a search, in order; `complete` if they are all
/// of them) that starts after `after`, and where the page after it starts; `None` if the
/// page reaches past what `order` holds. A binary search: the keys of `order` ascend.
pub fn page_of(
    index: &Index,
    sort: Sort,
    order: &[Ranked],
    complete: bool,
    after: Option<&OwnedKey>,
    limit: usize,
) -> Option<(Vec<Ranked>, Option<OwnedKey>)> {
    let start = after.map_or(0, |after| {
        order.partition_point(|(number, relevance)| {
            let number = *number as u32;
            index
                .facts(number)
                .is_none_or(|facts| !key(sort, index, number, facts, *relevance).after(after))
        })
    });
    let end = start.saturating_add(limit);
    if !complete && end > order.len() {
        return None;
    }
    let page = &order[start..order.len().min(end)];
    let next = (!complete || order.len() > end)
        .then(|| page.last())
        .flatten()
        .and_then(|(number, relevance)| {
            let number = *number as u32;
            index
                .facts(number)
                .map(|facts| key(sort, index, number, facts, *relevance).owned())
        });
    Some((page.to_vec(), next))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Best, Tally};

    proptest! {
        #[test]
        fn a_tally_counts_each_bit_as_adding_one_by_one(
            words in proptest::collection::vec(any::<u64>(), 0..300),
            repeat in 1usize..400,
        ) {
            // Repeated, the words pass the point where the planes are emptied.
            let mut tally = Tally::new();
            let mut expected = [0u64; 64];
            for word in &words {
                for (bit, count) in expected.iter_mut().enumerate() {
                    *count += ((word >> bit) & 1) * repeat as u64;
                }
            }
            for _ in 0..repeat {
                for word in &words {
                    tally.add(*word);
                }
            }
            tally.empty();
            prop_assert_eq!(tally.counts, expected);
        }

        #[test]
        fn best_keeps_the_smallest_in_order(
            values in proptest::collection::vec(any::<i16>(), 0..400),
            limit in 0usize..50,
        ) {
            let mut best = Best::new(limit);
            for value in &values {
                best.offer(*value);
            }
            let mut sorted = values.clone();
            sorted.sort_unstable();
            sorted.truncate(limit);
            prop_assert_eq!(best.into_sorted(), sorted);
        }
    }
}
