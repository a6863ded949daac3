"""What an officer reads to decide a claim: the claim card, with the attendance record and the
costs its meeting does not pay for. Typed words are escaped here, once."""

from __future__ import annotations

from bot.i18n import _, format_date, format_money
from bot.services import Services
from bot.text import escape
from domain.claims import CATEGORIES, PAYMENT_CHOICES, Item, Kind, totals
from domain.pay import WhatIsPaid, not_covered
from storage.claims import Claim, ClaimItem


async def claim_text(services: Services, claim: Claim, paid: WhatIsPaid | None) -> str:
    """Everything an officer needs to decide; `paid` is what the claim's meeting pays for, if it has one."""
    tz = services.settings.timezone
    person = await services.participants.by_id(claim.participant_id)
    items = await services.claims.items(claim.id)
    sums = totals(Item(i.category, i.amount_pence) for i in items)
    name = escape(person.display_name) if person and person.display_name else _("(deleted their data)")
    lines = [
        f"🧾 <b>{claim.reference}</b> · {name} · P-{claim.participant_id}",
        _("Sent: {date}").format(date=format_date(claim.submitted_at, tz)),
    ]
    if claim.meeting_id:
        meeting = await services.meetings.by_id(claim.meeting_id)
        invitee = await services.meetings.invitee(claim.meeting_id, claim.participant_id)
        attended = _("attended") if invitee and invitee.attended else _("attendance NOT recorded")
        lines.append(
            _("Meeting: {title} ({attended})").format(
                title=escape(meeting.title if meeting else "?"), attended=attended
            )
        )
    else:
        lines.append(_("Other activity: {text}").format(text=escape(claim.activity)))
    lines += [_item_line(item) for item in items]
    lines += _not_covered_lines(items, paid)
    lines.append(
        _("Costs {costs} · Time {time} · Total {total}").format(
            costs=format_money(sums.expenses), time=format_money(sums.involvement), total=format_money(sums.total)
        )
    )
    lines.append(_("Paid as: {choice}").format(choice=_(PAYMENT_CHOICES.get(claim.payment_preference, "none"))))
    if claim.note:
        lines.append(_("Note: {note}").format(note=escape(claim.note)))
    for event in await services.claims.events(claim.id):
        if event["action"] in ("question", "answer") and event["detail"]:
            who = _("We asked") if event["action"] == "question" else _("They answered")
            lines.append(f"💬 {who}: {escape(event['detail'])}")
    return "\n".join(lines)


def _item_line(item: ClaimItem) -> str:
    extra = []
    if item.miles:
        extra.append(
            _("{miles} miles by {vehicle}, {passengers} passengers").format(
                miles=item.miles, vehicle=item.vehicle, passengers=item.passengers or 0
            )
        )
    if item.hours:
        extra.append(_("{hours} hours").format(hours=item.hours))
    if item.preapproval_id:
        extra.append(_("agreed in advance"))
    if item.time_ask_id:
        extra.append(_("agreed first by the organiser"))
    if item.receipt_file_id:
        extra.append(_("receipt below"))
    kind = _("time") if item.kind == Kind.INVOLVEMENT.value else _("cost")
    return f"• {_(CATEGORIES[item.category])} ({kind}): {format_money(item.amount_pence)}" + (
        f" – {', '.join(extra)}" if extra else ""
    )


def _not_covered_lines(items: list[ClaimItem], paid: WhatIsPaid | None) -> list[str]:
    """Costs the meeting's settings say are not paid: flagged to the approver, who decides."""
    flagged = not_covered([item.category for item in items], paid) if paid is not None else []
    if not flagged:
        return []
    return [
        _("⚠️ This meeting does not pay for: {items}. Check before you approve.").format(
            items=", ".join(_(CATEGORIES[category]) for category in flagged)
        )
    ]
