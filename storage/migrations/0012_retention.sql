-- Erasure that reaches every copy of a person's words, and retention by last use.

-- The last day (UTC) each person used the bot, written at most once a day, and the day they
-- were told their data will be erased for lack of use (cleared when they use the bot again).
ALTER TABLE participants ADD COLUMN active_on TEXT;
ALTER TABLE participants ADD COLUMN retention_warned_on TEXT;
-- Nobody's last use before this version is known: count from the day it was installed.
UPDATE participants SET active_on = date('now') WHERE telegram_id IS NOT NULL;

-- Whose words a queued message quotes (a JSON list of participant ids): erasing one of them
-- blanks the message, even though it is addressed to someone else.
ALTER TABLE outbox ADD COLUMN quotes TEXT;
CREATE INDEX outbox_quoting ON outbox (id) WHERE quotes IS NOT NULL;

-- Removing a role logs the Telegram id it was removed from: found without reading the whole log.
CREATE INDEX audit_log_revoked ON audit_log (subject) WHERE action = 'roles.revoke';

-- The daily retention sweep starts as soon as the bot runs; each sweep schedules the next.
INSERT INTO jobs (kind, ref, due_at) VALUES ('privacy.retention', 'first', '2000-01-01T00:00:00+00:00')
    ON CONFLICT (kind, ref) DO NOTHING;
