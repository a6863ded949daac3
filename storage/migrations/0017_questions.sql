-- Conversations both ways: a resident's question about an opportunity, a meeting, a group or
-- their own feedback, kept with the item as a thread between them and its organisers.
CREATE TABLE question_threads (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('opportunity', 'meeting', 'group', 'feedback')),
    item_id INTEGER NOT NULL,
    project_id INTEGER REFERENCES projects (id),  -- the group whose leads answer, if any
    participant_id INTEGER NOT NULL REFERENCES participants (id),  -- the resident
    started_at TEXT NOT NULL,
    waiting_since TEXT,  -- the resident's oldest message with no answer yet; NULL once answered
    UNIQUE (kind, item_id, participant_id)
);
CREATE INDEX question_threads_by_participant ON question_threads (participant_id);
CREATE INDEX question_threads_waiting ON question_threads (waiting_since) WHERE waiting_since IS NOT NULL;

CREATE TABLE question_messages (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES question_threads (id),
    author_id INTEGER REFERENCES participants (id),
    from_resident INTEGER NOT NULL,
    text TEXT NOT NULL,  -- empty for a voice note
    voice_file_id TEXT,
    at TEXT NOT NULL
);
CREATE INDEX question_messages_by_thread ON question_messages (thread_id);
CREATE INDEX question_messages_by_author ON question_messages (author_id);

-- Questions asked before threads existed become threads waiting for an answer.
INSERT INTO question_threads (kind, item_id, participant_id, started_at, waiting_since)
SELECT 'opportunity', opportunity_id, participant_id, MIN(at), MIN(at)
FROM opportunity_questions GROUP BY opportunity_id, participant_id;
INSERT INTO question_messages (thread_id, author_id, from_resident, text, at)
SELECT t.id, q.participant_id, 1, q.text, q.at FROM opportunity_questions q
JOIN question_threads t ON t.kind = 'opportunity' AND t.item_id = q.opportunity_id
    AND t.participant_id = q.participant_id ORDER BY q.id;
DELETE FROM opportunity_questions;

-- What happened next, told once to everyone who said "I'm interested".
ALTER TABLE opportunities ADD COLUMN outcome TEXT CHECK (outcome IN ('went', 'decided', 'not'));
ALTER TABLE opportunities ADD COLUMN outcome_text TEXT;
ALTER TABLE opportunities ADD COLUMN outcome_at TEXT;
ALTER TABLE opportunity_responses ADD COLUMN invited_to INTEGER REFERENCES projects (id);
