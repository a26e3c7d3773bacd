DROP TRIGGER appeals_fts_update;
DROP TRIGGER appeals_fts_delete;
DROP TRIGGER appeals_fts_insert;
DROP TABLE appeals_fts;
