"""Questions both ways. A resident asks about an opportunity, a meeting or a group; its
organisers get it with a Reply button, and the answer comes back with the resident's own
Reply. Officers write to the person behind any feedback the same way. Threads stay with the
item and are shown only to its organisers and the resident. A question with no answer
after `QUESTION_NUDGE_HOURS` shows in /overdue and nudges its organisers once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, language
from bot.keyboards import Button, column
from bot.notify import notify
from bot.services import Services
from bot.text import fit_lines
from domain.questions import KIND_NAMES, QUESTION_MAX, Kind
from handlers import question_items as items
from handlers.common import acknowledge, audit, escape, refuse, say
from handlers.flow import END, Flow, cancel_clearing, ending, read_text, step, typed_text
from handlers.question_buttons import (AskButton, FeedbackWriteButton, LeadReplyButton, PlayVoiceButton,
                                       ResidentReplyButton, StaffReplyButton)
from storage.questions import Thread

WRITING = "writing"
# {"ask": [kind, item]}, {"feedback": id, "as": "organiser", "mode": "r" | "q"} or
# {"thread": id, "as": "resident" | "organiser"}: what the person is writing into.
DRAFT = "question"
NUDGE_JOB = "question.nudge"
SHOWN = 6  # messages of a thread shown before writing in it


# --- starting to write -------------------------------------------------------------------

async def on_ask(update: Update, context: BotContext) -> Any:
    """A resident taps "Ask a question" on something they were sent or belong to."""
    button = context.button
    assert isinstance(button, AskButton)
    kind = next((k for k in Kind if k.value == button.kind), None)
    about = await items.item(context.services, kind, button.item) if kind else None
    me = context.participant
    if about is None or me is None or not await items.may_ask(context.services, about, me.id):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."),
                          alert=True)
        return END
    await acknowledge(update)
    context.drafts[DRAFT] = {"ask": [about.kind.value, about.id]}
    return await ask_writing(update, context)


async def on_organiser_reply(update: Update, context: BotContext) -> Any:
    """An organiser taps Reply: the gate checked the role or group right; this checks the item."""
    button = context.button
    assert isinstance(button, StaffReplyButton | LeadReplyButton)
    services = context.services
    thread = await services.questions.by_id(button.thread)
    about = await items.of_thread(services, thread) if thread else None
    me = context.participant.id if context.participant else None
    if thread is None or about is None or not items.answers(about, me, context.role):
        await refuse(update, context, "question.reply", subject=str(button.thread))
        return END
    await acknowledge(update)
    context.drafts[DRAFT] = {"thread": thread.id, "as": "organiser"}
    await _show_thread(update, context, thread)
    return await ask_writing(update, context)


async def on_resident_reply(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, ResidentReplyButton)
    thread = await context.services.questions.by_id(button.thread)
    if thread is None or context.participant is None or thread.participant_id != context.participant.id:
        await refuse(update, context, "question.answer", subject=str(button.thread))
        return END
    await acknowledge(update)
    context.drafts[DRAFT] = {"thread": thread.id, "as": "resident"}
    await _show_thread(update, context, thread)
    return await ask_writing(update, context)


async def on_feedback_write(update: Update, context: BotContext) -> Any:
    """An officer writes to the person behind a piece of feedback: a reply or a follow-up question."""
    button = context.button
    assert isinstance(button, FeedbackWriteButton)
    services = context.services
    feedback = await services.feedback.by_id(button.feedback)
    if feedback is None or button.mode not in ("r", "q"):
        await refuse(update, context, "question.feedback", subject=str(button.feedback))
        return END
    await acknowledge(update)
    context.drafts[DRAFT] = {"feedback": feedback.id, "as": "organiser", "mode": button.mode}
    thread = await services.questions.find(Kind.FEEDBACK, feedback.id, feedback.participant_id)
    if thread is not None:
        await _show_thread(update, context, thread)
    return await ask_writing(update, context)


async def ask_writing(update: Update, context: BotContext) -> Any:
    draft = context.drafts.get(DRAFT) or {}
    if "ask" in draft:
        text = _("Type your question, or send a voice note. The organisers will see your name and answer you here.")
    elif draft.get("mode") == "q":
        text = _("Type your question, or send a voice note. They will get it here and can answer you.")
    else:
        text = _("Type your answer, or send a voice note. They will get it here and can answer back.")
    await say(update, context, text + "\n" + _("Send /cancel to stop."))
    return WRITING


async def _show_thread(update: Update, context: BotContext, thread: Thread) -> None:
    """The conversation so far, to the two sides of it only (checked by the caller)."""
    said = await context.services.questions.messages(thread.id, SHOWN)
    if not said:
        return
    tz = context.services.settings.timezone
    lines = [_("<b>The conversation so far, newest first</b>")]
    for message in reversed(said):
        who = _("Resident") if message.from_resident else _("Organiser")
        words = "🎤" if message.voice_file_id else escape(message.text)
        lines.append(f"<i>{who}, {format_datetime(message.at, tz)}:</i> {words}")
    await say(update, context, fit_lines(lines))


# --- sending -------------------------------------------------------------------------------

async def on_written(update: Update, context: BotContext) -> Any:
    """Typed words or a voice note, into the thread the draft names."""
    voice = update.effective_message.voice.file_id if update.effective_message.voice else None
    text = "" if voice else await read_text(update, context, QUESTION_MAX, one_line=False)
    if text is None:
        return WRITING
    said = Words(text, voice)
    draft = context.drafts.pop(DRAFT, None) or {}
    services = context.services
    me = context.participant
    if me is None:
        return END
    thread, about = await _where(services, draft, me.id)
    if thread is None or about is None:
        await say(update, context, _("This conversation has closed. Send /help to see what you can do."))
        return END
    await ending(update, context)
    if draft.get("as") == "organiser":
        if not items.answers(about, me.id, context.role):
            await refuse(update, context, "question.reply", subject=str(thread.id))
            return END
        await _to_resident(services, thread, about, me.id, said, draft.get("mode"))
        await audit(context, update, "question.reply", "ok", subject=str(thread.id))
        await say(update, context, _("Sent. Their answer will come to you here."))
    else:
        await _to_organisers(services, thread, about, me.id, me.display_name or "", said)
        await say(update, context, _("Sent. The organiser will answer you here."))
    return END


async def _where(services: Services, draft: dict[str, Any], me: int) -> tuple[Thread | None, items.Item | None]:
    """The thread the draft writes into, started now for a new question."""
    if "ask" in draft:
        kind, item_id = draft["ask"]
        about = await items.item(services, Kind(kind), int(item_id))
        if about is None or not await items.may_ask(services, about, me):
            return None, None
        return await services.questions.thread_for(about.kind, about.id, about.project_id, me,
                                                   services.clock.now()), about
    if "feedback" in draft:
        feedback = await services.feedback.by_id(int(draft["feedback"]))
        about = await items.item(services, Kind.FEEDBACK, feedback.id) if feedback else None
        if feedback is None or about is None:
            return None, None
        return await services.questions.thread_for(Kind.FEEDBACK, feedback.id, None, feedback.participant_id,
                                                   services.clock.now()), about
    thread = await services.questions.by_id(int(draft.get("thread", 0)))
    if thread is None or (draft.get("as") == "resident" and thread.participant_id != me):
        return None, None
    return thread, await items.of_thread(services, thread)


@dataclass(frozen=True)
class Words:
    """What someone wrote: words, or a voice note (with no words)."""

    text: str
    voice: str | None

    def shown(self) -> str:
        return _("🎤 A voice note. Tap Play to hear it.") if self.voice else escape(self.text)


def _buttons(reply: Button, message_id: int, said: Words) -> Any:
    play = [(_("▶️ Play"), PlayVoiceButton(message_id).pack())] if said.voice else []
    return column([*play, reply])


async def _to_organisers(services: Services, thread: Thread, about: items.Item, me: int, name: str,
                         said: Words) -> None:
    first = await services.questions.last_message_id(thread.id) is None
    now = services.clock.now()
    message_id = await services.questions.add(thread, me, from_resident=True, text=said.text, now=now,
                                              voice_file_id=said.voice)
    await services.jobs.schedule(NUDGE_JOB, f"{thread.id}:{message_id}",
                                 now + timedelta(hours=services.settings.question_nudge_hours))

    def render() -> str:
        head = (_("❓ A question about “{title}” from {name}:") if first
                else _("💬 {name} wrote again about “{title}”:"))
        return head.format(title=escape(about.title), name=escape(name)) + "\n\n" + said.shown()

    for organiser in sorted(about.organisers):
        await notify(services, organiser, f"qmsg:{message_id}:{organiser}", render, lambda: _buttons(
            (_("↩️ Reply"), items.reply_button(thread).pack()), message_id, said), quotes=(me,))


async def _to_resident(services: Services, thread: Thread, about: items.Item, me: int, said: Words,
                       mode: str | None) -> None:
    message_id = await services.questions.add(thread, me, from_resident=False, text=said.text,
                                              now=services.clock.now(), voice_file_id=said.voice)

    def render() -> str:
        if thread.kind is Kind.FEEDBACK and mode == "q":
            head = _("❓ A question about your feedback {reference}:").format(reference=escape(about.title))
        elif thread.kind is Kind.FEEDBACK:
            head = _("💬 A reply about your feedback {reference}:").format(reference=escape(about.title))
        else:
            head = _("💬 An answer about “{title}”:").format(title=escape(about.title))
        return head + "\n\n" + said.shown()

    await notify(services, thread.participant_id, f"qmsg:{message_id}:{thread.participant_id}", render,
                 lambda: _buttons((_("↩️ Reply"), ResidentReplyButton(thread.id).pack()), message_id, said),
                 quotes=(me,))


async def on_play(update: Update, context: BotContext) -> None:
    """A voice note in a thread, played only to its two sides."""
    button = context.button
    assert isinstance(button, PlayVoiceButton)
    services = context.services
    found = await services.questions.voice(button.message)
    thread = await services.questions.by_id(found[0]) if found else None
    about = await items.of_thread(services, thread) if thread else None
    me = context.participant.id if context.participant else None
    if found is None or thread is None or about is None or not (
            thread.participant_id == me or items.answers(about, me, context.role)):
        await refuse(update, context, "question.play", subject=str(button.message))
        return
    await acknowledge(update)
    await context.bot.send_voice(update.effective_chat.id, found[1])


# --- overdue and nudges ----------------------------------------------------------------------

async def overdue_lines(services: Services) -> list[str]:
    """For /overdue: the questions waiting longer than the setting, by what they are about."""
    hours = services.settings.question_nudge_hours
    waiting = await services.questions.waiting(services.clock.now() - timedelta(hours=hours))
    lines = [_("Questions with no answer after {hours} hours: {count}").format(hours=hours, count=len(waiting))]
    for thread in waiting[:20]:
        about = await items.of_thread(services, thread)
        title = escape(about.title) if about else "—"
        lines.append(f"• {_(KIND_NAMES[thread.kind])}: {title}")
    return lines


async def nudge(services: Services, thread_id: int, message_id: int) -> None:
    """Once per unanswered question: only if that message is still the last, with no answer."""
    thread = await services.questions.by_id(thread_id)
    if (thread is None or thread.waiting_since is None
            or await services.questions.last_message_id(thread_id) != message_id):
        return
    about = await items.of_thread(services, thread)
    if about is None:
        return
    hours = services.settings.question_nudge_hours
    for organiser in sorted(about.organisers):
        await notify(services, organiser, f"qnudge:{message_id}:{organiser}", lambda: _(
            "⏰ A question about “{title}” has waited {hours} hours for an answer. Tap Reply to answer it.").format(
            title=escape(about.title), hours=hours),
            lambda: column([(_("↩️ Reply"), items.reply_button(thread).pack())]), wait_for_quiet=True)


def job_handlers(services: Services) -> dict[str, Any]:
    async def run_nudge(ref: str) -> None:
        thread_id, message_id = ref.split(":")
        with language(services.settings.default_language):
            await nudge(services, int(thread_id), int(message_id))

    return {NUDGE_JOB: run_nudge}


# --- the flow --------------------------------------------------------------------------------

def _openings() -> list[CallbackQueryHandler[Any, Any]]:
    """Every way into writing; also taken mid-flow, so tapping another Reply switches to it.
    Play is here too, so hearing a voice note never pauses the answer being written."""
    return [CallbackQueryHandler(on_ask, pattern=AskButton.pattern()),
            CallbackQueryHandler(on_play, pattern=PlayVoiceButton.pattern()),
            CallbackQueryHandler(on_organiser_reply, pattern=StaffReplyButton.pattern()),
            CallbackQueryHandler(on_organiser_reply, pattern=LeadReplyButton.pattern()),
            CallbackQueryHandler(on_resident_reply, pattern=ResidentReplyButton.pattern()),
            CallbackQueryHandler(on_feedback_write, pattern=FeedbackWriteButton.pattern())]


def conversation() -> Flow:
    return Flow(
        name="question",
        noun=N_("your message"),
        states={WRITING: step(ask_writing, MessageHandler(typed_text() | filters.VOICE, on_written), *_openings())},
        entry_points=_openings(),
        cancel=cancel_clearing(DRAFT),
        prefixes=(),
        drafts=(DRAFT,),
    )
