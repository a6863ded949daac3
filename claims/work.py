"""The work of a resident's claim, callable from handlers, jobs and tests alike: what a meeting
pays, which items a claim may hold, mileage against the tax year, and submitting it (a
resident's own, or one staff take down for someone without Telegram).

A claim being written is a `claims.draft.ClaimDraft` (kept in the person's drafts across
restarts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from datetime import timedelta
from decimal import Decimal

from bot.services import Services
from claims.draft import ClaimDraft, ClaimItem
from domain.claims import PREAPPROVABLE, Kind, duplicate_categories, hours_pence, tax_year_bounds
from domain.money import Vehicle, mileage_pence, tax_year_start
from domain.pay import TIME_CATEGORIES, WhatIsPaid, not_covered, time_rate
from storage.claims import Claim
from storage.pay import TimeAsk

NUDGE_JOB = "claims.nudge"  # officers are reminded of a claim still waiting after CLAIM_NUDGE_DAYS


async def paid_for_meeting(services: Services, meeting_id: int) -> WhatIsPaid:
    """What is paid for a meeting: its own settings over its group's, over HOURLY_RATE."""
    meeting = await services.meetings.by_id(meeting_id)
    return await services.pay.settled(
        services.settings.hourly_rate_pence, meeting.project_id if meeting else None, meeting_id
    )


# --- what a claim may hold ----------------------------------------------------------------


def offered(category: str, draft: ClaimDraft) -> bool:
    """Time for a meeting and its preparation goes with a meeting; agreed other time only comes from its ask."""
    if category not in TIME_CATEGORIES:
        return True
    return category != "other_time" and bool(draft.meeting_id)


async def claimed_before(services: Services, participant_id: int, draft: ClaimDraft, category: str) -> bool:
    """Whether an earlier claim for the same meeting already holds this kind of item."""
    if not draft.meeting_id:
        return False
    earlier = await services.claims.categories_claimed(participant_id, draft.meeting_id)
    return bool(duplicate_categories([category], earlier))


async def hourly_rate(services: Services, meeting_id: int, category: str) -> int:
    """What the meeting pays an hour for this kind of time (a meeting, or preparing for it)."""
    return time_rate(await paid_for_meeting(services, meeting_id), category)


async def agreed_item(services: Services, ask: TimeAsk) -> ClaimItem:
    """The claim item for an agreed ask: its hours at the meeting's "something else" rate."""
    rate = (await paid_for_meeting(services, ask.meeting_id)).other_pence
    return ClaimItem("other_time", hours=ask.hours, time_ask_id=ask.id, amount=hours_pence(Decimal(ask.hours), rate))


async def mileage(
    services: Services, participant_id: int, items: Iterable[ClaimItem], miles: str, vehicle: str, passengers: int
) -> int:
    """Pence for a journey's miles: car miles count against the tax year's so far (claimed
    before, and in this claim), because the rate per mile drops beyond a yearly number."""
    start, end = tax_year_bounds(tax_year_start(services.clock.now().date()))
    so_far = await services.claims.car_miles(participant_id, start, end)
    so_far += sum((Decimal(i.miles or 0) for i in items if i.vehicle == "car"), Decimal(0))
    return mileage_pence(Decimal(miles), Vehicle(vehicle), passengers, so_far)


async def add_item(services: Services, participant_id: int, draft: ClaimDraft, item: ClaimItem) -> bool:
    """Add the item to the draft, linked to a cost agreed in advance for the meeting if there is
    one; False if the draft already holds the same item."""
    if any(i.category == item.category and i.amount == item.amount for i in draft.items):
        return False
    if draft.meeting_id and item.category in PREAPPROVABLE:
        agreed = await services.claims.approved_preapproval(participant_id, draft.meeting_id, item.category)
        if agreed:
            item.preapproval_id = agreed["id"]
    draft.items.append(item)
    return True


async def costs_not_covered(services: Services, draft: ClaimDraft, categories: Iterable[str]) -> bool:
    """Whether the meeting's pay settings leave out some of these costs (the checker looks closer)."""
    if not draft.meeting_id:
        return False
    return bool(not_covered(categories, await paid_for_meeting(services, draft.meeting_id)))


# --- submitting ---------------------------------------------------------------------------


async def submit_claim(services: Services, participant_id: int, draft: ClaimDraft) -> Claim:
    """Store a claim and book the officers' nudge: a resident's own, or one staff took down for
    someone without Telegram. The same draft sent twice (after a restart) gives the first claim."""
    if draft.preference is None:
        raise ValueError("A claim is sent only once it says how it is paid")
    now = services.clock.now()
    claim, created = await services.claims.submit(
        participant_id=participant_id,
        meeting_id=draft.meeting_id,
        activity=draft.activity,
        preference=draft.preference,
        donate_to=draft.donate_to,
        note=draft.note,
        items=[asdict(item) for item in draft.items],
        now=now,
        key=draft.key or None,
    )
    if created:
        await services.jobs.schedule(NUDGE_JOB, str(claim.id), now + timedelta(days=services.settings.claim_nudge_days))
    return claim


async def paid_for_time_this_year(services: Services, participant_id: int) -> int:
    """Pence paid (or claimed) for a person's time this tax year, which can affect benefits."""
    start, end = tax_year_bounds(tax_year_start(services.clock.now().date()))
    rows = await services.claims.year_items(participant_id, start, end)
    return sum(r["amount_pence"] for r in rows if r["kind"] == Kind.INVOLVEMENT.value)
