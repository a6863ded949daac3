"""Projects: coordinators create co-production groups with a join link and a QR code for
posters; residents join by link, see theirs with /projects, and can leave."""

from __future__ import annotations

import io
from typing import Any

import segno
from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import EASY_READ, N_, _, ngettext
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.rights import leads
from decide.buttons import AgreeCharterButton, DraftChoice
from decide.views import charter_text
from domain.deeplinks import LinkKind, new_code, start_link
from domain.decisions import Fixed, Share, StartupAnswers, above_suggestion, suggest_level
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from domain.roles import ORGANISERS, Role
from handlers.project_buttons import OtherLeadButton, PosterButton
from handlers.common import acknowledge, audit, clear_buttons, escape, refuse, require, require_registered, say
from handlers import ladder
from handlers.flow import Flow, ending, read_text, step, typed_text
from storage.projects import Project

NAME, DESCRIPTION, LEVEL = "name", "description", "level"
NAME_MAX, DESCRIPTION_MAX = 80, 1000
DRAFT = "project_draft"


def level_line(level: Level) -> str:
    return _("Level: {level} – {meaning}").format(level=_(LEVEL_NAMES[level]), meaning=_(LEVEL_MEANINGS[level]))


def project_card(project: Project) -> str:
    lines = [f"<b>{escape(project.name)}</b>", escape(project.description), level_line(project.level)]
    if project.level_reason:
        lines.append(_("Why this level: {reason}").format(reason=escape(project.level_reason)))
    return "\n".join(lines)


# --- creating a project (coordinators) --------------------------------------------------

@require(ORGANISERS, "project.create")
@require_registered
async def new_project(update: Update, context: BotContext) -> Any:
    context.drafts[DRAFT] = {}
    return await ask_name(update, context)


async def ask_name(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Let's create a group. What is it called? Use plain words, "
                                 "for example “Carers' café planning group”.") + "\n" + _("Send /cancel to stop."))
    return NAME


async def on_name(update: Update, context: BotContext) -> Any:
    name = await read_text(update, context, NAME_MAX)
    if name is None:
        return NAME
    context.drafts.setdefault(DRAFT, {})["name"] = name
    return await ask_description(update, context)


async def ask_description(update: Update, context: BotContext) -> Any:
    await say(update, context, _("In one or two sentences: what will the group do, and what can members change?"))
    return DESCRIPTION


async def on_description(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, DESCRIPTION_MAX, one_line=False)
    if text is None:
        return DESCRIPTION
    context.drafts.setdefault(DRAFT, {})["description"] = text
    return await _check_asker(0)(update, context)


# The start-up check: the questions the frameworks ask before deciding whether and how to
# co-produce, declared once; the answers suggest the honest level.
CHECKS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("share", N_("Can the council let residents share in this choice?"),
     (("yes", N_("Yes, fully")), ("partly", N_("Partly")), ("no", N_("No")))),
    ("time", N_("Is there enough time and money to do it properly?"), (("1", N_("Yes")), ("0", N_("No")))),
    ("fixed", N_("How much is already fixed?"),
     (("little", N_("Very little")), ("some", N_("Some of it")), ("most", N_("Most of it")))),
    ("stake", N_("Will people who use the service, and carers, take part from the start?"),
     (("1", N_("Yes")), ("0", N_("Not yet")))),
)
CHECK_STATES = tuple(f"check_{name}" for name, _question, _choices in CHECKS)
LEVEL_REASON, REASON_MAX = "level_reason", 500


def _check_asker(index: int) -> Any:
    async def ask(update: Update, context: BotContext) -> Any:
        name, question, choices = CHECKS[index]
        intro = _("First, four quick questions, so the group promises only what it can keep.") + "\n\n" \
            if index == 0 else ""
        await say(update, context, intro + _(question),
                  column((_(label), DraftChoice(name, value).pack()) for value, label in choices))
        return CHECK_STATES[index]

    return ask


def _check_answer(index: int) -> Any:
    async def on_answer(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        name, _question, choices = CHECKS[index]
        chosen = context.button
        if not isinstance(chosen, DraftChoice) or chosen.step != name or chosen.value not in dict(choices):
            return await _check_asker(index)(update, context)
        await clear_buttons(update)
        context.drafts.setdefault(DRAFT, {})[name] = chosen.value
        if index + 1 < len(CHECKS):
            return await _check_asker(index + 1)(update, context)
        return await ask_level(update, context)

    return on_answer


def _suggested(draft: dict[str, Any]) -> Level | None:
    try:
        return suggest_level(_startup(draft))
    except (KeyError, ValueError):
        return None


def _startup(draft: dict[str, Any]) -> StartupAnswers:
    return StartupAnswers(Share(draft["share"]), draft["time"] == "1", Fixed(draft["fixed"]), draft["stake"] == "1")


async def ask_level(update: Update, context: BotContext) -> Any:
    suggested = _suggested(context.drafts.get(DRAFT) or {})
    if suggested is None:
        return await _check_asker(0)(update, context)
    await ladder.ask_level(update, context, DraftChoice, _(
        "From your answers, we suggest: {level}. How much can members shape it? Be honest: calling a consultation "
        "co-production breaks trust.").format(level=_(LEVEL_NAMES[suggested])))
    return LEVEL


async def on_level(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    level = ladder.chosen_level(context.button)
    draft = context.drafts.get(DRAFT) or {}
    suggested = _suggested(draft)
    if level is None or suggested is None or not {"name", "description"} <= set(draft):
        return await ask_level(update, context)
    await clear_buttons(update)
    draft["level"] = level.value
    if above_suggestion(level, suggested):
        await say(update, context, _("Your answers suggest {suggested}, but you chose {chosen}. Please say why, in "
                                     "plain words. Residents will see this.").format(
            suggested=_(LEVEL_NAMES[suggested]), chosen=_(LEVEL_NAMES[level])))
        return LEVEL_REASON
    return await _create(update, context, None)


async def ask_level_reason(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Please say why the group is at this level, or send /cancel to stop."))
    return LEVEL_REASON


async def on_level_reason(update: Update, context: BotContext) -> Any:
    reason = await read_text(update, context, REASON_MAX, one_line=False)
    if reason is None:
        return LEVEL_REASON
    return await _create(update, context, reason)


async def _create(update: Update, context: BotContext, reason: str | None) -> Any:
    draft = context.drafts.get(DRAFT) or {}
    services = context.services
    assert context.participant is not None
    me = context.participant.id
    project = await services.projects.create(
        name=draft["name"], description=draft["description"], level=Level(draft["level"]),
        lead_coordinator_id=me if context.role is not Role.OFFICER else None,
        lead_officer_id=me if context.role is Role.OFFICER else None,
        join_code=new_code(), now=services.clock.now(), startup_answers=_startup(draft).encode(), level_reason=reason)
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    await audit(context, update, "project.create", "ok", subject=str(project.id))
    await say(update, context, _("Your group is ready.") + "\n\n" + project_card(project))
    await offer_other_lead(update, context, project)
    await send_join_poster(update, context, project)
    return ConversationHandler.END


def _other_role(project: Project) -> Role:
    return Role.OFFICER if project.lead_officer_id is None else Role.COORDINATOR


async def offer_other_lead(update: Update, context: BotContext, project: Project) -> None:
    """A group has a lead coordinator and a lead officer; the creator fills one, and picks the other."""
    services = context.services
    candidates = []
    for member in await services.roles.staff():
        person = await services.participants.by_telegram_id(member.telegram_id)
        if member.role is _other_role(project) and person is not None and person.registered:
            candidates.append((person.display_name or "—", person.id))
    if not candidates:
        return
    question = (_("Who is the lead officer for this group? You can skip this.") if _other_role(project) is Role.OFFICER
                else _("Who is the lead coordinator for this group? You can skip this."))
    await say(update, context, question, column((f"👤 {name[:40]}", OtherLeadButton(project.id, pid).pack())
                                                for name, pid in candidates[:20]))


async def on_set_lead(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, OtherLeadButton)
    services = context.services
    project = await services.projects.by_id(button.group)
    person = await services.participants.by_id(button.person)
    role = (await services.roles.stored_role(person.telegram_id)) if person and person.telegram_id else None
    if not leads(context, project) or person is None or project is None or role != _other_role(project).value:
        await refuse(update, context, "project.lead")
        return
    await services.projects.set_lead(project.id, _other_role(project), person.id)
    await audit(context, update, "project.lead", "ok", subject=f"{project.id}:{person.id}")
    await acknowledge(update, _("{name} now leads this group with you.").format(name=person.display_name or "—"))
    await clear_buttons(update)


async def send_join_poster(update: Update, context: BotContext, project: Project) -> None:
    """The join link and a QR code image to print on posters where people already go."""
    link = start_link(context.bot.username, LinkKind.PROJECT, project.join_code)
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=4)
    image.seek(0)
    caption = _("Join “{name}”: scan this code with a phone camera, or open {link}").format(
        name=escape(project.name), link=escape(link))
    await context.bot.send_photo(update.effective_chat.id, image, caption=caption[:1024])


async def cancel(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    await say(update, context, _("Stopped. No group was created."))
    return ConversationHandler.END


def conversation() -> Flow:
    return Flow(
        name="new_project",
        noun=N_("your new group"),
        states={
            NAME: step(ask_name, MessageHandler(typed_text(), on_name)),
            DESCRIPTION: step(ask_description, MessageHandler(typed_text(), on_description)),
            **{state: step(_check_asker(i), CallbackQueryHandler(_check_answer(i), pattern=DraftChoice.pattern()))
               for i, state in enumerate(CHECK_STATES)},
            LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern=DraftChoice.at(LEVEL))),
            LEVEL_REASON: step(ask_level_reason, MessageHandler(typed_text(), on_level_reason)),
        },
        entry_points=[CommandHandler("newproject", new_project)],
        cancel=cancel,
        prefixes=(DraftChoice.prefix,),
        drafts=(DRAFT,),
        start=new_project,
        command="newproject",
    )


# --- joining, listing, leaving ----------------------------------------------------------

async def join_by_code(update: Update, context: BotContext, code: str) -> None:
    services = context.services
    project = await services.projects.by_join_code(code)
    if project is None:
        await say(update, context, _("I could not find that group. It may have closed. Send /projects to see yours."))
        return
    if project.closed_at is not None:
        await say(update, context, _("“{group}” has closed, so it takes no new members. Thank you for wanting to "
                                     "join. Send /projects to see your groups.").format(group=escape(project.name)))
        return
    assert context.participant is not None
    joined = await services.projects.join(project.id, context.participant.id, services.clock.now())
    intro = _("Welcome to the group!") if joined else _("You are already in this group.")
    await say(update, context, intro + "\n\n" + project_card(project))
    charter = await services.charters.agreed(project.id)
    if charter is not None and not await services.charters.has_agreed(charter.id, context.participant.id):
        await say(update, context, charter_text(charter, project.name, easy_read=context.language == EASY_READ)
                  + "\n\n" + _("Please read this. Do you agree to take part on these terms?"),
                  column([(_("✅ I agree"), AgreeCharterButton(project.id, charter.id).pack())]))


@require_registered
async def projects_command(update: Update, context: BotContext) -> None:
    services = context.services
    assert context.participant is not None
    mine = await services.projects.of_member(context.participant.id)
    lines = [_("<b>Your groups</b>")]
    rows: list[list[Button]] = []
    for project in mine:
        lines += ["", project_card(project)]
        rows.append([(_("Leave “{name}”").format(name=project.name[:30]), f"pj:leave:{project.id}")])
    if not mine:
        lines.append(_("You are not in any group yet. Scan a QR code on a poster, or wait for an invitation."))
    if context.role is not Role.RESIDENT:
        led = await services.projects.led_by(context.participant.id)
        if led:
            lines += ["", _("<b>Groups you lead</b>")]
        for project in led:
            count = await services.projects.member_count(project.id)
            lines.append(f"• {escape(project.name)} – " + ngettext("{count} member", "{count} members",
                                                                    count).format(count=count))
            rows.append([(_("Poster for “{name}”").format(name=project.name[:30]), PosterButton(project.id).pack())])
    await say(update, context, "\n".join(lines), keyboard(rows) if rows else None)


async def _project_from_button(update: Update) -> int | None:
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    return int(parts[2]) if parts and parts[2].isdigit() else None


@require_registered
async def on_leave(update: Update, context: BotContext) -> None:
    project_id = await _project_from_button(update)
    assert context.participant is not None
    project = await context.services.projects.by_id(project_id) if project_id else None
    if project is None or not await context.services.projects.leave(project.id, context.participant.id):
        await acknowledge(update, _("You are not in that group."))
        return
    await acknowledge(update)
    await clear_buttons(update)
    await say(update, context, _("You have left “{name}”. You can join again with its link.").format(
        name=escape(project.name)))


async def on_poster(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PosterButton)
    project = await context.services.projects.by_id(button.group)
    if not leads(context, project):
        await refuse(update, context, "project.poster", subject=str(button.group))
        return
    assert project is not None
    await acknowledge(update)
    await send_join_poster(update, context, project)


def handlers() -> list[object]:
    return [
        CommandHandler("projects", projects_command),
        CallbackQueryHandler(on_leave, pattern="^pj:leave:"),
        CallbackQueryHandler(on_poster, pattern=PosterButton.pattern()),
        CallbackQueryHandler(on_set_lead, pattern=OtherLeadButton.pattern()),
    ]
