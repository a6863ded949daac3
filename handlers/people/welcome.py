"""The end of joining: the welcome, and the welcome again when it was lost on the way."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import keyboard
from bot.menu import sync_chat_commands
from bot.text import MESSAGE_LIMIT
from handlers.buttons.profile_buttons import OPEN, QUIET_HOURS, AccessChoice, JoinChoice
from handlers.kit import links
from handlers.kit.common import acknowledge, ask, escape, say
from handlers.kit.flow import ending
from handlers.people import help as help_view
from handlers.people.joining_draft import MODE, Mode, close, forget_link, kept_link

ANSWERED_ROOM = 100  # characters kept for the "✔ answer" line `ask` puts above the welcome


async def welcome(update: Update, context: BotContext) -> Any:
    """The end of joining: registered, and the end saved before the welcome, so a crash after
    the welcome can never reopen joining."""
    assert context.participant is not None
    services = context.services
    await services.participants.mark_registered(context.participant.id, services.clock.now())
    context.participant = await services.participants.by_id(context.participant.id)
    await ending(update, context)
    await _greet(update, context)
    return ConversationHandler.END


async def welcome_again(update: Update, context: BotContext) -> bool:
    """A button of joining pressed once it has finished. Joining's end is saved before its
    welcome, so a welcome lost on the way (the process died, Telegram failed) left joining still
    open in the drafts, which are written only once an update is handled: its last answer,
    tapped again, brings the welcome now, with the group they came for. False for any other
    press, which is an old button."""
    participant = context.participant
    last_answer = JoinChoice.chosen(context.button, QUIET_HOURS) is not None
    if (
        not last_answer
        or participant is None
        or not participant.registered
        or context.drafts.get(MODE) != Mode.ONBOARDING
    ):
        return False
    await acknowledge(update)
    await _greet(update, context)
    return True


async def _greet(update: Update, context: BotContext) -> None:
    """Thanked, offered the access question, then where they came for (a group's link) or else
    the menu. Where they came for is put into the welcome, one edit of the screen they are on,
    so the end of joining from a poster costs no new message (it cost one, which a crowd waits
    for at 30 a second); the menu is a message of its own. Joining is closed, and the link let
    go, only once the welcome is sent."""
    name = context.participant.display_name if context.participant else ""
    thanks = _("All set, {name}! Thank you for joining.").format(name=escape(name))
    access = _(
        "One more thing, when you have a minute: tell us what you need to take part, such as step-free "
        "access or a hearing loop."
    )
    alone = thanks + "\n\n" + access
    access_keys = keyboard([[(_("♿ What I need to take part"), AccessChoice(OPEN, "").pack())]])

    async def welcoming(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None) -> Any:
        whole = "\n\n".join((thanks, text, access))
        if len(whole) > MESSAGE_LIMIT - ANSWERED_ROOM:  # a long group card: the welcome, then the card below
            await ask(update, context, alone, access_keys)
            return await say(update, context, text, markup)
        rows = [*(markup.inline_keyboard if markup else ()), *access_keys.inline_keyboard]
        return await ask(update, context, whole, InlineKeyboardMarkup(rows))

    pending = kept_link(context)
    if pending:
        await links.follow(update, context, pending, welcoming)
    else:
        await ask(update, context, alone, access_keys)
    close(context)
    forget_link(context)
    await sync_chat_commands(context.bot, update.effective_chat.id, context.role, context.language)
    if not pending:
        await help_view.show_menu(update, context)  # the chat's menu button lists the rest
