-- "Did you mean" corrections now come from the service's index, which holds only the words
-- of published case studies and organisation names; this table kept the words of every
-- record, drafts included, and never forgot one.
DROP TABLE search_words;
