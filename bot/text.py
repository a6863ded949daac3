"""Fitting messages into Telegram's limits without cutting a tag or an entity in half."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from bot.i18n import ngettext
from domain.words import visible

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024


def escape(text: str | None) -> str:
    """Anything a person typed is shown literally, never as formatting, and with no invisible
    characters that could hide or reorder it (whenever it was stored)."""
    return html.escape(visible(text), quote=False)


def fit_lines(lines: Iterable[str], limit: int = MESSAGE_LIMIT, separator: str = "\n") -> str:
    """Whole lines while they fit; the HTML length is never less than the parsed length."""
    kept: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (len(separator) if kept else 0)
        if size + extra > limit:
            break
        kept.append(line)
        size += extra
    return separator.join(kept)


def some_of(names: Sequence[str], most: int = 25) -> str:
    """A readable list that stays short: the first few, then how many more."""
    if len(names) <= most:
        return ", ".join(names)
    rest = len(names) - most
    return ", ".join(names[:most]) + " " + ngettext("and {count} more", "and {count} more", rest).format(count=rest)
