-- Search by meaning: each live record's embedding (its title, summary and the start of its
-- narrative, as one vector of the named model), with a hash of the text it was computed from
-- so it is recomputed only when that text or the model changes, not for every new version. Written by the service's
-- background worker, never inside a write to the case study.
CREATE TABLE case_study_embeddings (
    case_study_id uuid PRIMARY KEY REFERENCES case_studies (id) ON DELETE CASCADE,
    model         text NOT NULL,
    text_hash     bytea NOT NULL,
    -- The live record's version it was computed for: a newer one may have other words.
    source_version integer NOT NULL,
    -- Little-endian f32s, unit length.
    vector        bytea NOT NULL,
    embedded_at   timestamptz NOT NULL DEFAULT now()
);
