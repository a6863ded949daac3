-- Deciding together: resident co-leads, proposals and votes with their answers and outcomes,
-- the group's charter (terms of reference) and the start-up check behind its ladder level.

-- Why the creator chose the level, in their words, when it is higher than the start-up check
-- suggested; residents see it. The check's answers are kept as a short code string.
ALTER TABLE projects ADD COLUMN level_reason TEXT;
ALTER TABLE projects ADD COLUMN startup_answers TEXT;

CREATE TABLE project_coleads (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    chosen_by TEXT NOT NULL CHECK (chosen_by IN ('appointed', 'elected')),
    since TEXT NOT NULL,
    PRIMARY KEY (project_id, participant_id)
);
CREATE INDEX project_coleads_by_participant ON project_coleads (participant_id);

-- Members who offered to stand when the group elects a co-lead.
CREATE TABLE colead_candidates (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    stood_at TEXT NOT NULL,
    PRIMARY KEY (project_id, participant_id)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'charter', 'dots', 'ranked', 'election')),
    title TEXT NOT NULL,
    body TEXT,
    body_voice TEXT,                          -- Telegram file id of a voice note explaining it
    proposer_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    dots INTEGER,                             -- dot votes: how many each member spreads
    quorum_percent INTEGER NOT NULL DEFAULT 0 CHECK (quorum_percent BETWEEN 0 AND 100),
    charter_id INTEGER,                       -- kind 'charter': the draft being agreed
    opened_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'decided')),
    closed_at TEXT,
    members_at_close INTEGER,
    outcome TEXT CHECK (outcome IN ('adopted', 'changed', 'not_adopted')),
    outcome_text TEXT,
    block_answer TEXT,                        -- how the outcome answers a Block
    outcome_by INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    outcome_at TEXT,
    review_on TEXT,                           -- a date (YYYY-MM-DD) the lead is prompted to review it
    review_prompted_at TEXT,
    submission_key TEXT UNIQUE
);
CREATE INDEX decisions_by_project ON decisions (project_id, opened_at);
CREATE INDEX decisions_by_proposer ON decisions (proposer_id);

CREATE TABLE decision_options (
    id INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    candidate_id INTEGER REFERENCES participants (id) ON DELETE SET NULL,  -- elections
    UNIQUE (decision_id, position)
);

-- A member's answer to a proposal, or the fact that they sent their votes; changeable while open.
CREATE TABLE decision_answers (
    decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    answer TEXT CHECK (answer IN ('agree', 'abstain', 'disagree', 'block')),  -- NULL for votes
    reason TEXT,
    reason_voice TEXT,
    on_behalf INTEGER NOT NULL DEFAULT 0,     -- a carer answering for the person they care for
    anonymous INTEGER NOT NULL DEFAULT 0,     -- name hidden from leads too (where the charter allows)
    answered_at TEXT NOT NULL,
    PRIMARY KEY (decision_id, participant_id)
);
CREATE INDEX decision_answers_by_participant ON decision_answers (participant_id);

-- Dot votes (value = dots given) and ranked choices (value = 1 for the first choice, 2 ...).
CREATE TABLE decision_votes (
    decision_id INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    option_id INTEGER NOT NULL REFERENCES decision_options (id) ON DELETE CASCADE,
    value INTEGER NOT NULL CHECK (value > 0),
    PRIMARY KEY (decision_id, participant_id, option_id)
);
CREATE INDEX decision_votes_by_participant ON decision_votes (participant_id);

CREATE TABLE charters (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    can_change TEXT NOT NULL,
    cannot_change TEXT NOT NULL,
    decides_by TEXT NOT NULL CHECK (decides_by IN ('consent', 'majority')),
    quorum_percent INTEGER NOT NULL CHECK (quorum_percent BETWEEN 0 AND 100),
    meets TEXT NOT NULL,
    paid TEXT NOT NULL,
    ground_rules TEXT NOT NULL,
    easy_read TEXT,
    who_proposes TEXT NOT NULL DEFAULT 'members' CHECK (who_proposes IN ('members', 'leads')),
    names_to_leads INTEGER NOT NULL DEFAULT 1,  -- leads see who answered what and why
    anonymous_allowed INTEGER NOT NULL DEFAULT 0,
    drafted_by INTEGER REFERENCES participants (id) ON DELETE SET NULL,
    drafted_at TEXT NOT NULL,
    agreed_at TEXT                            -- set when members adopted it by a proposal
);
CREATE INDEX charters_by_project ON charters (project_id, agreed_at);

-- A member read the agreed charter and agreed to it before taking part.
CREATE TABLE charter_agreements (
    charter_id INTEGER NOT NULL REFERENCES charters (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    agreed_at TEXT NOT NULL,
    PRIMARY KEY (charter_id, participant_id)
);
CREATE INDEX charter_agreements_by_participant ON charter_agreements (participant_id);
