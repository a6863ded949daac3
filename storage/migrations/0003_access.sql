-- What each person needs to take part. Sensitive: shown to organisers only as counts.

CREATE TABLE access_needs (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    needs TEXT NOT NULL DEFAULT '[]',        -- JSON list of need slugs
    prefers TEXT,
    times TEXT NOT NULL DEFAULT '[]',        -- JSON list of times of day that suit
    longest TEXT,
    other TEXT,                              -- "anything else", as typed
    updated_at TEXT NOT NULL
);
