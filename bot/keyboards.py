"""Inline keyboards with short, plain callback strings that the server re-checks.

Callback strings look like "area:action:arg"; they must fit Telegram's 64-byte limit,
so anything bigger lives in the database and the button carries its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

CALLBACK_LIMIT = 64

Button = tuple[str, str]  # (label, callback data) – or (label, "url:" + link)


def button(label: str, data: str) -> InlineKeyboardButton:
    if data.startswith("url:"):
        return InlineKeyboardButton(label, url=data[4:])
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
    return InlineKeyboardButton(label, callback_data=data)


def keyboard(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    """Big buttons: one per row unless the caller groups short ones together."""
    return InlineKeyboardMarkup([[button(label, data) for label, data in row] for row in rows if row])


def column(buttons: Iterable[Button]) -> InlineKeyboardMarkup:
    return keyboard([button_] for button_ in buttons)


def callback_parts(data: str | None, expected_parts: int) -> list[str] | None:
    """Split callback data; None when it is malformed (forged or from an old version)."""
    if not data:
        return None
    parts = data.split(":")
    return parts if len(parts) == expected_parts else None
