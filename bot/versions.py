"""What a reader gets of typed words that have versions in other languages, for any feature that
sends them (adding versions is handlers/kit/text_versions.py): one place says there is no version in
the reader's language yet, so every message says it the same way."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from bot.i18n import _
from domain.text_versions import version_for

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Item = TypeVar("Item", bound="DataclassInstance")


def no_version_line() -> str:
    return "<i>" + _("There is no version in your language yet, so this is the original.") + "</i>"


def reader_copy(versions: Mapping[str, Mapping[str, str]], item: Item, reader: str) -> tuple[Item, str | None]:
    """The item as this reader gets it, and the line to add when there is no version in their
    language. A version replaces only words the original has, so a voice note stays a voice note
    and a vote's missing explanation stays missing. Call it inside `language(reader)`."""
    fields, missing = version_for(versions, {}, reader)
    typed = {name: text for name, text in fields.items() if getattr(item, name, None)}
    return replace(item, **typed), no_version_line() if missing else None


def with_note(text: str, note: str | None) -> str:
    """A message, with the line from `reader_copy` under it when there is one."""
    return f"{text}\n\n{note}" if note else text


def for_reader(
    versions: Mapping[str, Mapping[str, str]],
    original: Mapping[str, Any],
    reader: str,
    render: Callable[[dict[str, Any]], str],
) -> str:
    """What a reader gets: `render` of their language's version, or of the original with a
    line saying there is no version in their language yet. Call it inside `language(reader)`."""
    fields, missing = version_for(versions, original, reader)
    return with_note(render(fields), no_version_line() if missing else None)
