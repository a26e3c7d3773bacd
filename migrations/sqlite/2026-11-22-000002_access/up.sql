-- People and access: deputies (the registry users link to), users, refresh tokens,
-- login throttling, API keys, and the tamper-evident audit trail.

CREATE TABLE deputies (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('regional', 'city', 'district')),
    maslikhat_territory_id BIGINT NOT NULL REFERENCES territories (id),
    -- Copy of the maslikhat territory's path: scoping is one range scan (DECISIONS.md 1).
    territory_path TEXT NOT NULL,
    okrug TEXT,
    phone TEXT,
    email TEXT,
    mandate_status TEXT NOT NULL CHECK (mandate_status IN ('active', 'suspended', 'recalled', 'ended')),
    mandate_status_since DATE,
    mandate_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX deputies_path_idx ON deputies (territory_path, id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    -- Stored lower-cased; unique.
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'regional_staff', 'district_staff', 'deputy', 'viewer')),
    territory_id BIGINT REFERENCES territories (id),
    deputy_id BIGINT UNIQUE REFERENCES deputies (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    last_login_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- Refresh tokens: only a SHA-256 of the random token is stored. Every refresh spends
-- the presented token and issues a new one in the same family; presenting a spent token
-- revokes the family (OWASP: refresh token rotation with reuse detection).
CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Failed sign-in counters per account and per client address. In the database, not in
-- memory, so that several server processes share one limit.
CREATE TABLE auth_throttle (
    key TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    window_started_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- The public half of the key, used to find the row; the secret half is only hashed.
    prefix TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    -- Space-separated scopes, e.g. 'appeals:read appeals:write'.
    scopes TEXT NOT NULL,
    territory_id BIGINT REFERENCES territories (id),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);

-- Append-only audit trail. Each row's hash covers its content and the previous row's
-- hash, so an edited or deleted row breaks the chain (`baqylau audit verify`).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_at_idx ON audit_log (at, id);

-- The chain's head. Updating this single row serialises audit appends across
-- connections and processes, so the chain never forks.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    last_id BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, 'genesis');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
