-- Appeals under party control: the appeal, its history, registration counters,
-- idempotency records, and full-text search.

-- Gap-free registration numbers: one counter row per (region, year), incremented in the
-- same transaction as the insert (DECISIONS.md 3).
CREATE TABLE reg_counters (
    region_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (region_code, year)
);

CREATE TABLE appeals (
    id INTEGER PRIMARY KEY,
    reg_number TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('registered', 'under_control', 'assigned', 'in_progress', 'resolved', 'explained', 'rejected', 'forwarded', 'reopened')),
    channel TEXT NOT NULL CHECK (channel IN ('reception_room', 'mobile_reception', 'business_reception', 'debate_club', 'public_council', 'online', 'phone', 'letter', 'state_portal')),
    category_code TEXT NOT NULL REFERENCES appeal_categories (code),
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    territory_path TEXT NOT NULL,
    -- Mobile receptions arrive in a later migration; the reference is checked then.
    reception_id BIGINT,
    anonymous BOOLEAN NOT NULL,
    threat_report BOOLEAN NOT NULL,
    subject TEXT NOT NULL,
    description TEXT NOT NULL,
    language TEXT NOT NULL CHECK (language IN ('kk', 'ru')),
    -- Lower-cased subject, description and registration number, kept by the server and
    -- indexed for full-text search by each backend in its own way.
    search_text TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    registered_on DATE NOT NULL,
    due_on DATE NOT NULL,
    extended_due_on DATE,
    extension_reason TEXT,
    deputy_id BIGINT REFERENCES deputies (id),
    assigned_body TEXT,
    resolution TEXT,
    resolved_at TIMESTAMP,
    forwarded_to TEXT,
    forwarded_on DATE,
    created_by_user_id BIGINT REFERENCES users (id),
    created_by_key_id BIGINT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX appeals_path_idx ON appeals (territory_path, id);
CREATE INDEX appeals_status_idx ON appeals (status, id);
CREATE INDEX appeals_updated_idx ON appeals (updated_at, id);
CREATE INDEX appeals_received_idx ON appeals (received_at, id);
CREATE INDEX appeals_deputy_idx ON appeals (deputy_id, id);
CREATE INDEX appeals_due_idx ON appeals (due_on, id);
CREATE INDEX appeals_reception_idx ON appeals (reception_id);

-- The citizen's personal data, apart from the appeal: one place to protect, mask,
-- and erase when the retention period ends.
CREATE TABLE appeal_citizens (
    appeal_id BIGINT PRIMARY KEY NOT NULL REFERENCES appeals (id),
    full_name TEXT,
    iin TEXT,
    phone TEXT,
    email TEXT,
    address TEXT
);

-- Every change of an appeal: who, when, from which status to which, and why.
CREATE TABLE appeal_events (
    id INTEGER PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES appeals (id),
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    comment TEXT,
    details TEXT NOT NULL
);
CREATE INDEX appeal_events_appeal_idx ON appeal_events (appeal_id, id);

-- Idempotency-Key records (DECISIONS.md 5): written in the same transaction as the
-- creation they describe.
CREATE TABLE idempotency_keys (
    id INTEGER PRIMARY KEY,
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    resource_kind TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    UNIQUE (caller, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

-- Full-text search: an external-content FTS5 index over search_text. unicode61 folds
-- case across Cyrillic, Kazakh letters included; remove_diacritics 0 keeps й and ё
-- distinct from и and е.
CREATE VIRTUAL TABLE appeals_fts USING fts5 (
    search_text,
    content = 'appeals',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER appeals_fts_insert AFTER INSERT ON appeals BEGIN
    INSERT INTO appeals_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER appeals_fts_delete AFTER DELETE ON appeals BEGIN
    INSERT INTO appeals_fts (appeals_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER appeals_fts_update AFTER UPDATE OF search_text ON appeals BEGIN
    INSERT INTO appeals_fts (appeals_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO appeals_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
