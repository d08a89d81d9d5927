//! The service's compact copy of every live record: what filters, facets, ordering and
//! ranking need, and no more. PostgreSQL stays the source of truth; this is rebuilt from it
//! at start-up and follows the change log.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::text::{term_set, words};
use crate::db::search::{IndexRow, OrganisationRow};
use crate::domain::quality::{self, QualityFacts};
use crate::domain::vocabulary::{
    AssessmentAnswer, AssessmentQuestion, CoproductionValue, Country, JourneyStep,
    OrganisationKind, OutcomeCategory, PartnerRole, Scale, Sector, StarQuadrant, Status,
    Vocabulary,
};

/// A set of members of a controlled list, one bit each, in the list's order.
pub fn bits<V: Vocabulary>(members: &[V]) -> u32 {
    members.iter().fold(0, |mask, member| mask | bit(*member))
}

pub fn bit<V: Vocabulary>(member: V) -> u32 {
    let position = V::ALL
        .iter()
        .position(|m| *m == member)
        .expect("members are in ALL");
    1 << position
}

#[derive(Debug, Clone)]
pub struct Organisation {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub name_terms: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct Doc {
    pub doc: i32,
    pub id: Uuid,
    pub slug: String,
    pub title: String,
    /// Lowercased title, for alphabetical order.
    pub title_key: String,
    pub status: Status,
    /// Index into `Index::organisations`.
    pub owner: u32,
    pub partners: Vec<(u32, PartnerRole)>,
    pub quadrants: u32,
    pub journey_steps: u32,
    pub values: u32,
    pub outcomes: u32,
    pub scale: Scale,
    pub sector: Sector,
    pub country: Country,
    /// Index into `Index::localities`.
    pub locality: Option<u32>,
    pub start_year: Option<i16>,
    pub end_year: Option<i16>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// When it was published, or else created: what "newest" orders by.
    pub sort_time: i64,
    /// Distinct term hashes of the title and of the summary (also kept as postings, below).
    pub title_terms: Box<[u32]>,
    pub summary_terms: Box<[u32]>,
    pub completeness: u8,
    /// Depth flags, one bit each.
    pub flags: u32,
    /// Self-assessment answers, two bits a question (0 unanswered, else the answer's
    /// position in its list plus one).
    pub answers: u64,
}

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
    pub by_id: HashMap<Uuid, i32>,
    pub organisations: Vec<Organisation>,
    pub organisation_by_id: HashMap<Uuid, u32>,
    pub organisation_by_slug: HashMap<String, u32>,
    /// Localities as " word word ", so a whole-word phrase is a substring search.
    pub localities: Vec<String>,
    /// The term set of each locality.
    pub locality_terms: Vec<Vec<u32>>,
    /// Term hash to the documents (in order) whose title holds it.
    title_postings: HashMap<u32, Vec<i32>>,
    /// Term hash to the documents (in order) whose summary holds it.
    summary_postings: HashMap<u32, Vec<i32>>,
    locality_ids: HashMap<String, u32>,
    /// The last change-log entry applied.
    pub last_seq: i64,
}

impl Index {
    pub fn doc(&self, number: i32) -> Option<&Doc> {
        self.docs.get(usize::try_from(number).ok()?)?.as_ref()
    }

    pub fn live_docs(&self) -> impl Iterator<Item = &Doc> {
        self.docs.iter().flatten()
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
        match self.organisation_by_id.get(&organisation.id) {
            Some(&index) => {
                let old = std::mem::replace(&mut self.organisations[index as usize], organisation);
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

    /// Adds or replaces a live record; its organisations must be known already.
    pub fn upsert(&mut self, row: IndexRow) {
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
            id: row.id,
            title_key: row.title.to_lowercase(),
            title_terms: term_set(&row.title).into_boxed_slice(),
            summary_terms: term_set(&row.summary).into_boxed_slice(),
            slug: row.slug,
            title: row.title,
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
            published_at: row.published_at,
            updated_at: row.updated_at,
            sort_time,
            completeness: quality.completeness,
            flags: bits(&quality.flags),
            answers,
        };
        let slot = usize::try_from(doc.doc).expect("document numbers are positive");
        if self.docs.len() <= slot {
            self.docs.resize(slot + 1, None);
        }
        if let Some(old) = self.docs[slot].take() {
            self.unpost(&old);
        }
        post(&mut self.title_postings, &doc.title_terms, doc.doc);
        post(&mut self.summary_postings, &doc.summary_terms, doc.doc);
        self.by_id.insert(doc.id, doc.doc);
        self.docs[slot] = Some(doc);
    }

    pub fn remove(&mut self, id: Uuid) {
        if let Some(number) = self.by_id.remove(&id) {
            if let Some(old) = self.docs[number as usize].take() {
                self.unpost(&old);
            }
        }
    }

    fn unpost(&mut self, doc: &Doc) {
        for (postings, terms) in [
            (&mut self.title_postings, &doc.title_terms),
            (&mut self.summary_postings, &doc.summary_terms),
        ] {
            for term in terms.iter() {
                if let Some(list) = postings.get_mut(term) {
                    if let Ok(at) = list.binary_search(&doc.doc) {
                        list.remove(at);
                    }
                }
            }
        }
    }

    /// The documents whose title (or summary) holds every one of these stems, marked with
    /// `bit` in `marks` (indexed by document number).
    pub fn mark_field(&self, field: Field, stems: &[u32], bit: u8, marks: &mut [u8]) {
        let postings = match field {
            Field::Title => &self.title_postings,
            Field::Summary => &self.summary_postings,
        };
        let mut lists: Vec<&Vec<i32>> = Vec::with_capacity(stems.len());
        for stem in stems {
            match postings.get(stem) {
                Some(list) => lists.push(list),
                None => return,
            }
        }
        lists.sort_by_key(|list| list.len());
        let Some((shortest, others)) = lists.split_first() else {
            return;
        };
        for doc in shortest.iter() {
            if others.iter().all(|list| list.binary_search(doc).is_ok()) {
                if let Some(mark) = marks.get_mut(*doc as usize) {
                    *mark |= bit;
                }
            }
        }
    }

    fn locality_id(&mut self, locality: &str) -> u32 {
        let normalised = format!(" {} ", words(locality).join(" "));
        if let Some(&id) = self.locality_ids.get(&normalised) {
            return id;
        }
        let id = self.localities.len() as u32;
        self.locality_terms.push(term_set(locality));
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

#[derive(Debug, Clone, Copy)]
pub enum Field {
    Title,
    Summary,
}

/// Adds `doc` to the postings of each term, keeping every list in document order.
fn post(postings: &mut HashMap<u32, Vec<i32>>, terms: &[u32], doc: i32) {
    for term in terms {
        let list = postings.entry(*term).or_default();
        match list.last() {
            Some(last) if *last >= doc => {
                if let Err(at) = list.binary_search(&doc) {
                    list.insert(at, doc);
                }
            }
            _ => list.push(doc),
        }
    }
}

/// The bits that say "this question has this answer".
pub fn answer_bits(question: AssessmentQuestion, answer: AssessmentAnswer) -> u64 {
    let question = bit(question).trailing_zeros();
    let answer = u64::from(bit(answer).trailing_zeros()) + 1;
    answer << (2 * question)
}

/// Whether a field's term set holds every one of these (hashed) stems.
pub fn contains_all(terms: &[u32], stems: &[u32]) -> bool {
    !stems.is_empty() && stems.iter().all(|s| terms.binary_search(s).is_ok())
}
