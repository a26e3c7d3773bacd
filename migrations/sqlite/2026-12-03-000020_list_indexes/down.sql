DROP INDEX appeals_created_idx;
DROP INDEX appeals_due_in_force_idx;
