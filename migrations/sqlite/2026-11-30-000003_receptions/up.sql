-- Mobile public receptions: the visit, the settlements it reaches, who takes part, and
-- the batches of appeals taken on site (so that a retried batch replays as a whole).
--
-- appeals.reception_id has no FOREIGN KEY: SQLite cannot add one to an existing table
-- without rebuilding it (and its FTS triggers), and both trees must stay equal. The
-- server checks the reference instead (appeals::intake::check_new).

CREATE TABLE receptions (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('district', 'regional', 'republican')),
    -- The organiser; its path scopes the reception like any territorial row.
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    territory_path TEXT NOT NULL,
    planned_start TIMESTAMP NOT NULL,
    planned_end TIMESTAMP NOT NULL,
    venue TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'postponed', 'cancelled')),
    residents_heard BIGINT,
    report_summary TEXT,
    -- A JSON array of strings: the issues residents raised.
    report_issues TEXT,
    created_by_user_id BIGINT REFERENCES users (id),
    created_by_key_id BIGINT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX receptions_path_idx ON receptions (territory_path, id);
CREATE INDEX receptions_start_idx ON receptions (planned_start, id);
CREATE INDEX receptions_updated_idx ON receptions (updated_at, id);

-- The settlements and okrugs a reception visits (coverage is computed from these).
CREATE TABLE reception_settlements (
    reception_id BIGINT NOT NULL REFERENCES receptions (id),
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    territory_path TEXT NOT NULL,
    PRIMARY KEY (reception_id, territory_id)
);
CREATE INDEX reception_settlements_path_idx ON reception_settlements (territory_path, reception_id);

CREATE TABLE reception_participants (
    id INTEGER PRIMARY KEY,
    reception_id BIGINT NOT NULL REFERENCES receptions (id),
    deputy_id BIGINT REFERENCES deputies (id),
    full_name TEXT NOT NULL,
    position TEXT,
    role TEXT NOT NULL CHECK (role IN ('deputy', 'political_council', 'official', 'moderator')),
    -- Copied from the reception, so that a deputy's overlapping bookings are one index
    -- range and not a join.
    planned_start TIMESTAMP NOT NULL,
    planned_end TIMESTAMP NOT NULL
);
CREATE INDEX reception_participants_reception_idx ON reception_participants (reception_id, id);
CREATE INDEX reception_participants_busy_idx ON reception_participants (deputy_id, planned_start, planned_end);

-- One batch of appeals taken on site: the resource an Idempotency-Key replays.
CREATE TABLE reception_batches (
    id INTEGER PRIMARY KEY,
    reception_id BIGINT NOT NULL REFERENCES receptions (id),
    -- The appeal ids, a JSON array, in the order they were sent.
    appeal_ids TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reception_batches_reception_idx ON reception_batches (reception_id, id);
