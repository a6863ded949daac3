-- Expense and involvement-payment claims, kept apart item by item, with an audit trail.

ALTER TABLE participants ADD COLUMN payment_preference TEXT;
ALTER TABLE participants ADD COLUMN donate_to TEXT;

CREATE TABLE claims (
    id INTEGER PRIMARY KEY,
    reference TEXT UNIQUE,                  -- given on submission, e.g. C-2026-0007
    participant_id INTEGER NOT NULL REFERENCES participants (id),  -- kept, detached, after erasure
    meeting_id INTEGER REFERENCES meetings (id),
    activity TEXT,                          -- "other activity", as described
    payment_preference TEXT NOT NULL,
    donate_to TEXT,
    note TEXT,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'query', 'approved', 'rejected', 'paid')),
    submitted_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES participants (id),
    decided_at TEXT,
    paid_at TEXT,
    reason TEXT,                            -- why rejected
    nudged_at TEXT,
    submission_key TEXT UNIQUE              -- the draft's key: a repeated Send creates nothing new
);
CREATE INDEX claims_by_status ON claims (status, submitted_at);
CREATE INDEX claims_by_participant ON claims (participant_id);
CREATE INDEX claims_by_meeting ON claims (meeting_id);
CREATE INDEX claims_by_decision ON claims (decided_at);

CREATE TABLE claim_items (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('expense', 'involvement')),
    category TEXT NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence > 0),
    miles TEXT,
    vehicle TEXT,
    passengers INTEGER,
    hours TEXT,
    receipt_file_id TEXT,
    receipt_type TEXT CHECK (receipt_type IN ('photo', 'document')),
    preapproval_id INTEGER REFERENCES preapprovals (id)
);
CREATE INDEX claim_items_by_claim ON claim_items (claim_id);

CREATE TABLE claim_events (
    id INTEGER PRIMARY KEY,
    claim_id INTEGER NOT NULL REFERENCES claims (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor_participant_id INTEGER REFERENCES participants (id),
    action TEXT NOT NULL,                   -- submitted, approved, rejected, question, answer, paid
    detail TEXT
);
CREATE INDEX claim_events_by_claim ON claim_events (claim_id);

CREATE TABLE preapprovals (
    id INTEGER PRIMARY KEY,
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    category TEXT NOT NULL,
    amount_pence INTEGER NOT NULL CHECK (amount_pence > 0),
    status TEXT NOT NULL CHECK (status IN ('asked', 'approved', 'declined')),
    asked_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES participants (id),
    decided_at TEXT
);
CREATE INDEX preapprovals_by_status ON preapprovals (status, asked_at);
CREATE INDEX preapprovals_by_participant ON preapprovals (participant_id, meeting_id);
