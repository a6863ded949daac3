-- Working Together for Change: a group's cycle of eight steps, what its participants said,
-- the themes the lead drafted and where participants placed each statement, and the plan.

CREATE TABLE cycles (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    lead_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    step TEXT NOT NULL CHECK (step IN ('prepare', 'collect', 'theme', 'understand', 'success', 'plan',
                                       'implement', 'review')),
    step_days INTEGER NOT NULL,
    step_opened_at TEXT NOT NULL,
    step_closes_at TEXT NOT NULL,
    step_closed_at TEXT,                       -- answers for the step stopped; the leads were told
    decision_id INTEGER REFERENCES decisions (id) ON DELETE SET NULL,  -- the root-cause vote
    started_at TEXT NOT NULL,
    finished_at TEXT,
    submission_key TEXT UNIQUE
);
-- One cycle under way per group at a time.
CREATE UNIQUE INDEX cycles_one_open ON cycles (project_id) WHERE finished_at IS NULL;

CREATE TABLE cycle_themes (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    i_statement TEXT,
    success TEXT,                              -- step 5, until groups have success statements of their own
    baseline TEXT,                             -- step 7: where things stood when the plan started
    UNIQUE (cycle_id, position)
);

CREATE TABLE cycle_statements (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    participant_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('working', 'not_working', 'future')),
    text TEXT,
    voice_file_id TEXT,
    on_behalf INTEGER NOT NULL DEFAULT 0,      -- a carer answering for the person they care for
    theme_id INTEGER REFERENCES cycle_themes (id) ON DELETE SET NULL,  -- the lead's draft
    written_at TEXT NOT NULL
);
CREATE INDEX cycle_statements_by_cycle ON cycle_statements (cycle_id);
CREATE INDEX cycle_statements_by_participant ON cycle_statements (participant_id);

-- A participant's view of which theme a statement belongs to.
CREATE TABLE cycle_placements (
    statement_id INTEGER NOT NULL REFERENCES cycle_statements (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES cycle_themes (id) ON DELETE CASCADE,
    placed_at TEXT NOT NULL,
    PRIMARY KEY (statement_id, participant_id)
);

-- Who has answered a step (collect: sent their answers; theme: agreed the themes).
CREATE TABLE cycle_responses (
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, step, participant_id)
);
CREATE INDEX cycle_responses_by_participant ON cycle_responses (participant_id);

CREATE TABLE cycle_actions (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    theme_id INTEGER REFERENCES cycle_themes (id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    owner_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    due_on TEXT,                               -- YYYY-MM-DD
    created_by INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    proposed INTEGER NOT NULL DEFAULT 0,       -- a member's proposal, in their words, for the leads to take up
    created_at TEXT NOT NULL
);

CREATE TABLE cycle_updates (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES cycle_actions (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    text TEXT,
    posted_at TEXT NOT NULL
);
CREATE INDEX cycle_updates_by_author ON cycle_updates (author_id);
