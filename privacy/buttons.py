"""The buttons of privacy rights. Anyone may press them: they only ever act on the presser."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks import ANYONE, CallbackData


class Answer(StrEnum):
    ERASE = "erase"  # yes, delete my data
    KEEP = "keep"  # no, keep it
    STAY = "stay"  # keep my account, from the retention warning


@dataclass(frozen=True)
class PrivacyButton(CallbackData, prefix="pv", needs=ANYONE):
    """An answer to /delete, `pv:erase:<when it was asked, in Unix seconds>` or `pv:keep`, or to
    the retention warning, `pv:stay`. Keep and stay carry no time, as on the phones already."""

    answer: Answer
    asked: int = 0

    bare_last = True
