"""Groups' members and leads: residents join by a group's link, see theirs with /projects and can
leave; its leads name the group's other lead and print its join poster. Creating a group is in
`handlers.groups.project_form`."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import EASY_READ, _, ngettext
from bot.keyboards import Button, column, keyboard
from bot.rights import leads
from decide.buttons import AgreeCharterButton
from decide.views import charter_text
from domain.deeplinks import LinkKind, start_link
from domain.roles import Role
from handlers.buttons.project_buttons import LeaveButton, Membership, OtherLeadButton, PosterButton
from handlers.kit.common import Put, acknowledge, audit, clear_buttons, escape, refuse, require_registered, say
from handlers.kit.links import Follower
from projects import work
from projects.views import join_poster, project_card
from storage.projects import Project


async def join_by_code(update: Update, context: BotContext, code: str, put: Put) -> None:
    """`/start p_<code>`, from a poster's QR code or a shared link."""
    assert context.participant is not None
    joining = await work.join_by_code(context.services, code, context.participant.id)
    project = joining.project
    if joining.outcome is work.Joined.UNKNOWN or project is None:
        await put(
            update, context, _("I could not find that group. It may have closed. Send /projects to see yours."), None
        )
        return
    if joining.outcome is work.Joined.CLOSED:
        await put(
            update,
            context,
            _(
                "“{group}” has closed, so it takes no new members. Thank you for wanting to "
                "join. Send /projects to see your groups."
            ).format(group=escape(project.name)),
            None,
        )
        return
    intro = _("Welcome to the group!") if joining.outcome is work.Joined.NEW else _("You are already in this group.")
    await put(update, context, intro + "\n\n" + project_card(project), None)
    if joining.charter is not None:
        await say(
            update,
            context,
            charter_text(joining.charter, project.name, easy_read=context.language == EASY_READ)
            + "\n\n"
            + _("Please read this. Do you agree to take part on these terms?"),
            column([(_("✅ I agree"), AgreeCharterButton(project.id, joining.charter.id).pack())]),
        )


@require_registered
async def projects_command(update: Update, context: BotContext) -> None:
    services = context.services
    assert context.participant is not None
    mine = await services.projects.of_member(context.participant.id)
    lines = [_("<b>Your groups</b>")]
    rows: list[list[Button]] = []
    for project in mine:
        lines += ["", project_card(project)]
        rows.append(
            [(_("Leave “{name}”").format(name=project.name[:30]), LeaveButton(Membership.LEAVE, project.id).pack())]
        )
    if not mine:
        lines.append(_("You are not in any group yet. Scan a QR code on a poster, or wait for an invitation."))
    if context.role is not Role.RESIDENT:
        led = await services.projects.led_by(context.participant.id)
        if led:
            lines += ["", _("<b>Groups you lead</b>")]
        for project in led:
            count = await services.projects.member_count(project.id)
            lines.append(
                f"• {escape(project.name)} – "
                + ngettext("{count} member", "{count} members", count).format(count=count)
            )
            rows.append([(_("Poster for “{name}”").format(name=project.name[:30]), PosterButton(project.id).pack())])
    await say(update, context, "\n".join(lines), keyboard(rows) if rows else None)


@require_registered
async def on_leave(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, LeaveButton) and context.participant is not None
    project = await work.leave(context.services, button.group, context.participant.id)
    if project is None:
        await acknowledge(update, _("You are not in that group."))
        return
    await acknowledge(update)
    await clear_buttons(update)
    await say(
        update,
        context,
        _("You have left “{name}”. You can join again with its link.").format(name=escape(project.name)),
    )


async def offer_other_lead(update: Update, context: BotContext, project: Project) -> None:
    """A group has a lead coordinator and a lead officer; the creator fills one, and picks the other."""
    candidates = await work.other_lead_candidates(context.services, project)
    if not candidates:
        return
    question = (
        _("Who is the lead officer for this group? You can skip this.")
        if work.other_lead_role(project) is Role.OFFICER
        else _("Who is the lead coordinator for this group? You can skip this.")
    )
    await say(
        update,
        context,
        question,
        column((f"👤 {name[:40]}", OtherLeadButton(project.id, pid).pack()) for name, pid in candidates),
    )


async def on_set_lead(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, OtherLeadButton)
    project = await context.services.projects.by_id(button.group)
    person = (
        await work.set_other_lead(context.services, project, button.person)
        if project is not None and leads(context, project)
        else None
    )
    if person is None:
        await refuse(update, context, "project.lead")
        return
    await audit(context, update, "project.lead", "ok", subject=f"{button.group}:{person.id}")
    await acknowledge(update, _("{name} now leads this group with you.").format(name=person.display_name or "—"))
    await clear_buttons(update)


async def send_join_poster(update: Update, context: BotContext, project: Project) -> None:
    """The join link and a QR code image to print on posters where people already go."""
    image, caption = join_poster(project, start_link(context.bot.username, LinkKind.PROJECT, project.join_code))
    await context.bot.send_photo(update.effective_chat.id, image, caption=caption)


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


def deep_links() -> dict[LinkKind, Follower]:
    """A group's join link is followed once its person has joined the bot."""
    return {LinkKind.PROJECT: Follower(join_by_code)}


def handlers() -> list[object]:
    return [
        CommandHandler("projects", projects_command),
        CallbackQueryHandler(on_leave, pattern=LeaveButton.pattern()),
        CallbackQueryHandler(on_poster, pattern=PosterButton.pattern()),
        CallbackQueryHandler(on_set_lead, pattern=OtherLeadButton.pattern()),
    ]
