"""Awkward input at every step of the main conversations: stickers, locations, contacts,
edited messages, 10,000-character text, emoji, right-to-left and zero-width characters, typed
`<b>` and `*`, unknown buttons, and updates that are not messages at all. The bot must never
fail, never send what Telegram would refuse (checked by the test bed), and always answer a
person's own message with a way forward."""

from __future__ import annotations

import time
from typing import Any

from tests.harness import Person, TestBed
from tests.test_opportunities import staff

ERROR = "something went wrong on our side"


def _message(person: Person, **content: Any) -> dict[str, Any]:
    user = person.user.as_user()
    return {
        "message_id": 900_000 + int(time.time_ns() % 100_000),
        "date": int(time.time()),
        "from": user,
        "chat": {"id": person.id, "type": "private", "first_name": person.user.first_name},
        **content,
    }


async def battery(bed: TestBed, person: Person) -> None:
    """Everything at once, at the current step; the step must still be there afterwards."""
    answered = [
        {
            "message": _message(
                person,
                sticker={
                    "file_id": "stk",
                    "file_unique_id": "u1",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                },
            )
        },
        {"message": _message(person, location={"latitude": 51.41, "longitude": -0.75})},
        {"message": _message(person, contact={"phone_number": "+447700900000", "first_name": "Someone"})},
        {"message": _message(person, text="x" * 10_000)},
        {"message": _message(person, text="🙂🙃 مرحبا بكم \u200b\u200f zero\u200dwidth")},
        {"message": _message(person, text="<b>bold?</b> *stars* _under_ `code` &amp;")},
    ]
    silent = [
        {"edited_message": _message(person, text="edited", edit_date=int(time.time()))},
        {
            "my_chat_member": {
                "chat": {"id": person.id, "type": "private", "first_name": "x"},
                "from": person.user.as_user(),
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": bed.server.bot_user},
                "new_chat_member": {"status": "kicked", "user": bed.server.bot_user, "until_date": 0},
            }
        },
        {
            "channel_post": {
                "message_id": 5,
                "date": int(time.time()),
                "text": "/start",
                "chat": {"id": -100777, "type": "channel", "title": "News"},
            }
        },
    ]
    for update in answered:
        before = len(person.messages)
        await bed.settle(bed.server.push_update(update))
        new = person.messages[before:]
        assert new, f"no answer to {list(update['message'])[-1]}"
        assert not any(ERROR in (m.get("text") or "") for m in new), new[-1].get("text")
    for update in silent:
        before = len(person.messages)
        await bed.settle(bed.server.push_update(update))
        assert not any(ERROR in (m.get("text") or "") for m in person.messages[before:])
    if person.messages:
        before = len(person.messages)
        await person.press(person.messages[-1]["message_id"], "zz:unknown:999")
        assert ERROR not in " ".join(m.get("text") or "" for m in person.messages[before:])
        assert person.callback_answer() is not None


async def test_every_step_of_joining(bed: TestBed):
    sam = bed.person("Sam")
    await battery(bed, sam)  # before joining at all
    await sam.send("/start")
    steps = [
        ("tap", "English"),
        ("tap", "Yes, I agree"),
        ("send", "Sam"),
        ("tap", "For myself"),
        ("tap", "Done"),
        ("send", "Binfield"),
        ("tap", "Any time"),
    ]
    for action, value in steps:
        await battery(bed, sam)
        await (sam.tap(value) if action == "tap" else sam.send(value))
    assert (await bed.services.participants.by_telegram_id(sam.id)).registered
    await battery(bed, sam)  # and once joined


async def test_every_step_of_the_staff_and_resident_flows(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/opportunity")
    await battery(bed, cora)
    await cora.send("Title")
    await battery(bed, cora)
    await cora.send("/cancel")
    await cora.send("/meeting")
    await cora.send("A meeting")
    await battery(bed, cora)
    await cora.send("/cancel")
    await cora.send("/newproject")
    await battery(bed, cora)
    await cora.send("/cancel")

    ann = await bed.joined("Ann")
    await ann.send("/claim")
    await ann.tap("Something else")
    await battery(bed, ann)
    await ann.send("Stall at the fair")
    await ann.tap("Parking")
    await battery(bed, ann)  # while an amount is awaited
    await ann.send("3")
    await ann.send("/cancel")
    await ann.send("/feedback")
    await ann.tap("Something else")
    await battery(bed, ann)  # while the feedback itself is awaited
    await ann.send("/cancel")
    await ann.send("/access")
    await battery(bed, ann)
    await ann.send("/cancel")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM claims") == 0
