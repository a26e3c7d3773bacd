-- Lists at a million appeals (issue #21; plans and timings in docs/PERFORMANCE.md).

-- `sort=due` and the `overdue` filter order and compare by the deadline in force, spelled
-- as `domain::appeal::deadline_in_force_sql` writes it, so that the planner matches it.
CREATE INDEX appeals_due_in_force_idx ON appeals (COALESCE(extended_due_on, due_on), id);
-- `sort=created_at` (the other sort keys have theirs since the appeals migration).
CREATE INDEX appeals_created_idx ON appeals (created_at, id);

-- Full-text search reads a stored tsvector. With the expression index alone, a common
-- word made the planner walk the newest appeals by id and run to_tsvector on each row
-- it checked; a stored column is computed once, when the text is written, and both the
-- GIN index and such a walk read it. PostgreSQL only: SQLite has its FTS5 table
-- (`db::compat::schema::is_backend_specific_column`).
DROP INDEX appeals_search_idx;
ALTER TABLE appeals ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX appeals_search_idx ON appeals USING GIN (search_vector);
