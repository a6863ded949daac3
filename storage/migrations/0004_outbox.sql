-- The durable outbox: every bulk message is a row before its first send.

ALTER TABLE participants ADD COLUMN unreachable_at TEXT;   -- set on 403, cleared when they come back

CREATE TABLE outbox_batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- what the messages are: opportunity, invitation, reminder, ...
    ref TEXT,                           -- the thing they are about, e.g. an opportunity id
    created_by INTEGER REFERENCES participants (id),
    progress_chat_id INTEGER,           -- a message to keep updated while sending
    progress_message_id INTEGER,
    created_at TEXT NOT NULL,
    stopped_at TEXT,
    finished_at TEXT
);
CREATE INDEX outbox_batches_by_ref ON outbox_batches (kind, ref);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL REFERENCES outbox_batches (id),
    participant_id INTEGER REFERENCES participants (id),
    chat_id INTEGER NOT NULL,
    text TEXT NOT NULL,
    markup TEXT,                        -- inline keyboard as JSON
    file_name TEXT,                     -- an attachment, e.g. an .ics file; text becomes its caption
    file_data BLOB,
    not_before TEXT NOT NULL,           -- quiet hours push this later
    expires_at TEXT,                    -- not worth sending after this (a reminder after the meeting)
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'unreachable', 'failed', 'cancelled', 'expired')),
    attempts INTEGER NOT NULL DEFAULT 0,
    maybe_sent INTEGER NOT NULL DEFAULT 0, -- was in flight when the process died: resend silently
    claimed_at TEXT,
    sent_at TEXT,
    message_id INTEGER,
    error TEXT,
    dedupe_key TEXT NOT NULL UNIQUE     -- the same message is never queued twice
);
CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_by_batch ON outbox (batch_id, status);
CREATE INDEX outbox_by_participant ON outbox (participant_id);
