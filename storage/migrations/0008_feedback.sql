-- "You said, we did": feedback, themes, the answers people give back, and meeting check-ins.

CREATE TABLE themes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,                    -- the "You said", in plain words
    project_id INTEGER REFERENCES projects (id),
    created_by INTEGER REFERENCES participants (id),
    created_at TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('done', 'cant')),
    we_did TEXT,                            -- what was done, or why it can't be
    published_at TEXT
);
CREATE INDEX themes_by_project ON themes (project_id);

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,         -- e.g. F-2026-0003
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    about TEXT NOT NULL CHECK (about IN ('project', 'meeting', 'service', 'general')),
    project_id INTEGER REFERENCES projects (id),
    meeting_id INTEGER REFERENCES meetings (id),
    service TEXT,
    text TEXT,
    voice_file_id TEXT,
    photo_file_id TEXT,
    anonymous INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'looking', 'planned', 'done', 'cant')),
    reason TEXT,                            -- required for "can't do"
    theme_id INTEGER REFERENCES themes (id),
    received_at TEXT NOT NULL,
    responded_at TEXT                       -- first change of status: for "days to a response"
);
CREATE INDEX feedback_by_status ON feedback (status, received_at);
CREATE INDEX feedback_by_project ON feedback (project_id);
CREATE INDEX feedback_by_theme ON feedback (theme_id);
CREATE INDEX feedback_by_participant ON feedback (participant_id);

CREATE TABLE difference_answers (
    theme_id INTEGER NOT NULL REFERENCES themes (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    round INTEGER NOT NULL,                 -- 1 when "we did" is published, 2 at the follow-up
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'bit', 'no', 'not_sure')),
    comment TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (theme_id, participant_id, round)
);
CREATE INDEX difference_answers_by_participant ON difference_answers (participant_id);

CREATE TABLE checkins (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    mood_start INTEGER CHECK (mood_start BETWEEN 1 AND 5),
    mood_end INTEGER CHECK (mood_end BETWEEN 1 AND 5),
    listened INTEGER CHECK (listened BETWEEN 1 AND 5),
    valued INTEGER CHECK (valued BETWEEN 1 AND 5),
    influence INTEGER CHECK (influence BETWEEN 1 AND 5),
    at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE INDEX checkins_by_participant ON checkins (participant_id);
