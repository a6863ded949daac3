-- Closing a group: who closed it, its outcomes and what changed in plain words, and what
-- members said they learned and how it felt.

ALTER TABLE projects ADD COLUMN closed_by INTEGER REFERENCES participants (id) ON DELETE SET NULL;
ALTER TABLE projects ADD COLUMN outcomes TEXT;
ALTER TABLE projects ADD COLUMN what_changed TEXT;

CREATE TABLE group_reflections (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    learned TEXT,                              -- typed, or
    learned_voice TEXT,                        -- a voice note's file id
    felt INTEGER CHECK (felt BETWEEN 1 AND 5),
    at TEXT NOT NULL,
    UNIQUE (project_id, participant_id)
);
CREATE INDEX group_reflections_by_participant ON group_reflections (participant_id);
