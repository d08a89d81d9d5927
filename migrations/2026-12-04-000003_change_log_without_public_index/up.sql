-- Readers of the change log read every entry in number order (they must see every number to
-- know none is still to come: writers no longer wait for each other), so the index of public
-- entries is no longer read; it only cost every write.
DROP INDEX change_log_public_idx;
