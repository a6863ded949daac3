"""Inline keyboards from (label, callback string) pairs. The strings come from the typed
declarations in `bot/callbacks.py`, which check Telegram's 64-byte limit and parse presses
back; anything bigger lives in the database and the button carries its id.
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


def with_row(markup: InlineKeyboardMarkup | None, row: Sequence[Button]) -> InlineKeyboardMarkup:
    """A message's buttons with one more row under them (a page's "Show N more")."""
    return InlineKeyboardMarkup(
        [*(markup.inline_keyboard if markup else ()), [button(label, data) for label, data in row]]
    )
