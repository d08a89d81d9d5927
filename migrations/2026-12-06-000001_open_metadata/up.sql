-- Open metadata: a licence per case study, external identifiers for organisations, the
-- slugs a case study used to have (so old links still lead to it), and a quick way to the
-- revisions the public saw (every publication is a citable version).
ALTER TABLE case_studies
    ADD COLUMN license text NOT NULL DEFAULT 'CC-BY-4.0',
    ADD CONSTRAINT case_studies_license_format CHECK (license ~ '^[A-Za-z0-9.+-]{1,64}$');

ALTER TABLE organisations
    ADD COLUMN identifiers jsonb NOT NULL DEFAULT '{}',
    ADD CONSTRAINT organisations_identifiers_is_object CHECK (jsonb_typeof(identifiers) = 'object');

CREATE TABLE case_study_former_slugs (
    slug          text PRIMARY KEY,
    case_study_id uuid NOT NULL REFERENCES case_studies (id),
    retired_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_study_former_slugs_case_study ON case_study_former_slugs (case_study_id);

CREATE INDEX case_study_revisions_published
    ON case_study_revisions (case_study_id, number)
    WHERE status = 'published';
