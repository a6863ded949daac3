"""What people type, made safe to show to someone else.

Invisible format characters can hide text or reorder it: a right-to-left override makes
"gpj.exe" read as "exe.jpg", and a zero-width space makes two different names look the same.
Everything a person writes that someone else will read goes through `visible` when it is shown
and `clean_typed` when it is stored, so a staff card shows exactly the characters it holds.
"""

from __future__ import annotations

import re
import unicodedata

# Joiners shape emoji sequences (👩‍🦽) and words in Urdu and Indic scripts; they reorder nothing.
_JOINERS = frozenset({"\u200c", "\u200d"})
# Tag characters spell the subdivision flags (🏴 then tags: England, Scotland, Wales).
_BLACK_FLAG = "\U0001f3f4"
_TAGS = range(0xE0020, 0xE0080)
_BLANK_LINES = re.compile(r"\n{3,}")


def _hidden(character: str, previous: str) -> bool:
    if ord(character) in _TAGS:
        return previous != _BLACK_FLAG and ord(previous or "\0") not in _TAGS
    category = unicodedata.category(character)
    if category == "Cf":
        return character not in _JOINERS
    # Control characters other than whitespace, surrogates, private use and unassigned code points.
    return category in ("Cs", "Co", "Cn") or (category == "Cc" and not character.isspace())


def visible(text: str | None) -> str:
    """The text without invisible or reordering characters; spaces and line breaks are kept."""
    kept: list[str] = []
    for character in text or "":
        if not _hidden(character, kept[-1] if kept else ""):
            kept.append(character)
    return "".join(kept)


def clean_typed(text: str | None, *, one_line: bool = True) -> str:
    """What a person typed, as it should be stored: visible characters only, spaces tidied, and
    (unless it is one line) at most one blank line between paragraphs."""
    shown = visible(text)
    if one_line:
        return " ".join(shown.split())
    lines = [" ".join(line.split()) for line in shown.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
