"""Putting something to a group: /propose (any member, unless the charter says leads only)
and /vote (a lead or co-lead: a dot vote or a ranked choice). One conversation for both:
the steps they share are written once, and the draft says which kind it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, ngettext
from bot.keyboards import Button, column, keyboard
from decide import work
from decide.buttons import DraftChoice, GroupActionButton, LeadActionButton
from decide.views import CardData, card
from domain.dates import parse_day_end
from domain.decisions import DEFAULT_DOTS, MAX_OPTIONS, MIN_OPTIONS, Kind, tally
from domain.profile import clean_text
from handlers.common import acknowledge, audit, clear_buttons, escape, require_registered, say
from handlers.flow import Flow, cancel_clearing, ending, nothing_sent, read_text, step, typed_text
from handlers.plain_words import plain_words_note
from handlers.text_versions import VERSIONS, VersionButton, Versioned, add_button, own_language, steps, versions_line
from storage.decisions import Option

GROUP, KIND, TITLE, BODY, OPTIONS, DOTS, CLOSES, QUORUM, CONFIRM = (
    "group", "kind", "title", "body", "options", "dots", "closes", "quorum", "confirm")
DRAFT = "decision_draft"
TITLE_MAX, BODY_MAX, OPTION_MAX = 120, 1500, 60
CLOSING = {"3d": timedelta(days=3), "1w": timedelta(weeks=1), "2w": timedelta(weeks=2)}
QUORUMS = ("0", "25", "50", "75")


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


async def _groups_for(context: BotContext, *, leading: bool) -> list[tuple[int, str]]:
    """Groups where this person may put a proposal (or, `leading`, start a vote)."""
    services = context.services
    assert context.participant is not None
    me = context.participant.id
    allowed = []
    for project in await work.groups_of(services, me):
        rights = await work.rights(services, project, me, context.role)
        rules = await work.rules_of(services, project.id)
        may = (GroupRight.LEAD in rights if leading or rules.who_proposes == "leads"
               else GroupRight.MEMBER in rights or GroupRight.LEAD in rights)
        if may:
            allowed.append((project.id, project.name))
    return allowed


# --- starting ---------------------------------------------------------------------------

@require_registered
async def propose_command(update: Update, context: BotContext) -> Any:
    return await _start(update, context, Kind.PROPOSAL)


@require_registered
async def vote_command(update: Update, context: BotContext) -> Any:
    return await _start(update, context, None)


async def from_group_card(update: Update, context: BotContext) -> Any:
    """"Put a proposal" or "Start a vote" on a group's card: the gate has checked the right."""
    await acknowledge(update)
    button = context.button
    if isinstance(button, GroupActionButton):
        return await _start(update, context, Kind.PROPOSAL, group_id=button.group)
    if isinstance(button, LeadActionButton):
        return await _start(update, context, None, group_id=button.group)
    return ConversationHandler.END


async def _start(update: Update, context: BotContext, kind: Kind | None, group_id: int | None = None) -> Any:
    leading = kind is None
    groups = await _groups_for(context, leading=leading)
    if group_id is not None:
        groups = [g for g in groups if g[0] == group_id]
    if not groups:
        await say(update, context, _("Only a group's leads and co-leads can start a vote. You can put a proposal "
                                     "with /propose.") if leading else
                  _("You can put a proposal to a group you are in. You are not in one yet, or your group lets only "
                    "its leads do this. Send /groups to see your groups."))
        return ConversationHandler.END
    context.drafts[DRAFT] = {"key": uuid4().hex, "kind": kind.value if kind else None}
    if len(groups) == 1:
        _draft(context)["group"] = groups[0][0]
        return await _after_group(update, context)
    await say(update, context, _("Which group is it for?"),
              column((name[:40], DraftChoice(GROUP, str(pid)).pack()) for pid, name in groups[:20]))
    return GROUP


async def ask_group(update: Update, context: BotContext) -> Any:
    groups = await _groups_for(context, leading=_draft(context).get("kind") is None)
    await say(update, context, _("Please tap the group it is for, or send /cancel to stop."),
              column((name[:40], DraftChoice(GROUP, str(pid)).pack()) for pid, name in groups[:20]))
    return GROUP


async def on_group(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, GROUP)
    allowed = {pid for pid, _name in await _groups_for(context, leading=_draft(context).get("kind") is None)}
    if chosen is None or not chosen.isdigit() or int(chosen) not in allowed:
        return await ask_group(update, context)
    await clear_buttons(update)
    _draft(context)["group"] = int(chosen)
    return await _after_group(update, context)


async def _after_group(update: Update, context: BotContext) -> Any:
    return await ask_title(update, context) if _draft(context).get("kind") else await ask_kind(update, context)


async def ask_kind(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What kind of vote?"), column([
        (_("🔵 Dot vote: everyone spreads dots across options"), DraftChoice(KIND, Kind.DOTS.value).pack()),
        (_("🔢 Ranked choice: everyone puts options in order"), DraftChoice(KIND, Kind.RANKED.value).pack())]))
    return KIND


async def on_kind(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, KIND)
    if chosen not in (Kind.DOTS.value, Kind.RANKED.value):
        return await ask_kind(update, context)
    await clear_buttons(update)
    _draft(context)["kind"] = chosen
    return await ask_title(update, context)


# --- the words ------------------------------------------------------------------------------

async def ask_title(update: Update, context: BotContext) -> Any:
    if _draft(context).get("kind") == Kind.PROPOSAL.value:
        text = _("What do you propose? Say it in one short line, for example “Meet in the evening, not the "
                 "afternoon”.")
    else:
        text = _("What is the question? For example “What should we work on first?”")
    await say(update, context, text + "\n" + _("Send /cancel to stop."))
    return TITLE


async def on_title(update: Update, context: BotContext) -> Any:
    title = await read_text(update, context, TITLE_MAX)
    if title is None:
        return TITLE
    _draft(context)["title"] = clean_text(title, TITLE_MAX) or title
    if _draft(context)["kind"] == Kind.PROPOSAL.value:
        return await ask_body(update, context)
    return await ask_options(update, context)


async def ask_body(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What would it mean in practice? Type it in plain words, or send a voice note."))
    return BODY


async def on_body(update: Update, context: BotContext) -> Any:
    message = update.effective_message
    draft = _draft(context)
    if message.voice:
        draft["voice"], draft["body"] = message.voice.file_id, None
    else:
        body = await read_text(update, context, BODY_MAX, one_line=False)
        if body is None:
            return BODY
        draft["body"], draft["voice"] = body, None
    return await ask_closes(update, context)


async def ask_options(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Type the options, one on each line. You need {least} to {most}.").format(
        least=MIN_OPTIONS, most=MAX_OPTIONS))
    return OPTIONS


async def on_options(update: Update, context: BotContext) -> Any:
    lines = [clean_text(line, OPTION_MAX) for line in (update.effective_message.text or "").splitlines()]
    options = list(dict.fromkeys(line for line in lines if line))
    too_long = any(line.strip() and clean is None for line, clean in
                   zip((update.effective_message.text or "").splitlines(), lines, strict=True))
    if too_long or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        await say(update, context, _("Please type {least} to {most} different options, one on each line, each up to "
                                     "{limit} characters.").format(least=MIN_OPTIONS, most=MAX_OPTIONS,
                                                                   limit=OPTION_MAX))
        return OPTIONS
    _draft(context)["options"] = options
    if _draft(context)["kind"] == Kind.DOTS.value:
        return await ask_dots(update, context)
    return await ask_closes(update, context)


async def ask_dots(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How many dots should each member have?"), keyboard([[
        (str(n), DraftChoice(DOTS, str(n)).pack()) for n in (3, DEFAULT_DOTS, 10)]]))
    return DOTS


async def on_dots(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, DOTS)
    if chosen not in ("3", str(DEFAULT_DOTS), "10"):
        return await ask_dots(update, context)
    await clear_buttons(update)
    _draft(context)["dots"] = int(chosen)
    return await ask_closes(update, context)


# --- when it closes, how many must answer ------------------------------------------------------

async def ask_closes(update: Update, context: BotContext) -> Any:
    await say(update, context, _("When should it close? Tap one, or type a date like 15/12."), column([
        (_("In 3 days"), DraftChoice(CLOSES, "3d").pack()), (_("In a week"), DraftChoice(CLOSES, "1w").pack()),
        (_("In 2 weeks"), DraftChoice(CLOSES, "2w").pack())]))
    return CLOSES


async def on_closes(update: Update, context: BotContext) -> Any:
    services = context.services
    now = services.clock.now()
    if update.callback_query:
        await acknowledge(update)
        chosen = DraftChoice.chosen(context.button, CLOSES)
        if chosen not in CLOSING:
            return await ask_closes(update, context)
        await clear_buttons(update)
        closes = now + CLOSING[chosen]
    else:
        parsed = parse_day_end(update.effective_message.text or "", services.settings.timezone, now)
        if parsed is None or parsed <= now + timedelta(hours=1) or parsed > now + timedelta(days=90):
            await say(update, context, _("Please type a date in the next 90 days, like 15/12, or tap a button."))
            return CLOSES
        closes = parsed
    _draft(context)["closes"] = closes.isoformat()
    if _draft(context)["kind"] == Kind.PROPOSAL.value:
        return await ask_quorum(update, context)
    return await ask_confirm(update, context)


async def ask_quorum(update: Update, context: BotContext) -> Any:
    rules = await work.rules_of(context.services, _draft(context)["group"])
    names = {"0": _("No minimum"), "25": _("A quarter of members"), "50": _("Half of members"),
             "75": _("Three quarters of members")}
    rows: list[list[Button]] = [[(("● " if value == str(rules.quorum_percent) else "") + names[value],
                                  DraftChoice(QUORUM, value).pack())] for value in QUORUMS]
    await say(update, context, _("How many members must answer for it to count?"), keyboard(rows))
    return QUORUM


async def on_quorum(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, QUORUM)
    if chosen not in QUORUMS:
        return await ask_quorum(update, context)
    await clear_buttons(update)
    _draft(context)["quorum"] = int(chosen)
    return await ask_confirm(update, context)


# --- the preview, and sending ---------------------------------------------------------------------

def _to_work_draft(draft: dict[str, Any], written_in: str) -> work.Draft:
    return work.Draft(group_id=draft["group"], kind=Kind(draft["kind"]), title=draft["title"],
                      closes_at=datetime.fromisoformat(draft["closes"]), body=draft.get("body"),
                      body_voice=draft.get("voice"), quorum_percent=draft.get("quorum", 0), dots=draft.get("dots"),
                      options=[(label, None) for label in draft.get("options", [])],
                      versions={written_in: {}, **draft.get(VERSIONS, {})})


async def ask_confirm(update: Update, context: BotContext) -> Any:
    services = context.services
    draft = _draft(context)
    planned = _to_work_draft(draft, own_language(context))
    project = await services.projects.by_id(planned.group_id)
    assert project is not None
    members = await services.decisions.electorate_size(project.id)
    preview = work.preview_decision(planned)
    options = [Option(i, i, label, None) for i, (label, _cand) in enumerate(planned.options, 1)]
    text, _markup = card(CardData(preview, project.name, options, tally([], members)), services.settings.timezone)
    await say(update, context, _("This is what members will see:") + "\n\n" + text)
    question = ngettext("Send it to {count} member of {group}?", "Send it to {count} members of {group}?",
                        members).format(count=members, group=escape(project.name))
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
    draft = _draft(context)
    if chosen == "no":
        return await nothing_sent(update, context, DRAFT)
    if chosen != "send" or not {"group", "kind", "title", "closes"} <= set(draft):
        return await ask_confirm(update, context)
    leading = draft["kind"] != Kind.PROPOSAL.value
    if draft["group"] not in {pid for pid, _name in await _groups_for(context, leading=leading)}:
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


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    add_version, version_steps = steps(VERSIONED)
    return Flow(
        name="new_decision",
        noun=N_("your proposal or vote"),
        states={
            GROUP: step(ask_group, CallbackQueryHandler(on_group, pattern=choice)),
            KIND: step(ask_kind, CallbackQueryHandler(on_kind, pattern=choice)),
            TITLE: step(ask_title, MessageHandler(typed_text(), on_title)),
            BODY: step(ask_body, MessageHandler(typed_text() | filters.VOICE, on_body)),
            OPTIONS: step(ask_options, MessageHandler(typed_text(), on_options)),
            DOTS: step(ask_dots, CallbackQueryHandler(on_dots, pattern=choice)),
            CLOSES: step(ask_closes, CallbackQueryHandler(on_closes, pattern=choice),
                         MessageHandler(typed_text(), on_closes)),
            QUORUM: step(ask_quorum, CallbackQueryHandler(on_quorum, pattern=choice)),
            CONFIRM: step(ask_confirm, CallbackQueryHandler(on_confirm, pattern=choice), add_version),
            **version_steps,
        },
        entry_points=[CommandHandler("propose", propose_command), CommandHandler("vote", vote_command),
                      CallbackQueryHandler(from_group_card, pattern=r"^ga:\d+:propose$"),
                      CallbackQueryHandler(from_group_card, pattern=r"^gd:\d+:vote$")],
        cancel=cancel_clearing(DRAFT),
        prefixes=(DraftChoice.prefix, VersionButton.prefix),
        drafts=(DRAFT,),
        command="propose",
    )
