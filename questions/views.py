"""What the two sides of a thread, and officers, read of questions: the conversation so far
and the questions still waiting for an answer. Typed words are escaped here, once."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import _, format_datetime
from bot.services import Services
from bot.text import escape
from domain.questions import KIND_NAMES
from questions import items
from storage.questions import Thread

SHOWN = 6  # messages of a thread shown before writing in it
OVERDUE_SHOWN = 20  # waiting questions listed by name in /overdue


async def conversation_lines(services: Services, thread: Thread) -> list[str]:
    """The conversation so far, newest first, for the two sides of it only (checked by the
    caller); no lines when nothing has been said yet."""
    said = await services.questions.messages(thread.id, SHOWN)
    if not said:
        return []
    tz = services.settings.timezone
    lines = [_("<b>The conversation so far, newest first</b>")]
    for message in reversed(said):
        who = _("Resident") if message.from_resident else _("Organiser")
        words = "🎤" if message.voice_file_id else escape(message.text)
        lines.append(f"<i>{who}, {format_datetime(message.at, tz)}:</i> {words}")
    return lines


async def overdue_lines(services: Services) -> list[str]:
    """For /overdue: the questions waiting longer than the setting, by what they are about."""
    hours = services.settings.question_nudge_hours
    waiting = await services.questions.waiting(services.clock.now() - timedelta(hours=hours))
    lines = [_("Questions with no answer after {hours} hours: {count}").format(hours=hours, count=len(waiting))]
    for thread in waiting[:OVERDUE_SHOWN]:
        about = await items.of_thread(services, thread)
        title = escape(about.title) if about else "—"
        lines.append(f"• {_(KIND_NAMES[thread.kind])}: {title}")
    return lines
