-- Opportunities coordinators broadcast, and what residents answer.

ALTER TABLE participants ADD COLUMN opportunities_paused INTEGER NOT NULL DEFAULT 0;
CREATE INDEX participants_by_area ON participants (area COLLATE NOCASE);
CREATE INDEX participants_by_language ON participants (language);

CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    about TEXT NOT NULL,
    level TEXT NOT NULL,
    can_change TEXT NOT NULL,
    cannot_change TEXT NOT NULL,
    time_needed TEXT NOT NULL,
    dates TEXT NOT NULL,
    pays TEXT NOT NULL CHECK (pays IN ('none', 'expenses', 'involvement', 'both')),
    access_info TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    target_topics TEXT NOT NULL DEFAULT '[]',   -- JSON list of topic slugs; empty = any
    target_area TEXT,
    target_language TEXT,
    created_by INTEGER NOT NULL REFERENCES participants (id),
    created_at TEXT NOT NULL,
    batch_id INTEGER REFERENCES outbox_batches (id),
    submission_key TEXT UNIQUE             -- the draft's key: a repeated Send creates nothing new
);
CREATE INDEX opportunities_by_creator ON opportunities (created_by);

CREATE TABLE opportunity_responses (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    response TEXT NOT NULL CHECK (response IN ('interested', 'not_for_me')),
    at TEXT NOT NULL,
    PRIMARY KEY (opportunity_id, participant_id)
);
CREATE INDEX opportunity_responses_by_participant ON opportunity_responses (participant_id);

CREATE TABLE opportunity_questions (
    id INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX opportunity_questions_by_opportunity ON opportunity_questions (opportunity_id);
CREATE INDEX opportunity_questions_by_participant ON opportunity_questions (participant_id);
