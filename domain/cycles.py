"""Working Together for Change, as plain rules: the eight steps in order, when each closes,
who still has to answer, where a statement belongs once people have had their say, and the
figures a review report shows.

A lead moves the cycle on; a step's closing time stops answers for it and tells the leads
what comes next. Only the steps where every participant is asked something get reminders.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.marks import N_


class Step(StrEnum):
    PREPARE = "prepare"
    COLLECT = "collect"
    THEME = "theme"
    UNDERSTAND = "understand"
    SUCCESS = "success"
    PLAN = "plan"
    IMPLEMENT = "implement"
    REVIEW = "review"


STEPS: tuple[Step, ...] = tuple(Step)

STEP_NAMES: dict[Step, str] = {
    Step.PREPARE: N_("Prepare"),
    Step.COLLECT: N_("Collect"),
    Step.THEME: N_("Theme"),
    Step.UNDERSTAND: N_("Understand"),
    Step.SUCCESS: N_("Identify success"),
    Step.PLAN: N_("Plan"),
    Step.IMPLEMENT: N_("Implement"),
    Step.REVIEW: N_("Review"),
}

STEP_MEANINGS: dict[Step, str] = {
    Step.PREPARE: N_("The lead sets the question and the dates."),
    Step.COLLECT: N_("Everyone says what is working, what is not, and what they want."),
    Step.THEME: N_("Everyone checks the themes and which theme each answer belongs to."),
    Step.UNDERSTAND: N_("Everyone picks the causes that matter most."),
    Step.SUCCESS: N_("The lead writes what success looks like for each theme."),
    Step.PLAN: N_("The lead agrees actions, each with an owner and a date."),
    Step.IMPLEMENT: N_("Owners do the actions and post updates."),
    Step.REVIEW: N_("Everyone gets a report of what changed."),
}

# Steps where each participant is asked something, so those who have not answered are reminded.
ASKS_EVERYONE = frozenset({Step.COLLECT, Step.THEME})
PACES: dict[str, int] = {"1w": 7, "2w": 14}  # days per step
MOST_LINES = 2  # "the two things that are working, the two that are not"


class Kind(StrEnum):
    """What a collected statement answers."""

    WORKING = "working"
    NOT_WORKING = "not_working"
    FUTURE = "future"


KIND_NAMES: dict[Kind, str] = {
    Kind.WORKING: N_("Working"),
    Kind.NOT_WORKING: N_("Not working"),
    Kind.FUTURE: N_("For the future"),
}


def number(step: Step) -> int:
    """1 for Prepare ... 8 for Review."""
    return STEPS.index(step) + 1


def after(step: Step) -> Step | None:
    """The step that follows, or None after the review."""
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def closing_times(start: datetime, days: int) -> dict[Step, datetime]:
    """When each step after Prepare closes, one pace apart: the dates the lead agrees to."""
    return {step: start + timedelta(days=days * index) for index, step in enumerate(STEPS) if index > 0}


def step_closes(agreed: datetime | None, now: datetime, days: int) -> datetime:
    """A step closes on the date the lead agreed; if that has passed by the time the step opens
    (the lead moved on late), or there is none, it gets a full pace from now."""
    return agreed if agreed is not None and agreed > now else now + timedelta(days=days)


def change_date(
    dates: Mapping[Step, datetime], step: Step, when: datetime, now: datetime
) -> dict[Step, datetime] | None:
    """The dates with one step's closing moved to `when`; None unless it is still to come and the
    steps keep their order (after the step before closes, before the step after does)."""
    if step not in dates or when <= now:
        return None
    index = STEPS.index(step)
    before = [dates[s] for s in STEPS[:index] if s in dates]
    later = [dates[s] for s in STEPS[index + 1 :] if s in dates]
    if (before and when <= before[-1]) or (later and when >= later[0]):
        return None
    return {**dates, step: when}


def accepting(step: Step, current: Step, closes_at: datetime, now: datetime) -> bool:
    """Answers for a step count only while it is the cycle's step and before it closes."""
    return step is current and now < closes_at


def remind_at(opened: datetime, closes: datetime) -> datetime:
    """One reminder, two days before the step closes, or half-way through a short one."""
    return max(opened + (closes - opened) / 2, closes - timedelta(days=2))


def not_answered(participants: Iterable[int], answered: Iterable[int]) -> list[int]:
    """Who is still to answer this step, in a steady order."""
    done = set(answered)
    return sorted(pid for pid in set(participants) if pid not in done)


def split_lines(text: str, most: int = MOST_LINES) -> list[str]:
    """Up to `most` answers, one on each line; empty lines are ignored."""
    return [line.strip() for line in text.splitlines() if line.strip()][:most]


def settled_theme(lead_theme: int | None, placements: Sequence[int]) -> int | None:
    """Where a statement belongs: participants confirm or change the lead's draft, so the
    theme most of those who placed it chose wins; the draft stands until someone places it,
    and breaks a tie it is part of (otherwise the theme chosen first among the tied wins)."""
    if not placements:
        return lead_theme
    votes = Counter(placements)
    best = max(votes.values())
    winners = [theme for theme in dict.fromkeys(placements) if votes[theme] == best]
    return lead_theme if lead_theme in winners else winners[0]


def parse_theme_line(line: str) -> tuple[str, str] | None:
    """ "Buses: I need a bus I can rely on" → (title, I statement); the I statement is optional."""
    title, _colon, statement = line.partition(":")
    title, statement = title.strip(), statement.strip()
    return (title, statement) if title else None


@dataclass(frozen=True)
class Figures:
    """What a review report counts."""

    participants: int
    answered: int
    on_behalf: int  # of those who answered, how many answered for someone they care for
    statements: int
    by_theme: dict[int, int]
    moved: int  # statements that participants placed in another theme than the lead's draft
    actions: int
    updates: int

    @property
    def answered_percent(self) -> int:
        return round(self.answered * 100 / self.participants) if self.participants else 0


def figures(
    participants: int,
    authors: Iterable[tuple[int | None, bool]],
    placed: Mapping[int, tuple[int | None, int | None]],
    actions: int,
    updates: int,
) -> Figures:
    """`authors`: (who, on someone's behalf?) per statement; `placed`: statement id → (lead's
    draft theme, settled theme)."""
    known = [(who, behalf) for who, behalf in authors if who is not None]  # an erased author counts no more
    by_theme = Counter(theme for _draft, theme in placed.values() if theme is not None)
    return Figures(
        participants=participants,
        answered=len({who for who, _behalf in known}),
        on_behalf=len({who for who, behalf in known if behalf}),
        statements=len(placed),
        by_theme=dict(by_theme),
        moved=sum(1 for draft, theme in placed.values() if draft != theme),
        actions=actions,
        updates=updates,
    )


# The council's spreadsheet: one row per item, with these columns in this order, whatever the
# reader's language.
CSV_COLUMNS = ("section", "theme", "text", "count", "owner", "due_on", "updates")
