-- Harvesters list each case study once, at its newest public change: this finds whether a
-- newer one exists without reading the whole log.
CREATE INDEX change_log_public_case_study ON change_log (entity_id, seq) WHERE public AND entity = 'case-study';
