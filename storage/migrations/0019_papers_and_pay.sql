-- Papers ahead of a meeting, what a group or meeting pays, and time paid beyond meetings.

-- An agenda as typed text, a PDF or a photo (Telegram's file_id), and optionally an Easy Read version.
CREATE TABLE meeting_papers (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    version TEXT NOT NULL CHECK (version IN ('standard', 'easy')),
    kind TEXT NOT NULL CHECK (kind IN ('text', 'document', 'photo')),
    body TEXT,                          -- the agenda typed as text, or the file's caption
    file_id TEXT,
    added_by INTEGER REFERENCES participants (id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, version)
);

-- What is paid, for a group (scope 'project') or one meeting (scope 'meeting'); NULL: as the group, or the default.
CREATE TABLE pay_settings (
    scope TEXT NOT NULL CHECK (scope IN ('project', 'meeting')),
    ref INTEGER NOT NULL,
    meeting_pence INTEGER CHECK (meeting_pence >= 0),       -- an hour of meeting time
    preparation_pence INTEGER CHECK (preparation_pence >= 0), -- an hour of preparation and reading
    other_pence INTEGER CHECK (other_pence >= 0),           -- an hour of something else, once agreed
    travel INTEGER CHECK (travel IN (0, 1)),
    carer_cover INTEGER CHECK (carer_cover IN (0, 1)),
    PRIMARY KEY (scope, ref)
);

-- "Something else I did" for a meeting: asked by the resident, agreed (or not) by its organiser, then claimed.
CREATE TABLE time_asks (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    description TEXT NOT NULL,
    hours TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'agreed', 'declined')),
    asked_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES participants (id),
    decided_at TEXT
);
CREATE INDEX time_asks_by_participant ON time_asks (participant_id, status);

ALTER TABLE claim_items ADD COLUMN time_ask_id INTEGER REFERENCES time_asks (id);

-- The outbox can carry a file Telegram already holds (a meeting's papers), sent by its file_id.
ALTER TABLE outbox ADD COLUMN file_id TEXT;
ALTER TABLE outbox ADD COLUMN file_kind TEXT CHECK (file_kind IN ('document', 'photo'));
