-- "Claimed" is not "sent": a row's request to Telegram is recorded as it starts, so after a crash
-- only rows whose request had started are re-sent silently; the rest go with their notification.
ALTER TABLE outbox ADD COLUMN requested_at TEXT;
