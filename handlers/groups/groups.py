"""/groups: each of a person's groups with its leads and co-leads, members, ladder level and
open decisions; and what people do from a group's card: read and agree its charter, stand
as co-lead, and (leads) appoint a co-lead or hold an election."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import EASY_READ, _, ngettext
from bot.keyboards import Button, column, keyboard
from bot.text import fit_lines
from decide import work
from decide.buttons import AgreeCharterButton, AppointButton, GroupActionButton, GroupButton, LeadActionButton
from decide.closing_views import closed_card
from decide.views import charter_text, level_reason_line
from domain.participation import LEVEL_NAMES
from domain.questions import Kind
from handlers.buttons.papers_pay_buttons import GroupPayButton
from handlers.kit.common import acknowledge, audit, escape, require_registered, say
from questions.buttons import AskButton
from storage.projects import Project
from success.views import card_rows as success_rows

ELECTION_DAYS = 7


@require_registered
async def groups_command(update: Update, context: BotContext) -> None:
    services = context.services
    assert context.participant is not None
    groups = await work.groups_of(services, context.participant.id)
    if not groups:
        await say(
            update, context, _("You are not in any group yet. Scan a QR code on a poster, or wait for an invitation.")
        )
        return
    ids = [g.id for g in groups]
    open_counts = await services.decisions.open_counts(ids)
    lines = [_("<b>Your groups</b>")]
    for project in groups:
        count = open_counts.get(project.id, 0)
        lines.append(
            f"• {escape(project.name)} – "
            + ngettext("{count} open decision", "{count} open decisions", count).format(count=count)
        )
    await say(update, context, fit_lines(lines), column((p.name[:40], GroupButton(p.id).pack()) for p in groups[:20]))


async def group_card(context: BotContext, project: Project) -> tuple[str, Any]:
    if project.closed_at is not None:
        return await closed_card(context.services, project)
    services = context.services
    assert context.participant is not None
    rights = await work.rights(services, project, context.participant.id, context.role)
    leads = await services.decisions.people(sorted(work.staff_leads(project)))
    coleads = (await services.projects.coleads_of([project.id])).get(project.id, [])
    members = await services.projects.member_count(project.id)
    open_now = await services.decisions.of_project(project.id, open_only=True)
    lines = [
        f"<b>{escape(project.name)}</b>",
        escape(project.description),
        _("Level: {level}").format(level=_(LEVEL_NAMES[project.level])),
    ]
    reason = level_reason_line(_(LEVEL_NAMES[project.level]), project.level_reason)
    if reason:
        lines.append(reason)
    lines.append(_("Leads: {names}").format(names=", ".join(escape(p.name) for p in leads) or "—"))
    lines.append(_("Co-leads: {names}").format(names=", ".join(escape(n) for n in coleads) or "—"))
    lines.append(ngettext("{count} member", "{count} members", members).format(count=members))
    lines.append(ngettext("{count} open decision", "{count} open decisions", len(open_now)).format(count=len(open_now)))
    rows: list[list[Button]] = [
        [
            (_("🗳 Open decisions"), GroupActionButton(project.id, "open").pack()),
            (_("💡 Put a proposal"), GroupActionButton(project.id, "propose").pack()),
        ],
        [
            (_("📒 Decision log"), GroupActionButton(project.id, "log").pack()),
            (_("📜 Charter"), GroupActionButton(project.id, "charter").pack()),
        ],
    ]
    rows += success_rows(project.id, rights, context.role)
    if GroupRight.LEAD in rights:
        rows += [
            [
                (_("📊 Start a vote"), LeadActionButton(project.id, "vote").pack()),
                (_("✍️ Write the charter"), LeadActionButton(project.id, "charter").pack()),
            ],
            [
                (_("⭐ Appoint a co-lead"), LeadActionButton(project.id, "appoint").pack()),
                (_("🗳 Elect a co-lead"), LeadActionButton(project.id, "elect").pack()),
            ],
            [
                (_("📣 Post an update"), LeadActionButton(project.id, "update").pack()),
                (_("🗓 Plan a meeting"), LeadActionButton(project.id, "meeting").pack()),
            ],
            [
                (_("💷 What is paid"), GroupPayButton(project.id, "show").pack()),
                (_("🏁 Close the group"), LeadActionButton(project.id, "close").pack()),
            ],
        ]
    else:
        rows.append(
            [
                (_("🙋 Stand as co-lead"), GroupActionButton(project.id, "stand").pack()),
                (_("❓ Ask the leads"), AskButton(Kind.GROUP.value, project.id).pack()),
            ]
        )
    return fit_lines(lines), keyboard(rows)


async def on_group(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, GroupButton)
    project = await context.services.projects.by_id(button.group)
    await acknowledge(update)
    if project is not None:
        text, markup = await group_card(context, project)
        await say(update, context, text, markup)


async def on_group_action(update: Update, context: BotContext) -> None:
    """What a member does from the card itself; open decisions, proposing and the decision log are
    decide's own."""
    button = context.button
    assert isinstance(button, GroupActionButton) and context.participant is not None
    services = context.services
    project = await services.projects.by_id(button.group)
    if project is None:
        await acknowledge(update)
        return
    if button.action == "stand":
        if project.closed_at is not None:
            await acknowledge(update, _("This group has closed."), alert=True)
            return
        stood = await services.projects.stand(project.id, context.participant.id, services.clock.now())
        await acknowledge(
            update,
            _("Thank you for standing. The leads will hold an election.")
            if stood
            else _("You have already said you will stand."),
            alert=True,
        )
        return
    await acknowledge(update)
    if button.action == "charter":
        await show_charter(update, context, project)


async def show_charter(update: Update, context: BotContext, project: Project) -> None:
    services = context.services
    assert context.participant is not None
    charter = await services.charters.agreed(project.id)
    if charter is None:
        await say(
            update, context, _("This group has no agreed charter yet. Its leads can write one for members to agree.")
        )
        return
    text = charter_text(charter, project.name, easy_read=context.language == EASY_READ)
    if await services.charters.has_agreed(charter.id, context.participant.id):
        await say(update, context, text)
        return
    await say(
        update,
        context,
        text + "\n\n" + _("Please read this. Do you agree to take part on these terms?"),
        column([(_("✅ I agree"), AgreeCharterButton(project.id, charter.id).pack())]),
    )


async def on_agree_charter(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, AgreeCharterButton) and context.participant is not None
    services = context.services
    charter = await services.charters.agreed(button.group)
    if charter is None or charter.id != button.charter:
        await acknowledge(update, _("The charter has changed since. Send /groups to read the new one."), alert=True)
        return
    await services.charters.agree(charter.id, context.participant.id, services.clock.now())
    await acknowledge(update, _("Thank you. You can now take part in the group's decisions."), alert=True)


# --- leads: co-leads ---------------------------------------------------------------------------


async def on_lead_action(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, LeadActionButton) and context.participant is not None
    services = context.services
    project = await services.projects.by_id(button.group)
    await acknowledge(update)
    if project is None:
        return
    if button.action == "appoint":
        coleads = set(await services.projects.coleads(project.id))
        members = [m for m in await services.decisions.members(project.id) if m.participant_id not in coleads]
        if not members:
            await say(update, context, _("Everyone in the group is already a co-lead, or it has no members yet."))
            return
        await say(
            update,
            context,
            _(
                "Who should be a co-lead? A co-lead can start proposals and votes and see the "
                "group's results. They never see anyone's claims or personal needs."
            ),
            column((f"👤 {m.name[:40]}", AppointButton(project.id, m.participant_id).pack()) for m in members[:30]),
        )
    elif button.action == "elect":
        # Its own key: a later election with as many candidates must not come back as this one.
        started = await work.start_election(
            services,
            project,
            context.participant.id,
            services.clock.now() + timedelta(days=ELECTION_DAYS),
            key=f"election:{project.id}:{uuid4().hex}",
        )
        if started is None:
            await say(
                update,
                context,
                _("At least two members need to stand first. They can tap “Stand as co-lead” on the group in /groups."),
            )
            return
        await audit(context, update, "decision.election", "ok", subject=str(started[0].id))
        await say(update, context, _("The election is open for a week. Every member can vote."))


async def on_appoint(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, AppointButton)
    services = context.services
    project = await services.projects.by_id(button.group)
    if project is None or not await work.appoint(services, project, button.member):
        await acknowledge(update, _("They are already a co-lead, or no longer in the group."), alert=True)
        return
    await audit(context, update, "group.colead", "ok", subject=f"{project.id}:{button.member}")
    await acknowledge(update, _("Done. They are now a co-lead, and we have told them."), alert=True)


def handlers() -> list[object]:
    return [
        CommandHandler("groups", groups_command),
        CallbackQueryHandler(on_group, pattern=GroupButton.pattern()),
        CallbackQueryHandler(on_group_action, pattern=GroupActionButton.pattern_where(action=("stand", "charter"))),
        CallbackQueryHandler(on_lead_action, pattern=LeadActionButton.pattern()),
        CallbackQueryHandler(on_appoint, pattern=AppointButton.pattern()),
        CallbackQueryHandler(on_agree_charter, pattern=AgreeCharterButton.pattern()),
    ]
