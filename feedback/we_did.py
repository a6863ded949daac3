"""Publishing a theme's "we did" and asking, twice, whether it made a difference.

Publishing writes the answer, queues every contributor's copy and books the follow-up in one
transaction: a crash can leave it unpublished, never published but untold.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.i18n import _, language
from bot.keyboards import keyboard
from bot.services import Services
from bot.text import escape
from bot.versions import reader_copy, with_note
from domain.delivery import next_send_time
from domain.feedback import ASK_AGAIN, DIFFERENCE
from feedback.buttons import DifferenceButton
from storage.feedback import Theme
from storage.outbox import Outgoing

WE_DID_KIND = "we_did"  # the item kind its versions in other languages are saved under
FOLLOW_UP = "wedid.followup"  # the job that asks again, weeks after a "we did"
ROUNDS = (1, 2)  # the first copy, and the follow-up to those not yet helped


def we_did_text(fields: Mapping[str, Any], round_: int) -> str:
    """A contributor's copy of a theme's answer, from its title, outcome and what was done."""
    head = _("You said: {said}").format(said=escape(fields["title"]))
    if fields["outcome"] == "cant":
        body = _("We can't do this, and here is why: {why}").format(why=escape(fields["we_did"]))
    else:
        body = _("We did: {did}").format(did=escape(fields["we_did"]))
    ask = (
        _("Has this made a difference for you?")
        if round_ == 1
        else _("A few weeks on: has this made a difference for you now?")
    )
    return f"📣 {head}\n{body}\n\n{ask}"


def difference_markup(theme_id: int, round_: int) -> InlineKeyboardMarkup:
    return keyboard([[(_(label), DifferenceButton(theme_id, round_, key).pack()) for key, label in DIFFERENCE.items()]])


async def we_did_messages(services: Services, theme: Theme, round_: int) -> list[Outgoing]:
    """Each contributor's copy (round 1), or for those not yet helped (round 2), in their language."""
    now = services.clock.now()
    tz = services.settings.timezone
    people = await services.feedback.contributors(theme.id)
    if round_ == 2:
        first = await services.feedback.answers(theme.id, 1)
        people = [p for p in people if p not in first or first[p] in ASK_AGAIN]
    versions = await services.text_versions.of(WE_DID_KIND, theme.id)
    messages = []
    for participant_id in people:
        person = await services.participants.by_id(participant_id)
        if person is None or person.chat is None:
            continue
        with language(person.language):
            copy, note = reader_copy(versions, theme, person.language)
            fields = {"title": copy.title, "outcome": copy.outcome, "we_did": copy.we_did}
            text = with_note(we_did_text(fields, round_), note)
            markup = json.dumps(difference_markup(theme.id, round_).to_dict())
        messages.append(
            Outgoing(
                chat_id=person.chat,
                participant_id=participant_id,
                text=text,
                markup=markup,
                dedupe_key=f"wedid:{theme.id}:{round_}:{participant_id}",
                not_before=next_send_time(now, tz, person.quiet_hours),
            )
        )
    return messages


async def publish_we_did(
    services: Services,
    theme: Theme,
    outcome: str,
    text: str,
    *,
    written_in: str,
    versions: Mapping[str, Mapping[str, str]],
) -> int | None:
    """Save the officer's versions in other languages (every copy is built from them), then publish
    the theme's answer, queue it to everyone who said it and schedule the follow-up, all in one
    transaction. Returns how many people it is on its way to, or None if it was already published."""
    if theme.published_at is not None:
        return None
    now = services.clock.now()
    await services.text_versions.save(WE_DID_KIND, theme.id, written_in, versions, now)
    messages = await we_did_messages(services, replace(theme, outcome=outcome, we_did=text), 1)
    async with services.db.transaction() as conn:
        if not await services.feedback.publish(conn, theme.id, outcome, text, now):
            return None
        _batch, sent = await services.outbox.create_batch("we_did", str(theme.id), None, now, messages)
        await services.jobs.schedule(FOLLOW_UP, str(theme.id), now + timedelta(weeks=services.settings.follow_up_weeks))
    wake(services)
    return sent


async def send_we_did(services: Services, theme: Theme, round_: int) -> int:
    """Queue a later round of a published theme's answer."""
    messages = await we_did_messages(services, theme, round_)
    _batch, added = await services.outbox.create_batch("we_did", str(theme.id), None, services.clock.now(), messages)
    wake(services)
    return added


async def answer_difference(services: Services, participant_id: int, button: DifferenceButton) -> bool:
    """Record a contributor's answer; False for a theme they did not say, or an answer not on offer."""
    theme = await services.feedback.theme(button.theme)
    if (
        theme is None
        or button.round not in ROUNDS
        or button.answer not in DIFFERENCE
        or participant_id not in await services.feedback.contributors(theme.id)
    ):
        return False
    await services.feedback.record_difference(
        theme.id, participant_id, button.round, button.answer, services.clock.now()
    )
    return True


def wake(services: Services) -> None:
    """Start the sender on what was just queued, rather than at its next tick."""
    if services.sender is not None:
        services.sender.wake()
