DROP TABLE reserve_candidates;
DROP TABLE feedback_links;
DROP TABLE rating_snapshots;
DROP TABLE assignments;
DROP TABLE deputy_party_roles;
DROP INDEX appeals_extended_due_idx;
DROP INDEX appeals_resolved_idx;
