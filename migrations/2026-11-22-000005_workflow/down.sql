DROP TABLE case_study_comments;
ALTER TABLE case_study_revisions DROP COLUMN author_id;
ALTER TABLE case_studies
    DROP COLUMN pending_status,
    DROP COLUMN live_version;
