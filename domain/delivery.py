"""Rules for bulk delivery: when a message may go, and how long to wait after a failure."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from domain.profile import QuietHours

MAX_ATTEMPTS = 6
# The share of the allowed rate the sender counts on when it plans ahead: the pacer keeps a
# few messages a second for people's replies, and a 429 costs time.
PLANNING_SHARE = 0.8
# Messages one private chat may get at once: Telegram asks for about one a second per chat
# but allows short bursts. A reply longer than this is paged, and paced beyond it.
CHAT_BURST = 3
T = TypeVar("T")


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
    return timedelta(seconds=2**attempts)


def interleave(groups: list[list[T]]) -> list[T]:
    """Round-robin across batches so two broadcasts at once share the rate fairly."""
    result: list[T] = []
    longest = max((len(group) for group in groups), default=0)
    for index in range(longest):
        result.extend(group[index] for group in groups if index < len(group))
    return result


def one_per_chat(rows: Iterable[tuple[int, int]], busy_for: Callable[[int], float]) -> tuple[list[int], float | None]:
    """From (id, chat_id) pairs in the order they should go: the ids of the first message to
    each chat that is free now, and the seconds until the soonest chat held back is free again
    (None when none was held back; 0.0 when only a second message to a free chat was).

    A round of sending ends when its last message has gone, and a chat takes about one bulk
    message a second: a message to a chat that must wait (a second one this round, or one to a
    person who just had a burst of replies) would hold every other chat's next messages back
    (eleven nudges to two officers held a whole broadcast for five seconds). Such messages wait
    for a later round instead, and that round starts as soon as this one ends."""
    seen: set[int] = set()
    first: list[int] = []
    soonest: float | None = None
    for message_id, chat_id in rows:
        wait = 0.0 if chat_id in seen else busy_for(chat_id)
        if chat_id in seen or wait > 0:
            soonest = wait if soonest is None else min(soonest, wait)
            continue
        seen.add(chat_id)
        first.append(message_id)
    return first, soonest


def early_start(due: datetime, lead: timedelta, tz: ZoneInfo, quiet: QuietHours | None) -> datetime:
    """The earliest a message due at `due` may go if a rush would otherwise make it late: up to
    `lead` before, but never inside the person's quiet hours. (London's offset from UTC is whole
    hours, so stepping to the next UTC hour is stepping to the next local hour.)"""
    start = due - lead
    while quiet is not None and start < due and quiet.contains(start.astimezone(tz).hour):
        start = start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return min(start, due)


def behind_schedule(now: datetime, backlog: int, upcoming: Iterable[datetime], rate: float) -> bool:
    """Whether sending at `rate` from now, after the `backlog` messages already due, would make
    one of the `upcoming` ones (in the order they fall due) late. If so, it is time to start on
    them early: as late as possible, so that none is late."""
    for position, due in enumerate(upcoming, start=backlog + 1):
        if now + timedelta(seconds=position / rate) > due:
            return True
    return False
