"""A claim being written, kept in the person's drafts across restarts (handlers/kit/drafts.py).

The field names are the keys the draft had as a dict, so a claim begun before drafts were typed
carries on. Amounts are pence; miles and hours stay the text they were chosen or typed as, read
as Decimal where they are worked out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ClaimItem:
    """One cost or one piece of time; `amount` is 0 until its questions are answered."""

    category: str
    amount: int = 0
    miles: str | None = None
    vehicle: str | None = None
    passengers: int | None = None
    hours: str | None = None
    rate: int | None = None  # pence an hour, for time
    receipt: str | None = None  # Telegram's file id
    receipt_type: str | None = None  # "photo" or "document"
    preapproval_id: int | None = None  # a cost agreed in advance
    time_ask_id: int | None = None  # time the organiser agreed to


@dataclass
class ClaimDraft:
    """For a meeting (`meeting_id`) or something else (`activity`); `key` makes sending it
    twice (after a lost reply) give back the first claim."""

    key: str = ""
    title: str = ""
    meeting_id: int | None = None
    activity: str | None = None
    items: list[ClaimItem] = field(default_factory=list)
    current: ClaimItem | None = None  # the item whose questions are being answered
    category: str | None = None  # asking in advance: the cost asked about
    note: str | None = None
    preference: str | None = None
    donate_to: str | None = None
