"""Reading a date a person typed, in the council's time zone."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from domain.meetings import local_to_utc

_DAY = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{2,4}))?$")


def parse_day_end(text: str, tz: ZoneInfo, now: datetime) -> datetime | None:
    """'5/12' or '05/12/2026' → the last minute of that day, local time, as UTC; None if unreadable.

    Without a year, a date already past this year means next year.
    """
    match = _DAY.match(text.strip())
    if not match:
        return None
    local_now = now.astimezone(tz)
    year = int(match["y"]) if match["y"] else local_now.year
    if year < 100:
        year += 2000
    try:
        day = datetime.combine(datetime(year, int(match["m"]), int(match["d"])).date(), time(23, 59))
    except ValueError:
        return None
    if not match["y"] and day.date() < local_now.date():
        day = day.replace(year=year + 1)
    return local_to_utc(day, tz)
