-- One history for every capability (the kit's write path writes it): what happened to
-- an object, in order, as its users see it. The audit trail stays the tamper-evident
-- record for auditors; this is the timeline a page shows.
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
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
CREATE INDEX history_entity_idx ON history (entity, entity_id, id);

INSERT INTO history (id, entity, entity_id, at, actor_kind, actor_id, actor_label, action,
                     from_status, to_status, comment, details)
SELECT id, 'appeal', appeal_id, at, actor_kind, actor_id, actor_label, action,
       from_status, to_status, comment, details
FROM appeal_events;

DROP TABLE appeal_events;
