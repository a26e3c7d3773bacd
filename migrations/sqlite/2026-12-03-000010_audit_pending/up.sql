-- Reads of personal data waiting to be sealed into the audit chain (api/src/audit/
-- reveal.rs): a read inserts here without taking the chain head's lock, and the sealer
-- moves rows into audit_log in batches, deleting them here in the same transaction.
CREATE TABLE audit_pending (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL CHECK (actor_kind IN ('user', 'api_key', 'system')),
    actor_id BIGINT,
    actor_label TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    changes TEXT NOT NULL,
    request_id TEXT
);
