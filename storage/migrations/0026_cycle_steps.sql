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
