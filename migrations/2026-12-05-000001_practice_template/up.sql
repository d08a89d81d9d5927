-- The practice template beside the toolkit's narrative: objectives, leadership, obstacles,
-- costs and savings, indicators, quotes and the strength of the evidence. One document the
-- service parses as a whole (its rules live in the domain types), as the revisions keep it.
ALTER TABLE case_studies
    ADD COLUMN practice jsonb NOT NULL DEFAULT '{}',
    ADD CONSTRAINT case_studies_practice_is_object CHECK (jsonb_typeof(practice) = 'object');
