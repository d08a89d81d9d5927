ALTER TABLE case_studies
    ALTER COLUMN summary SET COMPRESSION default,
    ALTER COLUMN you_asked SET COMPRESSION default,
    ALTER COLUMN we_said SET COMPRESSION default,
    ALTER COLUMN we_did SET COMPRESSION default,
    ALTER COLUMN what_worked SET COMPRESSION default,
    ALTER COLUMN could_improve SET COMPRESSION default;
ALTER TABLE case_study_revisions ALTER COLUMN document SET COMPRESSION default;
