-- The older trail has no place for creation and change events.
DELETE FROM audit_events WHERE kind IN ('case-study-created', 'case-study-changed');
ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN (
    'login', 'login-failed', 'token-refreshed', 'token-reuse-detected', 'logout',
    'user-created', 'user-deactivated', 'role-changed',
    'organisation-created', 'organisation-updated',
    'case-study-submitted', 'case-study-published', 'case-study-returned',
    'case-study-archived', 'case-study-restored'));
DROP INDEX case_studies_slug_pattern_idx;
