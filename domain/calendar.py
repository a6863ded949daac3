"""An iCalendar (.ics) file for a meeting, so it lands in people's phone calendars.

Every file for one meeting has the same UID; a later file with a higher SEQUENCE moves the
event people already have, and a cancelling one (METHOD:CANCEL) removes it. The `icalendar`
package does the escaping and line folding RFC 5545 asks for.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event


def meeting_ics(
    *,
    uid: str,
    title: str,
    description: str,
    start: datetime,
    minutes: int,
    location: str | None,
    url: str | None,
    now: datetime,
    sequence: int,
    cancelled: bool = False,
) -> bytes:
    start = start.astimezone(UTC)  # times in UTC need no time-zone block in the file
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", title)
    event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar = Calendar()
    calendar.add("prodid", "-//Co-production Bot//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
