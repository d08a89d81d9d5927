-- Partner editors, reviewers and administrators, each belonging to one organisation.
CREATE TABLE users (
    id              uuid PRIMARY KEY,
    email           text NOT NULL,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    role            text NOT NULL,
    password_hash   text NOT NULL,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deactivated_at  timestamptz,
    CONSTRAINT users_role_check CHECK (role IN ('editor', 'reviewer', 'admin')),
    CONSTRAINT users_email_format CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    CONSTRAINT users_deactivated_check CHECK (active = (deactivated_at IS NULL))
);

-- One account per address, whatever its case.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organisation_idx ON users (organisation_id);

-- Refresh tokens are opaque; only their SHA-256 is kept. A token is used once: using it
-- issues its successor in the same family, and presenting a used one revokes the family.
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash)
);

CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

-- Security events, readable by administrators.
CREATE TABLE audit_events (
    id              bigserial PRIMARY KEY,
    occurred_at     timestamptz NOT NULL DEFAULT now(),
    kind            text NOT NULL,
    actor_id        uuid REFERENCES users (id),
    user_id         uuid REFERENCES users (id),
    organisation_id uuid REFERENCES organisations (id),
    case_study_id   uuid REFERENCES case_studies (id),
    client          text,
    detail          jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT audit_events_kind_check CHECK (kind IN (
        'login', 'login-failed', 'token-refreshed', 'token-reuse-detected', 'logout',
        'user-created', 'user-deactivated', 'role-changed',
        'organisation-created', 'organisation-updated',
        'case-study-submitted', 'case-study-published', 'case-study-returned',
        'case-study-archived', 'case-study-restored'))
);

CREATE INDEX audit_events_occurred_idx ON audit_events (occurred_at DESC, id DESC);
