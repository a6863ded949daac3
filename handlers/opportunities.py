"""Opportunities: coordinators describe one honestly, preview it, and broadcast it at
Telegram's pace; residents answer I'm interested / Tell me more / Not for me."""

from __future__ import annotations

import json
from uuid import uuid4
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from storage.times import from_db, to_db
from bot.context import BotContext
from bot.i18n import N_, _, available_languages, format_date, language, language_name, ngettext
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.text import fit_lines, some_of
from domain.dates import parse_day_end
from domain.deeplinks import LinkKind, start_link
from domain.delivery import next_send_time
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, LEVEL_TERMS, Level
from domain.profile import AREA_MAX
from domain.questions import Kind
from domain.roles import ORGANISERS, Role
from domain.targeting import Target
from handlers.opportunity_buttons import InterestedButton, InviteInterestedButton, StopSendingButton
from handlers.common import acknowledge, audit, clear_buttons, escape, refuse, require, require_registered, say
from handlers import ladder
from handlers import opportunity_audience
from handlers.checklist import Checklist
from handlers.flow import Flow, ending, picked, read_text, step, typed_text
from handlers.glossary import explain_button
from handlers.plain_words import plain_words_note
from handlers.text_versions import (VERSIONS, VersionButton, Versioned, add_button, for_reader, own_language,
                                    steps, versions_line)
from handlers import opportunity_outcome as outcome
from handlers.question_buttons import AskButton
from bot.rights import leads
from storage.opportunities import Opportunity
from storage.outbox import Outgoing

DRAFT = "opp_draft"
KIND = "opportunity"

# Text fields in the order they are asked: (key, question, longest answer).
TEXT_FIELDS: list[tuple[str, str, int]] = [
    ("title", N_("What is the opportunity called? Keep it short and plain."), 100),
    ("about", N_("What is it about, in two or three sentences?"), 800),
    ("can_change", N_("What can people change or decide?"), 300),
    ("cannot_change", N_("What can people NOT change? Being clear builds trust."), 300),
    ("time_needed", N_("How much time does it take? For example: two 1-hour meetings."), 200),
    ("dates", N_("When is it? For example: Tuesday evenings in May."), 200),
    ("access_info", N_("Access: where it is, how to join online, and what help there is."), 300),
]
FIELD_KEYS = [key for key, _q, _n in TEXT_FIELDS]
LEVEL, PAYS, CLOSES, AUDIENCE, AUDIENCE_TOPICS, AUDIENCE_AREA, PREVIEW = (
    "level", "pays", "closes", "audience", "audience_topics", "audience_area", "preview")

PAYS_LABELS = {
    "none": N_("Unpaid"),
    "expenses": N_("Expenses paid"),
    "involvement": N_("Paid for your time"),
    "both": N_("Expenses and paid for your time"),
}
# The order fields are asked in after the text fields.
AFTER = {"title": "about", "about": LEVEL, LEVEL: "can_change", "can_change": "cannot_change",
         "cannot_change": "time_needed", "time_needed": "dates", "dates": PAYS, PAYS: "access_info",
         "access_info": CLOSES, CLOSES: AUDIENCE}


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


def _target(draft: dict[str, Any]) -> Target:
    return Target(frozenset(draft.get("topics", [])), draft.get("area"), draft.get("language"),
                  frozenset(draft.get("skills", [])), draft.get("worked_on"))


# --- what residents see ------------------------------------------------------------------

def card(fields: dict[str, Any], tz: Any, *, full: bool) -> str:
    """The opportunity in the reader's language; the coordinator's own words as written."""
    level = Level(fields["level"])
    pays = PAYS_LABELS[fields["pays"]]
    lines = [
        *filter(None, [opportunity_audience.worked_with_us(fields)]),
        "📣 <b>{}</b>".format(escape(fields["title"])),
        escape(fields["about"]),
        "",
        _("Level: {level} – {meaning}").format(level=_(LEVEL_NAMES[level]), meaning=_(LEVEL_MEANINGS[level])),
        _("Time: {value}").format(value=escape(fields["time_needed"])),
        _("Payment: {value}").format(value=_(pays)),
    ]
    if full:
        lines += [
            _("You can change: {value}").format(value=escape(fields["can_change"])),
            _("You cannot change: {value}").format(value=escape(fields["cannot_change"])),
            _("When: {value}").format(value=escape(fields["dates"])),
            _("Access: {value}").format(value=escape(fields["access_info"])),
        ]
    lines.append(_("Reply by: {date}").format(date=format_date(from_db(fields["closes_at"]), tz)))
    return "\n".join(lines)


# The glossary terms behind each payment label, for the card's "What does this mean?".
PAYS_TERMS = {"none": (), "expenses": ("expenses",), "involvement": ("payment",), "both": ("payment", "expenses")}


def resident_buttons(opportunity_id: int, fields: dict[str, Any], *, full: bool) -> list[list[Button]]:
    rows: list[list[Button]] = [[(_("🙋 I'm interested"), f"op:in:{opportunity_id}")]]
    if full:
        rows.append([(_("❓ Ask a question"), AskButton(Kind.OPPORTUNITY.value, opportunity_id).pack())])
    else:
        rows.append([(_("ℹ️ Tell me more"), f"op:more:{opportunity_id}")])
    rows.append([(_("Not for me"), f"op:no:{opportunity_id}")])
    rows.append([explain_button(LEVEL_TERMS[Level(fields["level"])], *PAYS_TERMS[fields["pays"]])])
    return rows


def _fields(opportunity: Opportunity) -> dict[str, Any]:
    return {"title": opportunity.title, "about": opportunity.about, "level": opportunity.level.value,
            "can_change": opportunity.can_change, "cannot_change": opportunity.cannot_change,
            "time_needed": opportunity.time_needed, "dates": opportunity.dates, "pays": opportunity.pays,
            "access_info": opportunity.access_info, "closes_at": to_db(opportunity.closes_at)}


# --- the coordinator's form --------------------------------------------------------------

@require(ORGANISERS, "opportunity.create")
@require_registered
async def new_opportunity(update: Update, context: BotContext) -> Any:
    context.drafts[DRAFT] = {"key": uuid4().hex}
    await say(update, context, _("Let's write an opportunity. I will ask a few questions. Send /cancel to stop."))
    return await _ask(update, context, "title")


async def _ask(update: Update, context: BotContext, key: str) -> Any:
    asks = {LEVEL: ask_level, PAYS: ask_pays, CLOSES: ask_closes, AUDIENCE: show_audience}
    if key in asks:
        return await asks[key](update, context)
    question = next(q for k, q, _n in TEXT_FIELDS if k == key)
    await say(update, context, _(question))
    return key


async def _after(update: Update, context: BotContext, key: str) -> Any:
    """Next question, or back to the preview when changing one answer."""
    if _draft(context).pop("editing", False):
        return await show_preview(update, context)
    return await _ask(update, context, AFTER[key])


def _text_step(key: str, limit: int) -> Any:
    async def on_text(update: Update, context: BotContext) -> Any:
        text = await read_text(update, context, limit, one_line=False)
        if text is None:
            return key
        _draft(context)[key] = text
        return await _after(update, context, key)

    return on_text


def _asker(key: str) -> Any:
    async def ask(update: Update, context: BotContext) -> Any:
        return await _ask(update, context, key)

    return ask


async def _level_chosen(update: Update, context: BotContext, level: Level) -> Any:
    _draft(context)["level"] = level.value
    return await _after(update, context, LEVEL)


ask_level, on_level = ladder.level_step("on", LEVEL, _level_chosen)


async def ask_pays(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is paid?"),
              column((_(label), f"on:pays:{key}") for key, label in PAYS_LABELS.items()))
    return PAYS


async def on_pays(update: Update, context: BotContext) -> Any:
    choice = await picked(update, PAYS_LABELS)
    if choice is None:
        return await ask_pays(update, context)
    _draft(context)["pays"] = choice
    return await _after(update, context, PAYS)


async def ask_closes(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is the last day people can say they are interested? Type a date like 15/12."))
    return CLOSES


async def on_closes(update: Update, context: BotContext) -> Any:
    services = context.services
    now = services.clock.now()
    closes = parse_day_end(update.effective_message.text or "", services.settings.timezone, now)
    if closes is None or closes <= now:
        await say(update, context, _("Please type a date in the future, like 15/12 or 15/12/2026."))
        return CLOSES
    _draft(context)["closes_at"] = to_db(closes)
    return await _after(update, context, CLOSES)


# --- audience ----------------------------------------------------------------------------

async def _describe_target(context: BotContext, target: Target) -> str:
    if target.everyone:
        return _("Everyone who has joined")
    parts = []
    if target.topics:
        names = dict(await context.services.participants.all_topics())
        parts.append(_("Topics: {value}").format(value=", ".join(_(names.get(t, t)) for t in sorted(target.topics))))
    if target.area:
        parts.append(_("Area: {value}").format(value=escape(target.area)))
    if target.language:
        parts.append(_("Language: {value}").format(value=language_name(target.language)))
    return "; ".join(parts + MORE.describe(_draft(context)))


async def show_audience(update: Update, context: BotContext) -> Any:
    target = _target(_draft(context))
    reach = await context.services.opportunities.count_reach(target)
    text = "\n".join([_("<b>Who should get it?</b>"), await _describe_target(context, target),
                      reach_text(reach)])
    rows: list[list[Button]] = [
        [(_("Topics"), "on:aud:topics"), (_("Area"), "on:aud:area")],
        MORE.buttons(),
        [(language_name(code), f"on:lang:{code}") for code in available_languages()],
        [(_("Everyone"), "on:aud:everyone")],
        [(_("Preview ›"), "on:aud:preview")],
    ]
    await say(update, context, text, keyboard(rows))
    return AUDIENCE


async def on_audience(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    parts = callback_parts(update.callback_query.data, 3)
    draft = _draft(context)
    choice = parts[2] if parts else ""
    if parts and parts[1] == "lang" and choice in available_languages():
        draft["language"] = choice
    elif choice == "everyone":
        for key in ("topics", "area", "language", *opportunity_audience.KEYS):
            draft.pop(key, None)
    elif choice == "topics":
        return await ask_audience_topics(update, context)
    elif choice == "area":
        await say(update, context, _("Type the area or ward, exactly as residents write it."))
        return AUDIENCE_AREA
    elif choice == "preview":
        return await show_preview(update, context)
    return await show_audience(update, context)


MORE = opportunity_audience.MoreAudience(store=_draft, back=show_audience)


async def _topic_options(context: BotContext) -> list[tuple[str, str]]:
    return [(slug, _(name)) for slug, name in await context.services.participants.all_topics()]


AUDIENCE_TOPICS_LIST = Checklist(
    prefix="on:topic", store=_draft, field="topics", question=lambda: _("People who chose any of these topics:"),
    options=_topic_options, rows_after=lambda context: [[(_("Done ✔"), "on:topics:done")]])


async def ask_audience_topics(update: Update, context: BotContext) -> Any:
    await AUDIENCE_TOPICS_LIST.show(update, context)
    return AUDIENCE_TOPICS


async def on_audience_topics_done(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await AUDIENCE_TOPICS_LIST.finish(update, context)
    return await show_audience(update, context)


async def on_audience_area(update: Update, context: BotContext) -> Any:
    area = await read_text(update, context, AREA_MAX)
    if area is None:
        return AUDIENCE_AREA
    _draft(context)["area"] = area
    return await show_audience(update, context)


# --- preview, edit, send -----------------------------------------------------------------

async def show_preview(update: Update, context: BotContext) -> Any:
    draft = _draft(context)
    missing = [key for key in [*FIELD_KEYS, LEVEL, PAYS, "closes_at"] if key not in draft]
    if missing:
        return await _ask(update, context, CLOSES if missing[0] == "closes_at" else missing[0])
    reach = await context.services.opportunities.count_reach(_target(draft))
    tz = context.services.settings.timezone
    await say(update, context, _("<b>Preview</b> – this is what residents will see:"))
    await say(update, context, card(draft, tz, full=False), keyboard(resident_buttons(0, draft, full=False)))
    summary = "\n\n".join(filter(None, [plain_words_note([draft.get(key) for key in FIELD_KEYS]),
                                         versions_line(VERSIONED, context),
                                         reach_text(reach) + "\n" + await _describe_target(context, _target(draft))]))
    rows: list[list[Button]] = [
        [(_("🚀 Send now"), "on:send:go")],
        [(_("✏️ Change something"), "on:send:edit"), (_("👥 Change who gets it"), "on:send:audience")],
        [add_button(VERSIONED)],
        [(_("Cancel"), "on:send:cancel")],
    ]
    await say(update, context, summary, keyboard(rows))
    return PREVIEW


def reach_text(count: int) -> str:
    return ngettext("It will reach {count} person.", "It will reach {count} people.", count).format(count=count)


async def on_preview(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data, 3)
    choice = parts[2] if parts else ""
    if choice == "go":
        await clear_buttons(update)
        return await send(update, context)
    if choice == "audience":
        await clear_buttons(update)
        return await show_audience(update, context)
    if choice == "cancel":
        await clear_buttons(update)
        return await cancel(update, context)
    if choice == "edit":
        await clear_buttons(update)
        labels = {"title": _("Title"), "about": _("About"), LEVEL: _("Level"), "can_change": _("Can change"),
                  "cannot_change": _("Cannot change"), "time_needed": _("Time"), "dates": _("When"),
                  PAYS: _("Payment"), "access_info": _("Access"), CLOSES: _("Reply by")}
        buttons = [(label, f"on:edit:{key}") for key, label in labels.items()]
        await say(update, context, _("What would you like to change?"),
                  keyboard([buttons[i:i + 2] for i in range(0, len(buttons), 2)]))
        return PREVIEW
    return await show_preview(update, context)


async def on_edit_field(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    await clear_buttons(update)
    parts = callback_parts(update.callback_query.data, 3)
    if parts is None or parts[2] not in AFTER:
        return await show_preview(update, context)
    _draft(context)["editing"] = True
    return await _ask(update, context, parts[2])


@require(ORGANISERS, "opportunity.send")
async def send(update: Update, context: BotContext) -> Any:
    """Queue one row per recipient (rendered once per language), then let the sender pace it."""
    services = context.services
    draft = dict(_draft(context))
    target = _target(draft)
    now = services.clock.now()
    tz = services.settings.timezone
    assert context.participant is not None
    opportunity_id, created = await services.opportunities.create(draft, target, context.participant.id, now,
                                                                   key=draft.get("key"))
    existing = None if created else await services.opportunities.by_id(opportunity_id)
    if existing is not None and existing.batch_id is not None:
        # The same Send again, e.g. after a restart: never a second broadcast. (A crash before
        # the batch was queued leaves no batch, and then this Send finishes the job.)
        context.drafts.pop(DRAFT, None)
        await say(update, context, _("This opportunity has already been sent. See it in /opportunities."))
        return ConversationHandler.END
    await services.text_versions.save(KIND, opportunity_id, own_language(context), draft.get(VERSIONS, {}), now)
    recipients = await services.opportunities.recipients(target)
    versions = await services.text_versions.of(KIND, opportunity_id)
    rendered: dict[str, tuple[str, str]] = {}
    for code in {recipient.language for recipient in recipients}:
        with language(code):
            markup = keyboard(resident_buttons(opportunity_id, draft, full=False)).to_dict()
            text = for_reader(versions, draft, code, lambda fields: card(fields, tz, full=False))
            rendered[code] = (text, json.dumps(markup))
    messages = [Outgoing(chat_id=r.telegram_id, participant_id=r.participant_id, text=rendered[r.language][0],
                         markup=rendered[r.language][1], dedupe_key=f"opp:{opportunity_id}:{r.participant_id}",
                         not_before=next_send_time(now, tz, r.quiet_hours)) for r in recipients]
    batch_id = await services.opportunities.queue(opportunity_id, KIND, context.participant.id, now, messages)
    await services.jobs.schedule(outcome.PROMPT_JOB, str(opportunity_id), from_db(draft["closes_at"]))
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    await audit(context, update, "opportunity.send", "ok", subject=str(opportunity_id), detail=str(len(messages)))
    progress = await say(update, context, _("Sending…"), _stop_markup(batch_id))
    if progress is not None:
        await services.outbox.set_progress_message(batch_id, progress.chat_id, progress.message_id)
    if services.sender is not None:
        services.sender.wake()
    return ConversationHandler.END


def _stop_markup(batch_id: int) -> Any:
    return keyboard([[(_("⏹ Stop sending"), StopSendingButton(batch_id).pack())]])


async def cancel(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    await say(update, context, _("Stopped. Nothing was sent."))
    return ConversationHandler.END


# --- progress ----------------------------------------------------------------------------

def progress_hook(context_bot: Any, services: Any) -> Any:
    """Keep the coordinator's progress message up to date, in their language."""

    async def report(batch_id: int) -> None:
        progress = await services.outbox.progress(batch_id)
        if progress is None or progress.progress_chat_id is None:
            return
        owner = await services.participants.by_id(progress.created_by) if progress.created_by else None
        with language(owner.language if owner else "en"):
            text = _("Sent: {sent} · Not reachable: {unreachable} · Still to go: {waiting}").format(
                sent=progress.sent, unreachable=progress.unreachable + progress.failed, waiting=progress.waiting)
            markup = None
            if progress.done:
                opportunity = await services.opportunities.by_batch(batch_id)
                head = _("Stopped.") if progress.stopped else _("Finished.")
                text = head + " " + text
                if opportunity is not None:
                    rows = [[(_("👥 Who is interested"), InterestedButton(opportunity.id).pack())]]
                    if opportunity.outcome is None:
                        rows.append(outcome.close_button(opportunity))
                    markup = keyboard(rows)
            else:
                markup = _stop_markup(batch_id)
        try:
            await context_bot.edit_message_text(text, progress.progress_chat_id, progress.progress_message_id,
                                                reply_markup=markup)
        except BadRequest as exc:  # "message is not modified" when nothing changed since last time
            if "not modified" not in str(exc):
                raise

    return report


def _owns(context: BotContext, opportunity: Opportunity | None) -> bool:
    me = context.participant.id if context.participant else None
    return opportunity is not None and (context.role is Role.ADMIN or opportunity.created_by == me)


async def _owned(update: Update, context: BotContext, opportunity: Opportunity | None, action: str) -> bool:
    if not _owns(context, opportunity):
        await refuse(update, context, action)
        return False
    return True


async def on_stop(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, StopSendingButton)
    batch_id = button.batch
    services = context.services
    opportunity = await services.opportunities.by_batch(batch_id)
    if not await _owned(update, context, opportunity, "opportunity.stop"):
        return
    cancelled = await services.outbox.stop_batch(batch_id, services.clock.now())
    await audit(context, update, "opportunity.stop", "ok", subject=str(batch_id), detail=str(cancelled))
    await acknowledge(update, ngettext("Stopped. {count} message was not sent.",
                                       "Stopped. {count} messages were not sent.", cancelled).format(count=cancelled))
    await progress_hook(context.bot, services)(batch_id)


async def on_list(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, InterestedButton)
    services = context.services
    opportunity = await services.opportunities.by_id(button.opportunity)
    if not await _owned(update, context, opportunity, "opportunity.interested"):
        return
    assert opportunity is not None
    await acknowledge(update)
    led = await services.projects.led_by(context.participant.id) if context.participant else []
    rows: list[list[Button]] = [[(_("➕ Invite them to “{name}”").format(name=project.name[:30]),
                                  InviteInterestedButton(opportunity.id, project.id).pack())] for project in led[:5]]
    if opportunity.outcome is None:
        rows.append(outcome.close_button(opportunity))
    await say(update, context, await interested_text(context, opportunity), keyboard(rows))


async def on_invite_to_project(update: Update, context: BotContext) -> None:
    """Everyone interested gets an invitation with a Join button, in their own language."""
    button = context.button
    assert isinstance(button, InviteInterestedButton)
    services = context.services
    opportunity = await services.opportunities.by_id(button.opportunity)
    project = await services.projects.by_id(button.group)
    if not _owns(context, opportunity) or not leads(context, project):
        await refuse(update, context, "opportunity.invite")
        return
    assert opportunity is not None and project is not None
    me = context.participant.id if context.participant else None
    now = services.clock.now()
    tz = services.settings.timezone
    link = start_link(context.bot.username, LinkKind.PROJECT, project.join_code)
    messages = []
    interested = [participant_id for participant_id, _name in await services.opportunities.interested(opportunity.id)]
    await services.opportunities.mark_invited(opportunity.id, interested, project.id)
    for participant_id in interested:
        person = await services.participants.by_id(participant_id)
        if person is None or person.telegram_id is None:
            continue
        with language(person.language):
            text = _("You said you were interested in “{title}”. Join the group “{name}” to take part:").format(
                title=escape(opportunity.title), name=escape(project.name))
            markup = json.dumps(keyboard([[(_("Join the group"), "url:" + link)]]).to_dict())
        messages.append(Outgoing(chat_id=person.telegram_id, participant_id=participant_id, text=text, markup=markup,
                                 dedupe_key=f"pinv:{project.id}:{participant_id}",
                                 not_before=next_send_time(now, tz, person.quiet_hours)))
    _batch, added = await services.outbox.create_batch("project_invite", str(project.id), me, now, messages)
    await audit(context, update, "opportunity.invite", "ok", subject=f"{opportunity.id}:{project.id}",
                detail=str(added))
    if services.sender is not None:
        services.sender.wake()
    await acknowledge(update, ngettext("Invitation on its way to {count} person.",
                                       "Invitations on their way to {count} people.", added).format(count=added),
                      alert=True)


async def interested_text(context: BotContext, opportunity: Opportunity) -> str:
    services = context.services
    people = await services.opportunities.interested(opportunity.id)
    counts = await services.opportunities.response_counts(opportunity.id)
    lines = [f"<b>{escape(opportunity.title)}</b>",
             _("Interested: {yes} · Not for them: {no}").format(yes=counts.get("interested", 0),
                                                               no=counts.get("not_for_me", 0))]
    lines.append(some_of([escape(name) or "—" for _pid, name in people], most=60))
    return fit_lines(lines)


# --- residents ---------------------------------------------------------------------------

async def _resident_opportunity(update: Update, context: BotContext) -> Opportunity | None:
    """The opportunity a resident's button is about, if it was really sent to them."""
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    services = context.services
    opportunity = await services.opportunities.by_id(int(parts[2])) if parts and parts[2].isdigit() else None
    if (opportunity is None or context.participant is None
            or not await services.opportunities.was_sent_to(opportunity, context.participant.id)):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."),
                          alert=True)
        return None
    if opportunity.closes_at <= services.clock.now():
        await acknowledge(update, _("Sorry, this opportunity has closed."), alert=True)
        return None
    return opportunity


async def on_answer(update: Update, context: BotContext) -> None:
    """I'm interested (op:in) or Not for me (op:no); a later tap changes the answer."""
    opportunity = await _resident_opportunity(update, context)
    if opportunity is None:
        return
    assert context.participant is not None
    services = context.services
    interested = (update.callback_query.data or "").startswith("op:in:")
    await services.opportunities.respond(opportunity.id, context.participant.id,
                                         "interested" if interested else "not_for_me", services.clock.now())
    if interested:
        await acknowledge(update)
        await say(update, context, _("Thank you! We have told the organiser. They will be in touch here."))
    else:
        await acknowledge(update, _("No problem. Thank you for letting us know."))
        await clear_buttons(update)


async def on_more(update: Update, context: BotContext) -> None:
    opportunity = await _resident_opportunity(update, context)
    if opportunity is None:
        return
    await acknowledge(update)
    fields = _fields(opportunity)
    services = context.services
    versions = await services.text_versions.of(KIND, opportunity.id)
    text = for_reader(versions, fields, own_language(context),
                      lambda shown: card(shown, services.settings.timezone, full=True))
    await say(update, context, text, keyboard(resident_buttons(opportunity.id, fields, full=True)))


@require_registered
async def opportunities_command(update: Update, context: BotContext) -> None:
    """Staff: what they sent and who is interested. Residents: pause or resume opportunities."""
    services = context.services
    assert context.participant is not None
    if context.role in ORGANISERS:
        mine = await services.opportunities.created_by(context.participant.id)
        lines = [_("<b>Your opportunities</b>")] + [f"• {escape(o.title)}" for o in mine]
        if not mine:
            lines.append(_("None yet. Send /opportunity to write one."))
        buttons = [(_("👥 {title}").format(title=o.title[:40]), InterestedButton(o.id).pack()) for o in mine]
        await say(update, context, "\n".join(lines), column(buttons) if buttons else None)
        return
    await _show_pause(update, context)


async def _show_pause(update: Update, context: BotContext) -> None:
    assert context.participant is not None
    paused = await context.services.opportunities.is_paused(context.participant.id)
    if paused:
        text = _("Opportunities are paused. You will not get new ones.")
        button = (_("▶️ Start getting them again"), "op:pause:0")
    else:
        text = _("We send you ways to take part on your topics. To change topics or quiet hours, use /profile.")
        button = (_("⏸ Pause all opportunities"), "op:pause:1")
    await say(update, context, text, column([button]))


@require_registered
async def on_pause(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 3)
    await acknowledge(update)
    await clear_buttons(update)
    assert context.participant is not None
    await context.services.opportunities.set_paused(context.participant.id, bool(parts and parts[2] == "1"))
    await _show_pause(update, context)


# The coordinator's own words, which a version in another language replaces.
FIELD_NAMES = {"title": N_("Title"), "about": N_("About"), "can_change": N_("Can change"),
               "cannot_change": N_("Cannot change"), "time_needed": N_("Time"), "dates": N_("When"),
               "access_info": N_("Access")}
VERSIONED = Versioned(KIND, DRAFT, tuple((key, FIELD_NAMES[key], limit) for key, _q, limit in TEXT_FIELDS),
                      show_preview)


def conversation() -> Flow:
    states = {key: step(_asker(key), MessageHandler(typed_text(), _text_step(key, limit)))
              for key, _question, limit in TEXT_FIELDS}
    add_version, version_steps = steps(VERSIONED)
    states.update({
        LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern="^on:level:")),
        PAYS: step(ask_pays, CallbackQueryHandler(on_pays, pattern="^on:pays:")),
        CLOSES: step(ask_closes, MessageHandler(typed_text(), on_closes)),
        AUDIENCE: step(show_audience, CallbackQueryHandler(on_audience, pattern="^on:(aud|lang):"), MORE.on_audience()),
        **MORE.states(),
        AUDIENCE_TOPICS: step(ask_audience_topics,
                              CallbackQueryHandler(on_audience_topics_done, pattern="^on:topics:done$"),
                              AUDIENCE_TOPICS_LIST.tap_handler()),
        AUDIENCE_AREA: step(show_audience, MessageHandler(typed_text(), on_audience_area)),
        PREVIEW: step(show_preview, CallbackQueryHandler(on_preview, pattern="^on:send:"),
                      CallbackQueryHandler(on_edit_field, pattern="^on:edit:"), add_version),
        **version_steps,
    })
    return Flow(
        name="opportunity",
        noun=N_("your opportunity"),
        states=states,
        entry_points=[CommandHandler("opportunity", new_opportunity)],
        cancel=cancel,
        prefixes=("on", VersionButton.prefix, *opportunity_audience.PREFIXES),
        drafts=(DRAFT,),
        start=new_opportunity,
        command="opportunity",
    )


def handlers() -> list[object]:
    return [
        CommandHandler("opportunities", opportunities_command),
        CallbackQueryHandler(on_answer, pattern="^op:(in|no):"),
        CallbackQueryHandler(on_more, pattern="^op:more:"),
        CallbackQueryHandler(on_stop, pattern=StopSendingButton.pattern()),
        CallbackQueryHandler(on_list, pattern=InterestedButton.pattern()),
        CallbackQueryHandler(on_invite_to_project, pattern=InviteInterestedButton.pattern()),
        CallbackQueryHandler(on_pause, pattern="^op:pause:"),
    ]
