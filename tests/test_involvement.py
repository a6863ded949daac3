"""Recognition end to end: /myinvolvement after a meeting, a decision and feedback that led to
a "we did", the printable certificate (valid HTML, the reader's language and direction), nothing
after /delete; what people know about, used only with their agreement; inviting people back."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from bot.i18n import language, load_catalogs
from domain.experience import Attended, Experience, Record, minutes_given
from domain.participation import Level
from domain.targeting import Reachable, Target, matches
from handlers.buttons.recognition_buttons import CertificateButton
from handlers.people.involvement import certificate
from tests.builders import new_group
from tests.harness import Person, TestBed
from tests.test_claims import attended_meeting, mark_attended, officer
from tests.test_feedback import give_feedback
from tests.test_languages import in_, join_in
from tests.test_opportunities import staff, write_opportunity

VOID = {"meta", "br", "img", "hr", "link", "input"}
LONDON = ZoneInfo("Europe/London")


class Checked(HTMLParser):
    """Every element closed in order, and what the root says about language and direction."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.root: dict[str, str | None] = {}
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.root = dict(attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> out of order")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def checked(page: str) -> Checked:
    assert page.lower().startswith("<!doctype html>")
    parser = Checked()
    parser.feed(page)
    parser.close()
    assert not parser.problems and not parser.open, (parser.problems, parser.open)
    return parser


async def _propose_and_agree(bed: TestBed, ann: Person) -> None:
    await ann.send("/propose")
    await ann.send("Open the café on Saturdays")
    await ann.send("The café would open on the first Saturday of each month.")
    await ann.tap("In 3 days")
    await ann.tap("No minimum")
    await ann.tap("Send it")
    await bed.services.sender.drain()
    await ann.tap("Agree")


async def _claim_time(ann: Person, olive: Person) -> None:
    """Ann claims two hours for the meeting (she stayed on to help) and an officer approves it."""
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Payment for my time")
    await ann.tap("2")
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Bank transfer")
    await ann.tap("Send my claim")
    await olive.send("/approvals")
    await olive.tap("Approve")


async def _we_did(bed: TestBed, ann: Person, olive: Person) -> None:
    await give_feedback(ann, "Something else", "The café room is too loud", hide=False)
    await olive.send("/inbox")
    first = next(m for m in olive.replies if "F-2026-0001" in m.get("text", ""))
    await olive.press(first["message_id"], "fb:1:t")
    await olive.tap("A new theme")
    await olive.send("The café room is too loud")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("We put soft panels on the walls.")
    await olive.tap("Send it")
    await bed.services.sender.drain()


async def _certificate(bed: TestBed, person: Person) -> str:
    await person.tap("Certificate")
    document = person.messages[-1]["document"]
    assert document["file_name"] == "involvement-certificate.html"
    return bed.server.file_bytes(document["file_id"]).decode()


async def test_my_involvement_and_certificate_then_nothing_after_delete(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    await mark_attended(bed, cora)
    await _propose_and_agree(bed, ann)
    await _we_did(bed, ann, olive)
    await ann.send("/myinvolvement")
    assert "You came to 1 meeting." in ann.reply_text and "Time you gave: 1 hour." in ann.reply_text, (
        "the meeting's length, without a claim"
    )

    await _claim_time(ann, olive)
    await ann.send("/myinvolvement")
    text = ann.reply_text
    assert "Your groups: Carers' café group." in text
    assert "You came to 1 meeting." in text and "Time you gave: 2 hours." in text, "the approved claim's hours"
    assert "You took part in 1 group decision." in text
    assert "The café room is too loud: We put soft panels on the walls." in text

    page = checked(await _certificate(bed, ann))
    assert page.root == {"lang": "en-GB", "dir": "ltr"}
    words = " ".join(page.text)
    assert "Certificate of involvement" in words and "This is to confirm that Ann has worked with the council" in words
    assert "Came to 1 meeting." in words and "Gave 2 hours of their time." in words
    assert "3 December 2026" in words and "Café planning <1>" in words, "dates by Babel; typed titles escaped"
    assert "Gave feedback that led to 1 change." in words and "We put soft panels on the walls." in words

    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    seen = len(ann.messages)
    await ann.tap("Certificate")  # the old button, after /delete
    assert not any(m.get("document") for m in ann.messages[seen:]), "no certificate for an erased person"
    await ann.send("/myinvolvement")
    assert "Please join first" in ann.reply_text
    erased = await bed.db.fetchval("SELECT id FROM participants WHERE erased_at IS NOT NULL")
    assert (await bed.services.involvement.record(erased)).empty, "the kept records point at nobody"
    again = await bed.joined("Ann", user_id=ann.id)
    await again.send("/myinvolvement")
    assert "There is nothing here yet." in again.reply_text and "Certificate" not in again.buttons()


async def test_an_urdu_reader_gets_a_right_to_left_certificate(bed: TestBed):
    cora = await staff(bed)
    payload = await new_group(cora, "Library friends", "We shape the library together.", "Co-produce")
    imran, _first = await join_in(bed, "ur", "Imran")
    await imran.send(f"/start {payload}")
    await imran.send("/myinvolvement")
    await imran.press(imran.messages[-1]["message_id"], CertificateButton().pack())
    page = checked(bed.server.file_bytes(imran.messages[-1]["document"]["file_id"]).decode())
    assert page.root == {"lang": "ur", "dir": "rtl"}
    assert in_("ur", "Certificate of involvement") in " ".join(page.text)


def test_the_certificate_speaks_the_readers_language_and_direction():
    load_catalogs()
    record = Record(
        datetime(2026, 1, 5, tzinfo=UTC),
        (("Library friends", datetime(2026, 1, 5, tzinfo=UTC)),),
        (Attended("Planning", datetime(2026, 2, 1, 18, tzinfo=UTC), 90, None),),
        (),
        (),
    )
    for code, root in (
        ("ur", {"lang": "ur", "dir": "rtl"}),
        ("en", {"lang": "en-GB", "dir": "ltr"}),
        ("easy", {"lang": "en-GB", "dir": "ltr"}),
        ("pl", {"lang": "pl", "dir": "ltr"}),
    ):
        with language(code):
            page = checked(
                certificate("Zofia <b>", record, "Bracknell Forest Council", datetime(2026, 12, 1, tzinfo=UTC), LONDON)
            )
        assert page.root == root, code
        words = " ".join(page.text)
        assert "Zofia <b>" in words and "Bracknell Forest Council" in words and "Library friends" in words


def test_hours_count_an_approved_claim_else_the_meeting():
    meetings = (Attended("A", None, 60, None), Attended("B", None, 60, "2.5"), Attended("C", None, 90, None))
    assert minutes_given(meetings) == 60 + 150 + 90
    assert minutes_given(()) == 0


def test_only_people_who_agreed_are_matched_on_what_they_know():
    base = dict(registered=True, reachable=True, paused=False, topics=frozenset(), area=None, language="en")
    agreed = Reachable(**base, skills=frozenset({"wheelchair"}), skills_agreed=True)
    not_agreed = Reachable(**base, skills=frozenset({"wheelchair"}), skills_agreed=False)
    other = Reachable(**base, skills=frozenset({"caring"}), skills_agreed=True)
    wheelchair = Target(skills=frozenset({"wheelchair"}))
    assert [matches(wheelchair, p) for p in (agreed, not_agreed, other)] == [True, False, False]
    assert all(matches(Target(), p) for p in (agreed, not_agreed, other)), "everyone still means everyone"
    member = Reachable(**base, worked_on=frozenset({3}))
    assert matches(Target(worked_on=3), member) and not matches(Target(worked_on=4), member)


async def _know_about(person: Person, *skills: str, agree: bool, words: str | None = None) -> None:
    await person.send("/profile")
    await person.tap("What I know about")
    for skill in skills:
        await person.tap(skill)
    await person.tap("Next »")
    if words:
        await person.send(words)
    else:
        await person.tap("Skip »")
    await person.tap("Yes, tell me" if agree else "No, thank you")


async def test_an_opportunity_for_people_who_know_about_something_reaches_only_those_who_agreed(bed: TestBed):
    cora = await staff(bed)
    ann, bob, cat = [await bed.joined(name) for name in ("Ann", "Bob", "Cat")]
    await _know_about(ann, "Using a wheelchair", agree=True, words="I use the 162 bus with my chair zqxwords")
    assert "I know about: Using a wheelchair" in ann.reply_text and "We may use this" in ann.reply_text
    await _know_about(bob, "Using a wheelchair", "A long-term illness", agree=False)
    assert "We will not use this" in bob.reply_text
    await _know_about(cat, "Caring for a parent or partner", agree=True)
    await ann.send("/profile")
    assert "In my own words: I use the 162 bus" in ann.reply_text

    await write_opportunity(cora, topic=None, send=False)
    await cora.tap("Change who gets it")
    await cora.tap("Know about…")
    await cora.tap("Using a wheelchair")
    await cora.tap("Done ✔")
    assert "Know about: Using a wheelchair" in cora.reply_text and "It will reach 1 person." in cora.reply_text
    await cora.tap("Preview ›")
    before = {p.id: len(p.messages) for p in (bob, cat)}
    await cora.tap("Send now")
    await bed.services.sender.drain()
    assert "Carers' café" in ann.last_text
    assert {p.id: len(p.messages) for p in (bob, cat)} == before, "no agreement, or another experience: not sent"

    await ann.send("/mydata")
    data = json.loads(bed.server.file_bytes(ann.messages[-1]["document"]["file_id"]))
    assert data["what_i_know_about"]["skills"] == ["wheelchair"] and data["what_i_know_about"]["agreed_at"]
    await _know_about(ann, agree=False)  # she changes her mind; her ticks and words stay hers
    assert "I know about: Using a wheelchair" in ann.reply_text and "We will not use this" in ann.reply_text
    assert await bed.services.opportunities.count_reach(Target(skills=frozenset({"wheelchair"}))) == 0
    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM lived_experience WHERE own_words LIKE '%zqx%'") == 0


async def test_invite_back_people_who_worked_with_us_and_staff_buttons_are_refused(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    bob = await bed.joined("Bob")
    await write_opportunity(cora, topic=None, send=False)
    await cora.tap("Change who gets it")
    await cora.tap("Worked with us on…")
    await cora.tap("Carers' café group")
    assert "Worked with us on: Carers' café group" in cora.reply_text and "It will reach 1 person." in cora.reply_text
    await cora.tap("Preview ›")
    seen = len(bob.messages)
    await cora.tap("Send now")
    await bed.services.sender.drain()
    assert ann.last_text.startswith("You worked with us on Carers' café group.")
    assert len(bob.messages) == seen

    for forged in ("rg:1", "ra:skills", "rt:wheelchair"):
        await bob.press(bob.messages[-1]["message_id"], forged)
        assert "can't do that" in bob.callback_answer()["text"]
    assert (
        await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND action LIKE 'button.r%'")
        == 3
    )


async def test_the_targeting_query_matches_the_rule_for_experience_and_past_groups(bed: TestBed):
    """storage/opportunities.py must pick exactly whom domain.targeting.matches picks."""
    rng = random.Random(5)
    services = bed.services
    now = bed.clock.now()
    cora = await staff(bed)
    creator = await services.participants.by_telegram_id(cora.id)
    assert creator is not None
    groups = [
        (
            await services.projects.create(
                name=f"Group {n}",
                description="About it.",
                level=Level.CO_DESIGN,
                lead_coordinator_id=creator.id,
                lead_officer_id=None,
                join_code=f"code{n}",
                now=now,
            )
        ).id
        for n in range(2)
    ]
    people: dict[int, Reachable] = {}
    for index in range(40):
        user = bed.server.add_user(f"T{index}")
        person = await services.participants.create_with_consent(user.id, "en", "2026-11", now)
        await services.participants.mark_registered(person.id, now)
        skills = frozenset(k for k in ("wheelchair", "caring", "money") if rng.random() < 0.4)
        agreed = rng.random() < 0.6
        if skills or rng.random() < 0.5:
            await services.involvement.save_experience(
                person.id, Experience(skills, None, now if agreed else None), now
            )
        worked = frozenset(g for g in groups if rng.random() < 0.3)
        for group in worked:
            await services.projects.join(group, person.id, now)
        people[person.id] = Reachable(
            True, True, False, frozenset(), None, "en", skills, agreed and bool(skills), worked
        )
    people[creator.id] = Reachable(True, True, False, frozenset(), None, "en")
    targets = [
        Target(skills=frozenset({"wheelchair"})),
        Target(skills=frozenset({"caring", "money"})),
        Target(worked_on=groups[0]),
        Target(skills=frozenset({"money"}), worked_on=groups[1]),
    ]
    for target in targets:
        expected = {pid for pid, person in people.items() if matches(target, person)}
        found = {r.participant_id for r in await services.opportunities.recipients(target)}
        assert found == expected and expected, target
        assert await services.opportunities.count_reach(target) == len(expected)
