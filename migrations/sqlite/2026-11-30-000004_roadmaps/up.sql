-- Road maps: the election programme as regional and territorial plans, their sections
-- (a Bureau member each), indicators (a Political Council member and a responsible
-- deputy each) and the progress reported on them. Percentages are never stored: they
-- are computed from the indicators (DECISIONS.md 8).

CREATE TABLE roadmaps (
    id INTEGER PRIMARY KEY,
    title_kk TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('regional', 'territorial')),
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    territory_path TEXT NOT NULL,
    year_from INTEGER NOT NULL,
    year_to INTEGER NOT NULL,
    programme_ref TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'approved', 'closed')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX roadmaps_path_idx ON roadmaps (territory_path, id);
CREATE INDEX roadmaps_year_idx ON roadmaps (year_from, year_to);

-- A section is led by a Bureau member: a deputy, or a user without a mandate.
CREATE TABLE roadmap_sections (
    id INTEGER PRIMARY KEY,
    roadmap_id BIGINT NOT NULL REFERENCES roadmaps (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    bureau_deputy_id BIGINT REFERENCES deputies (id),
    bureau_user_id BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX roadmap_sections_roadmap_idx ON roadmap_sections (roadmap_id, position);

CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    roadmap_id BIGINT NOT NULL REFERENCES roadmaps (id),
    section_id BIGINT NOT NULL REFERENCES roadmap_sections (id),
    title TEXT NOT NULL,
    territory_id BIGINT NOT NULL REFERENCES territories (id),
    territory_path TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('event', 'quantitative')),
    unit TEXT,
    baseline REAL,
    target REAL,
    actual REAL,
    due_on DATE NOT NULL,
    council_member_deputy_id BIGINT REFERENCES deputies (id),
    council_member_user_id BIGINT REFERENCES users (id),
    deputy_id BIGINT REFERENCES deputies (id),
    weight REAL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'not_done', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
-- Summaries group one road map's indicators by status (and section, territory, person).
CREATE INDEX indicators_roadmap_status_idx ON indicators (roadmap_id, status);
CREATE INDEX indicators_section_idx ON indicators (section_id, id);
CREATE INDEX indicators_deputy_idx ON indicators (deputy_id, id);
CREATE INDEX indicators_path_idx ON indicators (territory_path, id);
CREATE INDEX indicators_updated_idx ON indicators (updated_at, id);

-- Every progress update, kept: the indicator's actual value and status follow from them.
CREATE TABLE indicator_progress (
    id INTEGER PRIMARY KEY,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    "on" DATE NOT NULL,
    done BOOLEAN,
    value REAL,
    comment TEXT,
    -- A JSON array of URLs.
    evidence_urls TEXT NOT NULL,
    actor_label TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX indicator_progress_indicator_idx ON indicator_progress (indicator_id, id);
