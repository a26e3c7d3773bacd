DROP TABLE reserve_candidates;
DROP TABLE feedback_links;
DROP TABLE rating_snapshots;
DROP TABLE assignments;
DROP TABLE deputy_party_roles;
