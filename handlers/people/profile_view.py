"""/profile: everything a resident told us, with a button to change each answer."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import _, language_name
from bot.keyboards import keyboard
from domain.profile import ACTING_FOR_LABELS, ActingFor
from handlers.buttons.profile_buttons import EDIT, OPEN, AccessChoice, ProfileChoice
from handlers.buttons.recognition_buttons import ExperienceOpen
from handlers.kit.common import escape, require_registered, say
from handlers.people.experience import summary as experience_summary


def _edit(question: str) -> str:
    """The button that asks one question of joining again (`handlers/people/onboarding.py`)."""
    return ProfileChoice(EDIT, question).pack()


async def show_profile(update: Update, context: BotContext) -> None:
    participant = context.participant
    if participant is None:
        return
    participant = await context.services.participants.by_id(participant.id) or participant
    topics = dict(await context.services.participants.all_topics())
    picked = [_(topics[slug]) for slug in await context.services.participants.topics(participant.id) if slug in topics]
    acting = ACTING_FOR_LABELS.get(ActingFor(participant.acting_for)) if participant.acting_for else None
    quiet = participant.quiet_hours
    not_given = _("not given")
    lines = [
        _("<b>Your details</b>"),
        _("Name: {value}").format(value=escape(participant.display_name) or not_given),
        _("Taking part: {value}").format(value=_(acting) if acting else not_given),
        _("Topics: {value}").format(value=", ".join(picked) or not_given),
        _("Area: {value}").format(value=escape(participant.area) or not_given),
        _("Quiet hours: {value}").format(
            value=_("{start}:00 to {end}:00").format(start=quiet.start, end=quiet.end) if quiet else _("none")
        ),
        _("Language: {value}").format(value=language_name(context.language)),
    ]
    if participant.acting_for and participant.acting_for != ActingFor.SELF and participant.other_consent_at:
        lines.append(_("The person you take part for has agreed."))
    lines.append(experience_summary(await context.services.involvement.experience(participant.id)))
    markup = keyboard(
        [
            [(_("Change name"), _edit("name")), (_("Change topics"), _edit("topics"))],
            [(_("Change area"), _edit("area")), (_("Change quiet hours"), _edit("quiet"))],
            [(_("Who I take part for"), _edit("acting_for")), (_("Language"), _edit("language"))],
            [(_("♿ What I need to take part"), AccessChoice(OPEN, "").pack())],
            [(_("💡 What I know about"), ExperienceOpen().pack())],
        ]
    )
    await say(update, context, "\n".join(lines), markup)


@require_registered
async def profile_command(update: Update, context: BotContext) -> None:
    await show_profile(update, context)
