"""The "we did" preview: before a theme's answer goes to everyone who said it, the officer sees
the copy people will get, the plain-words note on their words, and can add a version in
another language; then they send it, or change the words first."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.callbacks import CallbackData, Needs
from bot.context import BotContext
from bot.i18n import N_, _, ngettext
from bot.keyboards import column
from domain.roles import OFFICERS
from feedback.we_did import WE_DID_KIND, publish_we_did, we_did_text
from handlers.kit.common import Handler, acknowledge, audit, clear_buttons, say
from handlers.kit.drafts import DraftSlot
from handlers.kit.flow import Step, ending, step
from handlers.kit.plain_words import plain_words_note
from handlers.kit.text_versions import Versioned, add_button, own_language, steps, versions_line
from storage.feedback import Theme

PREVIEW = "we_did_preview"
SEND, CHANGE = "send", "change"


@dataclass(frozen=True)
class WeDidChoice(CallbackData, prefix="lw", needs=Needs(roles=OFFICERS)):
    """Send the previewed "we did", or change its words first."""

    choice: str


@dataclass
class WeDidDraft:
    """A theme's answer being previewed: the fields `feedback.we_did.we_did_text` shows, and the
    versions in other languages (`handlers.kit.text_versions` keeps its place in the same draft)."""

    theme: int
    title: str
    outcome: str  # "done" or "cant"
    we_did: str
    versions: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> field -> text


WE_DID = DraftSlot("we_did_draft", WeDidDraft)


def hold(context: BotContext, theme: Theme, outcome: str, text: str) -> None:
    """Keep the answer the officer typed, to preview it."""
    WE_DID.begin(context, WeDidDraft(theme.id, theme.title, outcome, text))


async def show(update: Update, context: BotContext) -> Any:
    draft = WE_DID.of(context)
    await say(update, context, _("This is what they will get:") + "\n\n" + we_did_text(asdict(draft), 1))
    lines = [
        plain_words_note([draft.title, draft.we_did]),
        versions_line(VERSIONED, context),
        _("Send it to everyone who said this?"),
    ]
    await say(
        update,
        context,
        "\n\n".join(filter(None, lines)),
        column(
            [
                (_("📨 Send it"), WeDidChoice(SEND).pack()),
                (_("✏️ Change the words"), WeDidChoice(CHANGE).pack()),
                add_button(VERSIONED),
            ]
        ),
    )
    return PREVIEW


VERSIONED = Versioned(
    WE_DID_KIND, WE_DID.key, (("title", N_("You said"), 200), ("we_did", N_("Your answer"), 800)), show
)


async def _publish(update: Update, context: BotContext, forget: DraftSlot[Any]) -> Any:
    services = context.services
    draft = WE_DID.of(context)
    theme = await services.feedback.theme(draft.theme)
    sent = (
        None
        if theme is None
        else await publish_we_did(
            services, theme, draft.outcome, draft.we_did, written_in=own_language(context), versions=draft.versions
        )
    )
    WE_DID.drop(context)
    forget.drop(context)
    await ending(update, context)
    if sent is None:
        await say(update, context, _("That theme is already published. Choose another."))
        return ConversationHandler.END
    await audit(context, update, "feedback.publish", draft.outcome, subject=str(draft.theme), detail=str(sent))
    await say(
        update,
        context,
        ngettext(
            "Published. On its way to {count} person, in their own language. We will ask again in {weeks} weeks "
            "whether it made a difference.",
            "Published. On its way to {count} people, each in their own language. We will ask again in {weeks} weeks "
            "whether it made a difference.",
            sent,
        ).format(count=sent, weeks=services.settings.follow_up_weeks),
    )
    return ConversationHandler.END


def states(change: Handler, forget: DraftSlot[Any]) -> dict[str, Step]:
    """The preview and its version steps, for the inbox's flow: `change` asks for the words
    again, and the flow's `forget` draft goes with this one once it is sent."""

    async def on_choice(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        pressed = context.button
        choice = pressed.choice if isinstance(pressed, WeDidChoice) else None
        if choice not in (SEND, CHANGE):
            return await show(update, context)
        await clear_buttons(update)
        return await (_publish(update, context, forget) if choice == SEND else change(update, context))

    add_version, version_steps = steps(VERSIONED)
    return {
        PREVIEW: step(show, CallbackQueryHandler(on_choice, pattern=WeDidChoice.pattern()), add_version),
        **version_steps,
    }
