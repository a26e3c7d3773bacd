-- Deputies: party roles, territorial assignments over time, monthly rating snapshots,
-- citizens' one-time feedback links, and the cadre reserve. The `deputies` table itself
-- (and the links of users and appeals to it) stays as it was.

-- Political Council and Bureau membership, with dates (a deputy may hold both, and the
-- same role again after a break).
CREATE TABLE deputy_party_roles (
    id INTEGER PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies (id),
    role TEXT NOT NULL CHECK (role IN ('political_council', 'bureau')),
    from_on DATE NOT NULL,
    to_on DATE
);
CREATE INDEX deputy_party_roles_deputy_idx ON deputy_party_roles (deputy_id, from_on);

-- A deputy answers for a territory (rural okrug, town, city territory) from `starts_on`
-- to `ends_on` (inclusive; open when NULL). Never deleted: ending is an update, so
-- "who was responsible on day D" stays answerable.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies (id),
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    -- Copy of the territory's path: scoping and coverage are range scans.
    territory_path TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    end_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX assignments_deputy_idx ON assignments (deputy_id, territory_id, starts_on);
CREATE INDEX assignments_territory_idx ON assignments (territory_id, starts_on);
CREATE INDEX assignments_path_idx ON assignments (territory_path, id);
CREATE INDEX assignments_updated_idx ON assignments (updated_at, id);

-- Ratings count appeals closed in a month and appeals whose deadline in force falls in
-- it: both are range scans with these (appeals_due_idx covers due_on already).
CREATE INDEX appeals_resolved_idx ON appeals (resolved_at, id);
CREATE INDEX appeals_extended_due_idx ON appeals (extended_due_on, id);

-- A deputy's rating of one month (`YYYY-MM`), stored once the month is over so that
-- later corrections do not rewrite history; only an explicit, audited recompute
-- changes it. `components` is the JSON list the score was summed from.
CREATE TABLE rating_snapshots (
    id INTEGER PRIMARY KEY,
    deputy_id BIGINT NOT NULL REFERENCES deputies (id),
    period TEXT NOT NULL,
    score REAL NOT NULL,
    components TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (deputy_id, period)
);
CREATE INDEX rating_snapshots_period_idx ON rating_snapshots (period, score);

-- One-time links a citizen rates a resolved appeal's outcome through. Only a SHA-256 of
-- the token is stored; the deputy is copied at creation so the rating credits the
-- deputy who resolved the appeal.
CREATE TABLE feedback_links (
    id INTEGER PRIMARY KEY,
    appeal_id BIGINT NOT NULL REFERENCES appeals (id),
    deputy_id BIGINT REFERENCES deputies (id),
    territory_path TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    submitted_at TIMESTAMP,
    -- 1 to 5, checked by the server.
    score INTEGER,
    comment TEXT,
    created_by_user_id BIGINT REFERENCES users (id),
    created_by_key_id BIGINT REFERENCES api_keys (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX feedback_links_appeal_idx ON feedback_links (appeal_id);
CREATE INDEX feedback_links_deputy_idx ON feedback_links (deputy_id, submitted_at);

-- The party's cadre reserve: private persons (IIN and phone are personal data).
CREATE TABLE reserve_candidates (
    id INTEGER PRIMARY KEY,
    full_name TEXT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    territory_path TEXT NOT NULL,
    iin TEXT,
    phone TEXT,
    position TEXT,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('candidate', 'approved', 'appointed', 'withdrawn')),
    status_since DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX reserve_candidates_path_idx ON reserve_candidates (territory_path, id);
