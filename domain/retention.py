"""How long personal data is kept: until the person deletes it, or after a long silence.

The privacy notice promises erasure two years after someone last used the service; they
are told a month before, so one tap can keep their account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NOTICE_DAYS = 30
SWEEP_AT = time(10, 0)  # local time: a warning at breakfast, not at night


@dataclass(frozen=True)
class Cutoffs:
    """For one day's sweep: whose last use is old enough to warn, and to erase."""

    warn_if_last_used_by: date
    erase_if_last_used_by: date
    erase_if_warned_by: date


def cutoffs(today: date, keep_days: int, notice_days: int = NOTICE_DAYS) -> Cutoffs:
    """Last used `keep_days` ago means erased, but never less than `notice_days` after the warning."""
    return Cutoffs(
        warn_if_last_used_by=today - timedelta(days=keep_days - notice_days),
        erase_if_last_used_by=today - timedelta(days=keep_days),
        erase_if_warned_by=today - timedelta(days=notice_days),
    )


def next_sweep(now: datetime, tz: ZoneInfo) -> datetime:
    """The next day's sweep time, in UTC."""
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, SWEEP_AT, tzinfo=tz).astimezone(UTC)
