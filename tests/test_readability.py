"""Plain words, measured: every English message and every Easy Read message is scored with the
Flesch reading ease formula, and none is a wall of text.

Flesch is meaningless for a two-word button, so it is applied to messages of eight words or
more; shorter ones are labels, and the length limits keep them short."""

from __future__ import annotations

import re

import pytest
import textstat
from babel.messages.pofile import read_po

from bot.i18n import EASY_READ, LOCALES_DIR, _, language, load_catalogs

STANDARD_FLOOR = 60  # "plain English": most adults read it easily
EASY_READ_FLOOR = 80  # "easy": what Easy Read guidance aims for
SCORED_FROM_WORDS = 8
MOST_WORDS = 60  # a message longer than this is a wall of text on a phone
MOST_WORDS_PER_SENTENCE = {"en": 30, EASY_READ: 18}

MARKUP = re.compile(r"</?[a-z]+>")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
COMMAND_OR_LINK = re.compile(r"(?<![\w/])/[a-z_]+|https?://\S+|\b[\w.]+\.(?:org|gov)\.uk\b")


def plain(text: str) -> str:
    """What a reader reads: no markup; a filled-in value and a command read as one short word."""
    return COMMAND_OR_LINK.sub("it", PLACEHOLDER.sub("it", MARKUP.sub("", text)))


def _messages(code: str | None) -> list[str]:
    path = LOCALES_DIR / "messages.pot" if code is None else LOCALES_DIR / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    texts = []
    for message in catalog:
        if not message.id:
            continue
        if code is None:
            texts.extend(message.id if isinstance(message.id, tuple) else (message.id,))
        else:
            texts.extend(message.string if isinstance(message.string, tuple) else (message.string,))
    return [text for text in texts if text]


def _problems(texts: list[str], floor: int, per_sentence: int) -> list[str]:
    problems = []
    for text in texts:
        words = plain(text).split()
        if len(words) > MOST_WORDS:
            problems.append(f"{len(words)} words: {text!r}")
        longest = max(len(s.split()) for s in re.split(r"[.!?:\n]+", plain(text)))
        if longest > per_sentence:
            problems.append(f"a {longest}-word sentence: {text!r}")
        if len(words) >= SCORED_FROM_WORDS:
            score = textstat.flesch_reading_ease(plain(text))
            if score < floor:
                problems.append(f"Flesch {score:.0f} < {floor}: {text!r}")
    return problems


def test_plain_english_in_every_message():
    assert not _problems(_messages(None), STANDARD_FLOOR, MOST_WORDS_PER_SENTENCE["en"])


def test_easy_read_is_easier_still():
    assert not _problems(_messages(EASY_READ), EASY_READ_FLOOR, MOST_WORDS_PER_SENTENCE[EASY_READ])


@pytest.mark.parametrize(("text", "passes"), [
    ("We will tell you when the meeting is. You can say no.", True),
    ("Notwithstanding the aforementioned considerations, participation remittances are discretionary.", False),
])
def test_the_measure_tells_plain_from_jargon(text: str, passes: bool):
    assert (not _problems([text], STANDARD_FLOOR, 30)) is passes


def _screens() -> dict[str, str]:
    """Screens the bot builds from several catalog entries, as an Easy Read reader sees them."""
    from decide.views import meanings
    from handlers.onboarding import privacy_summary

    return {
        "privacy": privacy_summary() + "\n\n" + _("Do you agree to us keeping this information?"),
        "what the four answers mean": meanings(),
    }


def test_easy_read_screens_stay_short_as_a_whole():
    """The limits apply to what is on screen, not only to each entry: a screen made of
    several short entries can still be a wall of text."""
    load_catalogs()
    with language(EASY_READ):
        screens = _screens()
    problems = {name: found for name, text in screens.items()
                if (found := _problems([text], EASY_READ_FLOOR, MOST_WORDS_PER_SENTENCE[EASY_READ]))}
    assert not problems
