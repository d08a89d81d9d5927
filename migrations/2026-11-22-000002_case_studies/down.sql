DROP TABLE case_study_outcomes;
DROP TABLE case_study_partners;
DROP TABLE case_studies;
