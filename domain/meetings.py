"""Meeting-time polls as plain rules: reading typed slots, checking them, ranking them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

MIN_SLOTS, MAX_SLOTS = 2, 10


class Answer(StrEnum):
    YES = "yes"
    IF_NEED_BE = "maybe"
    NO = "no"


class SlotProblem(StrEnum):
    UNREADABLE = "unreadable"
    NOT_A_TIME = "not_a_time"  # e.g. 01:30 on the night the clocks go forward
    IN_THE_PAST = "in_the_past"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class ParsedSlot:
    text: str
    start: datetime | None  # UTC
    problem: SlotProblem | None = None


_PATTERNS = [
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})$"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{2,4}))?[ ,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})$"),
]


def local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime | None:
    """A wall-clock time in the council's zone, or None if the clocks skip it.

    When the clocks go back the hour happens twice; we take the first (fold=0), the
    earlier instant, which is what people mean by "half past one" that night.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != naive:
        return None
    return aware.astimezone(UTC)


def parse_slot(text: str, tz: ZoneInfo, now: datetime) -> ParsedSlot:
    """Read one typed slot such as '3/12 18:30' or '2026-12-03 18:30' (local time)."""
    cleaned = " ".join(text.strip().split())
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        local_now = now.astimezone(tz)
        year = int(match["y"]) if match["y"] else local_now.year
        if year < 100:
            year += 2000
        try:
            naive = datetime(year, int(match["m"]), int(match["d"]), int(match["H"]), int(match["M"]))
        except ValueError:
            return ParsedSlot(cleaned, None, SlotProblem.UNREADABLE)
        if not match["y"] and local_to_utc(naive, tz) is not None and naive < local_now.replace(tzinfo=None):
            naive = naive.replace(year=year + 1)  # "3/1" typed in December means next January
        start = local_to_utc(naive, tz)
        if start is None:
            return ParsedSlot(cleaned, None, SlotProblem.NOT_A_TIME)
        if start <= now:
            return ParsedSlot(cleaned, start, SlotProblem.IN_THE_PAST)
        return ParsedSlot(cleaned, start)
    return ParsedSlot(cleaned, None, SlotProblem.UNREADABLE)


def parse_slots(lines: list[str], tz: ZoneInfo, now: datetime, existing: Sequence[datetime] = ()) -> list[ParsedSlot]:
    """Parse several slots, flagging duplicates of each other and of slots already added."""
    seen = set(existing)
    parsed = []
    for line in lines:
        if not line.strip():
            continue
        slot = parse_slot(line, tz, now)
        if slot.problem is None and slot.start in seen:
            slot = ParsedSlot(slot.text, slot.start, SlotProblem.DUPLICATE)
        if slot.start is not None and slot.problem is None:
            seen.add(slot.start)
        parsed.append(slot)
    return parsed


class CloseProblem(StrEnum):
    IN_THE_PAST = "in_the_past"
    AFTER_FIRST_SLOT = "after_first_slot"


def check_closing_time(closes: datetime, slots: list[datetime], now: datetime) -> CloseProblem | None:
    """A poll must close in the future and before the earliest slot it asks about."""
    if closes <= now:
        return CloseProblem.IN_THE_PAST
    if slots and closes >= min(slots):
        return CloseProblem.AFTER_FIRST_SLOT
    return None


@dataclass(frozen=True)
class SlotScore:
    slot_id: int
    start: datetime
    yes: int
    if_need_be: int
    no: int
    loses_required: bool
    names_no_required: tuple[int, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[int, int, int, int, datetime]:
        return (1 if self.loses_required else 0, -self.yes, self.no, -self.if_need_be, self.start)


def rank_slots(
    slots: dict[int, datetime],
    answers: dict[int, dict[int, Answer]],
    required: frozenset[int] = frozenset(),
) -> list[SlotScore]:
    """Best slot first: most Yes, then fewest No, then most If need be, then earliest.

    A slot that a required person cannot make ranks below every slot they can make.
    `answers` maps slot id to {participant id: answer}.
    """
    scores = []
    for slot_id, start in slots.items():
        votes = answers.get(slot_id, {})
        missing_required = tuple(sorted(p for p in required if votes.get(p) is Answer.NO))
        scores.append(
            SlotScore(
                slot_id=slot_id,
                start=start,
                yes=sum(1 for a in votes.values() if a is Answer.YES),
                if_need_be=sum(1 for a in votes.values() if a is Answer.IF_NEED_BE),
                no=sum(1 for a in votes.values() if a is Answer.NO),
                loses_required=bool(missing_required),
                names_no_required=missing_required,
            )
        )
    return sorted(scores, key=lambda score: score.sort_key)


class TimeOfDay(StrEnum):
    MORNING = "morning"  # before 12:00
    AFTERNOON = "afternoon"  # 12:00–17:00
    EVENING = "evening"  # from 17:00
    WEEKEND = "weekend"


def times_of_day(start: datetime, tz: ZoneInfo) -> set[TimeOfDay]:
    local = start.astimezone(tz)
    kinds = {TimeOfDay.MORNING if local.hour < 12 else TimeOfDay.AFTERNOON if local.hour < 17 else TimeOfDay.EVENING}
    if local.weekday() >= 5:
        kinds.add(TimeOfDay.WEEKEND)
    return kinds


def prefill(start: datetime, tz: ZoneInfo, suits: set[TimeOfDay]) -> Answer | None:
    """A suggested answer from the times a person said suit them; they confirm or change it."""
    if not suits:
        return None
    slot_kinds = times_of_day(start, tz)
    if TimeOfDay.WEEKEND in slot_kinds and TimeOfDay.WEEKEND not in suits:
        return Answer.IF_NEED_BE
    return Answer.YES if slot_kinds & suits else Answer.IF_NEED_BE


def reminder_time(event: datetime, before: timedelta, tz: ZoneInfo, quiet: tuple[int, int] | None) -> datetime:
    """When to remind: `before` the event, moved earlier out of the person's quiet hours."""
    due = event - before
    if quiet is None or quiet[0] == quiet[1]:
        return due
    start_hour, end_hour = quiet
    for _ in range(48):
        local = due.astimezone(tz)
        hour = local.hour
        inside = start_hour <= hour < end_hour if start_hour < end_hour else (hour >= start_hour or hour < end_hour)
        if not inside:
            return due
        # Step back to just before the quiet period began.
        due = (local.replace(minute=0, second=0, microsecond=0) - timedelta(minutes=1)).astimezone(UTC)
    return due
