"""What people read about an opportunity: the card residents get (in their language, the
coordinator's own words as written), and what its organiser sees of the answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import N_, _, format_date, ngettext
from bot.text import escape, fit_lines, some_of
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from storage.opportunities import Opportunity
from storage.outbox import BatchProgress
from storage.times import from_db, to_db

PAYS_LABELS = {
    "none": N_("Unpaid"),
    "expenses": N_("Expenses paid"),
    "involvement": N_("Paid for your time"),
    "both": N_("Expenses and paid for your time"),
}
# The glossary terms behind each payment label, for the card's "What does this mean?".
PAYS_TERMS = {"none": (), "expenses": ("expenses",), "involvement": ("payment",), "both": ("payment", "expenses")}


def worked_with_us(fields: Mapping[str, Any]) -> str | None:
    """The first line for people invited back, or None."""
    name = fields.get("worked_on_name")
    return (
        _("You worked with us on {group}. We would love you to take part again.").format(group=escape(name))
        if name
        else None
    )


def card(fields: Mapping[str, Any], tz: ZoneInfo, *, full: bool) -> str:
    """The opportunity in the reader's language; the coordinator's own words as written."""
    level = Level(fields["level"])
    pays = PAYS_LABELS[fields["pays"]]
    lines = [
        *filter(None, [worked_with_us(fields)]),
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


def fields_of(opportunity: Opportunity) -> dict[str, Any]:
    """A sent opportunity as the fields its card is drawn from, like the coordinator's draft."""
    return {
        "title": opportunity.title,
        "about": opportunity.about,
        "level": opportunity.level.value,
        "can_change": opportunity.can_change,
        "cannot_change": opportunity.cannot_change,
        "time_needed": opportunity.time_needed,
        "dates": opportunity.dates,
        "pays": opportunity.pays,
        "access_info": opportunity.access_info,
        "closes_at": to_db(opportunity.closes_at),
    }


def reach_text(count: int) -> str:
    return ngettext("It will reach {count} person.", "It will reach {count} people.", count).format(count=count)


def interested_text(opportunity: Opportunity, people: list[tuple[int, str | None]], counts: Mapping[str, int]) -> str:
    """Who said they are interested, for the organiser, within one message."""
    lines = [
        f"<b>{escape(opportunity.title)}</b>",
        _("Interested: {yes} · Not for them: {no}").format(
            yes=counts.get("interested", 0), no=counts.get("not_for_me", 0)
        ),
    ]
    lines.append(some_of([escape(name) or "—" for _pid, name in people], most=60))
    return fit_lines(lines)


def invitation_text(opportunity: Opportunity, group: str) -> str:
    return _("You said you were interested in “{title}”. Join the group “{name}” to take part:").format(
        title=escape(opportunity.title), name=escape(group)
    )


def progress_text(progress: BatchProgress) -> str:
    """The organiser's progress line while an opportunity goes out, and once it has."""
    text = _("Sent: {sent} · Not reachable: {unreachable} · Still to go: {waiting}").format(
        sent=progress.sent, unreachable=progress.unreachable + progress.failed, waiting=progress.waiting
    )
    if not progress.done:
        return text
    return (_("Stopped.") if progress.stopped else _("Finished.")) + " " + text
