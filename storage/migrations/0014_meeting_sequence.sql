-- A meeting's changes are counted, so each change of time or cancellation reaches every invitee
-- (the count is part of each notice's key) and updates the event already in their calendar.
ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;  -- the .ics SEQUENCE: 0 when first confirmed, +1 per change
