"""Domain rules as plain functions: no Telegram, no SQL, easy to test directly."""
