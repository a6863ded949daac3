"""Which words a reader gets: staff's version in the reader's language when there is one, or
the original, saying so when the original is not in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def version_for(
    versions: Mapping[str, Mapping[str, str]], original: Mapping[str, Any], reader: str
) -> tuple[dict[str, Any], bool]:
    """The fields this reader gets, and whether to tell them there is no version in their
    language yet. `versions` holds the original's own language too, with no fields, so a field a
    version leaves out reads as the original's words. An item with no languages recorded (sent
    before versions existed) is shown as it is, with nothing said."""
    if reader in versions:
        return {**original, **{name: text for name, text in versions[reader].items() if text}}, False
    return dict(original), bool(versions)
