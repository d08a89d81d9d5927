CREATE TABLE search_words (
    word text PRIMARY KEY
);
CREATE INDEX search_words_trigram_idx ON search_words USING gin (word gin_trgm_ops);
