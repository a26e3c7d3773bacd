-- Refresh tokens: the absolute lifetime of a sign-in and the grace window for a retried
-- refresh (api/src/auth/tokens.rs explains both).

-- When the sign-in that started this family happened; rotation copies it, so no chain of
-- refreshes can outlive it. SQLite can only add a NOT NULL column with a constant
-- default: the epoch makes a row written without it unusable, never immortal.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at TIMESTAMP NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE refresh_tokens SET family_started_at = (
    SELECT MIN(f.issued_at) FROM refresh_tokens f WHERE f.family_id = refresh_tokens.family_id
);

-- The token issued when this one was spent, for a retry within the grace window.
ALTER TABLE refresh_tokens ADD COLUMN replaced_by_id BIGINT;

-- Stale throttle rows are purged by age, a bounded batch at a time.
CREATE INDEX auth_throttle_window_idx ON auth_throttle (window_started_at);
