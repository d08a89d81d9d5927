ALTER TABLE change_log DROP CONSTRAINT change_log_kind_check;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind_check
    CHECK (kind IN ('created', 'changed', 'published', 'withdrawn'));
DROP TABLE case_study_self_assessments;
