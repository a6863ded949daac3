"""Rules for bulk delivery: when a message may go, and how long to wait after a failure."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from domain.profile import QuietHours

MAX_ATTEMPTS = 6


def next_send_time(now: datetime, tz: ZoneInfo, quiet: QuietHours | None) -> datetime:
    """Now, or the end of the person's quiet hours if we are inside them ("wait until morning")."""
    if quiet is None:
        return now
    local = now.astimezone(tz)
    if not quiet.contains(local.hour):
        return now
    candidate = local.replace(hour=quiet.end, minute=0, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    # Re-anchor in the zone so a clock change overnight gives the right wall-clock hour.
    return candidate.replace(tzinfo=None).replace(tzinfo=tz).astimezone(now.tzinfo)


def retry_delay(attempts: int) -> timedelta | None:
    """Back off 2, 4, 8, 16, 32 s after transient failures; None means give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return timedelta(seconds=2 ** attempts)


def interleave(groups: list[list[int]]) -> list[int]:
    """Round-robin across batches so two broadcasts at once share the rate fairly."""
    result: list[int] = []
    longest = max((len(group) for group in groups), default=0)
    for index in range(longest):
        result.extend(group[index] for group in groups if index < len(group))
    return result
