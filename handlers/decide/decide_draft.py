"""The draft a proposal or vote is built in across the steps of /propose and /vote, and its last
step: the preview members will see, versions in other languages, and sending. The earlier steps
(handlers/decide/decide.py, handlers/decide/decide_steps.py) lead here; nothing here leads back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from bot.keyboards import column
from decide import work
from decide.buttons import DraftChoice
from decide.proposing import groups_for, preview
from decide.views import card
from domain.decisions import Kind
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, say
from handlers.kit.drafts import DraftLost, DraftSlot
from handlers.kit.flow import ending, nothing_sent
from handlers.kit.plain_words import plain_words_note
from handlers.kit.text_versions import Versioned, add_button, own_language, versions_line

GROUP, KIND, TITLE, BODY, OPTIONS, DOTS, CLOSES, QUORUM, CONFIRM = (
    "group",
    "kind",
    "title",
    "body",
    "options",
    "dots",
    "closes",
    "quorum",
    "confirm",
)
DRAFT = "decision_draft"
TITLE_MAX, BODY_MAX = 120, 1500


@dataclass
class DecisionDraft:
    """The answers so far. The field names are the keys the draft had as a dict, so a proposal or
    vote begun before drafts were typed carries on after the upgrade."""

    key: str  # makes sending it twice (after a lost reply) give back the first decision
    kind: Kind | None = None  # None: a vote whose kind is not chosen yet
    group: int | None = None
    title: str = ""
    body: str | None = None
    voice: str | None = None  # a proposal explained in a voice note: its Telegram file id
    options: list[str] = field(default_factory=list)
    dots: int | None = None
    closes: str | None = None  # ISO date-time
    quorum: int = 0
    versions: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> field -> text (text_versions)

    @property
    def group_id(self) -> int:
        """The group, which every step after the first has: one without it lost its answers."""
        if self.group is None:
            raise DraftLost(DRAFT)
        return self.group


DECISION = DraftSlot(DRAFT, DecisionDraft)


async def allowed_groups(context: BotContext, *, leading: bool) -> list[tuple[int, str]]:
    """Groups where this person may put a proposal (or, `leading`, start a vote)."""
    assert context.participant is not None
    return await groups_for(context.services, context.participant.id, context.role, leading=leading)


def _to_work_draft(draft: DecisionDraft, written_in: str) -> work.Draft:
    if draft.kind is None or not draft.title or draft.closes is None:  # the preview comes after all three
        raise DraftLost(DRAFT)
    return work.Draft(
        group_id=draft.group_id,
        kind=draft.kind,
        title=draft.title,
        closes_at=datetime.fromisoformat(draft.closes),
        body=draft.body,
        body_voice=draft.voice,
        quorum_percent=draft.quorum,
        dots=draft.dots,
        options=[(label, None) for label in draft.options],
        versions={written_in: {}, **draft.versions},
    )


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = DECISION.of(context)
    data = await preview(context.services, _to_work_draft(draft, own_language(context)))
    text, _markup = card(data, context.services.settings.timezone)
    await say(update, context, _("This is what members will see:") + "\n\n" + text)
    members = data.tally.members
    question = ngettext(
        "Send it to {count} member of {group}?", "Send it to {count} members of {group}?", members
    ).format(count=members, group=escape(data.group_name))
    note = plain_words_note([draft.title, draft.body, *draft.options])
    await say(
        update,
        context,
        "\n\n".join(filter(None, [note, versions_line(VERSIONED, context), question])),
        column(
            [
                (_("📨 Send it"), DraftChoice(CONFIRM, "send").pack()),
                (_("✖️ Don't send"), DraftChoice(CONFIRM, "no").pack()),
                add_button(VERSIONED),
            ]
        ),
    )
    return CONFIRM


# The proposer's own words (a resident's too), which a version in another language replaces; a
# vote's options and a voice note stay as they are.
VERSIONED = Versioned(
    work.VERSIONS_KIND, DRAFT, (("title", N_("Title"), TITLE_MAX), ("body", N_("About"), BODY_MAX)), ask_confirm
)


not_sending = nothing_sent(DRAFT)


async def on_confirm(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, CONFIRM)
    if chosen == "no":
        return await not_sending(update, context)
    if chosen != "send":
        return await ask_confirm(update, context)
    draft = DECISION.of(context)
    sending = _to_work_draft(draft, own_language(context))
    leading = sending.kind is not Kind.PROPOSAL
    if sending.group_id not in {pid for pid, _name in await allowed_groups(context, leading=leading)}:
        await say(
            update,
            context,
            _("Sorry, you can't do that. If you think you should be able to, please ask your council contact."),
        )
        DECISION.drop(context)
        return ConversationHandler.END
    await clear_buttons(update)
    assert context.participant is not None
    decision, created = await work.open_decision(
        context.services, sending, context.participant.id, key=f"decision:{draft.key}"
    )
    DECISION.drop(context)
    await ending(update, context)
    if created:
        await audit(context, update, "decision.open", "ok", subject=str(decision.id))
    await say(
        update,
        context,
        _("Sent. Members can answer until {date}. We will tell you when it closes.").format(
            date=format_datetime(decision.closes_at, context.services.settings.timezone)
        ),
    )
    return ConversationHandler.END
