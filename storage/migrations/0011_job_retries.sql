-- A job whose handler fails is retried with backoff, then parked for an admin (/jobs), so it
-- never holds up the jobs due after it.
ALTER TABLE jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- failed runs so far
ALTER TABLE jobs ADD COLUMN last_error TEXT;
ALTER TABLE jobs ADD COLUMN retry_at TEXT;    -- when a failed job runs again; NULL: at due_at
ALTER TABLE jobs ADD COLUMN parked_at TEXT;   -- gave up; runs again only when an admin asks
