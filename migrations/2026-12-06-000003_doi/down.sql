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
DROP INDEX case_studies_doi_key;
ALTER TABLE case_studies DROP COLUMN doi;
