-- In webhook mode each update Telegram posts is stored before it is answered and deleted once
-- handled, so answering no longer waits for the handling (which may wait seconds for the
-- budget of new messages) and an update stored by a process that then died is not lost:
-- `taken_by` names the process handling it, `attempts` how many processes have tried.
CREATE TABLE inbox (
    update_id INTEGER PRIMARY KEY,
    person INTEGER,
    body TEXT NOT NULL,
    taken_by INTEGER NOT NULL,
    received_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1
);
-- An update waits for that person's earlier ones another process holds.
CREATE INDEX inbox_person ON inbox (person, update_id);
CREATE INDEX inbox_taken_by ON inbox (taken_by);
