"""What happened next: an organiser closing an opportunity says whether it went ahead, what
was decided, or why it did not; everyone who said "I'm interested" is told, in their own
language, through the outbox (and, if it went ahead, whether they were invited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, language, ngettext
from bot.keyboards import Button, column, keyboard
from bot.notify import notify
from bot.services import Services
from domain.delivery import next_send_time
from domain.feedback import reason_ok
from domain.questions import Outcome
from handlers.kit.common import acknowledge, audit, escape, refuse, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import END, Flow, ending, read_text, step, stopped, typed_text
from opportunities.work import PROMPT_JOB, owns
from questions.buttons import CloseOpportunityButton, OutcomeButton
from storage.opportunities import Opportunity
from storage.outbox import Outgoing

WORDS = "outcome_words"
DRAFT = "opp_outcome"
KIND = "opportunity_outcome"


@dataclass
class OutcomeDraft:
    """The opportunity being closed and what happened to it, carried by the button tapped."""

    opportunity: int
    outcome: Outcome


OUTCOME = DraftSlot(DRAFT, OutcomeDraft)


def _draft(context: BotContext) -> OutcomeDraft:
    """The draft, also from the `[opportunity id, outcome]` pair an earlier version kept."""
    stored = context.drafts.get(DRAFT)
    if isinstance(stored, list):
        context.drafts[DRAFT] = dict(zip(("opportunity", "outcome"), stored, strict=False))
    return OUTCOME.of(context)


def close_button(opportunity: Opportunity) -> list[Button]:
    """For the organiser's views of an opportunity not yet closed."""
    return [(_("🏁 Close it and tell people what happened"), CloseOpportunityButton(opportunity.id).pack())]


async def _own_open(update: Update, context: BotContext, opportunity_id: int) -> Opportunity | None:
    """The opportunity if the presser organises it and it is not closed yet; otherwise say why."""
    opportunity = await context.services.opportunities.by_id(opportunity_id)
    if not owns(opportunity, context.participant.id if context.participant else None, context.role):
        await refuse(update, context, "opportunity.close", subject=str(opportunity_id))
        return None
    assert opportunity is not None
    if opportunity.outcome is not None:
        await acknowledge(update, _("It is closed, and the people who were interested have been told."), alert=True)
        return None
    return opportunity


async def on_close(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, CloseOpportunityButton)
    opportunity = await _own_open(update, context, button.opportunity)
    if opportunity is None:
        return
    await acknowledge(update)
    labels = {
        Outcome.WENT: _("✅ It went ahead"),
        Outcome.DECIDED: _("📝 Say what was decided"),
        Outcome.NOT: _("🚫 It did not go ahead"),
    }
    await say(
        update,
        context,
        _("What happened next with “{title}”? Everyone who said they were interested will be told.").format(
            title=escape(opportunity.title)
        ),
        column((label, OutcomeButton(opportunity.id, outcome.value).pack()) for outcome, label in labels.items()),
    )


async def on_outcome(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, OutcomeButton)
    if button.outcome not in {o.value for o in Outcome}:
        await refuse(update, context, "opportunity.close", subject=str(button.opportunity))
        return END
    opportunity = await _own_open(update, context, button.opportunity)
    if opportunity is None:
        return END
    await acknowledge(update)
    OUTCOME.begin(context, OutcomeDraft(opportunity.id, Outcome(button.outcome)))
    return await ask_words(update, context)


async def ask_words(update: Update, context: BotContext) -> Any:
    questions = {
        Outcome.WENT: _(
            "What happens next? For example: the first meeting is on 12 January. Each person "
            "will also hear whether they were invited."
        ),
        Outcome.DECIDED: _("What was decided? Use plain words: everyone who was interested will read it."),
        Outcome.NOT: _("Why did it not go ahead? Use plain words: everyone who was interested will read it."),
    }
    await say(update, context, questions[_draft(context).outcome] + "\n" + _("Send /cancel to stop."))
    return WORDS


async def on_words(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, 800, one_line=False)
    if text is None:
        return WORDS
    draft = _draft(context)
    outcome = draft.outcome
    if outcome is Outcome.NOT and not reason_ok(text):
        await say(update, context, _("Please give a reason of a few words, so people understand why."))
        return WORDS
    OUTCOME.drop(context)
    services = context.services
    opportunity = await services.opportunities.by_id(draft.opportunity)
    me = context.participant.id if context.participant else None
    if (
        opportunity is None
        or me is None
        or not await services.opportunities.record_outcome(opportunity.id, outcome, text, services.clock.now())
    ):
        await say(update, context, _("It is closed, and the people who were interested have been told."))
        return END
    told = await tell_interested(services, opportunity, outcome, text, me)
    await audit(context, update, "opportunity.close", outcome, subject=str(opportunity.id), detail=str(told))
    await ending(update, context)
    await say(
        update,
        context,
        ngettext(
            "Closed. {count} person will be told, in their own language.",
            "Closed. {count} people will be told, each in their own language.",
            told,
        ).format(count=told),
    )
    return END


def outcome_text(title: str, outcome: Outcome, words: str, invited_to: str | None) -> str:
    """What one interested person reads, in the language set by the caller."""
    title, words = escape(title), escape(words)
    if outcome is Outcome.NOT:
        return _("“{title}”, which you were interested in, did not go ahead. Why: {words}").format(
            title=title, words=words
        )
    if outcome is Outcome.DECIDED:
        return _("News about “{title}”, which you were interested in. What was decided: {words}").format(
            title=title, words=words
        )
    if invited_to is not None:
        head = _(
            "“{title}” is going ahead, and you were invited to join the group “{group}”. Look for the "
            "invitation in this chat."
        ).format(title=title, group=escape(invited_to))
    else:
        head = _("“{title}” is going ahead, but you were not invited this time. Thank you for your interest.").format(
            title=title
        )
    return head + "\n" + _("What happens next: {words}").format(words=words)


async def tell_interested(
    services: Services, opportunity: Opportunity, outcome: Outcome, words: str, organiser: int
) -> int:
    """One message per interested person, paced by the outbox; returns how many were queued."""
    now = services.clock.now()
    tz = services.settings.timezone
    invited = await services.opportunities.invited(opportunity.id)
    groups = {pid: await services.projects.by_id(pid) for pid in set(invited.values())}
    messages = []
    for participant_id, _name in await services.opportunities.interested(opportunity.id):
        person = await services.participants.by_id(participant_id)
        if person is None or person.telegram_id is None:
            continue
        group = groups.get(invited[participant_id]) if participant_id in invited else None
        with language(person.language):
            text = outcome_text(opportunity.title, outcome, words, group.name if group else None)
        messages.append(
            Outgoing(
                chat_id=person.telegram_id,
                participant_id=participant_id,
                text=text,
                dedupe_key=f"qout:{opportunity.id}:{participant_id}",
                not_before=next_send_time(now, tz, person.quiet_hours),
            )
        )
    _batch, added = await services.outbox.create_batch(KIND, str(opportunity.id), organiser, now, messages)
    if services.sender is not None:
        services.sender.wake()
    return added


async def prompt(services: Services, opportunity_id: int) -> None:
    """Replies have closed: ask the organiser, once, to tell the interested people what happened."""
    opportunity = await services.opportunities.by_id(opportunity_id)
    if opportunity is None or opportunity.outcome is not None:
        return
    count = len(await services.opportunities.interested(opportunity.id))
    if not count:
        return
    await notify(
        services,
        opportunity.created_by,
        f"qprompt:{opportunity.id}",
        lambda: ngettext(
            "Replies to “{title}” have closed. {count} person said they were interested. Tell them what happened next.",
            "Replies to “{title}” have closed. {count} people said they were interested. Tell them what happened next.",
            count,
        ).format(title=escape(opportunity.title), count=count),
        lambda: keyboard([close_button(opportunity)]),
        wait_for_quiet=True,
    )


def job_handlers(services: Services) -> dict[str, Any]:
    async def run_prompt(ref: str) -> None:
        await prompt(services, int(ref))

    return {PROMPT_JOB: run_prompt}


def conversation() -> Flow:
    return Flow(
        name="opportunity_outcome",
        noun=N_("what happened next"),
        states=restarting({WORDS: step(ask_words, MessageHandler(typed_text(), on_words))}, None),
        entry_points=[CallbackQueryHandler(on_outcome, pattern=OutcomeButton.pattern())],
        cancel=stopped(),
        prefixes=("qo",),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    return [CallbackQueryHandler(on_close, pattern=CloseOpportunityButton.pattern())]
