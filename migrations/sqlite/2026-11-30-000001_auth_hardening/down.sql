DROP INDEX auth_throttle_window_idx;
ALTER TABLE refresh_tokens DROP COLUMN replaced_by_id;
ALTER TABLE refresh_tokens DROP COLUMN family_started_at;
