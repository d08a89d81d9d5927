ALTER TABLE search_documents ADD COLUMN document_vector tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE search_documents ALTER COLUMN document_vector DROP DEFAULT;
ALTER TABLE search_documents ALTER COLUMN document_vector SET STORAGE EXTERNAL;
CREATE INDEX search_documents_vector_idx ON search_documents USING gin (document_vector);
