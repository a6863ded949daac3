"""SQLite storage: one connection, numbered migrations, repositories per area."""
