DROP TABLE change_log;
DROP TABLE search_words;
DROP TABLE search_documents;
