"""What the steps of every declared flow share: reading what was typed or tapped, and ending.

Free text comes in only through `typed`, so nothing invisible reaches whoever reads it later;
a flow's last step calls `ending` before its last reply, so a finished flow never comes back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _
from claims.views import read_amount
from domain.dates import parse_day_end
from domain.words import clean_typed
from handlers.kit.common import Handler, clear_buttons, say

END = ConversationHandler.END

# Keeps what was said, as (typed words, None) or (None, a voice note's file id), and gives the
# flow's next state: the last step of a flow whose answer may be spoken.
Said = Callable[[Update, BotContext, str | None, str | None], Awaitable[Any]]


def typed_text() -> filters.BaseFilter:
    """Words a person typed, not a command."""
    return filters.TEXT & ~filters.COMMAND


def typed(update: Update, *, one_line: bool = True) -> str:
    """The words of a message (or a photo's caption), cleaned for storing: the one way free text
    comes in, so nothing invisible reaches whoever reads it later."""
    message = update.effective_message
    raw = (message.text or message.caption) if message else None
    return clean_typed(raw, one_line=one_line)


async def read_text(update: Update, context: BotContext, limit: int, *, one_line: bool = True) -> str | None:
    """What the person typed, cleaned; None (after saying why) if it is empty or too long."""
    text = typed(update, one_line=one_line)
    if not text or len(text) > limit:
        await say(update, context, _("Please answer in up to {limit} characters.").format(limit=limit))
        return None
    return text


async def read_money(update: Update, context: BotContext) -> int | None:
    """Pence from what was typed, in the reader's number format, up to the council's ceiling for
    a claim; None after a kind explanation (with a guess at what they meant, where there is one)."""
    pence, problem = read_amount(
        update.effective_message.text or "", context.language, context.services.settings.claim_ceiling_pence
    )
    if problem is not None:
        await say(update, context, problem)
    return pence


async def read_day(
    update: Update, context: BotContext, fits: Callable[[datetime, datetime], bool], refusal: str
) -> datetime | None:
    """The day typed, like 15/12 (its last minute, local time, as UTC), if `fits(day, now)`; None
    after saying `refusal` (N_-marked: what dates the step takes, and an example) if it is
    unreadable or does not fit."""
    now = context.services.clock.now()
    day = parse_day_end(typed(update), context.services.settings.timezone, now)
    if day is None or not fits(day, now):
        await say(update, context, _(refusal))
        return None
    return day


def day_to_come(refusal: str) -> Callable[[Update, BotContext], Awaitable[datetime | None]]:
    """What a step that takes a day still to come reads (`refusal`, N_-marked, says so, with an
    example), for `type_in` and `type_last`."""

    async def read(update: Update, context: BotContext) -> datetime | None:
        return await read_day(update, context, lambda day, now: day > now, refusal)

    return read


async def words_or_voice(update: Update, context: BotContext, limit: int) -> tuple[str | None, str | None] | None:
    """What was said, as (typed words, None) or (None, a voice note's file id); None (after
    saying why) if the words are empty or too long. Reasons, comments and answers take both."""
    message = update.effective_message
    if message is not None and message.voice:
        return None, message.voice.file_id
    text = await read_text(update, context, limit, one_line=False)
    return None if text is None else (text, None)


def typed_or_spoken(state: str, limit: int, save: Said) -> Handler:
    """The answer handler of a step at `state` that takes typed words (up to `limit`) or a voice
    note: words that are empty or too long get a kind explanation and the same step again;
    anything else goes to `save`, which reads the flow's draft, calls the use case, ends the
    flow (`ending`) and replies. One place, so every "say it or send a voice note" step checks
    its words alike."""

    async def answer(update: Update, context: BotContext) -> Any:
        said = await words_or_voice(update, context, limit)
        if said is None:
            return state
        return await save(update, context, *said)

    return answer


def nothing_sent(key: str) -> Handler:
    """ "Don't send" on a flow's last step: the draft kept under `key` goes, and nothing was sent."""

    async def not_sending(update: Update, context: BotContext) -> Any:
        await clear_buttons(update)
        context.drafts.pop(key, None)
        await say(update, context, _("Stopped. Nothing was sent."))
        return END

    return not_sending


def stopped(saying: str = N_("Stopped. Nothing was changed.")) -> Handler:
    """A flow's /cancel: says, in the reader's language, what stopping kept or left (`saying` is
    N_-marked). The flow has forgotten its declared drafts before this runs (`Flow.forget`)."""

    async def cancel(update: Update, context: BotContext) -> Any:
        await say(update, context, _(saying))
        return END

    return cancel


async def ending(update: Update, context: BotContext) -> None:
    """Save that the flow has ended now, before its last reply, so a crash right after that
    reply can never bring the finished flow back."""
    chat, user = update.effective_chat, update.effective_user
    persistence = context.application.persistence
    if context.flow_name and chat and user and persistence is not None:
        await persistence.update_conversation(context.flow_name, (chat.id, user.id), None)
