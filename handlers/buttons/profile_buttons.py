"""The buttons of a person's own details: joining, changing an answer from /profile, and what
they need to take part (/access). Anyone may press them (someone joining has no role yet);
each answers a question in the presser's own conversation, and the handler checks the answer
is one it offered. Each keeps the layout of the buttons already on people's phones."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, StepChoice

BACK, SKIP, NEXT, OPEN = "back", "skip", "next", "open"  # steps that are a choice by themselves
EDIT = "edit"  # a ProfileChoice's only step: which question to ask again
QUIET_HOURS = "quiet"  # joining's last question, also pressed again once joining is over (people/welcome.py)


@dataclass(frozen=True)
class JoinChoice(StepChoice, CallbackData, prefix="ob", needs=ANYONE):
    """An answer while joining, or while changing one answer: `ob:lang:cy`, `ob:consent:yes`,
    `ob:topic:housing` (the topics checklist), `ob:back`, `ob:skip`."""

    bare_last = True


@dataclass(frozen=True)
class ProfileChoice(StepChoice, CallbackData, prefix="pf", needs=ANYONE):
    """/profile's "Change ..." buttons, `pf:edit:<question>`."""


@dataclass(frozen=True)
class AccessChoice(StepChoice, CallbackData, prefix="ac", needs=ANYONE):
    """An answer in /access: `ac:pref:online`, `ac:need:bsl` (the checklists), `ac:back`,
    `ac:next`, and `ac:open`, which opens it from joining's end and from /profile."""

    bare_last = True
