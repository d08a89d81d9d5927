-- Keys for machine clients: each acts for the user who made it, within its scopes. Only a
-- hash of the secret is kept; the secret is shown once, when the key is made.
CREATE TABLE api_keys (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id),
    name         text NOT NULL,
    scopes       text[] NOT NULL,
    key_hash     bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_keys_hash_key UNIQUE (key_hash),
    CONSTRAINT api_keys_scopes_check CHECK (
        cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'review']::text[])
);

CREATE INDEX api_keys_user_idx ON api_keys (user_id, id);

-- What a key did is recorded as done by its user, through that key.
ALTER TABLE audit_events ADD COLUMN api_key_id uuid REFERENCES api_keys (id);

ALTER TABLE audit_events DROP CONSTRAINT audit_events_kind_check;
ALTER TABLE audit_events ADD CONSTRAINT audit_events_kind_check CHECK (kind IN (
    'login', 'login-failed', 'token-refreshed', 'token-reuse-detected', 'logout',
    'user-created', 'user-deactivated', 'role-changed', 'password-changed', 'password-reset',
    'api-key-created', 'api-key-revoked',
    'organisation-created', 'organisation-updated',
    'case-study-created', 'case-study-changed',
    'case-study-submitted', 'case-study-published', 'case-study-returned',
    'case-study-archived', 'case-study-restored'));
