-- Files attached to a case study (evaluation reports, data, photos), kept in the database so
-- that backups and replicas carry them. A file is stored in chunks, written and read one at a
-- time, so neither side ever holds a whole file.
CREATE TABLE attachments (
    id            uuid PRIMARY KEY,
    case_study_id uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    filename      text NOT NULL,
    title         text,
    media_type    text NOT NULL,
    alt           text,
    consent       boolean NOT NULL DEFAULT false,
    -- Files go public with the case study's next publication, as edits do.
    published     boolean NOT NULL DEFAULT false,
    size          bigint NOT NULL,
    sha256        bytea NOT NULL,
    author_id     uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT attachments_media_type_check CHECK (media_type IN (
        'application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'text/csv', 'text/plain')),
    CONSTRAINT attachments_filename_length CHECK (length(filename) BETWEEN 1 AND 200),
    CONSTRAINT attachments_images_have_alt CHECK (media_type NOT LIKE 'image/%' OR alt IS NOT NULL),
    CONSTRAINT attachments_size_check CHECK (size >= 0),
    CONSTRAINT attachments_sha256_length CHECK (length(sha256) = 32)
);

CREATE INDEX attachments_case_study_idx ON attachments (case_study_id, created_at, id);

CREATE TABLE attachment_chunks (
    attachment_id uuid NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    bytes         bytea NOT NULL,
    PRIMARY KEY (attachment_id, position)
);

-- PDFs and images are compressed already: no time spent trying again.
ALTER TABLE attachment_chunks ALTER COLUMN bytes SET STORAGE EXTERNAL;

ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN (
    'login', 'login-failed', 'token-refreshed', 'token-reuse-detected', 'logout',
    'user-created', 'user-deactivated', 'role-changed', 'password-changed', 'password-reset',
    'api-key-created', 'api-key-revoked',
    'organisation-created', 'organisation-updated',
    'case-study-created', 'case-study-changed',
    'case-study-submitted', 'case-study-published', 'case-study-returned',
    'case-study-archived', 'case-study-restored',
    'attachment-added', 'attachment-removed'));
