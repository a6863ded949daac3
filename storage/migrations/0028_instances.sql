-- Two or more bot processes may share one PostgreSQL database. Each outbox row being sent and
-- each job being run records which process took it, so a process that dies leaves rows that
-- the others (or its own restart) can tell are orphaned, and nothing live is taken twice.
ALTER TABLE outbox ADD COLUMN claimed_by INTEGER;
ALTER TABLE jobs ADD COLUMN leased_by INTEGER;
