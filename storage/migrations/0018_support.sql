-- Arranged support: a person's separate consent to show their needs with their name to the
-- organiser of a meeting they are going to, and the support tasks an organiser ticks off.

CREATE TABLE support_consents (
    participant_id INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    share INTEGER NOT NULL CHECK (share IN (0, 1)),   -- 1: organisers may see my needs with my name
    decided_at TEXT NOT NULL
);

CREATE TABLE support_tasks (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    need TEXT NOT NULL,                   -- a need slug from domain/access.py
    participant_id INTEGER NOT NULL,      -- whose task; 0 for a task shared by several (papers, a quiet room)
    done_at TEXT,
    done_by INTEGER,                      -- the organiser who ticked it
    note TEXT,                            -- the organiser's short note for the person, e.g. "17:45"
    UNIQUE (meeting_id, need, participant_id)
);
CREATE INDEX support_tasks_by_participant ON support_tasks (participant_id);
