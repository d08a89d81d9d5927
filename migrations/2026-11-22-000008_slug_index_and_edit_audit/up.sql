-- Finding the next free numbered slug ("title-2", "title-3") with LIKE 'title-%' needs an
-- index that orders by bytes, whatever the database's collation.
CREATE INDEX case_studies_slug_pattern_idx ON case_studies (slug text_pattern_ops);

-- Creating and changing a case study go into the audit trail too.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN (
    'login', 'login-failed', 'token-refreshed', 'token-reuse-detected', 'logout',
    'user-created', 'user-deactivated', 'role-changed',
    'organisation-created', 'organisation-updated',
    'case-study-created', 'case-study-changed',
    'case-study-submitted', 'case-study-published', 'case-study-returned',
    'case-study-archived', 'case-study-restored'));
