-- What a person knows about from their own life ("caring for a parent", "using a wheelchair"),
-- chosen from a short list and in their own words. `agreed_at` is their separate agreement that
-- we may use it to tell them about opportunities that fit; without it nobody is matched on it.
CREATE TABLE lived_experience (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    skills TEXT NOT NULL DEFAULT '[]',      -- JSON list of keys from domain/experience.py
    own_words TEXT,
    agreed_at TEXT,
    updated_at TEXT NOT NULL
);

-- An opportunity can be for people who know about something, or who worked on a group before.
ALTER TABLE opportunities ADD COLUMN target_skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE opportunities ADD COLUMN target_group INTEGER REFERENCES projects (id);
