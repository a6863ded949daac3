"""The plain-words measure staff-typed text is scored with, directly: the score in words, long
sentences and the jargon check."""

from __future__ import annotations

import pytest

from domain.glossary import keys_of
from domain.readability import JARGON, Ease, ease, flesch, jargon_in, read
from domain.text_versions import version_for


def test_score_in_words_uses_the_bots_own_floors():
    assert ease(None) is None
    assert ease(85) is Ease.EASY and ease(80) is Ease.EASY
    assert ease(79.9) is Ease.FAIRLY_EASY and ease(60) is Ease.FAIRLY_EASY
    assert ease(59.9) is Ease.HARD


def test_short_text_is_not_scored():
    assert flesch("Carers' café") is None
    assert flesch("We will meet at the library on Tuesday at six.") is not None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The commissioning of the service starts in May.", ["commissioning"]),
        ("Commissioners and stakeholders will facilitate it.", ["commissioning", "stakeholder", "facilitate"]),
        ("We utilise a co-production approach with service users.", ["utilise", "co-production", "service user"]),
        ("SEND support for families", ["SEND"]),
        ("Please send us your views.", []),
        ("Tell us what you think about the new bus route.", []),
    ],
)
def test_jargon_is_found_once_each_in_order(text: str, words: list[str]):
    assert [entry.word for entry in jargon_in(text)] == words


def test_every_jargon_word_has_a_suggestion_and_real_glossary_keys():
    for entry in JARGON:
        assert entry.plain and jargon_in(entry.word) == [entry], entry.word
        if entry.glossary:
            keys_of(entry.glossary)  # raises for a glossary key that does not exist


def test_a_reading_says_something_only_when_there_is_something_to_say():
    plain_words = read(["Carers' café", "We meet on Tuesday. Come and have a cup of tea with us."])
    assert plain_words.ease is Ease.EASY and not plain_words.worth_saying
    hard = read(
        [
            "Notwithstanding the aforementioned considerations, participation remittances are "
            "discretionary and contingent upon organisational prioritisation."
        ]
    )
    assert hard.ease is Ease.HARD and hard.worth_saying and not hard.jargon
    jargon = read(["Commissioning review", None, ""])
    assert jargon.worth_saying and [entry.word for entry in jargon.jargon] == ["commissioning"]
    assert read([None, " "]).score is None and not read([]).worth_saying


def test_a_title_without_a_full_stop_is_a_sentence_of_its_own():
    long_fields = ["word " * 20, "word " * 20]
    assert read(long_fields).longest_sentence == 20


def test_a_reader_gets_their_languages_version_or_the_original_and_is_told():
    original = {"title": "Carers' café", "about": "Help us plan it.", "level": "codesign"}
    versions = {"en": {}, "cy": {"title": "Caffi gofalwyr", "about": ""}}
    assert version_for(versions, original, "cy") == (
        {"title": "Caffi gofalwyr", "about": "Help us plan it.", "level": "codesign"},
        False,
    )
    assert version_for(versions, original, "en") == (original, False)
    assert version_for(versions, original, "pl") == (original, True)
    assert version_for(versions, original, "easy") == (original, True)
    assert version_for({}, original, "pl") == (original, False), "sent before versions: nothing to say"
