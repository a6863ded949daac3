"""Every conversation × the commands people tap mid-flow: the command's own answer arrives, the
flow is paused with its answers, and "Carry on" puts the person back at the same question.

The conversations come from the running bot's registry, so a new one fails here until it has
a way to reach the middle of it in `MIDDLE` below."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from cycle import work as cycle_work
from cycle.buttons import ActionUpdateButton
from handlers.kit.flow import PAUSED, registered
from tests.builders import members
from tests.harness import Person, TestBed
from tests.test_assisted import taking_down_their_taxi
from tests.test_cycle import start_cycle
from tests.test_decisions import _group as decision_group
from tests.test_decisions import _propose as propose
from tests.test_feedback import give_feedback, group
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff, write_opportunity
from tests.test_success import rating_progress
from tests.test_support import ticking_the_taxi

Middle = Callable[[TestBed], Awaitable[tuple[Person, str | None]]]  # the person, and their staff command


async def _before_consent(bed: TestBed) -> tuple[Person, str | None]:
    sam = bed.person("Sam")
    await sam.send("/start")
    await sam.tap("English")
    return sam, None


async def _joining(bed: TestBed) -> tuple[Person, str | None]:
    sam = bed.person("Sam")
    await sam.send("/start")
    await sam.tap("English")
    await sam.tap("Yes, I agree")
    await sam.send("Sam")
    await sam.tap("For myself")
    await sam.tap("Housing")
    return sam, None


async def _new_group(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await cora.send("/newproject")
    await cora.send("Carers' café group")
    return cora, "/opportunities"


async def _access(bed: TestBed) -> tuple[Person, str | None]:
    ann = await bed.joined("Ann")
    await ann.send("/access")
    await ann.tap("Step-free")
    await ann.tap("Hearing loop")
    return ann, None


async def _experience(bed: TestBed) -> tuple[Person, str | None]:
    ann = await bed.joined("Ann")
    await ann.send("/profile")
    await ann.tap("What I know about")
    await ann.tap("Using a wheelchair")
    return ann, None


async def _opportunity(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await cora.send("/opportunity")
    await cora.send("Carers' café")
    await cora.send("Help us plan a monthly café for carers.")
    return cora, "/opportunities"


async def _question(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("Tell me more")
    await ann.tap("Ask a question")
    return ann, None


async def _closing(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await write_opportunity(cora)
    await cora.send("/opportunities")
    await cora.tap("Carers' café")
    await cora.tap("Close it and tell people")
    await cora.tap("It did not go ahead")
    return cora, "/opportunities"


async def _meeting(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await cora.send("/meeting")
    await cora.send("Café planning")
    await cora.send("Choose the menu.")
    await cora.tap("Co-design")
    await cora.tap("In person")
    await cora.send("Bracknell Library")
    await cora.tap("Step-free")
    return cora, "/opportunities"


async def _vote(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("1 🤔")
    return ann, None


async def _ticking(bed: TestBed) -> tuple[Person, str | None]:
    return await ticking_the_taxi(bed), "/opportunities"


async def _claim(bed: TestBed) -> tuple[Person, str | None]:
    ann = await bed.joined("Ann")
    await ann.send("/claim")
    await ann.tap("Something else")
    await ann.send("Ran the stall on 1 November")
    await ann.tap("Food and drink")
    await ann.send("3.20")
    return ann, None


async def _approval(bed: TestBed) -> tuple[Person, str | None]:
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    await ann.send("/claim")
    for label in ("Something else",):
        await ann.tap(label)
    await ann.send("Ran the stall")
    await ann.tap("Food and drink")
    await ann.send("3.20")
    for label in ("Review and send", "Skip", "Vouchers", "Send my claim"):
        await ann.tap(label)
    await olive.send("/approvals")
    await olive.tap("Reject")
    return olive, "/approvals"


async def _feedback(bed: TestBed) -> tuple[Person, str | None]:
    ann = await bed.joined("Ann")
    await ann.send("/feedback")
    await ann.tap("A council service")
    await ann.send("Library")
    return ann, None


async def _theme(bed: TestBed) -> tuple[Person, Person]:
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    await group(bed, cora)
    ann = await bed.joined("Ann")
    await give_feedback(ann, "A council service", "The lift is broken", hide=False, service="Library")
    return ann, olive


async def _difference(bed: TestBed) -> tuple[Person, str | None]:
    ann, olive = await _theme(bed)
    await olive.send("/inbox")
    await olive.tap("Add to")
    await olive.tap("A new theme")
    await olive.send("The lift is broken")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("We repaired the lift.")
    await olive.tap("Send it")
    await bed.services.sender.drain()
    await ann.tap("Yes")
    return ann, None


async def _inbox(bed: TestBed) -> tuple[Person, str | None]:
    _ann, olive = await _theme(bed)
    await olive.send("/inbox")
    await olive.tap("Can't do")
    return olive, "/themes"


async def _proposing(bed: TestBed) -> tuple[Person, str | None]:
    _cora, payload = await decision_group(bed)
    (bob,) = await members(bed, payload, "Bob")
    await bob.send("/propose")
    await bob.send("Open on Sunday mornings")
    return bob, None


async def _reasoning(bed: TestBed) -> tuple[Person, str | None]:
    _cora, payload = await decision_group(bed)
    bob, ann = await members(bed, payload, "Bob", "Ann")
    await propose(bob)
    await bed.services.sender.drain()
    await ann.tap("Block")
    return ann, None


async def _outcome(bed: TestBed) -> tuple[Person, str | None]:
    cora, payload = await decision_group(bed)
    (bob,) = await members(bed, payload, "Bob")
    await propose(bob)
    await bed.services.sender.drain()
    await bob.tap("Agree")
    bed.clock.advance(timedelta(days=3, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    await cora.tap("Record the outcome")
    await cora.tap("Agreed")
    return cora, "/opportunities"


async def _charter(bed: TestBed) -> tuple[Person, str | None]:
    cora, _payload = await decision_group(bed)
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Write the charter")
    await cora.send("To make the library work for carers.")
    return cora, "/opportunities"


async def _group_update(bed: TestBed) -> tuple[Person, str | None]:
    cora, _payload = await decision_group(bed)
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Post an update")
    return cora, "/opportunities"


async def _closing_group(bed: TestBed, *names: str) -> tuple[Person, list[Person]]:
    """Cora has written the outcomes of closing a group that `names` are members of."""
    cora, payload = await decision_group(bed)
    people = await members(bed, payload, *names)
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Close the group")
    await cora.send("We chose new books for teenagers.")
    return cora, people


async def _group_close(bed: TestBed) -> tuple[Person, str | None]:
    return (await _closing_group(bed))[0], "/opportunities"


async def _group_reflection(bed: TestBed) -> tuple[Person, str | None]:
    cora, (bob,) = await _closing_group(bed, "Bob")
    await cora.send("The library has a teenage corner now.")
    await cora.tap("🏁 Close the group")
    await bed.services.sender.drain()
    await bob.tap("🙂 Good")
    return bob, None


async def _success(bed: TestBed) -> tuple[Person, str | None]:
    _cora, payload = await decision_group(bed)
    (bob,) = await members(bed, payload, "Bob")
    await bob.send("/groups")
    await bob.tap("Library friends")
    await bob.tap("Propose what success looks like")
    await bob.send("Carers can borrow books at the weekend.")
    return bob, None


async def _success_rating(bed: TestBed) -> tuple[Person, str | None]:
    return await rating_progress(bed), None


async def _adding_person(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await cora.send("/addperson")
    await cora.send("Zofia")
    await cora.tap("By phone")
    return cora, "/opportunities"


async def _feedback_for(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await cora.send("/addperson")
    await cora.send("Zofia")
    await cora.tap("By phone")
    await cora.tap("They said yes on the phone")
    await cora.tap("English")
    await cora.tap("Next »")
    await cora.tap("Skip")
    await cora.tap("Open their page")
    await cora.tap("Take down their feedback")
    return cora, "/opportunities"


async def _claim_for(bed: TestBed) -> tuple[Person, str | None]:
    return await taking_down_their_taxi(bed), "/opportunities"


async def _papers(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Papers")
    await cora.tap("Add or change the papers")
    return cora, "/opportunities"


async def _pay_rate(bed: TestBed) -> tuple[Person, str | None]:
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("What is paid")
    await cora.tap("Meeting time")
    return cora, "/opportunities"


async def _cycle_prepare(bed: TestBed) -> tuple[Person, str | None]:
    cora, _payload = await decision_group(bed)
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("How can the library work better for carers?")
    return cora, "/opportunities"


async def _cycle_answers(bed: TestBed) -> tuple[Person, str | None]:
    cora, payload = await decision_group(bed)
    (ann,) = await members(bed, payload, "Ann")
    await start_cycle(cora)
    await bed.services.sender.drain()
    await ann.tap("Give my answers")
    await ann.send("Friendly staff")
    return ann, None


async def _cycle_lead(bed: TestBed) -> tuple[Person, str | None]:
    cora, _payload = await decision_group(bed)
    await start_cycle(cora)
    await cora.send("/cycle")
    await cora.tap("Draft the themes")
    return cora, "/opportunities"


async def _cycle_update(bed: TestBed) -> tuple[Person, str | None]:
    cora, payload = await decision_group(bed)
    (bob,) = await members(bed, payload, "Bob")
    await start_cycle(cora)
    owner = await bed.services.participants.by_telegram_id(bob.id)
    action = await bed.services.cycles.add_action(
        1, None, "Ask for longer hours", owner.id, None, owner.id, bed.clock.now()
    )
    await bob.press(bob.messages[-1]["message_id"], ActionUpdateButton(1, action).pack())
    return bob, None


async def _cycle_proposal(bed: TestBed) -> tuple[Person, str | None]:
    cora, payload = await decision_group(bed)
    (ann,) = await members(bed, payload, "Ann")
    await start_cycle(cora)
    services = bed.services
    lead = await services.participants.by_telegram_id(cora.id)
    await services.cycles.set_themes(1, [("Seats", "I need somewhere to sit")])
    await cycle_work.send_themes(services, await services.cycles.by_id(1))
    await cycle_work.ask_causes(services, await services.cycles.by_id(1), ["Too few staff", "Old building"], lead.id)
    await cycle_work.set_success(services, await services.cycles.by_id(1), [], {})
    await cycle_work.next_step(services, await services.cycles.by_id(1))
    await services.sender.drain()
    await ann.tap("Propose an action")
    return ann, None


MIDDLE: dict[str, list[Middle]] = {
    "onboarding": [_before_consent, _joining],
    "new_project": [_new_group],
    "access": [_access],
    "opportunity": [_opportunity],
    "question": [_question],
    "opportunity_outcome": [_closing],
    "meeting": [_meeting],
    "meeting_vote": [_vote],
    "claim": [_claim],
    "approvals": [_approval],
    "feedback": [_feedback],
    "difference": [_difference],
    "inbox": [_inbox],
    "new_decision": [_proposing],
    "decision_reason": [_reasoning],
    "decision_outcome": [_outcome],
    "charter": [_charter],
    "group_update": [_group_update],
    "support_tick": [_ticking],
    "success": [_success],
    "success_rating": [_success_rating],
    "experience": [_experience],
    "add_person": [_adding_person],
    "feedback_for": [_feedback_for],
    "claim_for": [_claim_for],
    "papers": [_papers],
    "pay_rate": [_pay_rate],
    "cycle_prepare": [_cycle_prepare],
    "cycle_answers": [_cycle_answers],
    "cycle_lead": [_cycle_lead],
    "cycle_update": [_cycle_update],
    "cycle_proposal": [_cycle_proposal],
    "group_close": [_group_close],
    "group_reflection": [_group_reflection],
}
# What each command's own answer says: to someone who joined, who agreed but is still joining,
# and who has not agreed to anything yet.
ANSWERS = {
    "/help": ("Here is what you can do",) * 3,
    "/privacy": ("Your privacy",) * 3,
    "/mydata": ("everything we hold",) * 3,
    "/delete": ("Delete your data?", "Delete your data?", "nothing to delete"),
    "/start": ("What would you like to do?", "Carry on where you left off?", "Carry on where you left off?"),
    "/profile": ("Your details", "join first", "join first"),
}
STAFF_ANSWERS = {"/opportunities": "Your opportunities", "/approvals": "Waiting:", "/themes": "No themes waiting"}


async def test_every_conversation_has_a_way_to_its_middle(bed: TestBed):
    assert sorted(flow.name for flow in registered(bed.running.application)) == sorted(MIDDLE)


def _shown(message: dict[str, Any]) -> tuple[str, list[str]]:
    """The question on screen, without the "✔ answer" a question edited in place starts with."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    text = message.get("text") or message.get("caption") or ""
    if text.startswith("✔ ") and "\n\n" in text:
        text = text.split("\n\n", 1)[1]
    return text, [b["text"] for row in rows for b in row]


async def _state(bed: TestBed, name: str, person: Person) -> Any:
    row = await bed.db.fetchval(
        "SELECT state FROM conversation_states WHERE name = ? AND key = ?", (name, json.dumps([person.id, person.id]))
    )
    return json.loads(row) if row else None


def _answers(bed: TestBed, person: Person) -> dict[str, Any]:
    """The drafts, less what only says where the list is on screen or what is paused."""
    drafts = bed.running.application.user_data.get(person.id, {})
    return {
        key: ({k: v for k, v in value.items() if not k.endswith("_message")} if isinstance(value, dict) else value)
        for key, value in drafts.items()
        if key != PAUSED and not key.endswith("_message")
    }


@pytest.mark.parametrize(
    ("name", "way"), [(name, way) for name, ways in sorted(MIDDLE.items()) for way in range(len(ways))]
)
async def test_a_command_mid_flow_answers_and_the_flow_carries_on(bed: TestBed, name: str, way: int):
    person, staff_command = await MIDDLE[name][way](bed)
    state = await _state(bed, name, person)
    assert state is not None, f"{name}: the script must end inside the flow"
    question = _shown(person.messages[-1])
    answers = _answers(bed, person)
    participant = await bed.services.participants.by_telegram_id(person.id)
    status = 2 if participant is None else 0 if participant.registered else 1
    commands = [(command, expected[status]) for command, expected in ANSWERS.items()]
    if staff_command:
        commands.append((staff_command, STAFF_ANSWERS[staff_command]))
    for command, expected in commands:
        await person.send(command)
        assert expected in person.reply_text, f"{name} {command}: {person.reply_text}"
        if "No, keep it" in [label for m in person.replies for label in _shown(m)[1]]:
            await person.tap("No, keep it")
            assert "Nothing was deleted" in person.reply_text
        assert await _state(bed, name, person) is None, f"{name} {command}: the flow is paused"
        assert _answers(bed, person) == answers, f"{name} {command}: the answers are kept"
        await person.tap("Carry on with")
        assert _shown(person.messages[-1]) == question, f"{name} {command}: the same question again"
        assert await _state(bed, name, person) == state
        assert _answers(bed, person) == answers


async def test_start_again_forgets_and_cancel_forgets_a_paused_flow(bed: TestBed):
    ann, _none = await _claim(bed)
    await ann.send("/help")
    await ann.send("/claim")
    assert "Carry on where you left off?" in ann.reply_text
    await ann.tap("Start again")
    assert "What is this claim for?" in ann.reply_text
    assert "Ran the stall" not in json.dumps(_answers(bed, ann))

    await ann.tap("Something else")
    await ann.send("/help")
    await ann.send("/cancel")
    assert "Stopped" in ann.reply_text
    await ann.tap("Carry on with")
    assert "nothing to carry on" in ann.reply_text and "/claim" in ann.reply_text
    await ann.send("/cancel")
    assert "nothing to stop" in ann.reply_text


async def test_a_paused_flow_is_kept_for_the_set_hours_then_let_go(bed: TestBed):
    ann, _none = await _claim(bed)
    await ann.send("/profile")
    bed.clock.advance(timedelta(hours=23))
    await ann.tap("Carry on with")
    assert "Claim for: Ran the stall on 1 November" in ann.reply_text
    await ann.send("/help")
    bed.clock.advance(timedelta(hours=25))
    await ann.tap("Carry on with")
    assert "more than 24 hours ago" in ann.reply_text and "/claim" in ann.reply_text
    assert "claim_draft" not in bed.running.application.user_data.get(ann.id, {})


async def test_a_button_from_a_paused_or_finished_flow_says_what_it_was(bed: TestBed):
    ann, _none = await _claim(bed)
    menu = ann.messages[-1]
    await ann.send("/help")
    await ann.press(menu["message_id"], "cl:add:bus")
    assert "your claim, which you paused" in ann.callback_answer().get("text", "")
    assert "Carry on with your claim" in ann.buttons()[0]
    await ann.tap("Carry on with")
    await ann.send("/cancel")
    await ann.press(menu["message_id"], "cl:add:bus")
    answer = ann.callback_answer().get("text", "")
    assert "which has finished" in answer and "/claim" in answer
    await ann.send("/claim")
    await ann.tap("Something else")
    await ann.send("Ran the stall")
    await ann.press(menu["message_id"], "cl:veh:car")  # a button of another step of the same claim
    assert "earlier question in your claim" in ann.callback_answer().get("text", "")
    assert "Claim for: Ran the stall" in ann.reply_text


async def test_a_finished_flow_never_comes_back_when_its_last_reply_is_lost(bed: TestBed):
    """The end is saved before the last reply: a crash (here, the reply failing) after it
    cannot put the person back inside the finished flow."""
    ann = await bed.joined("Ann")
    await ann.send("/access")
    for label in ("Next", "In person", "Next", "1 hour"):
        await ann.tap(label)
    bed.server.fail_next("sendMessage", 400, description="Bad Request: lost on the way")
    await ann.send("I use a walker")
    await bed.restart()
    await ann.send("Hello")
    assert "not sure what you mean" in ann.reply_text
    participant = await bed.services.participants.by_telegram_id(ann.id)
    assert (await bed.services.access.get(participant.id)).other == "I use a walker"


async def test_send_tapped_again_after_a_lost_reply_repeats_the_reference(bed: TestBed):
    ann, _none = await _claim(bed)
    for label in ("Review and send", "Skip", "Vouchers"):
        await ann.tap(label)
    send = ann.find_button("Send my claim")
    bed.server.fail_next("sendMessage", 400, description="Bad Request: lost on the way")
    await ann.press(send[0]["message_id"], send[1])
    assert "C-2026-" not in ann.reply_text
    # The error handler's "sorry" tries to answer the already answered tap too; that is not this test's.
    bed.server.rejected[:] = [entry for entry in bed.server.rejected if entry[0] != "answerCallbackQuery"]
    await bed.restart()
    await ann.press(send[0]["message_id"], send[1])
    assert "Your claim C-2026-0001 has been sent" in ann.reply_text
    await ann.send("Hello")
    assert "not sure what you mean" in ann.reply_text, "the finished claim does not come back"
    participant = await bed.services.participants.by_telegram_id(ann.id)
    assert await bed.db.fetchval("SELECT COUNT(*) FROM claims WHERE participant_id = ?", (participant.id,)) == 1
