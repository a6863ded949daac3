-- Meetings with time polls, invitations, RSVPs and attendance; and durable scheduled jobs.

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- e.g. poll.close, poll.remind
    ref TEXT NOT NULL,
    due_at TEXT NOT NULL,
    done_at TEXT,
    UNIQUE (kind, ref)
);
CREATE INDEX jobs_due ON jobs (done_at, due_at);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    purpose TEXT NOT NULL,
    level TEXT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
    venue TEXT,
    venue_features TEXT NOT NULL DEFAULT '[]',   -- JSON list of access features the venue has
    online_link TEXT,
    duration_minutes INTEGER NOT NULL,
    poll_closes_at TEXT NOT NULL,
    open_poll INTEGER NOT NULL DEFAULT 0,         -- invitees may see each other's answers
    status TEXT NOT NULL DEFAULT 'polling'
        CHECK (status IN ('polling', 'closed', 'confirmed', 'cancelled')),
    confirmed_slot_id INTEGER,
    project_id INTEGER REFERENCES projects (id),
    created_by INTEGER NOT NULL REFERENCES participants (id),
    created_at TEXT NOT NULL,
    submission_key TEXT UNIQUE             -- the draft's key: a repeated Send creates nothing new
);
CREATE INDEX meetings_by_creator ON meetings (created_by);
CREATE INDEX meetings_by_status ON meetings (status, poll_closes_at);

CREATE TABLE meeting_slots (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    starts_at TEXT NOT NULL,
    UNIQUE (meeting_id, starts_at)
);

CREATE TABLE meeting_invitees (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    required INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT,                   -- set when they send their answers (not when pre-filled)
    rsvp TEXT CHECK (rsvp IN ('going', 'maybe', 'cant')),
    rsvp_at TEXT,
    attended INTEGER,                   -- NULL until the coordinator marks it
    PRIMARY KEY (meeting_id, participant_id)
);
CREATE INDEX meeting_invitees_by_participant ON meeting_invitees (participant_id);

CREATE TABLE meeting_votes (
    slot_id INTEGER NOT NULL REFERENCES meeting_slots (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'maybe', 'no')),
    reason TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (slot_id, participant_id)
);
CREATE INDEX meeting_votes_by_participant ON meeting_votes (participant_id);
