"""One message to one person, in their language, through the durable outbox.

Status changes (a claim approved, a question asked) must reach people even if the bot
restarts right after the change is committed, so they are queued, not sent directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection

from telegram import InlineKeyboardMarkup

from bot.i18n import language
from bot.services import Services
from domain.delivery import next_send_time
from storage.outbox import Outgoing


async def notify(
    services: Services,
    participant_id: int,
    dedupe_key: str,
    render: Callable[[], str],
    markup: Callable[[], InlineKeyboardMarkup] | None = None,
    *,
    wait_for_quiet: bool = False,
    quotes: Collection[int] = (),
) -> bool:
    """Queue `render()` (called in the person's language), or a letter for someone who takes
    part through staff; False if they can't be reached.

    `quotes` names whoever's own words the message repeats, so erasing them empties it too.
    """
    person = await services.participants.by_id(participant_id)
    if person is None or person.chat is None:
        return False
    now = services.clock.now()
    with language(person.language):
        text = render()
        buttons = json.dumps(markup().to_dict()) if markup else None
    not_before = next_send_time(now, services.settings.timezone, person.quiet_hours) if wait_for_quiet else now
    message = Outgoing(
        chat_id=person.chat,
        participant_id=participant_id,
        text=text,
        markup=buttons,
        dedupe_key=dedupe_key,
        not_before=not_before,
        quotes=tuple(quotes),
    )
    await services.outbox.create_batch("notice", dedupe_key.split(":")[0], None, now, [message])
    if services.sender is not None:
        services.sender.wake()
    return True
