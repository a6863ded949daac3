"""Plain words, measured: every English message and every Easy Read message is scored with the
Flesch reading ease formula, and none is a wall of text. The measure is `domain.readability`,
the one staff-typed text is scored with before it is sent.

Flesch is meaningless for a two-word button, so it is applied to messages of eight words or
more; shorter ones are labels, and the length limits keep them short."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from bot.i18n import EASY_READ, LOCALES_DIR, _, language, load_catalogs
from domain.readability import EASY_FLOOR as EASY_READ_FLOOR
from domain.readability import STANDARD_FLOOR, flesch, longest_sentence, word_count

MOST_WORDS = 60  # a message longer than this is a wall of text on a phone
MOST_WORDS_PER_SENTENCE = {"en": 30, EASY_READ: 18}


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
        words = word_count(text)
        if words > MOST_WORDS:
            problems.append(f"{words} words: {text!r}")
        longest = longest_sentence(text)
        if longest > per_sentence:
            problems.append(f"a {longest}-word sentence: {text!r}")
        score = flesch(text)
        if score is not None and score < floor:
            problems.append(f"Flesch {score:.0f} < {floor}: {text!r}")
    return problems


def test_plain_english_in_every_message():
    assert not _problems(_messages(None), STANDARD_FLOOR, MOST_WORDS_PER_SENTENCE["en"])


def test_easy_read_is_easier_still():
    assert not _problems(_messages(EASY_READ), EASY_READ_FLOOR, MOST_WORDS_PER_SENTENCE[EASY_READ])


@pytest.mark.parametrize(
    ("text", "passes"),
    [
        ("We will tell you when the meeting is. You can say no.", True),
        ("Notwithstanding the aforementioned considerations, participation remittances are discretionary.", False),
    ],
)
def test_the_measure_tells_plain_from_jargon(text: str, passes: bool):
    assert (not _problems([text], STANDARD_FLOOR, 30)) is passes


def _screens() -> dict[str, str]:
    """Screens the bot builds from several catalog entries, as an Easy Read reader sees them."""
    from decide.views import meanings
    from privacy.notice import privacy_summary

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
    problems = {
        name: found
        for name, text in screens.items()
        if (found := _problems([text], EASY_READ_FLOOR, MOST_WORDS_PER_SENTENCE[EASY_READ]))
    }
    assert not problems
