ALTER TABLE case_studies DROP COLUMN practice;
