"""The draft a proposal or vote is built in across the steps of /propose and /vote, and its last
step: the preview members will see, versions in other languages, and sending. The earlier steps
(handlers/decide/decide.py, handlers/decide/decide_steps.py) lead here; nothing here leads back."""

from __future__ import annotations

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
from handlers.kit.drafts import dict_draft
from handlers.kit.flow import ending, nothing_sent
from handlers.kit.plain_words import plain_words_note
from handlers.kit.text_versions import VERSIONS, Versioned, add_button, own_language, versions_line

GROUP, KIND, TITLE, BODY, OPTIONS, DOTS, CLOSES, QUORUM, CONFIRM = (
    "group", "kind", "title", "body", "options", "dots", "closes", "quorum", "confirm")
DRAFT = "decision_draft"
TITLE_MAX, BODY_MAX = 120, 1500


draft_of = dict_draft(DRAFT)


async def allowed_groups(context: BotContext, *, leading: bool) -> list[tuple[int, str]]:
    """Groups where this person may put a proposal (or, `leading`, start a vote)."""
    assert context.participant is not None
    return await groups_for(context.services, context.participant.id, context.role, leading=leading)


def _to_work_draft(draft: dict[str, Any], written_in: str) -> work.Draft:
    return work.Draft(group_id=draft["group"], kind=Kind(draft["kind"]), title=draft["title"],
                      closes_at=datetime.fromisoformat(draft["closes"]), body=draft.get("body"),
                      body_voice=draft.get("voice"), quorum_percent=draft.get("quorum", 0), dots=draft.get("dots"),
                      options=[(label, None) for label in draft.get("options", [])],
                      versions={written_in: {}, **draft.get(VERSIONS, {})})


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = draft_of(context)
    data = await preview(context.services, _to_work_draft(draft, own_language(context)))
    text, _markup = card(data, context.services.settings.timezone)
    await say(update, context, _("This is what members will see:") + "\n\n" + text)
    members = data.tally.members
    question = ngettext("Send it to {count} member of {group}?", "Send it to {count} members of {group}?",
                        members).format(count=members, group=escape(data.group_name))
    note = plain_words_note([draft.get("title"), draft.get("body"), *draft.get("options", [])])
    await say(update, context, "\n\n".join(filter(None, [note, versions_line(VERSIONED, context), question])), column([
        (_("📨 Send it"), DraftChoice(CONFIRM, "send").pack()),
        (_("✖️ Don't send"), DraftChoice(CONFIRM, "no").pack()), add_button(VERSIONED)]))
    return CONFIRM


# The proposer's own words (a resident's too), which a version in another language replaces; a
# vote's options and a voice note stay as they are.
VERSIONED = Versioned(work.VERSIONS_KIND, DRAFT, (("title", N_("Title"), TITLE_MAX), ("body", N_("About"), BODY_MAX)),
                      ask_confirm)


async def on_confirm(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, CONFIRM)
    draft = draft_of(context)
    if chosen == "no":
        return await nothing_sent(update, context, DRAFT)
    if chosen != "send" or not {"group", "kind", "title", "closes"} <= set(draft):
        return await ask_confirm(update, context)
    leading = draft["kind"] != Kind.PROPOSAL.value
    if draft["group"] not in {pid for pid, _name in await allowed_groups(context, leading=leading)}:
        await say(update, context, _("Sorry, you can't do that. If you think you should be able to, please ask "
                                     "your council contact."))
        context.drafts.pop(DRAFT, None)
        return ConversationHandler.END
    await clear_buttons(update)
    assert context.participant is not None
    decision, created = await work.open_decision(context.services, _to_work_draft(draft, own_language(context)),
                                                 context.participant.id, key=f"decision:{draft['key']}")
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    if created:
        await audit(context, update, "decision.open", "ok", subject=str(decision.id))
    await say(update, context, _("Sent. Members can answer until {date}. We will tell you when it closes.").format(
        date=format_datetime(decision.closes_at, context.services.settings.timezone)))
    return ConversationHandler.END
