-- Co-production groups and who belongs to them.

CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('inform', 'consult', 'engage', 'co_design', 'co_produce')),
    lead_coordinator_id INTEGER REFERENCES participants (id),
    lead_officer_id INTEGER REFERENCES participants (id),
    join_code TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX projects_by_coordinator ON projects (lead_coordinator_id);
CREATE INDEX projects_by_officer ON projects (lead_officer_id);

CREATE TABLE project_members (
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    joined_at TEXT NOT NULL,
    PRIMARY KEY (project_id, participant_id)
);
CREATE INDEX project_members_by_participant ON project_members (participant_id);
