-- Reference data: territories (KATO), appeal categories, the days-off calendar.
-- Kept column-for-column equal to migrations/postgres (a test checks it).

CREATE TABLE territories (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES territories (id),
    level TEXT NOT NULL CHECK (level IN ('region', 'district', 'city', 'rural_okrug', 'town', 'city_territory', 'settlement')),
    kato_code TEXT NOT NULL UNIQUE,
    -- Short code of a region, used in registration numbers (ZHA-2026-000123).
    short_code TEXT UNIQUE,
    name_kk TEXT,
    name_ru TEXT NOT NULL,
    name_en TEXT,
    -- Materialised path of ancestor KATO codes, '/310000000/313600000/'. A subtree is a
    -- range scan on this column (DECISIONS.md 1).
    path TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX territories_parent_idx ON territories (parent_id);
CREATE INDEX territories_updated_idx ON territories (updated_at, id);

CREATE TABLE appeal_categories (
    code TEXT PRIMARY KEY NOT NULL,
    group_code TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE
);

-- Weekdays that are not working days (holidays, weekend transfers, decrees), and
-- weekend days declared working. Data per year, not code: the calendar changes by law.
CREATE TABLE calendar_days (
    day DATE PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'transfer', 'religious', 'working_day')),
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    note TEXT
);
