"""The buttons of closing a group, each declaring who may press it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData
from decide.buttons import JOINED_GROUP, LEAD_OF_GROUP


@dataclass(frozen=True)
class ConfirmCloseButton(CallbackData, prefix="zc", needs=LEAD_OF_GROUP):
    """A lead's last word on closing: close it now, or don't."""

    group: int
    close: bool


@dataclass(frozen=True)
class FeltButton(CallbackData, prefix="zf", needs=JOINED_GROUP):
    """A member says how taking part felt (1 to 5); 0 skips what they learned."""

    group: int
    felt: int
