"""Plain words, measured: one measure for the bot's own messages and for what staff type.

The Flesch reading ease score (textstat's, pinned) and sentence length are what
tests/test_readability.py holds every catalog message to; the same functions score an
opportunity, a meeting, a proposal or a "we did" before staff send it, so staff are held to
what the bot holds itself to. The jargon check finds the council words residents stumble
on, each with a plainer way to say it. Suggestions are marked for translation here and
translated where staff see them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import textstat

from domain.marks import N_

STANDARD_FLOOR = 60  # "plain English": most adults read it easily
EASY_FLOOR = 80  # "easy": what Easy Read guidance aims for
SCORED_FROM_WORDS = 8  # Flesch means nothing for a label of a few words
MOST_WORDS_PER_SENTENCE = 30

_MARKUP = re.compile(r"</?[a-z]+>")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_COMMAND_OR_LINK = re.compile(r"(?<![\w/])/[a-z_]+|https?://\S+|\b[\w.]+\.(?:org|gov)\.uk\b")
_SENTENCE_END = re.compile(r"[.!?:\n]+")


def plain(text: str) -> str:
    """What a reader reads: no markup; a filled-in value and a command read as one short word."""
    return _COMMAND_OR_LINK.sub("it", _PLACEHOLDER.sub("it", _MARKUP.sub("", text)))


def word_count(text: str) -> int:
    return len(plain(text).split())


def longest_sentence(text: str) -> int:
    """Words in the longest sentence; a line break or a colon ends one, as on a phone screen."""
    return max(len(sentence.split()) for sentence in _SENTENCE_END.split(plain(text)))


def flesch(text: str) -> float | None:
    """Flesch reading ease (higher is easier), or None for text too short to score."""
    shown = plain(text)
    if len(shown.split()) < SCORED_FROM_WORDS:
        return None
    return float(textstat.flesch_reading_ease(shown))


class Ease(StrEnum):
    EASY = "easy"
    FAIRLY_EASY = "fairly_easy"
    HARD = "hard"


def ease(score: float | None) -> Ease | None:
    """The score in words: the bot's own floors (plain English 60, Easy Read 80) are the bands."""
    if score is None:
        return None
    if score >= EASY_FLOOR:
        return Ease.EASY
    return Ease.FAIRLY_EASY if score >= STANDARD_FLOOR else Ease.HARD


@dataclass(frozen=True)
class Jargon:
    """A word residents stumble on: how to spot it, and a plainer way to say it."""

    word: str
    pattern: str  # matched case-insensitively, on word boundaries
    plain: str  # N_() suggestion, translated where staff see it
    glossary: str | None = None  # the glossary term that explains it, if there is one
    exact_case: bool = False  # "SEND" the acronym, not "send" the verb


JARGON: tuple[Jargon, ...] = (
    Jargon(
        "commissioning",
        r"commission(?:ing|ed|ers?)?",
        N_("say what will happen, for example “the council will choose who runs it”"),
        "commission",
    ),
    Jargon("co-production", r"co-?produc(?:tion|e|ing|ed)", N_("say “planning it together, as equals”"), "coprod"),
    Jargon("co-design", r"co-?design(?:ing|ed)?", N_("say “designing it with you”"), "codesign"),
    Jargon("consultation", r"consultations?", N_("say “we will ask what you think”"), "consult"),
    Jargon("engagement", r"engagement", N_("say “talking with you”"), "engage"),
    Jargon("stakeholder", r"stakeholders?", N_("say who you mean, for example “parents” or “staff”")),
    Jargon("facilitate", r"facilitat(?:e|es|ed|ing|ion|or|ors)", N_("say “help” or “run”")),
    Jargon("utilise", r"utili[sz](?:e|es|ed|ing|ation)", N_("say “use”")),
    Jargon("leverage", r"leverag(?:e|es|ed|ing)", N_("say “use”")),
    Jargon("service user", r"service users?", N_("say “people who use the service”")),
    Jargon("outcomes framework", r"outcomes? frameworks?", N_("say what you want to change for people")),
    Jargon("Expert by Experience", r"experts? by experience", N_("say “people who use the service”"), "ebe"),
    Jargon("seldom-heard", r"seldom[- ]heard|hard[- ]to[- ]reach", N_("say who you mean"), "seldom"),
    Jargon("steering group", r"steering groups?", N_("say “a small group that guides the work”"), "steering"),
    Jargon("terms of reference", r"terms of reference", N_("say “how the group works”"), "tor"),
    Jargon("SEND", r"SEND", N_("say “children who need extra help to learn”"), "send", exact_case=True),
)
_FOUND = [
    (entry, re.compile(rf"(?<![\w-]){entry.pattern}(?![\w-])", 0 if entry.exact_case else re.IGNORECASE))
    for entry in JARGON
]


def jargon_in(text: str) -> list[Jargon]:
    """The jargon a text uses, each once, in the order it first appears."""
    found: list[tuple[int, Jargon]] = []
    for entry, pattern in _FOUND:
        if match := pattern.search(text):
            found.append((match.start(), entry))
    return [entry for _start, entry in sorted(found, key=lambda pair: pair[0])]


@dataclass(frozen=True)
class Reading:
    """What the measure says about some staff-typed text."""

    score: float | None
    longest_sentence: int
    jargon: tuple[Jargon, ...]

    @property
    def ease(self) -> Ease | None:
        return ease(self.score)

    @property
    def worth_saying(self) -> bool:
        """Whether to bother the writer: hard to read, a sentence too long, or jargon."""
        return self.ease is Ease.HARD or self.longest_sentence > MOST_WORDS_PER_SENTENCE or bool(self.jargon)


def _as_sentence(text: str) -> str:
    stripped = text.strip()
    return stripped if not stripped or stripped[-1] in ".!?:" else stripped + "."


def read(texts: Sequence[str | None]) -> Reading:
    """Measure several typed fields as one text, each field a sentence of its own (a title has no
    full stop, yet readers read it as one)."""
    whole = "\n".join(_as_sentence(text) for text in texts if text and text.strip())
    if not whole:
        return Reading(None, 0, ())
    return Reading(flesch(whole), longest_sentence(whole), tuple(jargon_in(whole)))
