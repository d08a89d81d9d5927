-- The DOI an administrator has registered for a case study: DataCite and the citations name
-- it as the case study's identifier. One DOI names one case study, whatever its case.
ALTER TABLE case_studies
    ADD COLUMN doi text,
    ADD CONSTRAINT case_studies_doi_format CHECK (doi ~ '^10\.[0-9]{4,9}/\S{1,200}$');
CREATE UNIQUE INDEX case_studies_doi_key ON case_studies (lower(doi));

ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN (
    'login', 'login-failed', 'token-refreshed', 'token-reuse-detected', 'logout',
    'user-created', 'user-deactivated', 'role-changed', 'password-changed', 'password-reset',
    'api-key-created', 'api-key-revoked',
    'organisation-created', 'organisation-updated',
    'case-study-created', 'case-study-changed',
    'case-study-submitted', 'case-study-published', 'case-study-returned',
    'case-study-archived', 'case-study-restored',
    'attachment-added', 'attachment-removed', 'doi-recorded'));
