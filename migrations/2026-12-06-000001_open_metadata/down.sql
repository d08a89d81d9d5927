DROP INDEX case_study_revisions_published;
DROP TABLE case_study_former_slugs;
ALTER TABLE organisations DROP COLUMN identifiers;
ALTER TABLE case_studies DROP COLUMN license;
