-- Working Together for Change: who takes part in a cycle, and the closing date the lead agreed
-- for each step.

-- 1 when the lead picked who takes part (then cycle_participants lists them); 0 for every member.
ALTER TABLE cycles ADD COLUMN picked INTEGER NOT NULL DEFAULT 0;

CREATE TABLE cycle_participants (
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    PRIMARY KEY (cycle_id, participant_id)
);
CREATE INDEX cycle_participants_by_participant ON cycle_participants (participant_id);

CREATE TABLE cycle_step_dates (
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, step)
);

-- Step 5: what success looks like for a theme from one point of view (domain/success.py VIEWS),
-- with how people will know (indicators); a theme may have several. The lead's words for the group.
CREATE TABLE cycle_success (
    id INTEGER PRIMARY KEY,
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    theme_id INTEGER NOT NULL REFERENCES cycle_themes (id) ON DELETE CASCADE,
    view TEXT NOT NULL CHECK (view IN ('users', 'carers', 'staff')),
    text TEXT NOT NULL,
    indicators TEXT,
    written_at TEXT NOT NULL
);
CREATE INDEX cycle_success_by_cycle ON cycle_success (cycle_id);

-- Step 7 and the review: each participant's 1-5 "where are we now?" for a success statement,
-- once when the actions start (the baseline) and once when the lead asks again before the review.
ALTER TABLE cycles ADD COLUMN measured_at TEXT;  -- the lead asked "where are we now?" again
CREATE TABLE cycle_ratings (
    success_id INTEGER NOT NULL REFERENCES cycle_success (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    moment TEXT NOT NULL CHECK (moment IN ('baseline', 'review')),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    rated_at TEXT NOT NULL,
    PRIMARY KEY (success_id, participant_id, moment)
);
CREATE INDEX cycle_ratings_by_participant ON cycle_ratings (participant_id);

-- Residents who are not taking part but asked to get the report at the review.
CREATE TABLE cycle_interested (
    cycle_id INTEGER NOT NULL REFERENCES cycles (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    asked_at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, participant_id)
);
CREATE INDEX cycle_interested_by_participant ON cycle_interested (participant_id);
