"""A meeting's papers as plain rules: who gets which version, and who still has none they can read.

A typed agenda suits large print (it shows in the reader's own text size); a PDF or a photo does
not. Easy Read readers (the Easy Read language, or the Easy Read need) are suited only by the Easy
Read version. With no papers at all there is nothing to make a version of, so no one is missing one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.marks import EASY_READ


class Version(StrEnum):
    STANDARD = "standard"
    EASY = "easy"


class PaperKind(StrEnum):
    TEXT = "text"
    DOCUMENT = "document"  # a PDF
    PHOTO = "photo"


@dataclass(frozen=True)
class Paper:
    version: Version
    kind: PaperKind
    body: str | None  # the typed agenda, or a file's caption
    file_id: str | None


EASY_READ_NEED = "easy_read"  # the access need, beside the Easy Read language


@dataclass(frozen=True)
class Reader:
    language: str
    needs: frozenset[str]

    @property
    def easy_read(self) -> bool:
        return self.language == EASY_READ or EASY_READ_NEED in self.needs


def version_for(papers: Mapping[Version, Paper], reader: Reader) -> Paper | None:
    """The Easy Read version to an Easy Read reader when there is one, otherwise the other one."""
    order = (Version.EASY, Version.STANDARD) if reader.easy_read else (Version.STANDARD, Version.EASY)
    return next((papers[v] for v in order if v in papers), None)


def lacks_version(papers: Mapping[Version, Paper], reader: Reader) -> bool:
    if version_for(papers, reader) is None:
        return False
    return (reader.easy_read and EASY_READ_NEED not in suited(papers, reader)) or (
        "large_print" in reader.needs and "large_print" not in suited(papers, reader)
    )


def suited(papers: Mapping[Version, Paper], reader: Reader) -> frozenset[str]:
    """The paper needs the attached papers already meet for this reader: an Easy Read version,
    or typed text, which a phone shows at its own large size. The support list leaves these out."""
    paper = version_for(papers, reader)
    if paper is None:
        return frozenset()
    met = {EASY_READ_NEED} if paper.version is Version.EASY else set()
    if paper.kind is PaperKind.TEXT:
        met.add("large_print")
    return frozenset(met)


def papers_missing(papers: Mapping[Version, Paper], readers: Iterable[Reader]) -> int:
    """How many invitees need Easy Read or large print but have no version of the papers to suit them:
    a number for the organiser's papers screen and the meeting's support list."""
    return sum(1 for reader in readers if lacks_version(papers, reader))
