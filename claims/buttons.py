"""Every button of a resident's claim. They only act on the presser's own draft or claim: the
handlers check the meeting was attended, the claim is theirs, and so on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, StepChoice


@dataclass(frozen=True)
class ClaimChoice(StepChoice, CallbackData, prefix="cl", needs=ANYONE):
    """A choice at one step of /claim, `cl:<step>:<value>`, or a step that is a choice by itself
    (`cl:review`, `cl:more`): the layout of buttons already on people's phones, so a step
    with no value packs and parses without its last separator."""

    bare_last = True
