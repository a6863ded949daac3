"""How instants are stored: sortable ISO-8601 UTC text, the same in every table."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(moment: datetime) -> str:
    """Store instants as sortable ISO-8601 UTC text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
