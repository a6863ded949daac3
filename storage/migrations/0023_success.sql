-- Success the group defines: statements agreed through a proposal, the baseline and progress
-- ratings members give, the two 'I' statements the check-in did not ask yet, and staff's
-- answers to the 'We' statements.

CREATE TABLE success_statements (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id),
    text TEXT NOT NULL,                     -- "what will success look like?", in the group's words
    view TEXT NOT NULL CHECK (view IN ('users', 'carers', 'staff')),
    indicators TEXT,                        -- optional: how we will know
    proposed_by INTEGER REFERENCES participants (id),
    decision_id INTEGER NOT NULL UNIQUE REFERENCES decisions (id),
    agreed_at TEXT,                         -- set when its proposal is adopted
    created_at TEXT NOT NULL
);
CREATE INDEX success_statements_by_project ON success_statements (project_id, agreed_at);

CREATE TABLE success_ratings (
    statement_id INTEGER NOT NULL REFERENCES success_statements (id),
    participant_id INTEGER NOT NULL REFERENCES participants (id),
    meeting_id INTEGER NOT NULL,            -- 0: the baseline ("where are we now?"); else the meeting
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment TEXT,
    comment_voice TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (statement_id, participant_id, meeting_id)
);
CREATE INDEX success_ratings_by_participant ON success_ratings (participant_id);

ALTER TABLE checkins ADD COLUMN strengths INTEGER CHECK (strengths BETWEEN 1 AND 5);
ALTER TABLE checkins ADD COLUMN respect INTEGER CHECK (respect BETWEEN 1 AND 5);

CREATE TABLE we_answers (
    project_id INTEGER NOT NULL REFERENCES projects (id),
    statement TEXT NOT NULL,                -- a key of domain.success.WE_STATEMENTS
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 3),
    answered_by INTEGER REFERENCES participants (id),
    at TEXT NOT NULL,
    PRIMARY KEY (project_id, statement)
);
