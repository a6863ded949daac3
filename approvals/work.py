"""The work of approving claims, callable from handlers, jobs and tests alike: who the officers
are, each step of a claim's decision with the message it sends, and the nudge about claims that
wait too long."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup

from approvals.buttons import ClaimReplyButton
from bot.i18n import _, format_money
from bot.keyboards import keyboard
from bot.notify import notify
from bot.services import Services
from bot.text import escape
from domain.claims import CATEGORIES
from domain.roles import Role
from storage.claims import Claim


async def officer_ids(services: Services) -> list[int]:
    """Participants who can approve claims: stored officers and configured admins."""
    ids = [member.telegram_id for member in await services.roles.staff() if member.role is Role.OFFICER]
    ids += list(services.settings.admin_ids)
    people = [await services.participants.by_telegram_id(telegram_id) for telegram_id in sorted(set(ids))]
    return [person.id for person in people if person is not None]


async def transition(
    services: Services, claim: Claim, action: str, officer: int | None, detail: str | None = None
) -> bool:
    """Move a claim on; False if it has already moved on (another officer was quicker)."""
    return await services.claims.transition(claim.id, action, officer, services.clock.now(), detail)


async def _move(
    services: Services,
    claim: Claim,
    action: str,
    officer: int | None,
    key: str,
    render: Callable[[], str],
    detail: str | None = None,
    markup: Callable[[], InlineKeyboardMarkup] | None = None,
) -> bool:
    """One step of an officer's decision, and the claimant told of it under `key`."""
    if not await transition(services, claim, action, officer, detail):
        return False
    await notify(services, claim.participant_id, f"claim:{claim.id}:{key}", render, markup)
    return True


async def approve(services: Services, claim: Claim, officer: int | None) -> bool:
    return await _move(
        services,
        claim,
        "approve",
        officer,
        "approved",
        lambda: _("✅ Your claim {reference} is approved. We will tell you when it is paid.").format(
            reference=claim.reference
        ),
    )


async def mark_paid(services: Services, claim: Claim, officer: int | None) -> bool:
    return await _move(
        services,
        claim,
        "paid",
        officer,
        "paid",
        lambda: _("💷 Your claim {reference} has been paid. Thank you for your time.").format(
            reference=claim.reference
        ),
    )


async def reject(services: Services, claim: Claim, officer: int | None, reason: str) -> bool:
    """Reject with the officer's reason, which the claimant is told."""
    return await _move(
        services,
        claim,
        "reject",
        officer,
        "rejected",
        lambda: _(
            "Your claim {reference} was not approved. The reason:\n{reason}\n\nIf you think this is wrong, reply "
            "with /feedback or talk to your organiser."
        ).format(reference=claim.reference, reason=escape(reason)),
        reason[:500],
    )


async def ask(services: Services, claim: Claim, officer: int | None, question: str, key: str) -> bool:
    """Put a question to the claimant, with a button to reply; `key` tells one question from the next."""
    return await _move(
        services,
        claim,
        "question",
        officer,
        f"question:{key}",
        lambda: _("❓ A question about your claim {reference}: {question}").format(
            reference=claim.reference, question=escape(question)
        ),
        question[:500],
        lambda: keyboard([[(_("✏️ Reply"), ClaimReplyButton(claim.id).pack())]]),
    )


async def answer(services: Services, claim: Claim, text: str, key: str) -> bool:
    """The claimant's answer goes into the claim and to the officer who asked; False if it was answered."""
    if not await transition(services, claim, "answer", claim.participant_id, text[:1000]):
        return False
    asker = next(
        (
            e["actor_participant_id"]
            for e in reversed(await services.claims.events(claim.id))
            if e["action"] == "question"
        ),
        None,
    )
    if asker:
        await notify(
            services,
            asker,
            f"claim:{claim.id}:answer:{key}",
            lambda: _("💬 An answer about {reference}:\n{answer}\n\nIt is back in /approvals.").format(
                reference=claim.reference, answer=escape(text)
            ),
            quotes=(claim.participant_id,),
        )
    return True


async def decide_preapproval(services: Services, request: dict[str, Any], approve: bool, officer: int) -> bool:
    """Agree or decline a cost asked about in advance, and tell the person; False if it was decided."""
    if not await services.claims.decide_preapproval(request["id"], approve, officer, services.clock.now()):
        return False
    amount = format_money(request["amount_pence"])
    item = CATEGORIES[request["category"]]
    if approve:
        await notify(
            services,
            request["participant_id"],
            f"pre:{request['id']}",
            lambda: _(
                "✅ Agreed: we will refund {item} up to about {amount}. Keep the receipt and claim it after the "
                "meeting with /claim."
            ).format(item=_(item), amount=amount),
        )
    else:
        await notify(
            services,
            request["participant_id"],
            f"pre:{request['id']}",
            lambda: _(
                "We can't agree {item} in advance this time. Please talk to your organiser about other help."
            ).format(item=_(item)),
        )
    return True


async def nudge(services: Services, claim_id: int) -> None:
    """A claim still waiting after the configured days: officers are nudged, the person told."""
    claim = await services.claims.by_id(claim_id)
    if claim is None or claim.status != "submitted":
        return
    days = services.settings.claim_nudge_days
    for officer in await officer_ids(services):
        await notify(
            services,
            officer,
            f"nudge:{claim.id}:{officer}",
            lambda: _("⏰ Claim {reference} has waited {days} days. Please check it in /approvals.").format(
                reference=claim.reference, days=days
            ),
            wait_for_quiet=True,
        )
    await notify(
        services,
        claim.participant_id,
        f"delay:{claim.id}",
        lambda: _("Your claim {reference} is taking longer than usual. Sorry. We have reminded the team.").format(
            reference=claim.reference
        ),
        wait_for_quiet=True,
    )
    await services.claims.mark_nudged([claim.id], services.clock.now())
