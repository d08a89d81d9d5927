-- A case study of co-production, told in the toolkit's shape:
-- you asked / we said / we did / what worked / what could be improved.
CREATE TABLE case_studies (
    id            uuid PRIMARY KEY,
    slug          text NOT NULL,
    owner_id      uuid NOT NULL REFERENCES organisations (id),
    status        text NOT NULL DEFAULT 'draft',
    title         text NOT NULL,
    summary       text NOT NULL,
    you_asked     text,
    we_said       text,
    we_did        text,
    what_worked   text,
    could_improve text,
    quadrants     text[] NOT NULL,
    journey_steps text[] NOT NULL DEFAULT '{}',
    coproduction_values text[] NOT NULL DEFAULT '{}',
    scale         text NOT NULL,
    sector        text NOT NULL,
    locality      text,
    country       text NOT NULL,
    start_year    smallint,
    end_year      smallint,
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    CONSTRAINT case_studies_slug_key UNIQUE (slug),
    CONSTRAINT case_studies_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 100),
    CONSTRAINT case_studies_status_check CHECK (status IN ('draft', 'submitted', 'published', 'archived')),
    CONSTRAINT case_studies_title_length CHECK (length(title) BETWEEN 1 AND 200),
    CONSTRAINT case_studies_summary_length CHECK (length(summary) BETWEEN 1 AND 2000),
    CONSTRAINT case_studies_quadrants_check CHECK (
        cardinality(quadrants) >= 1
        AND quadrants <@ ARRAY['co-commissioning', 'co-design', 'co-delivery', 'co-assessment']),
    CONSTRAINT case_studies_journey_steps_check CHECK (
        journey_steps <@ ARRAY['map-it', 'focus-it', 'people-it', 'market-it', 'grow-it']),
    CONSTRAINT case_studies_coproduction_values_check CHECK (
        coproduction_values <@ ARRAY['equality', 'mutual-benefit', 'social-relationships', 'access']),
    CONSTRAINT case_studies_scale_check CHECK (scale IN ('individual', 'group', 'community', 'organisation')),
    CONSTRAINT case_studies_sector_check CHECK (sector IN (
        'health', 'social-care', 'housing', 'youth-work', 'community-learning',
        'parks-and-environment', 'community-safety', 'alcohol-and-drugs', 'disability',
        'older-people', 'children-and-families', 'local-government', 'criminal-justice',
        'education', 'other')),
    CONSTRAINT case_studies_country_check CHECK (country IN (
        'Scotland', 'England', 'Wales', 'Northern Ireland', 'other')),
    CONSTRAINT case_studies_years_check CHECK (
        (start_year IS NULL OR start_year BETWEEN 1900 AND 2100)
        AND (end_year IS NULL OR end_year BETWEEN 1900 AND 2100)
        AND (start_year IS NULL OR end_year IS NULL OR end_year >= start_year)),
    CONSTRAINT case_studies_version_positive CHECK (version >= 1),
    CONSTRAINT case_studies_published_at_check CHECK (status <> 'published' OR published_at IS NOT NULL)
);

CREATE INDEX case_studies_owner_idx ON case_studies (owner_id);
CREATE INDEX case_studies_created_idx ON case_studies (created_at DESC, id DESC);

-- The organisations that worked together on a case study, each in one role.
CREATE TABLE case_study_partners (
    case_study_id   uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    role            text NOT NULL,
    position        smallint NOT NULL,
    PRIMARY KEY (case_study_id, organisation_id),
    CONSTRAINT case_study_partners_role_check CHECK (role IN ('lead', 'partner', 'funder', 'community', 'supporter'))
);

CREATE INDEX case_study_partners_organisation_idx ON case_study_partners (organisation_id);

-- What changed because of the work, with a measured figure where there is one.
CREATE TABLE case_study_outcomes (
    case_study_id uuid NOT NULL REFERENCES case_studies (id) ON DELETE CASCADE,
    position      smallint NOT NULL,
    category      text NOT NULL,
    description   text NOT NULL,
    metric_value  double precision,
    metric_unit   text,
    PRIMARY KEY (case_study_id, position),
    CONSTRAINT case_study_outcomes_category_check CHECK (category IN (
        'improved-wellbeing', 'independent-living', 'reduced-isolation', 'community-ownership',
        'service-redesign', 'cost-saving', 'capacity-building', 'better-information',
        'voice-and-influence', 'safer-communities', 'improved-facilities',
        'employment-and-skills', 'reduced-demand')),
    CONSTRAINT case_study_outcomes_description_length CHECK (length(description) BETWEEN 1 AND 2000),
    CONSTRAINT case_study_outcomes_metric_check CHECK ((metric_value IS NULL) = (metric_unit IS NULL)),
    CONSTRAINT case_study_outcomes_metric_unit_check CHECK (metric_unit IN (
        'people', 'homes', 'GBP', 'percent', 'organisations', 'events', 'other'))
);
