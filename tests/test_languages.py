"""Every language end to end: a resident joins, answers a poll, claims and gives feedback in
their own language, and nothing English (or a broken placeholder) is left on their screen.
Buttons are tapped by their translated labels, read from the catalogs the bot itself uses."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from telegram import BotCommandScopeChat

from bot.i18n import (
    EASY_READ,
    LOCALES_DIR,
    _,
    available_languages,
    format_datetime,
    format_money,
    language,
    language_name,
    load_catalogs,
)
from claims.export import render_statement
from emulator.driver import message_text
from tests.harness import Person, TestBed
from tests.test_claims import PNG, mark_attended
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff

LONDON = ZoneInfo("Europe/London")
OTHER_LANGUAGES = [code for code in available_languages() if code != "en"]
# Static text between placeholders and tags: what a translator would have had to translate.
FRAGMENTS = re.compile(r"\{[a-z_]+\}|</?[a-z]+>|\n")


def in_(code: str, message: str) -> str:
    with language(code):
        return _(message)


def english_left_over(code: str) -> list[str]:
    """English fragments of at least three words that no translation uses: if one of these is
    on the reader's screen, a string escaped translation. (Easy Read keeps many English
    phrases on purpose, so a fragment found in any translation does not count.)"""
    with (LOCALES_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    sources, targets = [], []
    for message in catalog:
        if message.id:
            sources.extend(message.id if isinstance(message.id, tuple) else (message.id,))
            targets.extend(message.string if isinstance(message.string, tuple) else (message.string,))
    translated = "\n".join(target for target in targets if target)
    fragments = {piece.strip() for source in sources for piece in FRAGMENTS.split(source) if len(piece.split()) >= 3}
    return sorted(fragment for fragment in fragments if fragment not in translated)


def screen(person: Person, since: int = 0) -> list[str]:
    """Everything the person has been shown (from message `since`): texts, captions, buttons."""
    shown = []
    for message in person.messages[since:]:
        shown.append(message_text(message))
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            shown.extend(button["text"] for button in row)
    return shown


async def join_in(bed: TestBed, code: str, name: str) -> tuple[Person, int]:
    """Joins by tapping translated labels; returns the person and the index of the first
    message after they chose their language."""
    telegram_language = "en" if code == EASY_READ else code
    person = bed.person(name, telegram_language)
    await person.send("/start")  # greeted in Telegram's language (English, for Easy Read)
    chosen_from = len(person.messages)
    await person.tap(language_name(code))
    await person.tap(in_(code, "❓ What does this mean?"))  # a word on the consent screen, explained
    assert (
        in_(code, "The council and the people who use a service plan it and run it together, as equal partners.")
        in person.reply_text
    )
    await person.tap(in_(code, "Yes, I agree"))
    await person.send(name)
    await person.tap(in_(code, "For myself"))
    await person.tap(in_(code, "Done ✔"))
    await person.tap(in_(code, "Skip »"))
    await person.tap(in_(code, "Any time is fine"))
    return person, chosen_from


@pytest.mark.parametrize("code", OTHER_LANGUAGES)
async def test_a_whole_journey_in_each_language_leaves_no_english_on_screen(bed: TestBed, code: str):
    cora = await staff(bed)
    await group_with(bed, cora)
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    zofia, chosen_from = await join_in(bed, code, "Zofia")
    await zofia.send("/glossary")
    await zofia.tap(in_(code, "BSL"))
    assert (
        in_(code, "British Sign Language. Many Deaf people use it. An interpreter can sign at a meeting.")
        in zofia.reply_text
    )
    await zofia.send(f"/start {payload}")

    await create_meeting(cora)
    await bed.services.sender.drain()
    await zofia.tap("1 ✅")
    await zofia.tap("2 ✅")
    await zofia.tap(in_(code, "📨 Send my answers"))
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    with language(code):
        expected_when = format_datetime(datetime(2026, 12, 3, 18, 30, tzinfo=UTC), LONDON)
    assert expected_when in zofia.last_text
    await zofia.tap(in_(code, "✅ Going"))
    await mark_attended(bed, cora, "Zofia")

    await zofia.send("/claim")
    await zofia.tap("Café planning")
    await zofia.tap(in_(code, "Taxi"))
    await zofia.send("12.50")
    await zofia.send_photo(PNG)
    await zofia.tap(in_(code, "✅ Review and send"))
    await zofia.tap(in_(code, "Skip »"))
    await zofia.tap(in_(code, "Bank transfer"))
    with language(code):
        assert format_money(1250) in zofia.reply_text  # the summary before sending
    await zofia.tap(in_(code, "📨 Send my claim"))
    assert "C-2026-0001" in zofia.reply_text

    await zofia.send("/feedback")
    await zofia.tap(in_(code, "Something else"))
    await zofia.send("Більше лавок у парку, будь ласка")
    await zofia.tap(in_(code, "Yes, with my name"))
    assert "F-2026-0001" in zofia.reply_text

    # Everything after the language was chosen; the first greeting follows Telegram's language.
    shown = "\n".join(screen(zofia, since=chosen_from))
    assert "{" not in shown and "}" not in shown, "a placeholder was left unfilled"
    leftovers = [fragment for fragment in english_left_over(code) if fragment in shown]
    assert not leftovers, f"English left on a {code} screen: {leftovers[:5]}"


@pytest.mark.parametrize(
    ("code", "money", "date"),
    [
        ("pl", "12,50\xa0£", "czwartek 3 grudnia 2026, 18:30"),
        ("cy", "£12.50", "Dydd Iau 3 Rhagfyr 2026, 18:30"),
        ("uk", "12,50\xa0£", "четвер 3 грудня 2026, 18:30"),
    ],
)
def test_money_and_dates_are_written_the_readers_way(code: str, money: str, date: str):
    load_catalogs()
    with language(code):
        assert format_money(1250) == money
        # 3 December is winter: 18:30 UTC is 18:30 in London. In July, London is an hour ahead.
        assert format_datetime(datetime(2026, 12, 3, 18, 30, tzinfo=UTC), LONDON) == date
        summer = format_datetime(datetime(2026, 7, 2, 17, 30, tzinfo=UTC), LONDON)
        assert summer.endswith("18:30")


@pytest.mark.parametrize(
    ("code", "opening"),
    [
        ("ur", "<html lang='ur' dir='rtl'>"),
        ("en", "<html lang='en-GB' dir='ltr'>"),
        (EASY_READ, "<html lang='en-GB' dir='ltr'>"),
        ("cy", "<html lang='cy' dir='ltr'>"),
    ],
)
def test_a_statement_file_says_its_language_and_direction(code: str, opening: str):
    load_catalogs()
    with language(code):
        page = render_statement("Zofia", 2026, [])
    assert opening in page
    assert in_(code, "Reference") in page


async def test_command_menus_in_every_language_and_easy_read_in_the_readers_chat(bed: TestBed):
    bot = bed.running.application.bot
    for code in (code for code in OTHER_LANGUAGES if code != EASY_READ):
        menu = {c.command: c.description for c in await bot.get_my_commands(language_code=code)}
        assert (
            menu["statement"]
            == in_(code, "Statement of payments for a tax year")
            != "Statement of payments for a tax year"
        ), code
    eve, _ = await join_in(bed, EASY_READ, "Eve")  # Telegram says English; she chose Easy Read
    menu = {c.command: c.description for c in await bot.get_my_commands(scope=BotCommandScopeChat(eve.id))}
    assert menu["statement"] == in_(EASY_READ, "Statement of payments for a tax year") == "A list of what we paid you"


async def test_a_language_whose_catalog_is_gone_falls_back_to_english(bed: TestBed):
    """E.g. a council removes a language it no longer supports: its readers get English."""
    gus = await bed.joined("Gus")
    participant = await bed.services.participants.by_telegram_id(gus.id)
    await bed.services.participants.update(participant.id, language="xx")  # not even a Babel locale
    await gus.send("/help")
    assert "Here is what you can do:" in gus.reply_text
    await gus.send("/profile")
    assert "Language: English" in gus.reply_text
    await gus.send("/claim")
    await gus.tap("Something else")
    await gus.send("Stall")
    await gus.tap("Taxi")
    await gus.send("4.50")
    assert "£4.50" in gus.reply_text
