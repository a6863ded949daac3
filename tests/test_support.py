"""Access needs that become arranged support: a resident who agrees to be named gets tasks by
name on the organiser's support list, with their own words; a ticked task tells them; someone
who did not agree stays a count and is told another way to get support; meetings of 30 or 45
minutes, a warning when a meeting is longer than people can manage, a phone option, and
invitations that say honestly which needs the venue meets."""

from __future__ import annotations

from domain.access import AccessProfile, met_needs
from domain.support import SHARED_TASK, Attendee, length_warning, support_list
from tests.harness import Person, TestBed
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart


async def tell_needs(
    person: Person,
    *needs: str,
    prefers: str = "In person",
    longest: str = "1 hour",
    other: str | None = None,
    share: bool | None = None,
) -> None:
    """/access from start to end; then, if `share` is given, the answer to the consent question."""
    await person.send("/access")
    for need in needs:
        await person.tap(need)
    await person.tap("Next")
    await person.tap(prefers)
    await person.tap("Next")
    await person.tap(longest)
    if other:
        await person.send(other)
    else:
        await person.tap("Skip")
    if share is not None:
        await person.tap("Yes, share my name" if share else "No, keep my name private")


async def vote_and_confirm(bed: TestBed, cora: Person, *people: Person) -> None:
    await bed.services.sender.drain()
    for person in people:
        await person.tap("1 ✅")
        await person.tap("2 ✅")
        await person.tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December")
    await bed.services.sender.drain()


async def test_a_named_need_becomes_a_task_the_organiser_ticks_and_the_resident_is_told(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await tell_needs(ann, "taxi", "Easy Read", other="I walk <slowly> from the car", share=True)
    assert "Organisers of your meetings see your needs with your name" in ann.reply_text
    await tell_needs(bob, "taxi", "Easy Read", other="Bob's secret words", share=False)
    assert "send /feedback and choose the meeting" in bob.reply_text, "told another way to get support"
    await create_meeting(cora)
    await vote_and_confirm(bed, cora, ann, bob)
    assert "can see your needs with your name" in ann.messages[-1]["caption"]
    assert "send /feedback and choose the meeting" in bob.messages[-1]["caption"]

    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Support list")
    support = cora.reply_text
    assert "Book a taxi for Ann" in support and "Easy Read papers for 2 people" in support
    assert "Ann: “I walk <slowly> from the car”" in support, "their own words, escaped (or Telegram would refuse)"
    assert "Bob" not in support and "Bob's secret words" not in support, "no consent: no name, no words"
    assert "Travel help: taxi: 1" in support, "Bob's taxi stays a count"

    bob_sees = len(bob.messages)
    await bob.press(cora.messages[-1]["message_id"], cora.find_button("Book a taxi for Ann")[1])
    assert "can't do that" in bob.callback_answer()["text"]
    assert (
        await bed.db.fetchval(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'support.organise' AND outcome = 'refused'"
        )
        == 1
    )
    assert await bed.db.fetchval("SELECT COUNT(*) FROM support_tasks WHERE done_at IS NOT NULL") == 0

    await cora.tap("Book a taxi for Ann")
    assert "short note" in cora.reply_text
    await cora.send("Picks you up at 17:45")
    assert "✅ Book a taxi for Ann – Picks you up at 17:45" in cora.reply_text
    await bed.services.sender.drain()
    assert "Your taxi is booked." in ann.last_text and "Picks you up at 17:45" in ann.last_text
    assert len(bob.messages) == bob_sees, "Bob is told nothing"

    await bed.restart()  # the tick is stored, not remembered
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Support list")
    assert "✅ Book a taxi for Ann" in cora.reply_text
    assert "Book a taxi" not in " ".join(cora.buttons())
    await cora.tap("Easy Read papers for 2 people")
    await cora.tap("Skip")
    await bed.services.sender.drain()
    assert "Your Easy Read papers are ready." in ann.last_text
    assert len(bob.messages) == bob_sees, "a shared task tells only the people who agreed to be named"


async def test_consent_is_asked_once_and_changed_in_access(bed: TestBed):
    ann = await bed.joined("Ann")
    await tell_needs(ann, "BSL", share=True)
    await tell_needs(ann, "BSL")
    assert "May the organiser" not in ann.reply_text, "asked once"
    assert "see your needs with your name" in ann.reply_text
    await ann.tap("Who sees my name")
    await ann.tap("No, keep my name private")
    assert "only how many people" in ann.reply_text
    participant = await bed.services.participants.by_telegram_id(ann.id)
    assert await bed.services.support.consent(participant.id) is False
    assert await bed.db.fetchval("SELECT decided_at FROM support_consents") is not None


async def test_a_30_minute_meeting_and_a_warning_when_a_meeting_is_too_long(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await tell_needs(ann, longest="30 minutes")
    await create_meeting(cora, length="30 minutes")
    await bed.services.sender.drain()
    assert "How long: 30 minutes" in ann.last_text
    await cora.send("/meetings")
    await cora.tap("📊")
    assert "can manage up to" not in cora.reply_text

    await create_meeting(cora, length="2 hours")
    await bed.services.sender.drain()
    await cora.send("/meetings")
    await cora.tap("📊")
    results = cora.reply_text
    assert "1 person can manage up to 30 minutes, but the meeting lasts 2 hours." in results
    assert "Plan 3 breaks, so no part is longer than 30 minutes." in results


async def test_the_invitation_offers_a_phone_option_and_says_which_needs_the_venue_meets(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await tell_needs(ann, "Step-free", "Hearing loop", share=False)
    await tell_needs(bob, prefers="By phone", share=True)
    await create_meeting(cora)  # the venue has step-free access only
    await vote_and_confirm(bed, cora, ann, bob)
    invitation = ann.messages[-1]["caption"]
    assert "The venue has what you told us you need: Step-free access." in invitation
    assert "You told us you need: Hearing loop. The venue has not said it has this." in invitation
    assert "join by phone" not in invitation
    assert "You can join by phone. The organiser will call you." in bob.messages[-1]["caption"]
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Support list")
    assert "Call Bob so they can join by phone" in cora.reply_text
    assert "Arrange step-free access" not in cora.reply_text, "the venue meets it: nothing to arrange"


# --- the rules ------------------------------------------------------------------------------


def _person(pid: int, name: str, *needs: str, consented: bool, other: str | None = None) -> Attendee:
    return Attendee(pid, name, AccessProfile(needs=frozenset(needs), other=other), consented)


def test_the_support_list_names_only_people_who_agreed_and_groups_papers():
    listed = support_list(
        [
            _person(1, "Ann", "taxi", "easy_read", "step_free", consented=True, other="slow"),
            _person(2, "Bob", "taxi", "easy_read", "carer_pa", consented=False, other="secret"),
        ],
        frozenset({"step_free"}),
        online=False,
    )
    tasks = {(task.need, task.participant_id): task for task in listed.tasks}
    assert set(tasks) == {("taxi", 1), ("easy_read", SHARED_TASK)}
    assert tasks[("easy_read", SHARED_TASK)].count == 2 and tasks[("easy_read", SHARED_TASK)].tell == (1,)
    assert listed.own_words == (("Ann", "slow"),)
    assert listed.unnamed == {"taxi": 1, "carer_pa": 1}


def test_papers_already_attached_in_a_version_that_suits_need_no_task():
    """An Easy Read version on the meeting meets Ann's need; Bob needs large print and the papers are
    a PDF, so his still has to be arranged."""
    ann = Attendee(1, "Ann", AccessProfile(needs=frozenset({"easy_read"})), True, papers_suit=frozenset({"easy_read"}))
    bob = _person(2, "Bob", "easy_read", "large_print", consented=True)
    tasks = {task.need: task for task in support_list([ann, bob], frozenset(), online=False).tasks}
    assert tasks["easy_read"].count == 1 and tasks["easy_read"].tell == (2,)
    assert tasks["large_print"].count == 1


def test_online_meetings_need_no_taxi_and_a_quiet_room_the_venue_has_needs_no_task():
    people = [_person(1, "Ann", "taxi", "bsl", "quiet_breaks", consented=True)]
    assert [task.need for task in support_list(people, frozenset(), online=True).tasks] == ["bsl"]
    assert [task.need for task in support_list(people, frozenset({"quiet_room"}), online=False).tasks] == [
        "taxi",
        "bsl",
    ]


def test_the_length_warning_counts_people_and_suggests_breaks():
    profiles = [
        AccessProfile(longest="60"),
        AccessProfile(longest="120"),
        AccessProfile(longest="none"),
        AccessProfile(),
    ]
    warning = length_warning(120, profiles)
    assert warning is not None and (warning.people, warning.shortest, warning.breaks) == (1, 60, 1)
    assert length_warning(60, profiles) is None
    assert length_warning(90, [AccessProfile(longest="30")]).breaks == 2


def test_venue_honesty_splits_needs_into_met_and_not():
    assert met_needs({"step_free", "hearing_loop", "bsl"}, {"step_free", "lift"}) == ["step_free"]


async def test_a_big_groups_support_list_fits_in_one_message(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora)
    project = (await bed.services.projects.led_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    for index in range(80):
        user = bed.server.add_user(f"Member number {index} with a long name")
        person = await bed.services.participants.create_with_consent(user.id, "en", "2026-11", bed.clock.now())
        await bed.services.participants.update(person.id, display_name=user.first_name)
        await bed.services.participants.mark_registered(person.id, bed.clock.now())
        await bed.services.projects.join(project.id, person.id, bed.clock.now())
        await bed.services.access.save(
            person.id,
            AccessProfile(needs=frozenset({"taxi", "carer_pa", "easy_read"}), other="Words of my own " * 10),
            bed.clock.now(),
        )
        await bed.services.support.set_consent(person.id, True, bed.clock.now())
    await create_meeting(cora)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Support list")
    message = cora.messages[-1]
    assert "Book a taxi for Member number 0 with a long name" in message["text"] and len(message["text"]) <= 4096
    assert len(cora.buttons()) == 30 and "…and 131 more to do." in message["text"]


async def ticking_the_taxi(bed: TestBed) -> Person:
    """Cora has tapped Ann's taxi on the support list of a confirmed meeting and is asked for a note."""
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await tell_needs(ann, "taxi", share=True)
    await create_meeting(cora)
    await vote_and_confirm(bed, cora, ann)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Support list")
    await cora.tap("Book a taxi for Ann")
    return cora


async def test_a_tick_begun_before_drafts_were_typed_keeps_its_note_after_the_upgrade(bed: TestBed):
    cora = await ticking_the_taxi(bed)
    task = await bed.db.fetchval("SELECT id FROM support_tasks WHERE participant_id > 0")
    await _store_then_restart(bed, cora, task, "support_tick")  # the bare id the code before typing kept
    await cora.send("Picks you up at 17:45")
    assert "✅ Book a taxi for Ann – Picks you up at 17:45" in cora.reply_text
    assert await bed.db.fetchval("SELECT note FROM support_tasks WHERE id = ?", (task,)) == "Picks you up at 17:45"


async def test_a_lost_tick_draft_ends_kindly_and_ticks_nothing(bed: TestBed):
    cora = await ticking_the_taxi(bed)
    await _store_then_restart(bed, cora, {"task": "taxi"}, "support_tick")
    await cora.send("Picks you up at 17:45")
    assert "tap the button you began with again" in cora.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM support_tasks WHERE done_at IS NOT NULL") == 0
