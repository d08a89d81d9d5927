-- Partner organisations: councils, NHS boards, housing associations, community groups...
CREATE TABLE organisations (
    id          uuid PRIMARY KEY,
    slug        text NOT NULL,
    name        text NOT NULL,
    kind        text NOT NULL,
    website     text,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organisations_slug_key UNIQUE (slug),
    CONSTRAINT organisations_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    CONSTRAINT organisations_name_length CHECK (length(name) BETWEEN 1 AND 200),
    CONSTRAINT organisations_kind_check CHECK (kind IN (
        'council', 'nhs', 'health-and-social-care-partnership', 'housing-association',
        'voluntary', 'community-group', 'school', 'college', 'university',
        'social-enterprise', 'charity', 'police', 'government', 'business', 'other'))
);

-- Names are unique regardless of case: "Scottish Borders Council" and "scottish borders council" are one partner.
CREATE UNIQUE INDEX organisations_name_key ON organisations (lower(name));
