"""Payment for "something else I did" for a meeting: the resident says what and how long (steps of
/claim), the meeting's organiser agrees or not with a button, and once agreed it can be claimed at the
"something else" rate. Kept apart from costs, like all time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_money, language
from bot.keyboards import keyboard
from bot.services import Services
from claims.buttons import ClaimChoice
from claims.work import paid_for_meeting
from domain.claims import HOURS_CHOICES
from domain.delivery import next_send_time
from handlers.buttons.papers_pay_buttons import AgreeTimeButton
from handlers.claims.claim_steps import hour_options
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, ask, audit, clear_buttons, escape, refuse, say
from handlers.kit.drafts import DraftLost, DraftSlot
from handlers.kit.flow import ending, step, typed_text
from handlers.kit.write_in import write_in
from meetings.notices import wake
from storage.outbox import Outgoing
from storage.pay import TimeAsk

DRAFT = "time_ask_draft"
TIME_MEETING, TIME_WHAT, TIME_HOURS = "time_meeting", "time_what", "time_hours"
WHAT_MAX = 200
MEETING_STEP, HOURS_STEP = "tam", "tah"  # what the steps' buttons carry after "cl:"


@dataclass
class TimeAskDraft:
    """Asking to be paid for time: which meeting it was for, then what was done."""

    meeting: int
    what: str | None = None
    hours: str | None = None  # a domain.claims.HOURS_CHOICES key


TIME_ASK = DraftSlot(DRAFT, TimeAskDraft)


async def _invited(context: BotContext) -> dict[str, str] | None:
    """Meetings they are invited to; None when there is none."""
    assert context.participant is not None
    invited = await context.services.meetings.invited_to(context.participant.id)
    return {str(m.id): f"🗓 {m.title[:40]}" for m in invited} or None


async def _none_invited(update: Update, context: BotContext) -> Any:
    await say(update, context, _("You can ask for time on a meeting you are invited to. There is none yet."))
    return ConversationHandler.END


def _begin(context: BotContext, chosen: str) -> None:
    TIME_ASK.begin(context, TimeAskDraft(int(chosen)))


async def _send_ask(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = TIME_ASK.pop(context)
    if draft.what is None or draft.hours is None:
        raise DraftLost(DRAFT)
    assert context.participant is not None
    ask_id = await services.pay.ask(
        context.participant.id, draft.meeting, draft.what, draft.hours, services.clock.now()
    )
    time_ask = await services.pay.time_ask(ask_id)
    assert time_ask is not None
    await _tell_organiser(services, time_ask, context.participant.display_name or "—")
    await ending(update, context)
    await say(
        update,
        context,
        _("Sent to the organiser. We will tell you here when they answer. Once they agree, claim it with /claim."),
    )
    return ConversationHandler.END


ask_hours, on_hours = choose_one(
    ClaimChoice,
    HOURS_STEP,
    TIME_HOURS,
    N_("How many hours did it take?"),
    hour_options,
    TIME_ASK.keeper("hours"),
    _send_ask,
    across=len(HOURS_CHOICES),
)
ask_what, on_what = write_in(
    TIME_WHAT,
    lambda _context: _("What did you do? Say it in a few words, like: I asked ten neighbours what they think."),
    WHAT_MAX,
    TIME_ASK.keeper("what"),
    ask_hours,
    put=ask,
)
ask_meeting, on_meeting = choose_one(
    ClaimChoice,
    MEETING_STEP,
    TIME_MEETING,
    N_("Which meeting was it for? Its organiser will be asked to agree first."),
    _invited,
    _begin,
    ask_what,
    gone=_none_invited,
)


async def _rate(services: Services, meeting_id: int) -> int:
    return (await paid_for_meeting(services, meeting_id)).other_pence


async def _queue(services: Services, participant_id: int, key: str, build: Any, quotes: tuple[int, ...] = ()) -> None:
    """One message to one person, through the outbox, outside their quiet hours."""
    person = await services.participants.by_id(participant_id)
    if person is None or person.telegram_id is None:
        return
    now = services.clock.now()
    with language(person.language):
        text, markup = build()
    await services.outbox.create_batch(
        "time_ask",
        key,
        None,
        now,
        [
            Outgoing(
                chat_id=person.telegram_id,
                participant_id=person.id,
                text=text,
                dedupe_key=key,
                quotes=quotes,
                markup=json.dumps(markup.to_dict()) if markup else None,
                not_before=next_send_time(now, services.settings.timezone, person.quiet_hours),
            )
        ],
    )
    wake(services)


async def _tell_organiser(services: Services, ask: TimeAsk, name: str) -> None:
    meeting = await services.meetings.by_id(ask.meeting_id)
    assert meeting is not None
    rate = await _rate(services, meeting.id)

    def build() -> tuple[str, Any]:
        text = _(
            "🕒 {name} asks to be paid for time on “{title}”: {what}. That is {hours} hours at {rate} an hour. "
            "Do you agree?"
        ).format(
            name=escape(name),
            title=escape(meeting.title),
            what=escape(ask.description),
            hours=ask.hours,
            rate=format_money(rate),
        )
        return text, keyboard(
            [
                [
                    (_("✅ Agree"), AgreeTimeButton(meeting.id, ask.id, 1).pack()),
                    (_("❌ Don't agree"), AgreeTimeButton(meeting.id, ask.id, 0).pack()),
                ]
            ]
        )

    await _queue(services, meeting.created_by, f"timeask:{ask.id}", build, quotes=(ask.participant_id,))


async def on_agree(update: Update, context: BotContext) -> None:
    """The organiser's answer; an ask from another meeting than the button's is a forgery."""
    button = context.button
    assert isinstance(button, AgreeTimeButton) and context.participant is not None
    services = context.services
    time_ask = await services.pay.time_ask(button.ask)
    if time_ask is None or time_ask.meeting_id != button.meeting or button.agree not in (0, 1):
        await refuse(update, context, "pay.time_ask", subject=str(button.ask))
        return
    if not await services.pay.decide(time_ask.id, bool(button.agree), context.participant.id, services.clock.now()):
        await acknowledge(update, _("This was answered already."), alert=True)
        return
    await audit(
        context, update, "pay.time_ask", "ok", subject=str(time_ask.id), detail="agreed" if button.agree else "declined"
    )
    await acknowledge(update)
    await clear_buttons(update)
    await say(update, context, _("Thank you. They are being told."))

    def build() -> tuple[str, Any]:
        text = (
            _("✅ The organiser agreed to pay for your time: {what} ({hours} hours). Claim it with /claim.")
            if button.agree
            else _("The organiser did not agree to pay for: {what}. To ask why, talk to them or send /feedback.")
        )
        return text.format(what=escape(time_ask.description), hours=time_ask.hours), None

    await _queue(services, time_ask.participant_id, f"timeanswer:{time_ask.id}", build)


def states() -> dict[str, Any]:
    """The asking steps, part of the /claim flow."""
    return {
        TIME_MEETING: step(ask_meeting, CallbackQueryHandler(on_meeting, pattern=ClaimChoice.at(MEETING_STEP))),
        TIME_WHAT: step(ask_what, MessageHandler(typed_text(), on_what)),
        TIME_HOURS: step(ask_hours, CallbackQueryHandler(on_hours, pattern=ClaimChoice.at(HOURS_STEP))),
    }


def handlers() -> list[object]:
    return [CallbackQueryHandler(on_agree, pattern=AgreeTimeButton.pattern())]
