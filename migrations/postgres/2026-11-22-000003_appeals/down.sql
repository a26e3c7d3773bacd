DROP INDEX appeals_search_idx;
DROP TABLE idempotency_keys;
DROP TABLE appeal_events;
DROP TABLE appeal_citizens;
DROP TABLE appeals;
DROP TABLE reg_counters;
