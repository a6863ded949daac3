-- People, consent, roles, invite codes, the audit log and conversation state.
-- Times are ISO-8601 UTC text; money (later) is whole pence.

CREATE TABLE participants (
    id INTEGER PRIMARY KEY,
    telegram_id INTEGER UNIQUE,              -- NULL once the person has erased their data
    language TEXT NOT NULL DEFAULT 'en',
    display_name TEXT,
    acting_for TEXT CHECK (acting_for IN ('self', 'cared_for', 'advocated_for')),
    other_consent_at TEXT,                   -- consent of the person they act for, confirmed
    area TEXT,
    quiet_start INTEGER CHECK (quiet_start BETWEEN 0 AND 23),
    quiet_end INTEGER CHECK (quiet_end BETWEEN 0 AND 23),
    created_at TEXT NOT NULL,
    registered_at TEXT,                      -- set when onboarding is finished
    erased_at TEXT
);

CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    notice_version TEXT NOT NULL,
    given_at TEXT NOT NULL
);
CREATE INDEX consents_by_participant ON consents (participant_id);

CREATE TABLE topics (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,                      -- English source text, translated when shown
    position INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO topics (slug, name, position) VALUES
    ('adult_care', 'Adult social care', 1),
    ('send', 'Children with SEND', 2),
    ('carers', 'Carers', 3),
    ('housing', 'Housing', 4),
    ('libraries', 'Libraries', 5),
    ('environment', 'Parks and environment', 6),
    ('health', 'Public health', 7),
    ('young_people', 'Young people', 8);

CREATE TABLE participant_topics (
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    topic_slug TEXT NOT NULL REFERENCES topics (slug),
    PRIMARY KEY (participant_id, topic_slug)
);
CREATE INDEX participant_topics_by_topic ON participant_topics (topic_slug);

CREATE TABLE roles (
    telegram_id INTEGER PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'officer', 'admin')),
    granted_by INTEGER,
    granted_at TEXT NOT NULL
);

CREATE TABLE invite_codes (
    code TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('coordinator', 'officer')),
    created_by INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_by INTEGER,
    used_at TEXT,
    revoked_at TEXT
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_telegram_id INTEGER,               -- NULL once the actor erased their data
    actor_participant_id INTEGER,
    action TEXT NOT NULL,
    subject TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at);
CREATE INDEX audit_log_by_actor ON audit_log (actor_telegram_id);

-- python-telegram-bot persistence: conversation states and per-user drafts.
CREATE TABLE conversation_states (
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    PRIMARY KEY (name, key)
);
CREATE TABLE user_drafts (
    telegram_id INTEGER PRIMARY KEY,
    data TEXT NOT NULL
);
