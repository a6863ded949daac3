"""Rules for scheduled jobs that fail: how long to wait before the next try, and when to stop."""

from __future__ import annotations

from datetime import timedelta

FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)


def retry_delay(failures: int, max_attempts: int) -> timedelta | None:
    """Wait 1, 4, 16, 64 minutes… (at most 6 hours) after each failure; None means park the job.

    Growing waits give a passing fault (Telegram down, a locked database) time to clear
    without a broken job running every few seconds; parking hands it to a person.
    """
    if failures >= max_attempts:
        return None
    growth: float = 4 ** (failures - 1)
    return min(FIRST_RETRY * growth, LONGEST_WAIT)


def error_summary(error: str | None, limit: int = 200) -> str:
    """The first line of an error, short enough for a list an admin reads on a phone."""
    first = (error or "").strip().splitlines()[0] if (error or "").strip() else ""
    return first if len(first) <= limit else first[: limit - 1] + "…"
