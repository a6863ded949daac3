"""/myinvolvement: a person's own record, as a message and as a printable certificate they can
show an employer or a college. Only ever the presser's own record; nothing after /delete."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _, format_date, format_duration, ngettext
from bot.keyboards import Button, keyboard
from bot.pages import printable_page
from bot.text import escape, fit_lines, some_of
from decide.buttons import GroupButton
from domain.experience import Record, minutes_given
from handlers.buttons.recognition_buttons import CertificateButton
from handlers.kit.common import acknowledge, require_registered, say

MOST_LISTED = 10  # changes listed in the message; the certificate lists them all


def _counts(record: Record) -> list[str]:
    """The measures in plain words, shared by the message and the certificate."""
    meetings = len(record.meetings)
    lines = [
        ngettext("You came to {count} meeting.", "You came to {count} meetings.", meetings).format(count=meetings),
        _("Time you gave: {time}.").format(time=format_duration(minutes_given(record.meetings))),
        ngettext(
            "You took part in {count} group decision.",
            "You took part in {count} group decisions.",
            len(record.decisions),
        ).format(count=len(record.decisions)),
    ]
    if record.groups:
        lines.insert(0, _("Your groups: {names}.").format(names=escape(some_of([n for n, _j in record.groups]))))
    return lines


def record_text(record: Record, tz: ZoneInfo) -> str:
    if record.empty or record.since is None:
        return _("There is nothing here yet. Join a group, come to a meeting or answer a decision, and it shows here.")
    lines = [
        _("<b>What you have done with us</b>"),
        _("You joined on {date}.").format(date=format_date(record.since, tz)),
        *_counts(record),
    ]
    if record.we_did:
        lines += ["", _("Your feedback led to these changes:")]
        lines += [f"• {escape(said)}: {escape(did)}" for said, did in record.we_did[:MOST_LISTED]]
    lines += ["", _("Tap Certificate for a page you can print or show to an employer or a college.")]
    return fit_lines(lines)


@require_registered
async def involvement_command(update: Update, context: BotContext) -> None:
    assert context.participant is not None
    services = context.services
    record = await services.involvement.record(context.participant.id)
    closed = await services.closings.closed_of(context.participant.id)
    rows: list[list[Button]] = [] if record.empty else [[(_("📄 Certificate"), CertificateButton().pack())]]
    rows += [
        [(_("🏁 {group} (closed)").format(group=p.name[:40]), GroupButton(p.id).pack())] for p in closed[:MOST_LISTED]
    ]
    text = record_text(record, services.settings.timezone)
    if closed:
        text += "\n\n" + _("Some of your groups have closed. Tap one to read what it did.")
    await say(update, context, text, keyboard(rows) if rows else None)


@require_registered
async def on_certificate(update: Update, context: BotContext) -> None:
    assert context.participant is not None
    services = context.services
    record = await services.involvement.record(context.participant.id)
    if record.empty:
        await acknowledge(update, _("There is nothing to show yet."), alert=True)
        return
    await acknowledge(update)
    page = certificate(
        context.participant.display_name or "",
        record,
        services.settings.council_name,
        services.clock.now(),
        services.settings.timezone,
    )
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(page.encode()),
        filename="involvement-certificate.html",
        caption=_("Your certificate. Open it to read, print or share it."),
    )


def certificate(name: str, record: Record, council: str, today: datetime, tz: ZoneInfo) -> str:
    """A reference letter in the reader's language: who, since when, what they did and the time
    they gave, signed for the council."""
    signed_by = council or _("the council")
    name = name or _("this person")
    since = format_date(record.since, tz) if record.since else ""
    confirm = _(
        "This is to confirm that {name} has worked with {council} to plan and improve services, since {date}."
    ).format(name=name, council=signed_by, date=since)
    meaning = _("This way of working is called co-production. People who use services help to shape them.")
    parts = [
        _tag("p", confirm),
        _tag("p", meaning),
        _tag("h2", _("What {name} did").format(name=name)),
        "<ul>",
        *(_tag("li", line) for line in _certificate_counts(record)),
        "</ul>",
    ]
    if record.meetings:
        head = _tag("th", _("Date")) + _tag("th", _("Meeting"))
        rows = "".join(
            "<tr>" + _tag("td", format_date(m.starts_at, tz) if m.starts_at else "") + _tag("td", m.title) + "</tr>"
            for m in record.meetings
        )
        parts.append(f"<table><tr>{head}</tr>{rows}</table>")
    if record.we_did:
        parts += [
            _tag("h2", _("Changes their feedback led to")),
            "<ul>",
            *(_tag("li", f"{said}: {did}") for said, did in record.we_did),
            "</ul>",
        ]
    parts.append(_tag("p", _("Signed for {council} on {date}.").format(council=signed_by, date=format_date(today, tz))))
    return printable_page(_("Certificate of involvement"), "".join(parts))


def _tag(name: str, text: str) -> str:
    """One element holding plain text, escaped."""
    return f"<{name}>{escape(text)}</{name}>"


def _certificate_counts(record: Record) -> list[str]:
    meetings, decisions = len(record.meetings), len(record.decisions)
    lines = [
        ngettext("Came to {count} meeting.", "Came to {count} meetings.", meetings).format(count=meetings),
        _("Gave {time} of their time.").format(time=format_duration(minutes_given(record.meetings))),
        ngettext("Took part in {count} group decision.", "Took part in {count} group decisions.", decisions).format(
            count=decisions
        ),
        ngettext(
            "Gave feedback that led to {count} change.",
            "Gave feedback that led to {count} changes.",
            len(record.we_did),
        ).format(count=len(record.we_did)),
    ]
    if record.groups:
        lines.insert(0, _("Member of: {groups}.").format(groups=", ".join(n for n, _j in record.groups)))
    return lines


def handlers() -> list[object]:
    return [
        CommandHandler("myinvolvement", involvement_command),
        CallbackQueryHandler(on_certificate, pattern=CertificateButton.pattern()),
    ]
