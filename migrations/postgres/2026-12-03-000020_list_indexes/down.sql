DROP INDEX appeals_search_idx;
ALTER TABLE appeals DROP COLUMN search_vector;
CREATE INDEX appeals_search_idx ON appeals USING GIN (to_tsvector('simple', search_text));
DROP INDEX appeals_created_idx;
DROP INDEX appeals_due_in_force_idx;
