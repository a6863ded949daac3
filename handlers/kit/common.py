"""What every update goes through: the private-chat guard, loading the user, permission
checks, and replies that work for both messages and buttons (what answers an update nothing
else took, and the error handler, are in handlers/kit/fallbacks.py)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from functools import wraps
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ConversationHandler

from bot import taps
from bot.context import BotContext
from bot.i18n import _, match_language, ngettext, set_language
from bot.keyboards import Button, column
from bot.text import escape as escape  # handlers import it from here, with the rest of their toolkit
from domain.roles import ORGANISERS, Role, effective_role

log = logging.getLogger(__name__)

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, Any]]
# How a step puts its words on screen: `ask` (in place of the question answered) or `say` (below).
Put = Callable[[Update, BotContext, str, InlineKeyboardMarkup | None], Awaitable[Any]]
H = TypeVar("H", bound=Handler)


async def say(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send a message into the chat this update came from (message or button press)."""
    chat = update.effective_chat
    if chat is None:
        return None
    context.spoke = True
    await taps.settle()  # buttons being taken off go before anything new appears below them
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


STEP_MESSAGE = "step_message"  # drafts: the message showing a flow's current question


async def ask(update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None = None) -> int | None:
    """Put a flow's next question on screen. Answered by a button on the current question,
    that message becomes what was answered plus the next question: one edit, where a new
    message would cost one of the chat's few messages a second. Otherwise a new message.
    Returns the id of the message the question is on."""
    query = update.callback_query
    message = query.message if query else None
    on_step = isinstance(message, Message) and message.message_id == context.drafts.get(STEP_MESSAGE)
    if query is not None and isinstance(message, Message) and on_step and not context.spoke:
        data = query.data or ""
        answered = _pressed_label(message, data)
        if answered is not None or data.endswith(":back"):  # not a stale or forged press
            try:
                await query.edit_message_text(
                    f"✔ <i>{escape(answered)}</i>\n\n{text}" if answered else text, reply_markup=markup
                )
                return message.message_id
            except BadRequest as exc:  # e.g. the message is too old to edit: ask afresh below it
                log.info("Could not edit the question in place: %s", exc)
    if on_step:
        await clear_buttons(update)  # it is not the answer to this question, or something was said below
    sent = await say(update, context, text, markup)
    if sent is None:
        return None
    context.drafts[STEP_MESSAGE] = sent.message_id
    return sent.message_id


def _pressed_label(message: Message, data: str) -> str | None:
    """The label of the button pressed on `message`; None for Back, which answers nothing."""
    if data.endswith(":back") or message.reply_markup is None:
        return None
    return next(
        (button.text for row in message.reply_markup.inline_keyboard for button in row if button.callback_data == data),
        None,
    )


async def acknowledge(update: Update, text: str | None = None, *, alert: bool = False) -> bool:
    """Answer a button press with `text` as a toast, or as an alert. False when the press was
    answered already because the bot was slow to get here (bot/taps.py): `text` was not shown."""
    query = update.callback_query
    if query is None:
        return False
    return await taps.answer(query, text, alert=alert)


async def clear_buttons(update: Update) -> None:
    """Take the keyboard off the message whose button was pressed, so it can't be pressed twice.
    During the press's own update this happens once it is handled, and not at all if the
    message was edited meanwhile (bot/taps.py), so "clear, then ask in place" is one edit."""
    query = update.callback_query
    if query is None or query.message is None or not isinstance(query.message, Message):
        return
    if query.message.reply_markup is None or taps.retire_buttons(query):
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:
        log.info("Could not clear buttons: %s", exc)


async def throttle(update: Update, context: BotContext) -> None:
    """Someone flooding the bot is asked once to slow down; their extra updates are dropped."""
    user = update.effective_user
    if user is None:
        return
    verdict = context.services.throttle.check(user.id)
    if verdict == "ok":
        return
    if verdict == "warn" and update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
        set_language(match_language(user.language_code, context.services.settings.default_language))
        await acknowledge(update)
        await context.bot.send_message(
            update.effective_chat.id,
            _("That's a lot of messages very quickly. Please wait a few seconds, then carry on."),
        )
    raise ApplicationHandlerStop


async def guard_private(update: Update, context: BotContext) -> None:
    """Never collect or show personal data in a group: point people to a private chat."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if chat.type == ChatType.CHANNEL or update.effective_user is None:
        raise ApplicationHandlerStop  # channel posts have no person to answer
    message = update.effective_message
    addressed = update.callback_query is not None or (
        message is not None and message.text is not None and message.text.startswith("/")
    )
    if addressed:
        with_language = match_language(
            update.effective_user.language_code if update.effective_user else None,
            context.services.settings.default_language,
        )
        set_language(with_language)
        text = _("Let's talk in a private chat, so your details stay private.")
        link = f"https://t.me/{context.bot.username}"
        if update.callback_query:
            await acknowledge(update, text, alert=True)
        else:
            try:
                await context.bot.send_message(
                    chat.id, text, reply_markup=column([(_("Open a private chat"), "url:" + link)])
                )
            except TelegramError as exc:
                log.info("Could not answer in group %s: %s", chat.id, exc)
    raise ApplicationHandlerStop


async def load_user(update: Update, context: BotContext) -> None:
    """Load who is talking, their role and language, once per update."""
    user = update.effective_user
    services = context.services
    if user is None:
        set_language(services.settings.default_language)
        return
    participant, stored_role = await services.participants.with_role(user.id)
    if participant is not None and participant.unreachable and update.my_chat_member is None:
        await services.participants.mark_reachable(participant.id)  # handlers/people/reach.py decides those
    today = services.clock.now().date()
    if participant is not None and participant.active_on != today and update.my_chat_member is None:
        # Retention counts from the last day they used the bot: one write a day, not one an update.
        await services.participants.mark_active(participant.id, today)
    context.participant = participant
    context.role = effective_role(user.id, services.settings.admin_ids, stored_role)
    if participant is not None:
        code = participant.language
    else:
        drafts = context.user_data or {}
        code = drafts.get("language") or match_language(user.language_code, services.settings.default_language)
    context.language = set_language(code)


async def flush_persistence(update: Update, context: BotContext) -> None:
    """Write conversation state now, not in a minute, so a crash loses nothing acknowledged."""
    if update.effective_user:
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await context.application.update_persistence()


async def audit(
    context: BotContext,
    update: Update,
    action: str,
    outcome: str,
    subject: str | None = None,
    detail: str | None = None,
) -> None:
    user = update.effective_user
    await context.services.audit.record(
        at=context.services.clock.now(),
        actor_telegram_id=user.id if user else None,
        actor_participant_id=context.participant.id if context.participant else None,
        action=action,
        outcome=outcome,
        subject=subject,
        detail=detail,
    )


async def refuse(update: Update, context: BotContext, action: str, subject: str | None = None) -> None:
    """A polite no, and a line in the audit log."""
    log.warning(
        "Refused %s for user %s (role %s)",
        action,
        update.effective_user.id if update.effective_user else None,
        context.role,
    )
    await audit(context, update, action, "refused", subject=subject)
    text = _("Sorry, you can't do that. If you think you should be able to, please ask your council contact.")
    if not await acknowledge(update, text, alert=True):
        await say(update, context, text)  # a message, when the tap was answered before we got here


async def is_colead(context: BotContext) -> bool:
    """A resident who co-leads a group (asked only when it matters, not on every update)."""
    participant = context.participant
    return participant is not None and bool(await context.services.projects.coled_by(participant.id))


def require(roles: frozenset[Role], action: str) -> Callable[[H], H]:
    """Check the role on the server before a command or a button does anything."""

    def decorate(handler: H) -> H:
        @wraps(handler)
        async def checked(update: Update, context: BotContext) -> Any:
            if context.role not in roles:
                await refuse(update, context, action)
                return ConversationHandler.END
            return await handler(update, context)

        return checked  # type: ignore[return-value]

    return decorate


def require_organiser(action: str) -> Callable[[H], H]:
    """Staff who organise, or a group's resident co-lead: meeting-time polls for a group."""

    def decorate(handler: H) -> H:
        @wraps(handler)
        async def checked(update: Update, context: BotContext) -> Any:
            if context.role not in ORGANISERS and not await is_colead(context):
                await refuse(update, context, action)
                return ConversationHandler.END
            return await handler(update, context)

        return checked  # type: ignore[return-value]

    return decorate


def require_registered(handler: H) -> H:
    """Features for people who have joined; everyone else is pointed to /start."""

    @wraps(handler)
    async def checked(update: Update, context: BotContext) -> Any:
        if context.participant is None or not context.participant.registered:
            await acknowledge(update)
            await say(update, context, _("Please join first: send /start. It takes about two minutes."))
            return ConversationHandler.END
        return await handler(update, context)

    return checked  # type: ignore[return-value]


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message, or forged data: nothing happens, and we say so."""
    await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)


def show_more(left: int, page: int, data: str) -> Button:
    """The "Show N more" button under a page of cards: N is the next page's size, not all that is left."""
    more = min(left, page)
    return ngettext("Show {count} more", "Show {count} more", more).format(count=more), data


def turn_page(
    show: Callable[[Update, BotContext, int], Awaitable[None]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, None]]:
    """The handler of a "Show N more" press, whose button's `start` says where the next page
    begins (never before the first, however it was forged); the gate has checked who may press."""

    async def turned(update: Update, context: BotContext) -> None:
        await acknowledge(update)
        await show(update, context, max(0, getattr(context.button, "start", 0)))  # a parsed int, as declared

    return turned
