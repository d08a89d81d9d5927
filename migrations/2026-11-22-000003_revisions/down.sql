DROP TABLE case_study_revisions;
