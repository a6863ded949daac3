"""Who can be reached: Telegram tells the bot when a person blocks it or comes back.

A person who blocked the bot leaves every reach count (opportunity previews, progress, the
people a broadcast is queued for) at once, not only after a send to them fails; unblocking
brings them back. Nothing is said to them: a blocked chat cannot be written to.
"""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, ChatMemberHandler

from bot.context import BotContext

GONE = frozenset({ChatMember.BANNED, ChatMember.LEFT})


async def chat_member_changed(update: Update, context: BotContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != ChatType.PRIVATE or context.participant is None:
        raise ApplicationHandlerStop
    participants = context.services.participants
    if change.new_chat_member.status in GONE:
        await participants.mark_unreachable(context.participant.id, context.services.clock.now())
    else:
        await participants.mark_reachable(context.participant.id)
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [ChatMemberHandler(chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER)]
