"""Rating success: members' baseline ("where are we now?") once a statement is agreed, the
progress ratings attendees give after a meeting (each with an optional comment, typed or
spoken), and staff's answers to the 'We' statements. The gate has checked the group right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column, keyboard
from domain.roles import ORGANISERS
from domain.success import COMMENT_MAX, WE_SCALE, WE_STATEMENTS
from handlers.kit.common import acknowledge, audit, refuse, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_or_spoken, typed_text
from success import ratings, work
from success.buttons import BaselineButton, OfficerWeButton, ProgressButton, WeButton

COMMENT = "success_comment"
PENDING = "success_rating"  # the rating waiting for its comment: statement and meeting
DONE = N_("Thank you. This helps us run better meetings.")


@dataclass
class RatingDraft:
    """The rating waiting for its comment. The field names are the keys the draft had as a dict,
    so a comment begun before drafts were typed is still kept after the upgrade."""

    group: int
    meeting: int
    statement: int


RATING = DraftSlot(PENDING, RatingDraft)


async def on_baseline(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, BaselineButton) and context.participant is not None
    if not await ratings.rate_baseline(
        context.services, button.group, button.statement, context.participant.id, button.score
    ):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    await acknowledge(update)
    if button.score:
        text = _(
            "Thank you. You said {score} out of 5. After each meeting we will ask again, so the group can "
            "see the change."
        ).format(score=button.score)
    else:
        text = _("Skipped. After each meeting we will ask how far the group has got.")
    await update.callback_query.edit_message_text(text)


# --- after a meeting ----------------------------------------------------------------------------


async def on_progress(update: Update, context: BotContext) -> Any:
    """A rating saves it and asks for a comment; 0 (Skip, or Next after a comment) moves on."""
    button = context.button
    assert context.participant is not None
    if not isinstance(button, ProgressButton) or not await ratings.may_rate_progress(
        context.services, button.group, button.meeting, button.statement, context.participant.id, button.score
    ):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return ConversationHandler.END
    RATING.drop(context)
    if button.score == 0:
        await acknowledge(update)
        text, markup = await work.progress_screen(context.services, button.meeting, button.statement) or (_(DONE), None)
        await update.callback_query.edit_message_text(text, reply_markup=markup)
        return ConversationHandler.END
    await ratings.rate_progress(
        context.services, button.meeting, button.statement, context.participant.id, button.score
    )
    pending = RATING.begin(context, RatingDraft(button.group, button.meeting, button.statement))
    await acknowledge(update, _("Noted: {score} out of 5.").format(score=button.score))
    text, markup = _comment_question(pending)
    await update.callback_query.edit_message_text(text, reply_markup=markup)
    return COMMENT


def _comment_question(pending: RatingDraft) -> tuple[str, Any]:
    return _("Anything to add? Type it or send a voice note. Or tap Next."), column(
        [(_("Next »"), ProgressButton(pending.group, pending.meeting, pending.statement, 0).pack())]
    )


async def ask_comment(update: Update, context: BotContext) -> Any:
    await say(update, context, *_comment_question(RATING.of(context)))
    return COMMENT


async def _commented(update: Update, context: BotContext, text: str | None, voice: str | None) -> Any:
    pending = RATING.pop(context)
    assert context.participant is not None
    services = context.services
    await ratings.comment(services, pending.meeting, pending.statement, context.participant.id, text, voice)
    await ending(update, context)
    following = await work.progress_screen(services, pending.meeting, pending.statement)
    await say(update, context, _("Thank you. The group will read it."))
    if following is not None:
        await say(update, context, *following)
    else:
        await say(update, context, _(DONE))
    return ConversationHandler.END


on_comment = typed_or_spoken(COMMENT, COMMENT_MAX, _commented)


# --- the 'We' statements --------------------------------------------------------------------------


def we_screen(group: int, item: int, officer: bool) -> tuple[str, Any]:
    key = list(WE_STATEMENTS)[item]
    kind = OfficerWeButton if officer else WeButton
    text = _("How true is this for us, the staff, in this group? ({number} of {count})\n“{statement}”").format(
        number=item + 1, count=len(WE_STATEMENTS), statement=_(WE_STATEMENTS[key])
    )
    return text, keyboard([[(_(label), kind(group, item, score).pack()) for score, label in WE_SCALE.items()]])


async def on_we(update: Update, context: BotContext) -> None:
    """Score 0 shows an item; a score saves it and shows the next. Staff only: a resident
    co-lead leads the group, but the 'We' statements are the council's to answer."""
    button = context.button
    assert isinstance(button, WeButton | OfficerWeButton) and context.participant is not None
    services = context.services
    if context.role not in ORGANISERS:
        await refuse(update, context, "button." + button.prefix, subject=button.pack())
        return
    if not await ratings.answer_we(services, button.group, button.item, button.score, context.participant.id):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    await acknowledge(update)
    officer = isinstance(button, OfficerWeButton)
    if button.score == 0:
        await say(update, context, *we_screen(button.group, button.item, officer))
        return
    if button.item + 1 < len(WE_STATEMENTS):
        text, markup = we_screen(button.group, button.item + 1, officer)
        await update.callback_query.edit_message_text(text, reply_markup=markup)
        return
    await audit(context, update, "success.we", "ok", subject=str(button.group))
    await update.callback_query.edit_message_text(
        _("Thank you. Your answers show in /impact, beside what residents say.")
    )


def conversation() -> Flow:
    rate = CallbackQueryHandler(on_progress, pattern=ProgressButton.pattern())
    return Flow(
        name="success_rating",
        noun=N_("your rating"),
        states=restarting(
            {COMMENT: step(ask_comment, rate, MessageHandler(typed_text() | filters.VOICE, on_comment))}, None
        ),
        entry_points=[rate],
        cancel=stopped(N_("Stopped. Your rating is saved.")),
        prefixes=(ProgressButton.prefix,),
        drafts=(PENDING,),
    )


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_baseline, pattern=BaselineButton.pattern()),
        CallbackQueryHandler(on_we, pattern=WeButton.pattern()),
        CallbackQueryHandler(on_we, pattern=OfficerWeButton.pattern()),
    ]
