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
INSERT INTO appeal_events
SELECT id, entity_id, at, actor_kind, actor_id, actor_label, action, from_status, to_status,
       comment, details
FROM history WHERE entity = 'appeal';
DROP TABLE history;
