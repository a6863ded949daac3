"""The after-meeting check-in: a few taps, one question at a time, for those who attended."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.i18n import _
from bot.keyboards import Button, keyboard
from bot.notify import notify
from bot.services import Services
from domain.feedback import AGREEMENT, MOODS, STATEMENTS
from feedback.buttons import CheckinButton

CHECKIN_ORDER = ("mood_start", "mood_end", *STATEMENTS)


def checkin_question(meeting_id: int, step_index: int) -> tuple[str, InlineKeyboardMarkup]:
    field = CHECKIN_ORDER[step_index]
    if field == "mood_start":
        text = _("Thank you for coming. A few quick questions, if you like. How did you feel at the start?")
    elif field == "mood_end":
        text = _("And at the end?")
    else:
        text = _("Do you agree: “{statement}”").format(statement=_(STATEMENTS[field]))
    if field.startswith("mood"):
        rows: list[list[Button]] = [
            [(face, CheckinButton(meeting_id, step_index, n).pack()) for n, face in enumerate(MOODS, 1)]
        ]
    else:
        rows = [[(_(label), CheckinButton(meeting_id, step_index, n).pack())] for n, label in AGREEMENT.items()]
    return text, keyboard(rows)


async def invite_checkin(services: Services, meeting_id: int, participant_id: int) -> None:
    await notify(
        services,
        participant_id,
        f"checkin:{meeting_id}:{participant_id}",
        lambda: checkin_question(meeting_id, 0)[0],
        lambda: checkin_question(meeting_id, 0)[1],
        wait_for_quiet=True,
    )


async def answer_checkin(services: Services, participant_id: int, button: CheckinButton) -> bool:
    """Save one answer; False unless they attended the meeting and the answer is one on offer."""
    if not 0 <= button.step < len(CHECKIN_ORDER) or not 1 <= button.answer <= 5:
        return False
    invitee = await services.meetings.invitee(button.meeting, participant_id)
    if invitee is None or not invitee.attended:
        return False
    await services.feedback.save_checkin(
        button.meeting, invitee.participant_id, CHECKIN_ORDER[button.step], button.answer, services.clock.now()
    )
    return True
