-- Search. Full-text matching happens here, over one weighted vector per case study; filters,
-- facets and ordering happen in the service, over a compact copy of every live record kept
-- current through the change log below.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_documents (
    -- A dense number, so lists of matches travel between database and service as plain integers.
    doc             serial PRIMARY KEY,
    case_study_id   uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    -- Title (A), summary, place and partners (B), narrative and outcomes (C).
    document_vector tsvector NOT NULL,
    CONSTRAINT search_documents_case_study_key UNIQUE (case_study_id)
);

-- Keep the vector out of line and uncompressed: rows stay a few dozen bytes, so scans that
-- only need `doc` touch few pages, and phrase rechecks read the vector without inflating it.
ALTER TABLE search_documents ALTER COLUMN document_vector SET STORAGE EXTERNAL;
CREATE INDEX search_documents_vector_idx ON search_documents USING gin (document_vector);

-- Words of titles, places and partner names, for "did you mean" corrections of misspellings.
CREATE TABLE search_words (
    word text PRIMARY KEY
);
CREATE INDEX search_words_trigram_idx ON search_words USING gin (word gin_trgm_ops);

-- Every change to a live record or an organisation, in commit order: writers take a lock
-- before appending, so a reader that has seen entry n has seen every entry before it.
-- Search indexes in every replica of the service follow it, and so does the public feed.
CREATE TABLE change_log (
    seq         bigserial PRIMARY KEY,
    entity      text NOT NULL,
    entity_id   uuid NOT NULL,
    kind        text NOT NULL,
    -- True for what a mirror of published case studies needs to know.
    public      boolean NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT change_log_entity_check CHECK (entity IN ('case-study', 'organisation')),
    CONSTRAINT change_log_kind_check CHECK (kind IN ('created', 'changed', 'published', 'withdrawn'))
);

CREATE INDEX change_log_public_idx ON change_log (seq) WHERE public;
