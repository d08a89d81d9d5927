-- Words are matched and ranked in the service's own full-text index, built from the live
-- records and kept current through the change log; PostgreSQL no longer keeps a vector of
-- each case study. `search_documents` still gives each one its dense document number.
ALTER TABLE search_documents DROP COLUMN document_vector;
