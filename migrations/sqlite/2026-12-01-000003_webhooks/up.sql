-- Webhooks: admins' subscriptions, the transactional outbox written by the kit's write
-- path (kit::write::Tx::record) in the same transaction as each change, the deliveries
-- the worker fans each event out to, and every attempt made (webhooks module docs).

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    -- The HMAC key. Kept as given because signing needs it; never shown by the API.
    secret TEXT NOT NULL,
    -- Event types, space-separated and sorted (like api_keys.scopes).
    event_types TEXT NOT NULL,
    territory_id BIGINT REFERENCES territories (id),
    territory_path TEXT,
    active BOOLEAN NOT NULL,
    -- Events with an id above this one are delivered: a new subscription does not
    -- receive the backlog written before it existed.
    after_event_id BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);

-- One row per change that has an event type; ids give the order of events.
CREATE TABLE outbox_events (
    id INTEGER PRIMARY KEY,
    event_type TEXT NOT NULL CHECK (event_type IN ('appeal.created', 'appeal.status_changed', 'appeal.deleted', 'reception.held', 'indicator.progress')),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    territory_path TEXT,
    payload TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    -- Set once the worker has made this event's deliveries.
    fanned_out_at TIMESTAMP
);
CREATE INDEX outbox_events_pending_idx ON outbox_events (fanned_out_at, id);
CREATE INDEX outbox_events_entity_idx ON outbox_events (entity, entity_id, id);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id),
    event_id BIGINT NOT NULL REFERENCES outbox_events (id),
    -- Copied from the event: order is kept per (webhook, entity).
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A worker's claim: nobody else attempts this delivery until it expires.
    lease_until TIMESTAMP,
    lease_owner TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_entity_idx ON webhook_deliveries (webhook_id, entity, entity_id, event_id);

CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id),
    attempt INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms BIGINT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt);
