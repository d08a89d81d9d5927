-- The review workflow. The case_studies row (with its partners and outcomes) is the live
-- record. Editing a published case study does not touch it: the edit is a pending revision
-- (draft, then submitted) that replaces the live record only when a reviewer publishes it.
ALTER TABLE case_studies
    ADD COLUMN live_version   integer,
    ADD COLUMN pending_status text,
    ADD CONSTRAINT case_studies_pending_status_check CHECK (pending_status IN ('draft', 'submitted')),
    ADD CONSTRAINT case_studies_pending_only_when_published CHECK (pending_status IS NULL OR status = 'published');

-- `version` is the newest revision (what editors work on); `live_version` is the revision
-- the live record shows.
UPDATE case_studies SET live_version = version;
ALTER TABLE case_studies
    ALTER COLUMN live_version SET NOT NULL,
    ADD CONSTRAINT case_studies_live_version_check CHECK (live_version BETWEEN 1 AND version);

ALTER TABLE case_study_revisions
    ADD COLUMN author_id uuid REFERENCES users (id);

-- What reviewers said when they returned or published a case study; every partner sees it.
CREATE TABLE case_study_comments (
    id            uuid PRIMARY KEY,
    case_study_id uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    revision      integer NOT NULL,
    author_id     uuid REFERENCES users (id),
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT case_study_comments_body_length CHECK (length(body) BETWEEN 1 AND 5000)
);

CREATE INDEX case_study_comments_case_study_idx ON case_study_comments (case_study_id, created_at);
