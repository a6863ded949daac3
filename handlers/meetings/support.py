"""The support list of a confirmed meeting: what its organiser arranges so people can take part.

Opened with the "Support list" button on the organiser's meeting message (/meetings, then the
meeting). People who agreed to be named get tasks by name and their own words are shown; the
rest stay counts. The organiser ticks a task, optionally with a short note such as a time, and
the people it is for are told in their own language. Every button checks on the server that the
presser organises that meeting; anyone else is refused and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from bot.keyboards import Button, keyboard
from bot.services import Services
from bot.text import fit_lines
from domain.access import NEEDS, PREFERENCES
from domain.support import NOTE_MAX, PERSONAL, Task, support_list
from handlers.buttons.support_buttons import NoNoteButton, SupportListButton, TickButton
from handlers.kit import support_consent
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, refuse, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, read_text, step, stopped, typed_text
from handlers.kit.gates import organises
from handlers.meetings.id_draft import IdSlot
from meetings import support_tasks
from storage.meetings import Meeting
from storage.support import StoredTask

TICKING = "support_tick"
SHOWN = 30  # tasks to do (each with its button) and tasks done, listed at once: a message holds 4096 characters
NOTE = "note"


@dataclass
class TickDraft:
    """The task being ticked, waiting for its note (before drafts were typed, its bare id)."""

    task: int


TICK = IdSlot(TICKING, TickDraft, "task")


def task_label(task: Task) -> str:
    """As plain text, for a button; escape it for a message."""
    if task.participant_id:
        return _(PERSONAL[task.need]).format(name=task.name or "—")
    return _shared_label(task.need, task.count)


def _shared_label(need: str, count: int) -> str:
    """Each pair is written out for ngettext here, so the catalogs hold it as one plural entry."""
    labels = {
        "easy_read": ngettext("Easy Read papers for {count} person", "Easy Read papers for {count} people", count),
        "large_print": ngettext(
            "Large-print papers for {count} person", "Large-print papers for {count} people", count
        ),
        "screen_reader": ngettext(
            "Screen-reader friendly papers for {count} person",
            "Screen-reader friendly papers for {count} people",
            count,
        ),
        "quiet_breaks": ngettext("A quiet room for {count} person", "A quiet room for {count} people", count),
    }
    return labels[need].format(count=count)


async def list_view(services: Services, meeting: Meeting) -> tuple[str, InlineKeyboardMarkup | None]:
    """The list in the organiser's language (set by the caller), with a button per task to tick."""
    tz = services.settings.timezone
    listed = support_list(
        await support_tasks.attendees(services, meeting), meeting.venue_features, online=meeting.format == "online"
    )
    stored = await services.support.tasks(meeting.id, [(task.need, task.participant_id) for task in listed.tasks])
    slots = await services.meetings.slots(meeting.id)
    lines = [_("🧾 <b>Support list: “{title}”</b>").format(title=escape(meeting.title))]
    if meeting.confirmed_slot_id in slots:
        lines.append(_("When: {date}").format(date=format_datetime(slots[meeting.confirmed_slot_id or 0], tz)))
    keyed = [(task, stored[(task.need, task.participant_id)]) for task in listed.tasks]
    pending = [(task, row) for task, row in keyed if row.done_at is None]
    done = [(task, row) for task, row in keyed if row.done_at is not None]
    rows: list[list[Button]] = [[("☑️ " + task_label(task), TickButton(row.id).pack())] for task, row in pending[:SHOWN]]
    lines += ["▫️ " + escape(task_label(task)) for task, _row in pending[:SHOWN]]
    if len(pending) > SHOWN:
        more = len(pending) - SHOWN
        lines.append(
            ngettext(
                "…and {count} more to do. They show here as you tick these.",
                "…and {count} more to do. They show here as you tick these.",
                more,
            ).format(count=more)
        )
    lines += [
        "✅ " + escape(task_label(task)) + (f" – {escape(row.note)}" if row.note else "") for task, row in done[:SHOWN]
    ]
    if len(done) > SHOWN:
        lines.append(
            ngettext("…and {count} more done.", "…and {count} more done.", len(done) - SHOWN).format(
                count=len(done) - SHOWN
            )
        )
    if not listed.tasks:
        lines.append(_("Nothing to arrange by name yet."))
    if listed.own_words:
        lines += ["", _("<b>In their own words</b>")]
        lines += [f"• {escape(name)}: “{escape(words)}”" for name, words in listed.own_words]
    if listed.unnamed:
        lines += [
            "",
            _("<b>Without names</b>"),
            _("These people did not agree to share their name. They know how to ask for support."),
        ]
        lines += [f"• {_(NEEDS.get(need) or PREFERENCES[need])}: {count}" for need, count in listed.unnamed.items()]
    return fit_lines(lines), keyboard(rows) if rows else None


async def _meeting_of(update: Update, context: BotContext, meeting_id: int, subject: str) -> Meeting | None:
    """The confirmed meeting, if the presser organises it; a refusal (audited) if not."""
    meeting = await context.services.meetings.by_id(meeting_id)
    if meeting is None or not await organises(context, meeting_id):
        await refuse(update, context, "support.organise", subject=subject)
        return None
    if meeting.status != "confirmed":
        await acknowledge(update, _("The support list is ready once the meeting has a time."), alert=True)
        return None
    return meeting


async def on_open(update: Update, context: BotContext) -> None:
    button = context.button
    if not isinstance(button, SupportListButton):
        await acknowledge(update)
        return
    meeting = await _meeting_of(update, context, button.meeting, f"meeting:{button.meeting}")
    if meeting is None:
        return
    await acknowledge(update)
    text, markup = await list_view(context.services, meeting)
    await say(update, context, text, markup)


async def _open_task(update: Update, context: BotContext, task_id: int) -> tuple[StoredTask, Meeting] | None:
    task = await context.services.support.task(task_id)
    meeting = await _meeting_of(update, context, task.meeting_id if task else 0, f"task:{task_id}")
    if task is None or meeting is None:
        return None
    if task.done_at is not None:
        await acknowledge(update, _("This is already done."), alert=True)
        return None
    return task, meeting


async def on_tick(update: Update, context: BotContext) -> Any:
    button = context.button
    found = await _open_task(update, context, button.task) if isinstance(button, TickButton) else None
    if found is None:
        return ConversationHandler.END
    await acknowledge(update)
    TICK.begin(context, TickDraft(found[0].id))
    return await ask_note(update, context)


async def ask_note(update: Update, context: BotContext) -> Any:
    task_id = TICK.of(context).task
    await say(
        update,
        context,
        _("Add a short note for the person, like a time: 17:45. Type it, or tap Skip."),
        keyboard([[(_("Skip »"), NoNoteButton(task_id).pack())]]),
    )
    return NOTE


async def on_note(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, NOTE_MAX)
    if text is None:
        return NOTE
    return await _finish(update, context, TICK.of(context).task, text)


async def on_no_note(update: Update, context: BotContext) -> Any:
    button = context.button
    return await _finish(update, context, button.task if isinstance(button, NoNoteButton) else 0, None)


async def _finish(update: Update, context: BotContext, task_id: int, note: str | None) -> Any:
    found = await _open_task(update, context, task_id)
    TICK.drop(context)
    await ending(update, context)
    if found is None:
        return ConversationHandler.END
    task, meeting = found
    services = context.services
    assert context.participant is not None
    await acknowledge(update)
    await clear_buttons(update)
    if await support_tasks.tick(services, meeting, task, context.participant.id, note):
        await audit(context, update, "support.tick", "ok", subject=str(task.id))
    text, markup = await list_view(services, meeting)
    await say(update, context, _("Done. The people it is for are being told.") + "\n\n" + text, markup)
    return ConversationHandler.END


def conversation() -> Flow:
    tick = CallbackQueryHandler(on_tick, pattern=TickButton.pattern())
    return Flow(
        name="support_tick",
        noun=N_("ticking a support task"),
        states=restarting(
            {
                NOTE: step(
                    ask_note,
                    tick,
                    CallbackQueryHandler(on_no_note, pattern=NoNoteButton.pattern()),
                    MessageHandler(typed_text(), on_note),
                )
            },
            None,
        ),
        entry_points=[tick],
        cancel=stopped(N_("Stopped. Nothing was changed.")),
        prefixes=(TickButton.prefix, NoNoteButton.prefix),
        drafts=(TICKING,),
    )


def handlers() -> list[object]:
    """Outside the ticking flow, Skip still ticks (after a restart, say), checked like any tick."""
    return [
        CallbackQueryHandler(on_open, pattern=SupportListButton.pattern()),
        CallbackQueryHandler(on_no_note, pattern=NoNoteButton.pattern()),
        CallbackQueryHandler(support_consent.on_share, pattern=support_consent.ShareButton.pattern()),
        CallbackQueryHandler(support_consent.on_ask, pattern=support_consent.AskShareButton.pattern()),
    ]
