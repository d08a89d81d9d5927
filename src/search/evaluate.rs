//! One pass over the candidates: filters, multi-select facet counts, exact total, ranking
//! and the requested page, all in memory.
//!
//! Each filter is a dimension. A document failing no dimension is a result and counts in
//! every facet; a document failing exactly one dimension still counts in that dimension's
//! facet, which is what "every other filter applied but its own" means.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::index::COMPLETENESS_BANDS;
use super::index::{
    Audience, Doc, FIRST_YEAR, FacetCounts, Facts, Index, WORD_FACET_WIDTHS, answer_bits, bit,
    bits, word_shift,
};
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

/// A result's place in the order: smaller comes first. The numbers a sort orders by are
/// packed into one integer that orders as they do (see `pack`), so that the pass over the
/// matches, which compares keys for every one, compares each pair in one step.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Numbers(u128),
    Title(&'a str, i64),
}

impl<'a> Key<'a> {
    fn owned(&self, sort: Sort) -> OwnedKey {
        match self {
            Key::Numbers(packed) => OwnedKey::Numbers(unpack(sort, *packed)),
            Key::Title(t, d) => OwnedKey::Title((*t).to_owned(), *d),
        }
    }

    /// Whether this comes after `position` (a key of another kind, from a cursor made up
    /// rather than given out, is after it).
    fn after(&self, position: &Key<'_>) -> bool {
        match (self, position) {
            (Key::Numbers(a), Key::Numbers(b)) => a > b,
            (Key::Title(t, d), Key::Title(pt, pd)) => (*t, *d) > (*pt, *pd),
            _ => true,
        }
    }

    fn of(sort: Sort, position: &'a OwnedKey) -> Self {
        match position {
            OwnedKey::Numbers(numbers) => Key::Numbers(pack(sort, *numbers)),
            OwnedKey::Title(t, d) => Key::Title(t.as_str(), *d),
        }
    }
}

/// The widths in bits of the numbers a sort's key holds, first first (see `key`): enough
/// for each, a score's bits, a time and a document number being 32, 64 and 32 bits.
fn widths(sort: Sort) -> &'static [u32] {
    match sort {
        Sort::Relevance | Sort::Completeness => &[32, 64, 32],
        Sort::Newest | Sort::Oldest | Sort::Title => &[64, 32],
    }
}

/// A key's numbers as one integer: each offset by half its range to be unsigned, the first
/// in the highest bits, so integers order as the numbers do (`widths` spelt out, as this is
/// worked out for every match).
fn pack(sort: Sort, numbers: [i64; 4]) -> u128 {
    fn field(number: i64, width: u32) -> u128 {
        (i128::from(number) + (1 << (width - 1))) as u128 & ((1 << width) - 1)
    }
    let [first, second, third, _] = numbers;
    match sort {
        Sort::Relevance | Sort::Completeness => {
            field(first, 32) << 96 | field(second, 64) << 32 | field(third, 32)
        }
        Sort::Newest | Sort::Oldest | Sort::Title => field(first, 64) << 32 | field(second, 32),
    }
}

fn unpack(sort: Sort, packed: u128) -> [i64; 4] {
    let mut numbers = [0; 4];
    let mut rest = packed;
    for (slot, width) in widths(sort).iter().enumerate().rev() {
        let field = rest & ((1 << width) - 1);
        numbers[slot] = (field as i128 - (1 << (width - 1))) as i64;
        rest >>= width;
    }
    numbers
}

fn key<'a>(
    sort: Sort,
    index: &'a Index,
    number: u32,
    facts: &Facts,
    relevance: Option<Relevance>,
) -> Key<'a> {
    let (time, number) = (facts.sort_time, i64::from(number));
    let numbers = match sort {
        Sort::Relevance => {
            let score = relevance.unwrap_or(0.0);
            // Non-negative floats order like their bit patterns.
            [-i64::from(score.max(0.0).to_bits()), -time, -number, 0]
        }
        Sort::Newest => [-time, -number, 0, 0],
        Sort::Oldest => [time, number, 0, 0],
        Sort::Title => {
            return Key::Title(
                index
                    .doc(number as i32)
                    .map_or("", |doc| doc.about.title_key.as_str()),
                number,
            );
        }
        Sort::Completeness => [-i64::from(facts.completeness), -time, -number, 0],
    };
    Key::Numbers(pack(sort, numbers))
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

/// The dimensions of the facets a record's facet word holds, in the word's order (see
/// `index::WORD_FACET_WIDTHS`).
const WORD_FACETS: [u32; WORD_FACET_WIDTHS.len()] = [
    QUADRANT,
    JOURNEY_STEP,
    VALUE,
    SCALE,
    SECTOR,
    COUNTRY,
    OUTCOME,
    FLAG,
    COMPLETENESS,
];

/// The bits of the word that belong to the facets of the dimensions in `facets`.
fn word_bits(facets: u32) -> u64 {
    WORD_FACETS
        .iter()
        .zip(WORD_FACET_WIDTHS)
        .enumerate()
        .filter(|(_, (dimension, _))| facets & **dimension != 0)
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

    #[inline(always)]
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
        self.counts[shift..shift + WORD_FACET_WIDTHS[facet] as usize].to_vec()
    }
}

/// Facet counts as the pass over the matches gathers them.
struct Counting {
    words: Tally,
    /// `word_bits` of each dimension alone, by its bit's position.
    word_bits: [u64; 32],
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
            word_bits: std::array::from_fn(|dimension| word_bits(1 << dimension)),
            partner: vec![0; organisations],
            year: vec![0; 201],
            evidence_level: vec![0; 5],
            evaluation: vec![0; Evaluated::ALL.len()],
            cost_band: vec![0; CostBand::ALL.len()],
        }
    }

    /// Counts the document in every facet whose own dimension is in `facets`: all of them,
    /// or one.
    #[inline(always)]
    fn add(&mut self, index: &Index, number: u32, facts: &Facts, facets: u32) {
        let bits = if facets == u32::MAX {
            u64::MAX
        } else {
            self.word_bits[facets.trailing_zeros() as usize]
        };
        if bits != 0 {
            self.words.add(index.facet_words[number as usize] & bits);
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

impl CompiledFilters<'_> {
    /// Whether any dimension is filtered on (the statuses wanted are not a dimension).
    fn any(&self) -> bool {
        let Self {
            quadrants,
            sectors,
            outcomes,
            partners,
            partner_roles,
            countries,
            scales,
            journey_steps,
            values,
            localities,
            year_from,
            year_to,
            statuses: _,
            flags,
            min_completeness,
            assessments,
            min_evidence_level,
            evaluations,
            cost_bands,
            has_indicators,
            has_attachments,
        } = self;
        [
            *quadrants,
            *sectors,
            *outcomes,
            *partner_roles,
            *countries,
            *scales,
            *journey_steps,
            *values,
            *flags,
            *evaluations,
            *cost_bands,
        ]
        .iter()
        .any(|mask| *mask != 0)
            || !partners.is_empty()
            || !assessments.is_empty()
            || localities.is_some()
            || year_from.is_some()
            || year_to.is_some()
            || min_completeness.is_some()
            || min_evidence_level.is_some()
            || has_indicators.is_some()
            || has_attachments.is_some()
    }
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
    let mut best = Kept::new(plan.sort, limit);
    let after = plan.after.map(|after| Key::of(plan.sort, after));
    // What the public may see is worked out once per change; anyone else's view is asked
    // record by record.
    let public = plan.viewer.is_none().then(|| index.public_audience());
    let published_wanted = bit(Status::Published) & filters.statuses != 0;
    let filtered = filters.any();
    // The records to read, listed first so that the one a few matches on can be asked for
    // while this one is worked on (see `Index::prefetch`). Every record in order needs no
    // such help: the processor sees the pattern.
    let (mut candidates, sparse): (Vec<u32>, bool) = match plan.text {
        Some(text) => (matched(text.masks), true),
        None => ((0..index.docs.len() as u32).collect(), false),
    };
    // Words common enough to match most of what the public sees: the facets are those of
    // everything public (counted once per change) less those of the records left out, a
    // fraction of the matches to count. Filters would change every facet's own base.
    let counting_rest = match &public {
        Some(audience) if plan.text.is_some() && published_wanted && !filtered => {
            candidates.len() as f32 > audience.documents * 0.5
        }
        _ => false,
    };
    if counting_rest {
        candidates = (0..index.docs.len() as u32).collect();
    }
    let sparse = sparse && !counting_rest;
    // Records are numbered as they are made, so mostly in the order of their dates: newest
    // first, the best results come early and most of the rest are turned away at once by
    // `Best`, where in number order each would beat all before it.
    if plan.sort == Sort::Newest {
        candidates.reverse();
    }
    for (at, &number) in candidates.iter().enumerate() {
        if sparse && let Some(ahead) = candidates.get(at + PREFETCH_AHEAD) {
            index.prefetch(*ahead as usize);
        }
        let Some(facts) = index.facts(number) else {
            continue;
        };
        let shown = match &public {
            Some(audience) => {
                published_wanted && audience.visible.get(number as usize) == Some(&true)
            }
            None => {
                facts
                    .status
                    .is_some_and(|status| bit(status) & filters.statuses != 0)
                    && may_see(facts, index, plan.viewer)
            }
        };
        if !shown {
            continue;
        }
        let relevance = match plan.text {
            Some(text) => match text.score(number) {
                Some(relevance) => Some(relevance),
                None => {
                    if counting_rest {
                        counts.add(index, number, facts, u32::MAX);
                    }
                    continue;
                }
            },
            None => None,
        };
        let failed = if filtered {
            failed_dimensions(index, number, facts, &filters)
        } else {
            0
        };
        if failed != 0 {
            if failed.is_power_of_two() {
                counts.add(index, number, facts, failed);
            }
            continue;
        }
        total += 1;
        if !counting_rest {
            counts.add(index, number, facts, u32::MAX);
        }
        let key = key(plan.sort, index, number, facts, relevance);
        if after.as_ref().is_some_and(|after| !key.after(after)) {
            continue;
        }
        remaining += 1;
        best.offer(key, number);
    }
    let page = best.into_sorted();
    let next = (remaining > limit)
        .then(|| page.last().map(|(key, _)| key.owned(plan.sort)))
        .flatten();
    let counts = match &public {
        Some(audience) if counting_rest => public_counts(index, audience).without(counts.finish()),
        _ => counts.finish(),
    };
    Evaluation {
        total,
        counts,
        page: page
            .into_iter()
            .map(|(_, number)| {
                let relevance = plan.text.and_then(|text| text.score(number));
                (number as i32, relevance)
            })
            .collect(),
        next,
    }
}

/// The facet counts of every record the public may see.
fn public_counts(index: &Index, audience: &Audience) -> FacetCounts {
    audience
        .counts
        .get_or_init(|| {
            let mut counts = Counting::new(index.organisations.len());
            for (number, _) in audience.visible.iter().enumerate().filter(|(_, v)| **v) {
                if let Some(facts) = index.facts(number as u32) {
                    counts.add(index, number as u32, facts, u32::MAX);
                }
            }
            counts.finish()
        })
        .clone()
}

/// The best results of a pass, by their keys: numeric ones held bare (the document number
/// beside, which they also end in, so it never decides), so that the many comparisons of
/// choosing and ordering them are each one step.
enum Kept<'a> {
    Numbers(Best<(u128, u32)>),
    Titles(Best<(&'a str, i64)>),
}

impl<'a> Kept<'a> {
    fn new(sort: Sort, limit: usize) -> Self {
        match sort {
            Sort::Title => Kept::Titles(Best::new(limit)),
            _ => Kept::Numbers(Best::new(limit)),
        }
    }

    fn offer(&mut self, key: Key<'a>, number: u32) {
        match (self, key) {
            (Kept::Numbers(best), Key::Numbers(packed)) => best.offer((packed, number)),
            (Kept::Titles(best), Key::Title(title, number)) => best.offer((title, number)),
            // A sort makes keys of one kind.
            _ => {}
        }
    }

    /// The results in order, with their document numbers.
    fn into_sorted(self) -> Vec<(Key<'a>, u32)> {
        match self {
            Kept::Numbers(best) => best
                .into_sorted()
                .into_iter()
                .map(|(packed, number)| (Key::Numbers(packed), number))
                .collect(),
            Kept::Titles(best) => best
                .into_sorted()
                .into_iter()
                .map(|(title, number)| (Key::Title(title, number), number as u32))
                .collect(),
        }
    }
}

/// The numbers of the documents with a mask, in order. Counted first, so that only as much
/// is made ready as is kept, then written without a branch per document (each number is
/// stored, and kept by moving on only where the mask is set): a quarter of a collection
/// may match, in no pattern the processor could predict.
fn matched(masks: &[u16]) -> Vec<u32> {
    let count = masks.iter().filter(|mask| **mask != 0).count();
    let mut numbers = vec![0u32; count + 1];
    let mut kept = 0;
    for (number, mask) in masks.iter().enumerate() {
        if let Some(slot) = numbers.get_mut(kept) {
            *slot = number as u32;
        }
        kept += usize::from(*mask != 0);
    }
    numbers.truncate(kept);
    numbers
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
    let after = after.map(|after| Key::of(sort, after));
    let start = after.as_ref().map_or(0, |after| {
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
                .map(|facts| key(sort, index, number, facts, *relevance).owned(sort))
        });
    Some((page.to_vec(), next))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Best, Sort, Tally, matched, pack, unpack};

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
        fn packed_keys_order_as_their_numbers_and_unpack_to_them(
            a in (0u32..0x7F80_0000, any::<i64>(), 0i64..i64::from(i32::MAX)),
            b in (0u32..0x7F80_0000, any::<i64>(), 0i64..i64::from(i32::MAX)),
        ) {
            let by_relevance = |(score, time, number): (u32, i64, i64)| {
                [-i64::from(score), time, -number, 0]
            };
            let newest = |(_, time, number): (u32, i64, i64)| [time, -number, 0, 0];
            for (sort, numbers) in [
                (Sort::Relevance, [by_relevance(a), by_relevance(b)]),
                (Sort::Newest, [newest(a), newest(b)]),
            ] {
                let [x, y] = numbers;
                prop_assert_eq!(unpack(sort, pack(sort, x)), x);
                prop_assert_eq!(pack(sort, x).cmp(&pack(sort, y)), x.cmp(&y));
            }
        }

        #[test]
        fn matched_lists_the_documents_with_a_mask(
            masks in proptest::collection::vec(0u16..3, 0..300),
        ) {
            let expected: Vec<u32> = (0..masks.len() as u32)
                .filter(|number| masks[*number as usize] != 0)
                .collect();
            prop_assert_eq!(matched(&masks), expected);
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
