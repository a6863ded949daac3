"""Working together for change, end to end on the clock: a lead prepares a cycle, three
residents in two languages answer (one by voice, one across a restart of the bot), the lead
drafts themes, a resident moves a statement to another theme, everyone votes on causes, the
lead writes success statements and baselines, plans an action whose owner posts an update,
and the review report reaches everyone as HTML in their language and the council as a CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from bot.i18n import format_date, language, load_catalogs
from cycle.buttons import AnswerCycleButton, CyclesPageButton, DraftThemeButton, InterestedButton, LeadStepButton
from cycle.report import ReportData, render_html
from domain.cycles import CSV_COLUMNS, Kind, closing_times, figures
from emulator.driver import Person, message_text
from storage.cycles import Statement, Theme
from storage.times import to_db
from tests.builders import members, new_group
from tests.harness import TestBed
from tests.test_decisions import _appoint, _group
from tests.test_feedback import OGG
from tests.test_languages import in_
from tests.test_typed_drafts import _store_then_restart

THEMES = {
    "Opening hours": ("Closes too early", "Open late", "godzin", "Więcej wydarzeń"),
    "Access": ("No parking", "Stairs", "A ramp", "voice note"),
}


def _theme_for(text: str) -> str:
    return next((theme for theme, words in THEMES.items() if any(w in text for w in words)), "What works")


async def _drain(bed: TestBed) -> None:
    await bed.services.sender.drain()


async def _tick(bed: TestBed, delta: timedelta) -> None:
    bed.clock.advance(delta)
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()


async def _answer(person: Person, first: str | None, second: str, third: str) -> None:
    await person.tap("Give my answers")
    if first is None:
        await person.send_voice(OGG)
    else:
        await person.send(first)
    await person.send(second)
    await person.send(third)


async def _rate(person: Person, score: int, about: str = "") -> int:
    """Rate every "where are we now?" still on screen (whose statement contains `about`); how many."""
    asked = [
        m
        for m in person.messages
        if about in message_text(m)  # in any language: by its buttons
        and any(
            b.get("callback_data", "").startswith("jr:")
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        )
    ]
    for message in asked:
        data = next(
            b["callback_data"]
            for row in message["reply_markup"]["inline_keyboard"]
            for b in row
            if b.get("callback_data", "").endswith(f":{score}")
        )
        await person.press(message["message_id"], data)
    return len(asked)


async def start_cycle(cora: Person, group: str = "Library friends") -> None:
    """Cora, who leads the group, starts a cycle at a week a step."""
    await cora.send("/cycle")
    await cora.tap(f"Start a cycle for {group}")
    await cora.send("How can the library work better for carers?")
    await cora.tap("A week for each step")
    await cora.tap("Every member")
    await cora.tap("Start the cycle")


async def test_a_whole_cycle_from_question_to_report(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    (ola,) = await members(bed, payload, "Ola", language="pl")

    # 1. Prepare: the question and the pace give every step's date.
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("How can the library work better for carers?")
    await cora.tap("A week for each step")
    await cora.tap("Every member")
    assert "Review:" in cora.reply_text and "Collect:" in cora.reply_text
    await cora.tap("Start the cycle")
    await _drain(bed)
    for person in (ann, bob, ola):
        assert "How can the library work better for carers?" in person.last_text
    assert "Give my answers" in " ".join(ann.buttons() + bob.buttons())
    assert ola.buttons() == [in_("pl", "✍️ Give my answers")], "Ola reads the cycle in Polish"

    # 2. Collect: Ann types, Bob starts with a voice note, Ola answers across a restart.
    await _answer(ann, "Friendly staff\nQuiet room", "Closes too early\nNo parking", "Open late on Thursdays")
    assert "Your answers are saved" in ann.reply_text
    await _answer(bob, None, "Stairs at the door", "A ramp")
    await ola.tap(in_("pl", "✍️ Give my answers"))
    await ola.send("Dobre książki")
    await ann.send("/cycle")
    assert "Step 2 of 8: Collect" in ann.reply_text and "Next: Theme" in ann.reply_text
    await cora.send("/cycle")
    assert "2 of 3 people have answered" in cora.reply_text

    # Only Ola, still answering, is reminded; the restart loses neither her place nor the jobs.
    await bed.restart()
    await _tick(bed, timedelta(days=5, minutes=1))
    assert ola.last_text.startswith("⏰") and "/cycle" in ola.last_text and "closes soon" not in ola.last_text
    assert not any("closes soon" in message_text(m) for m in ann.messages + bob.messages)
    await ola.send("Za mało godzin")
    await ola.send("Więcej wydarzeń dla dzieci")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM cycle_statements") == 11

    # The step closes on time and the lead hears what comes next; a late answer does not count.
    await _tick(bed, timedelta(days=2))
    assert "Collect has closed" in cora.last_text
    await bob.tap("Give my answers")
    assert "Answers for this step have closed" in bob.reply_text

    # 3. Theme: the lead drafts themes and places each answer (the voice note is played to her).
    await cora.tap("Draft the themes")
    await cora.send(
        "Opening hours: I need the library open when I can come\nAccess: I need to get in easily\n"
        "What works: I want to keep what is good"
    )
    voices = 0
    while "Which theme" in cora.last_text:
        last = cora.messages[-1]
        voices += bool(last.get("voice"))
        text = "voice note" if last.get("voice") else message_text(last)
        # Ola's wish about events is drafted into the wrong theme on purpose: she moves it.
        await cora.tap(_theme_for(text))
    assert voices == 1
    await cora.tap("Send the themes")
    await _drain(bed)
    sent = ann.last_text
    assert "Opening hours" in sent and "I need the library open when I can come" in sent and "Quiet room" in sent
    assert not re.search(r"\b(Ann|Bob|Ola)\b", sent), "statements shown to others carry no names"
    number = re.search(r"(\d+)\. [^\n]*Więcej wydarzeń", ola.last_text).group(1)
    await ola.tap(number)
    await ola.tap("What works")
    assert in_("pl", "Noted: you put it in “{theme}”.").format(theme="What works") in ola.last_text
    await ann.tap("I agree with the themes")
    statement = await bed.db.fetchval("SELECT id FROM cycle_statements WHERE text LIKE 'Więcej%'")

    # A member forging the lead's buttons is refused and audited.
    for data in (LeadStepButton(1, 1, "next").pack(), DraftThemeButton(1, statement, 1).pack()):
        await bob.press(bob.messages[-1]["message_id"], data)
        assert "can't do that" in bob.callback_answer()["text"]
    assert (
        await bed.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND action IN ('button.jm', 'button.jt')"
        )
        == 2
    )

    # 4. Understand: a dot vote on the causes, through deciding together.
    await cora.send("/cycle")
    await cora.tap("Ask about causes")
    await cora.send("Staff hours were cut\nThe building is old")
    await _drain(bed)
    for person in (ann, bob):
        for _ in range(3):
            await person.tap("➕ 1")
        await person.tap("Send my answers")
    await ola.tap("➕ 2")
    await ola.tap("📨")
    await _tick(bed, timedelta(days=7, minutes=1))

    # 5. Success for each theme, from one or more points of view with indicators, and a baseline.
    await cora.send("/cycle")
    assert "Step 4 of 8" in cora.reply_text
    await cora.tap("Write what success looks like")
    await cora.tap("People who use the service")
    await cora.send("Carers can come when it suits them")
    await cora.send("Open 20 hours a week")
    await cora.tap("Another point of view")
    assert "✔ ➕ Another point of view" in cora.reply_text, "the next question comes in place"
    await cora.tap("Staff")
    assert "✔ " in cora.reply_text and "what would success look like" in cora.reply_text
    await cora.send("We have staff for evening shifts")
    await cora.tap("Skip »")
    await cora.tap("Next »")
    await cora.send("Open 12 hours a week")
    for _ in range(2):
        await cora.tap("Carers")
        await cora.send("Carers get in easily")
        await cora.tap("Skip »")
        await cora.tap("Next »")
        await cora.send("Some carers stay away")
    await _drain(bed)
    for words in (
        "Opening hours · People who use the service: Carers can come when it suits them",
        "(How we will know: Open 20 hours a week)",
        "Opening hours · Staff: We have staff for evening shifts",
        "Access · Carers: Carers get in easily",
    ):
        assert words in ann.last_text.replace("<b>", "").replace("</b>", ""), words
    assert await bed.db.fetchval("SELECT COUNT(*) FROM cycle_success") == 4

    # 6. Plan: a member proposes an action; the lead adds one with its theme, owner and date.
    await cora.tap("Start planning")
    await _drain(bed)
    await ann.tap("Propose an action")
    await ann.send("A coffee morning for carers each month")
    await _drain(bed)
    assert "A coffee morning for carers each month" in cora.last_text
    await cora.send("/cycle")
    await cora.tap("Add an action")
    await cora.send("Ask the council for Thursday evening opening")
    await cora.tap("Opening hours")
    await cora.tap("Bob")
    await cora.send("15/1")
    await cora.tap("Start the actions")
    await _drain(bed)
    # Where are we now? Every participant rates each success statement: the baseline.
    for person in (ann, bob, ola):
        assert await _rate(person, 2) == 4
    # 7. The owner posts an update, and members hear it.
    await bob.tap("Ask the council")
    await bob.send("The council agreed a trial from February.")
    await _drain(bed)
    assert "The council agreed a trial from February." in ann.last_text

    # Before the review the lead asks again: three rate the first statement, only Ann the others.
    await cora.send("/cycle")
    await cora.tap("Ask “where are we now?” again")
    await _drain(bed)
    for person, score in ((ann, 4), (bob, 4), (ola, 5)):
        assert await _rate(person, score, "Carers can come") == 1
    assert await _rate(ann, 3) == 3

    # 8. Review: everyone gets the report in their language; the council gets the CSV.
    await cora.send("/cycle")
    await cora.tap("Send the review report")
    await _drain(bed)
    pages = {}
    for person in (ann, ola):
        document = next(m for m in reversed(person.messages) if m.get("document"))
        pages[person] = bed.server.file_bytes(document["document"]["file_id"]).decode()
    english = pages[ann]
    assert "<html lang='en-GB' dir='ltr'>" in english and "<html lang='pl' dir='ltr'>" in pages[ola]
    for words in (
        "Opening hours",
        "I need the library open when I can come",
        "Quiet room",
        "Staff hours were cut",
        "Carers can come when it suits them",
        "How we will know: Open 20 hours a week",
        "We have staff for evening shifts",
        "Where we started: Open 12 hours a week",
        "Where we are, from 1 to 5: 2.0 at the start, 4.3 at the review.",
        "Where we are, from 1 to 5: 2.0 at the start, not enough answers yet at the review.",
        "Ask the council for Thursday evening opening",
        "The council agreed a trial from February.",
        "3 people took part.",
        "They said 11 things.",
        "A coffee morning for carers each month (proposed by a member)",
        "data:image/png;base64,",
    ):
        assert words in english, words
    words_only = re.sub(r"data:image/png;base64,[^']*", "", english)
    assert not re.search(r"\b(Ann|Ola)\b", words_only), "the report carries no participant's name"
    csv_document = next(
        m for m in reversed(cora.messages) if (m.get("document") or {}).get("file_name") == "report.csv"
    )
    rows = list(
        csv.DictReader(io.StringIO(bed.server.file_bytes(csv_document["document"]["file_id"]).decode("utf-8-sig")))
    )
    assert tuple(rows[0]) == CSV_COLUMNS
    figures = {r["text"]: r["count"] for r in rows if r["section"] == "figure"}
    assert figures["participants"] == "3" and figures["statements"] == "11" and figures["moved_by_participants"] == "1"
    moved = next(r for r in rows if r["text"] == "Więcej wydarzeń dla dzieci")
    assert moved["theme"] == "What works"
    causes = {r["text"]: r["count"] for r in rows if r["section"] == "cause"}
    assert causes == {"Staff hours were cut": "6", "The building is old": "1"}
    rated = [(r["section"], r["count"]) for r in rows if r["text"] == "Carers can come when it suits them"]
    assert rated == [("success", ""), ("rating_baseline", "2.0"), ("rating_review", "4.3")]
    action = next(r for r in rows if r["section"] == "action")
    assert (action["owner"], action["due_on"], action["updates"]) == ("Bob", "2027-01-15", "1")
    assert [r["text"] for r in rows if r["section"] == "proposal"] == ["A coffee morning for carers each month"]
    await ann.send("/cycle")
    assert "This cycle is finished" in ann.reply_text

    # What Ann wrote is in her own data.
    await ann.send("/mydata")
    exported = json.loads(bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]))
    assert {row["text"] for row in exported["cycle_statements"]} >= {"Friendly staff", "Open late on Thursdays"}
    assert exported["cycle_proposals"][0]["text"] == "A coffee morning for carers each month"
    assert sorted(row["moment"] for row in exported["cycle_ratings"]) == ["baseline"] * 4 + ["review"] * 4


def test_the_report_is_right_to_left_in_urdu_with_its_chart():
    load_catalogs()
    themes = [Theme(1, 1, "بسیں", "مجھے وقت پر بس چاہیے", None, None)]
    statements = [Statement(1, 7, Kind.NOT_WORKING, "بس دیر سے آتی ہے", None, False, 1)]
    data = ReportData(
        "بہتر بسیں", "گروپ", figures(1, [(7, True)], {1: (1, 1)}, 0, 0), themes, statements, {1: 1}, None, [], []
    )
    with language("ur"):
        page = render_html(data)
    assert "<html lang='ur' dir='rtl'>" in page
    assert "بس دیر سے آتی ہے" in page and "مجھے وقت پر بس چاہیے" in page and "data:image/png;base64," in page
    with language("en"):
        assert "1 person answered for someone they care for." in render_html(data)


async def test_a_co_lead_who_is_a_member_both_leads_and_answers(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await _appoint(cora, "Ann")
    await start_cycle(cora)
    await ann.send("/cycle")
    assert {"🧩 Draft the themes", "✍️ Give my answers"} <= set(ann.buttons())
    await bob.send("/cycle")
    assert ann.buttons() and "🧩 Draft the themes" not in bob.buttons()
    assert "✍️ Give my answers" in bob.buttons()


async def test_the_lead_picks_who_takes_part_and_moves_a_date(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob, dan = await members(bed, payload, "Ann", "Bob", "Dan")
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("How can the library work better for carers?")
    await cora.tap("A week for each step")
    await cora.tap("I will pick members")
    await cora.tap("Done")
    assert "at least one member" in cora.reply_text
    for name in ("Ann", "Bob"):
        await cora.tap(f"▫️ {name}")
    await cora.tap("Done")
    assert "2 members you picked take part." in cora.reply_text

    # Collect closes in three days instead of seven; a date out of order is refused.
    tz = bed.services.settings.timezone
    soon, late = (bed.clock.now() + timedelta(days=days) for days in (3, 40))
    await cora.tap("Change a date")
    await cora.tap("Collect")
    await cora.send(f"{late.astimezone(tz).day}/{late.astimezone(tz).month}")
    assert "before the step after closes" in cora.reply_text
    await cora.send(f"{soon.astimezone(tz).day}/{soon.astimezone(tz).month}")
    assert f"Collect: {format_date(soon, tz)}" in cora.reply_text
    await cora.tap("Start the cycle")
    await _drain(bed)
    for person in (ann, bob):
        assert "How can the library work better for carers?" in person.last_text
    assert not any("How can the library" in message_text(m) for m in dan.messages), "Dan was not picked"
    await dan.send("/cycle")
    assert "Step 2 of 8" in dan.reply_text and "Give my answers" not in " ".join(dan.buttons())
    cycle = await bed.services.cycles.current(1)
    await dan.press(dan.messages[-1]["message_id"], AnswerCycleButton(cycle.project_id, cycle.id).pack())
    assert "you are not one of them" in dan.reply_text
    await dan.tap("Tell me when the report is ready")
    assert "We will send you the report at the review" in dan.reply_text
    await ann.press(ann.messages[-1]["message_id"], InterestedButton(cycle.project_id, cycle.id).pack())
    assert "You will get the report anyway" in ann.callback_answer()["text"]

    await _answer(ann, "Friendly staff", "Closes too early", "Open late")
    await cora.send("/cycle")
    assert "1 of 2 people have answered" in cora.reply_text

    # The stored date holds across a restart: Bob alone is reminded, and Collect closes on day three.
    await bed.restart()
    await _tick(bed, timedelta(days=2))
    assert "closes soon" in bob.last_text
    assert not any("closes soon" in message_text(m) for m in ann.messages + dan.messages)
    assert "Collect has closed" not in cora.last_text
    await _tick(bed, timedelta(days=2))
    assert "Collect has closed" in cora.last_text  # on day four, not day seven
    assert await bed.db.fetchval("SELECT COUNT(*) FROM cycle_step_dates") == 7
    await ann.send("/mydata")
    exported = json.loads(bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]))
    assert [row["question"] for row in exported["cycle_participants"]] == [
        "How can the library work better for carers?"
    ]

    # On to the review with one theme: Dan, who asked, gets the report with the participants.
    await cora.tap("Draft the themes")
    await cora.send("Hours: I need it open when I can come")
    while "Which theme" in cora.last_text:
        await cora.tap("🧩 Hours")
    await cora.tap("Send the themes")
    await cora.send("/cycle")
    await cora.tap("Ask about causes")
    await cora.send("Few staff\nOld building")
    await cora.send("/cycle")
    await cora.tap("Write what success looks like")
    await cora.tap("Carers")
    await cora.send("Open when carers can come")
    await cora.tap("Skip »")
    await cora.tap("Next »")
    await cora.send("Open till five")
    for label in ("Start planning", "Start the actions", "Send the review report"):
        await cora.tap(label)
    await _drain(bed)
    for person in (ann, bob, dan):
        assert any((m.get("document") or {}).get("file_name") == "report.html" for m in person.messages), person
    await dan.send("/mydata")
    exported = json.loads(bed.server.file_bytes(dan.replies[-1]["document"]["file_id"]))
    assert [row["question"] for row in exported["cycle_interested"]] == ["How can the library work better for carers?"]


async def test_steps_begun_before_drafts_were_typed_carry_on_after_the_upgrade(bed: TestBed):
    """Each flow's draft as the dict the running version writes: after the upgrade the step goes on
    with what it holds (the words in it are not the ones typed, so it is what was read)."""
    cora, payload = await _group(bed)
    ann, _bob = await members(bed, payload, "Ann", "Bob")
    group = await bed.db.fetchval("SELECT id FROM projects")
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("How can the library work better for carers?")
    await cora.tap("A week for each step")
    dates = {step.value: to_db(when) for step, when in closing_times(bed.clock.now(), 7).items()}
    await _store_then_restart(
        bed,
        cora,
        {"group": group, "key": "0a1b", "question": "Can it open later?", "days": 7, "dates": dates},
        "cycle_draft",
    )
    await cora.tap("I will pick members")
    await cora.tap("▫️ Ann")
    await cora.tap("Done")
    assert "Can it open later?" in cora.reply_text and "1 members you picked take part." in cora.reply_text
    await cora.tap("Start the cycle")
    await _drain(bed)
    cycle = await bed.services.cycles.current(group)
    assert cycle.question == "Can it open later?"

    await ann.tap("Give my answers")
    await ann.send("Friendly staff\nQuiet room")
    await _store_then_restart(
        bed,
        ann,
        {"cycle": cycle.id, "answers": [["working", "Big windows", None], ["working", "Kind staff", None]]},
        "cycle_answers",
    )
    await ann.send("Closes too early\nNo parking")
    await ann.send("Open late")
    assert "Your answers are saved" in ann.reply_text
    said = await bed.db.fetchall("SELECT kind, text FROM cycle_statements ORDER BY id")
    assert [(row["kind"], row["text"]) for row in said] == [
        ("working", "Big windows"),
        ("working", "Kind staff"),
        ("not_working", "Closes too early"),
        ("not_working", "No parking"),
        ("future", "Open late"),
    ]

    # The lead's one flow, at the themes, the success lines and an action.
    await cora.send("/cycle")
    await cora.tap("Draft the themes")
    await _store_then_restart(bed, cora, {"cycle": cycle.id, "success": [], "baselines": {}}, "cycle_lead")
    await cora.send("Hours: I need it open when I can come")
    while "Which theme" in cora.last_text:
        await cora.tap("🧩 Hours")
    await cora.tap("Send the themes")
    await cora.send("/cycle")
    await cora.tap("Ask about causes")
    await cora.send("Few staff\nOld building")
    await cora.send("/cycle")
    await cora.tap("Write what success looks like")
    await cora.tap("Carers")
    await cora.send("Open when carers can come")
    theme = await bed.db.fetchval("SELECT id FROM cycle_themes")
    await _store_then_restart(
        bed,
        cora,
        {
            "cycle": cycle.id,
            "success": [[theme, "staff", "Staff for evening shifts", None]],
            "baselines": {},
            "view": "carers",
            "current": "Carers come after work",
        },
        "cycle_lead",
    )
    await cora.tap("Skip »")
    await cora.tap("Next »")
    await cora.send("Open till five")
    success = await bed.db.fetchall("SELECT view, text FROM cycle_success ORDER BY id")
    assert [(row["view"], row["text"]) for row in success] == [
        ("staff", "Staff for evening shifts"),
        ("carers", "Carers come after work"),
    ]
    await cora.tap("Start planning")
    await _drain(bed)

    await ann.tap("Propose an action")
    await _store_then_restart(bed, ann, {"cycle": cycle.id}, "cycle_proposal_draft")
    await ann.send("A coffee morning for carers")
    assert "The leads have your proposal" in ann.reply_text
    assert await bed.db.fetchval("SELECT text FROM cycle_actions WHERE proposed = 1") == "A coffee morning for carers"
    await cora.send("/cycle")
    await cora.tap("Add an action")
    await cora.send("Ask for longer hours")
    await cora.tap("🧩 Hours")
    await _store_then_restart(
        bed,
        cora,
        {
            "cycle": cycle.id,
            "success": [],
            "baselines": {},
            "text": "Ask the council for evening opening",
            "theme": theme,
        },
        "cycle_lead",
    )
    await cora.tap("Ann")
    await cora.send("15/1")
    assert "Action saved" in cora.reply_text
    action, text = await bed.db.fetchone("SELECT id, text FROM cycle_actions WHERE proposed = 0")
    assert text == "Ask the council for evening opening"
    await cora.tap("Start the actions")
    await _drain(bed)

    await ann.tap("Ask the council")
    await _store_then_restart(bed, ann, {"cycle": cycle.id, "action": action}, "cycle_update_draft")
    await ann.send("The council said yes.")
    assert "Your update is going to" in ann.reply_text
    assert await bed.db.fetchval("SELECT text FROM cycle_updates") == "The council said yes."


async def test_a_cycle_draft_that_cannot_be_read_ends_the_step_kindly(bed: TestBed):
    cora, payload = await _group(bed)
    (ann,) = await members(bed, payload, "Ann")
    await start_cycle(cora)
    await _drain(bed)
    cycle = await bed.db.fetchval("SELECT id FROM cycles")
    await ann.tap("Give my answers")
    await ann.send("Friendly staff")
    await ann.send("Closes too early")
    await _store_then_restart(bed, ann, {"cycle": cycle, "answers": [["working"]]}, "cycle_answers")
    await ann.send("Open late")
    assert "tap the button you began with again" in ann.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM cycle_statements") == 0
    await _answer(ann, "Friendly staff", "Closes too early", "Open late")
    assert "Your answers are saved" in ann.reply_text

    await cora.send("/cycle")
    await cora.tap("Draft the themes")
    await _store_then_restart(bed, cora, {"cycle": "the first", "success": []}, "cycle_lead")
    await cora.send("Hours: I need it open when I can come")
    assert "tap the button you began with again" in cora.reply_text
    await cora.tap("Draft the themes")
    await cora.send("Hours: I need it open when I can come")
    assert "Which theme" in cora.last_text


async def test_choosing_an_owner_once_the_cycle_has_moved_on_ends_the_step_and_saves_nothing(bed: TestBed):
    cora, payload = await _group(bed)
    await members(bed, payload, "Ann")
    await start_cycle(cora)
    await _drain(bed)
    cycle = await bed.db.fetchval("SELECT id FROM cycles")
    await bed.services.cycles.set_themes(cycle, [("Opening hours", "I need it open when I can come")])
    await bed.db.execute("UPDATE cycles SET step = 'plan' WHERE id = ?", (cycle,))
    await cora.send("/cycle")
    await cora.tap("Add an action")
    await cora.send("Ask for longer hours")
    await cora.tap("🧩 Opening hours")
    assert "Who owns it?" in cora.reply_text and "Ann" in cora.buttons()
    await bed.db.execute("UPDATE cycles SET finished_at = ? WHERE id = ?", (to_db(bed.clock.now()), cycle))
    await cora.tap("Ann")
    assert "The cycle has moved on" in cora.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM cycle_actions") == 0
    await cora.send("15/1")
    assert "not sure what you mean" in cora.reply_text, "the flow has ended"


async def test_a_lead_of_many_groups_sees_their_cycles_a_page_at_a_time(bed: TestBed):
    """Each group's cycle is its own message with its own buttons: four come as three, then
    one, and the groups a cycle could start for come after the last."""
    cora, payload = await _group(bed)
    await members(bed, payload, "Ann")
    await start_cycle(cora)
    for name in ("Park group", "Bus group", "Café group"):
        await members(bed, await new_group(cora, name, "We plan it together.", "Co-produce"), "Ann")
        await start_cycle(cora, name)
    await new_group(cora, "Allotment group", "We plan it together.", "Co-produce")

    first_call = len(bed.server.calls)
    await cora.send("/cycle")
    cards = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(cards) == 3, "one page: no more at once than one chat may get"
    seen = cards
    assert "Show 1 more" in cora.buttons()
    assert not any("Start a cycle" in label for label in cora.buttons()), "the starts come after the last page"
    assert not any(c.status == 429 for c in bed.server.calls)

    first_call = len(bed.server.calls)
    await cora.tap("Show 1 more")
    cards = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(cards) == 2 and "Start one?" in cards[1]
    assert "🔄 Start a cycle for Allotment group" in cora.buttons()
    assert not any("more" in label for label in cora.buttons())
    groups = ("Library friends", "Park group", "Bus group", "Café group")
    assert sorted(next(g for g in groups if g in text) for text in [*seen, cards[0]]) == sorted(groups)

    first_call = len(bed.server.calls)  # a press from a page that is no longer there begins again
    await cora.press(cora.replies[-1]["message_id"], CyclesPageButton(9).pack())
    cards = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(cards) == 3 and "Show 1 more" in cora.buttons()
