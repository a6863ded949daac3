-- Areas are matched without regard to case as lower(area) = lower(?), which reads the same on
-- SQLite and PostgreSQL; SQLite's COLLATE NOCASE index could not serve that, and PostgreSQL has
-- no NOCASE collation.
DROP INDEX IF EXISTS participants_by_area;
CREATE INDEX participants_by_area_lower ON participants (lower(area));
