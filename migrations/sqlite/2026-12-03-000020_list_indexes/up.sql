-- Lists at a million appeals (issue #21; plans and timings in docs/PERFORMANCE.md).

-- `sort=due` and the `overdue` filter order and compare by the deadline in force, spelled
-- as `domain::appeal::deadline_in_force_sql` writes it, so that the planner matches it.
CREATE INDEX appeals_due_in_force_idx ON appeals (COALESCE(extended_due_on, due_on), id);
-- `sort=created_at` (the other sort keys have theirs since the appeals migration).
CREATE INDEX appeals_created_idx ON appeals (created_at, id);
