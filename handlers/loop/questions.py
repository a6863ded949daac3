"""Questions both ways. A resident asks about an opportunity, a meeting or a group; its
organisers get it with a Reply button, and the answer comes back with the resident's own
Reply. Officers write to the person behind any feedback the same way. Threads stay with the
item and are shown only to its organisers and the resident. A question with no answer
after `QUESTION_NUDGE_HOURS` shows in /overdue and nudges its organisers once.

This is the flow of writing; who may write where, and the sending, are `questions.work`."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _, language
from bot.services import Services
from bot.text import fit_lines
from domain.questions import QUESTION_MAX
from handlers.kit.common import acknowledge, audit, refuse, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import END, Flow, ending, step, stopped, typed_or_spoken, typed_text
from handlers.loop.question_draft import QUESTION, QuestionDraft, Side
from questions import work
from questions.buttons import (
    AskButton,
    FeedbackWriteButton,
    LeadReplyButton,
    PlayVoiceButton,
    ResidentReplyButton,
    StaffReplyButton,
)
from questions.views import conversation_lines
from storage.questions import Thread

WRITING = "writing"


# --- starting to write -------------------------------------------------------------------


async def on_ask(update: Update, context: BotContext) -> Any:
    """A resident taps "Ask a question" on something they were sent or belong to."""
    button = context.button
    assert isinstance(button, AskButton)
    me = context.participant.id if context.participant else None
    about = await work.askable(context.services, button.kind, button.item, me)
    if about is None:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return END
    await acknowledge(update)
    QUESTION.begin(context, QuestionDraft(ask=[about.kind.value, about.id]))
    return await ask_writing(update, context)


async def on_organiser_reply(update: Update, context: BotContext) -> Any:
    """An organiser taps Reply: the gate checked the role or group right; this checks the item."""
    button = context.button
    assert isinstance(button, StaffReplyButton | LeadReplyButton)
    me = context.participant.id if context.participant else None
    thread = await work.answerable(context.services, button.thread, me, context.role)
    return await _replying(update, context, button.thread, thread, Side.ORGANISER)


async def on_resident_reply(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, ResidentReplyButton)
    me = context.participant.id if context.participant else None
    thread = await work.own_thread(context.services, button.thread, me)
    return await _replying(update, context, button.thread, thread, Side.RESIDENT)


async def _replying(update: Update, context: BotContext, tapped: int, thread: Thread | None, side: Side) -> Any:
    """Either side's Reply: into the thread it named, if the caller found it theirs to answer."""
    if thread is None:
        await refuse(
            update, context, "question.reply" if side is Side.ORGANISER else "question.answer", subject=str(tapped)
        )
        return END
    await acknowledge(update)
    QUESTION.begin(context, QuestionDraft(thread=thread.id, side=side))
    await _show_thread(update, context, thread)
    return await ask_writing(update, context)


async def on_feedback_write(update: Update, context: BotContext) -> Any:
    """An officer writes to the person behind a piece of feedback: a reply or a follow-up question."""
    button = context.button
    assert isinstance(button, FeedbackWriteButton)
    feedback, thread = await work.feedback_thread(context.services, button.feedback)
    if feedback is None or button.mode not in ("r", "q"):
        await refuse(update, context, "question.feedback", subject=str(button.feedback))
        return END
    await acknowledge(update)
    QUESTION.begin(context, QuestionDraft(feedback=feedback.id, side=Side.ORGANISER, mode=button.mode))
    if thread is not None:
        await _show_thread(update, context, thread)
    return await ask_writing(update, context)


async def ask_writing(update: Update, context: BotContext) -> Any:
    draft = QUESTION.of(context)
    if draft.ask:
        text = _("Type your question, or send a voice note. The organisers will see your name and answer you here.")
    elif draft.mode == "q":
        text = _("Type your question, or send a voice note. They will get it here and can answer you.")
    else:
        text = _("Type your answer, or send a voice note. They will get it here and can answer back.")
    await say(update, context, text + "\n" + _("Send /cancel to stop."))
    return WRITING


async def _show_thread(update: Update, context: BotContext, thread: Thread) -> None:
    """The conversation so far, to the two sides of it only (checked by the caller)."""
    lines = await conversation_lines(context.services, thread)
    if lines:
        await say(update, context, fit_lines(lines))


# --- sending -------------------------------------------------------------------------------


async def _written(update: Update, context: BotContext, text: str | None, voice: str | None) -> Any:
    """Typed words or a voice note, into the thread the draft names."""
    said = work.Words(text or "", voice)
    draft = QUESTION.pop(context)
    services = context.services
    me = context.participant
    if me is None:
        return END
    thread, about = await work.thread_to_write(services, draft.target(), me.id)
    if thread is None or about is None:
        await say(update, context, _("This conversation has closed. Send /help to see what you can do."))
        return END
    await ending(update, context)
    if draft.side is Side.ORGANISER:
        if not await work.answer_resident(services, thread, about, me.id, context.role, said, draft.mode):
            await refuse(update, context, "question.reply", subject=str(thread.id))
            return END
        await audit(context, update, "question.reply", "ok", subject=str(thread.id))
        await say(update, context, _("Sent. Their answer will come to you here."))
    else:
        await work.ask_organisers(services, thread, about, me.id, me.display_name or "", said)
        await say(update, context, _("Sent. The organiser will answer you here."))
    return END


on_written = typed_or_spoken(WRITING, QUESTION_MAX, _written)


async def on_play(update: Update, context: BotContext) -> None:
    """A voice note in a thread, played only to its two sides."""
    button = context.button
    assert isinstance(button, PlayVoiceButton)
    me = context.participant.id if context.participant else None
    voice = await work.voice_note(context.services, button.message, me, context.role)
    if voice is None:
        await refuse(update, context, "question.play", subject=str(button.message))
        return
    await acknowledge(update)
    await context.bot.send_voice(update.effective_chat.id, voice)


def job_handlers(services: Services) -> dict[str, Any]:
    async def run_nudge(ref: str) -> None:
        thread_id, message_id = ref.split(":")
        with language(services.settings.default_language):
            await work.nudge(services, int(thread_id), int(message_id))

    return {work.NUDGE_JOB: run_nudge}


# --- the flow --------------------------------------------------------------------------------


def _openings() -> list[CallbackQueryHandler[Any, Any]]:
    """Every way into writing; also taken mid-flow, so tapping another Reply switches to it.
    Play is here too, so hearing a voice note never pauses the answer being written."""
    return [
        CallbackQueryHandler(on_ask, pattern=AskButton.pattern()),
        CallbackQueryHandler(on_play, pattern=PlayVoiceButton.pattern()),
        CallbackQueryHandler(on_organiser_reply, pattern=StaffReplyButton.pattern()),
        CallbackQueryHandler(on_organiser_reply, pattern=LeadReplyButton.pattern()),
        CallbackQueryHandler(on_resident_reply, pattern=ResidentReplyButton.pattern()),
        CallbackQueryHandler(on_feedback_write, pattern=FeedbackWriteButton.pattern()),
    ]


def conversation() -> Flow:
    return Flow(
        name="question",
        noun=N_("your message"),
        states=restarting(
            {WRITING: step(ask_writing, MessageHandler(typed_text() | filters.VOICE, on_written), *_openings())}, None
        ),
        entry_points=_openings(),
        cancel=stopped(),
        prefixes=(),
        drafts=(QUESTION.key,),
    )
