"""The separate consent to show a person's needs with their name to the organiser of a meeting
they are going to: asked once at the end of /access, shown there after, changeable any time."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from bot.callbacks import ANYONE, CallbackData
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import Button, keyboard
from domain.support import has_needs
from handlers.kit.common import acknowledge, clear_buttons, require_registered, say
from meetings.support import another_way


@dataclass(frozen=True)
class ShareButton(CallbackData, prefix="sc", needs=ANYONE):
    """A person's own answer: may organisers see my needs with my name? It only ever changes the
    presser's own consent."""

    share: bool


@dataclass(frozen=True)
class AskShareButton(CallbackData, prefix="sq", needs=ANYONE):
    """Show the consent question again, to change the answer."""


def question() -> str:
    return _(
        "May the organiser of a meeting you are going to see your needs with your name, "
        "so they can arrange them? You can change this any time in /access."
    )


def question_rows() -> list[list[Button]]:
    return [
        [(_("✅ Yes, share my name"), ShareButton(True).pack())],
        [(_("🔒 No, keep my name private"), ShareButton(False).pack())],
    ]


def status_line(consent: bool | None) -> str:
    if consent:
        return _("Organisers of your meetings see your needs with your name, so they can arrange them.")
    return _("Organisers see only how many people need each thing, not who.")


def change_row() -> list[Button]:
    return [(_("🔒 Who sees my name"), AskShareButton().pack())]


@require_registered
async def on_share(update: Update, context: BotContext) -> None:
    button = context.button
    if not isinstance(button, ShareButton) or context.participant is None:
        await acknowledge(update)
        return
    services = context.services
    await services.support.set_consent(context.participant.id, button.share, services.clock.now())
    await acknowledge(update)
    await clear_buttons(update)
    lines = [_("Saved.") + " " + status_line(button.share)]
    if not button.share and has_needs(await services.access.get(context.participant.id)):
        lines.append(another_way())
    lines.append(_("You can change this any time in /access."))
    await say(update, context, "\n".join(lines))


@require_registered
async def on_ask(update: Update, context: BotContext) -> None:
    await acknowledge(update)
    if context.participant is None:
        return
    consent = await context.services.support.consent(context.participant.id)
    await say(
        update,
        context,
        question() + "\n\n" + _("Now: {answer}").format(answer=status_line(consent)),
        keyboard(question_rows()),
    )
