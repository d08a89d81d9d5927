CREATE INDEX change_log_public_idx ON change_log (seq) WHERE public;
