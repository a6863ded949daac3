"""The buttons of the support list. Organisers may be staff or a group's resident co-lead, so no
role can decide who may press them: each handler checks that the presser organises the meeting
(as the meeting's other organiser buttons do) and refuses and audits anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData
from bot.i18n import _
from bot.keyboards import Button
from storage.meetings import Meeting


@dataclass(frozen=True)
class SupportListButton(CallbackData, prefix="sl", needs=ANYONE):
    """Open a meeting's support list."""

    meeting: int


@dataclass(frozen=True)
class TickButton(CallbackData, prefix="st", needs=ANYONE):
    """Tick one support task done (the handler checks the presser organises its meeting)."""

    task: int


@dataclass(frozen=True)
class NoNoteButton(CallbackData, prefix="sn", needs=ANYONE):
    """Tick the task without a note (checked like TickButton)."""

    task: int


def support_list_row(meeting: Meeting) -> list[Button]:
    """The button on the organiser's meeting message."""
    return [(_("🧾 Support list"), SupportListButton(meeting.id).pack())]
