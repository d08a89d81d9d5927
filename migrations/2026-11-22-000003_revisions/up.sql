-- Every change to a case study keeps the whole document as it was, so no edit is ever lost.
CREATE TABLE case_study_revisions (
    case_study_id uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    number        integer NOT NULL,
    status        text NOT NULL,
    document      jsonb NOT NULL,
    message       text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_study_id, number),
    CONSTRAINT case_study_revisions_number_positive CHECK (number >= 1),
    CONSTRAINT case_study_revisions_status_check CHECK (status IN ('draft', 'submitted', 'published', 'archived'))
);
