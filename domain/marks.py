"""Marks for words that are translated where they are shown, so rules can name them without
knowing the reader's language (the bot's i18n layer translates them)."""

from __future__ import annotations

EASY_READ = "easy"  # the language code of Easy Read English


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message
