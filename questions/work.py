"""The work of questions both ways, callable from handlers, jobs and tests alike: who may write
into which thread, sending what was written to the other side, a voice note played only to the
thread's two sides, and organisers nudged once about a question left with no answer.

What someone is writing into is a draft dict (kept in the conversation store across restarts):
{"ask": [kind, item]} for a new question, {"feedback": id, "as": "organiser", "mode": "r" | "q"}
for an officer writing about feedback, or {"thread": id, "as": "resident" | "organiser"}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.callbacks import CallbackData
from bot.i18n import _
from bot.keyboards import Button, column
from bot.notify import notify
from bot.services import Services
from bot.text import escape
from domain.questions import Kind
from domain.roles import Role
from questions import items
from questions.buttons import LeadReplyButton, PlayVoiceButton, ResidentReplyButton, StaffReplyButton
from questions.items import Item
from storage.feedback import Feedback
from storage.questions import Thread

NUDGE_JOB = "question.nudge"  # organisers are nudged once about a question with no answer


# --- who may write into which thread ---------------------------------------------------------


async def askable(services: Services, kind: str, item_id: int, me: int | None) -> Item | None:
    """The item a resident may ask about: one they were sent or belong to; else None."""
    known = next((k for k in Kind if k.value == kind), None)
    about = await items.item(services, known, item_id) if known else None
    if about is None or me is None or not await items.may_ask(services, about, me):
        return None
    return about


async def answerable(services: Services, thread_id: int, me: int | None, role: Role) -> Thread | None:
    """The thread, if this person answers its item as one of its organisers; else None."""
    thread = await services.questions.by_id(thread_id)
    about = await items.of_thread(services, thread) if thread else None
    return thread if thread is not None and about is not None and items.answers(about, me, role) else None


async def own_thread(services: Services, thread_id: int, me: int | None) -> Thread | None:
    """The thread, if it is this resident's own; else None."""
    thread = await services.questions.by_id(thread_id)
    return thread if thread is not None and me is not None and thread.participant_id == me else None


async def feedback_thread(services: Services, feedback_id: int) -> tuple[Feedback | None, Thread | None]:
    """A piece of feedback and the thread with the person who gave it, if one has started."""
    feedback = await services.feedback.by_id(feedback_id)
    if feedback is None:
        return None, None
    return feedback, await services.questions.find(Kind.FEEDBACK, feedback.id, feedback.participant_id)


async def thread_to_write(services: Services, draft: dict[str, Any], me: int) -> tuple[Thread | None, Item | None]:
    """The thread the draft writes into (started now for a new question), checked again now,
    as the item may have gone or the person may have lost the right since they began."""
    if "ask" in draft:
        kind, item_id = draft["ask"]
        about = await askable(services, kind, int(item_id), me)
        if about is None:
            return None, None
        return await services.questions.thread_for(
            about.kind, about.id, about.project_id, me, services.clock.now()
        ), about
    if "feedback" in draft:
        feedback = await services.feedback.by_id(int(draft["feedback"]))
        about = await items.item(services, Kind.FEEDBACK, feedback.id) if feedback else None
        if feedback is None or about is None:
            return None, None
        return await services.questions.thread_for(
            Kind.FEEDBACK, feedback.id, None, feedback.participant_id, services.clock.now()
        ), about
    thread = await services.questions.by_id(int(draft.get("thread", 0)))
    if thread is None or (draft.get("as") == "resident" and thread.participant_id != me):
        return None, None
    return thread, await items.of_thread(services, thread)


# --- sending to the other side ---------------------------------------------------------------


@dataclass(frozen=True)
class Words:
    """What someone wrote: words, or a voice note (with no words)."""

    text: str
    voice: str | None

    def shown(self) -> str:
        return _("🎤 A voice note. Tap Play to hear it.") if self.voice else escape(self.text)


def reply_button(thread: Thread) -> CallbackData:
    """The organisers' Reply: checked by group rights when a group's leads answer, else by role."""
    return LeadReplyButton(thread.id) if thread.project_id is not None else StaffReplyButton(thread.id)


def _buttons(reply: Button, message_id: int, said: Words) -> Any:
    play = [(_("▶️ Play"), PlayVoiceButton(message_id).pack())] if said.voice else []
    return column([*play, reply])


async def ask_organisers(services: Services, thread: Thread, about: Item, me: int, name: str, said: Words) -> None:
    """A resident's question (or their next word) to every organiser of the item, with the nudge
    booked for when it is still unanswered."""
    first = await services.questions.last_message_id(thread.id) is None
    now = services.clock.now()
    message_id = await services.questions.add(
        thread, me, from_resident=True, text=said.text, now=now, voice_file_id=said.voice
    )
    await services.jobs.schedule(
        NUDGE_JOB, f"{thread.id}:{message_id}", now + timedelta(hours=services.settings.question_nudge_hours)
    )

    def render() -> str:
        head = _("❓ A question about “{title}” from {name}:") if first else _("💬 {name} wrote again about “{title}”:")
        return head.format(title=escape(about.title), name=escape(name)) + "\n\n" + said.shown()

    for organiser in sorted(about.organisers):
        await notify(
            services,
            organiser,
            f"qmsg:{message_id}:{organiser}",
            render,
            lambda: _buttons((_("↩️ Reply"), reply_button(thread).pack()), message_id, said),
            quotes=(me,),
        )


async def answer_resident(
    services: Services, thread: Thread, about: Item, me: int, role: Role, said: Words, mode: str | None
) -> bool:
    """An organiser's answer (or an officer's question about feedback) to the resident; False,
    sending nothing, if this person no longer answers the item."""
    if not items.answers(about, me, role):
        return False
    message_id = await services.questions.add(
        thread, me, from_resident=False, text=said.text, now=services.clock.now(), voice_file_id=said.voice
    )

    def render() -> str:
        if thread.kind is Kind.FEEDBACK and mode == "q":
            head = _("❓ A question about your feedback {reference}:").format(reference=escape(about.title))
        elif thread.kind is Kind.FEEDBACK:
            head = _("💬 A reply about your feedback {reference}:").format(reference=escape(about.title))
        else:
            head = _("💬 An answer about “{title}”:").format(title=escape(about.title))
        return head + "\n\n" + said.shown()

    await notify(
        services,
        thread.participant_id,
        f"qmsg:{message_id}:{thread.participant_id}",
        render,
        lambda: _buttons((_("↩️ Reply"), ResidentReplyButton(thread.id).pack()), message_id, said),
        quotes=(me,),
    )
    return True


async def voice_note(services: Services, message_id: int, me: int | None, role: Role) -> str | None:
    """The file of a thread's voice note, only for its resident or one who answers its item."""
    found = await services.questions.voice(message_id)
    thread = await services.questions.by_id(found[0]) if found else None
    about = await items.of_thread(services, thread) if thread else None
    if (
        found is None
        or thread is None
        or about is None
        or not (thread.participant_id == me or items.answers(about, me, role))
    ):
        return None
    return found[1]


# --- nudging ---------------------------------------------------------------------------------


async def nudge(services: Services, thread_id: int, message_id: int) -> None:
    """Once per unanswered question: only if that message is still the last, with no answer."""
    thread = await services.questions.by_id(thread_id)
    if (
        thread is None
        or thread.waiting_since is None
        or await services.questions.last_message_id(thread_id) != message_id
    ):
        return
    about = await items.of_thread(services, thread)
    if about is None:
        return
    hours = services.settings.question_nudge_hours
    for organiser in sorted(about.organisers):
        await notify(
            services,
            organiser,
            f"qnudge:{message_id}:{organiser}",
            lambda: _(
                "⏰ A question about “{title}” has waited {hours} hours for an answer. Tap Reply to answer it."
            ).format(title=escape(about.title), hours=hours),
            lambda: column([(_("↩️ Reply"), reply_button(thread).pack())]),
            wait_for_quiet=True,
        )
