"""The draft of a cycle being prepared (handlers/measure/cycle_prepare.py asks for it, and
handlers/measure/cycle_prepare_dates.py shows and changes its dates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.cycles import Step
from handlers.kit.drafts import DraftSlot
from storage.times import from_db

DRAFT = "cycle_draft"


@dataclass
class CycleDraft:
    """The field names are the keys the draft had as a dict, so a cycle begun before drafts were
    typed carries on."""

    group: int
    key: str  # makes starting it twice (after a lost reply) give back the first cycle
    question: str = ""
    days: int = 0  # each step's length, from the pace
    dates: dict[str, str] = field(default_factory=dict)  # step -> its closing time (storage.times.to_db)
    chosen: list[str] | None = None  # the members who take part (the checklist's ticks); None: every member
    date_step: str = ""  # the step whose closing date is being changed


PREPARE = DraftSlot(DRAFT, CycleDraft)


def closing_dates(draft: CycleDraft) -> dict[Step, datetime]:
    """Each step's closing time, as the draft keeps them in text."""
    return {Step(s): from_db(when) for s, when in draft.dates.items()}
