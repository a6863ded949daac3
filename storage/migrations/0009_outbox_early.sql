-- A reminder may go a little before its time when a rush would otherwise make it late.
ALTER TABLE outbox ADD COLUMN send_from TEXT;  -- the earliest it may go; NULL: not before not_before
CREATE INDEX outbox_early ON outbox (status, send_from) WHERE send_from IS NOT NULL;
