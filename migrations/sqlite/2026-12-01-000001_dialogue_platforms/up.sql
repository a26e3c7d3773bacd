-- Dialogue platforms: debate clubs, public councils, business receptions and control
-- commission meetings are receptions of another kind, with an agenda of topics and a
-- protocol of proposals; a proposal taken under party control becomes an appeal.
--
-- Existing receptions are mobile ones, which the column's default makes them.
ALTER TABLE receptions ADD COLUMN kind TEXT NOT NULL DEFAULT 'mobile_reception'
    CHECK (kind IN ('mobile_reception', 'debate_club', 'public_council', 'business_reception', 'control_commission'));
CREATE INDEX receptions_kind_idx ON receptions (kind, id);

CREATE TABLE reception_topics (
    id INTEGER PRIMARY KEY,
    reception_id BIGINT NOT NULL REFERENCES receptions (id),
    -- 1, 2, 3, ... in agenda order.
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT
);
CREATE INDEX reception_topics_reception_idx ON reception_topics (reception_id, position);

CREATE TABLE reception_proposals (
    id INTEGER PRIMARY KEY,
    reception_id BIGINT NOT NULL REFERENCES receptions (id),
    -- Checked in code to be a topic of the same reception.
    topic_id BIGINT REFERENCES reception_topics (id),
    text TEXT NOT NULL,
    author TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('open', 'under_control', 'accepted', 'rejected', 'implemented')),
    outcome_note TEXT,
    -- The appeal that follows the proposal once it is taken under control; one each.
    appeal_id BIGINT REFERENCES appeals (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX reception_proposals_reception_idx ON reception_proposals (reception_id, id);
CREATE INDEX reception_proposals_topic_idx ON reception_proposals (topic_id);
CREATE UNIQUE INDEX reception_proposals_appeal_idx ON reception_proposals (appeal_id);
