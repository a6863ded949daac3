-- People who take part through staff, not Telegram: by phone, on paper or through a partner
-- organisation. Their participants row has no telegram_id; these say how they take part.
ALTER TABLE participants ADD COLUMN takes_part TEXT CHECK (takes_part IN ('phone', 'paper', 'partner'));
ALTER TABLE participants ADD COLUMN partner_name TEXT;            -- the organisation, for 'partner'
ALTER TABLE participants ADD COLUMN consent_how TEXT CHECK (consent_how IN ('phone', 'form', 'partner'));
ALTER TABLE participants ADD COLUMN added_by INTEGER REFERENCES participants (id);
ALTER TABLE participants ADD COLUMN contact_note TEXT;            -- how to reach them; staff only

-- What staff entered for them, and who: shown in their export beside the audit log line.
CREATE TABLE staff_entries (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    staff_id INTEGER REFERENCES participants (id),               -- NULL once the staff member is erased
    kind TEXT NOT NULL CHECK (kind IN ('joined', 'poll', 'rsvp', 'checkin', 'feedback', 'claim')),
    ref TEXT,                                                     -- a meeting id, or a feedback or claim reference
    at TEXT NOT NULL
);
CREATE INDEX staff_entries_by_participant ON staff_entries (participant_id);

-- What the bot would have messaged them, for staff to post or read out.
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    text TEXT NOT NULL,                                           -- the message, in their language
    options TEXT,                                                 -- its buttons' labels as JSON, to tick on paper
    quotes TEXT,                                                  -- whose own words it carries (erased with them)
    dedupe_key TEXT NOT NULL UNIQUE,
    written_at TEXT NOT NULL,
    posted_at TEXT,
    posted_by INTEGER REFERENCES participants (id)
);
CREATE INDEX letters_waiting ON letters (participant_id, posted_at);
