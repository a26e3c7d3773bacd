DROP TABLE reception_proposals;
DROP TABLE reception_topics;
DROP INDEX receptions_kind_idx;
ALTER TABLE receptions DROP COLUMN kind;
