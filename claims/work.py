"""The work of a resident's claim, callable from handlers, jobs and tests alike: what a meeting
pays, which items a claim may hold, mileage against the tax year, and submitting it (a
resident's own, or one staff take down for someone without Telegram).

A claim being written is a draft dict (it is kept in the conversation store across restarts):
"meeting_id" or "activity", "items" (each a dict with "category" and "amount" in pence, and
what the item needs: "miles", "vehicle", "passengers", "hours", "rate", a receipt),
"preference", "donate_to", "note" and "key", the submission's idempotency key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.services import Services
from domain.claims import PREAPPROVABLE, Kind, duplicate_categories, hours_pence, tax_year_bounds
from domain.money import Vehicle, mileage_pence, tax_year_start
from domain.pay import TIME_CATEGORIES, WhatIsPaid, not_covered, time_rate
from storage.claims import Claim
from storage.pay import TimeAsk

NUDGE_JOB = "claims.nudge"  # officers are reminded of a claim still waiting after CLAIM_NUDGE_DAYS


async def paid_for_meeting(services: Services, meeting_id: int) -> WhatIsPaid:
    """What is paid for a meeting: its own settings over its group's, over HOURLY_RATE."""
    meeting = await services.meetings.by_id(meeting_id)
    return await services.pay.settled(services.settings.hourly_rate_pence, meeting.project_id if meeting else None,
                                      meeting_id)


# --- what a claim may hold ----------------------------------------------------------------

def offered(category: str, draft: Mapping[str, Any]) -> bool:
    """Time for a meeting and its preparation goes with a meeting; agreed other time only comes from its ask."""
    if category not in TIME_CATEGORIES:
        return True
    return category != "other_time" and bool(draft.get("meeting_id"))


async def claimed_before(services: Services, participant_id: int, draft: Mapping[str, Any], category: str) -> bool:
    """Whether an earlier claim for the same meeting already holds this kind of item."""
    if not draft.get("meeting_id"):
        return False
    earlier = await services.claims.categories_claimed(participant_id, draft["meeting_id"])
    return bool(duplicate_categories([category], earlier))


async def hourly_rate(services: Services, meeting_id: int, category: str) -> int:
    """What the meeting pays an hour for this kind of time (a meeting, or preparing for it)."""
    return time_rate(await paid_for_meeting(services, meeting_id), category)


async def agreed_item(services: Services, ask: TimeAsk) -> dict[str, Any]:
    """The claim item for an agreed ask: its hours at the meeting's "something else" rate."""
    rate = (await paid_for_meeting(services, ask.meeting_id)).other_pence
    return {"category": "other_time", "hours": ask.hours, "time_ask_id": ask.id,
            "amount": hours_pence(Decimal(ask.hours), rate)}


async def mileage(services: Services, participant_id: int, items: Iterable[Mapping[str, Any]],
                  journey: Mapping[str, Any]) -> int:
    """Pence for a journey's miles: car miles count against the tax year's so far (claimed
    before, and in this claim), because the rate per mile drops beyond a yearly number."""
    start, end = tax_year_bounds(tax_year_start(services.clock.now().date()))
    so_far = await services.claims.car_miles(participant_id, start, end)
    so_far += sum((Decimal(i["miles"]) for i in items if i.get("vehicle") == "car"), Decimal(0))
    return mileage_pence(Decimal(journey["miles"]), Vehicle(journey["vehicle"]), journey["passengers"], so_far)


async def add_item(services: Services, participant_id: int, draft: dict[str, Any], item: dict[str, Any]) -> bool:
    """Add the item to the draft, linked to a cost agreed in advance for the meeting if there is
    one; False if the draft already holds the same item."""
    if any(i["category"] == item["category"] and i["amount"] == item["amount"] for i in draft["items"]):
        return False
    if draft.get("meeting_id") and item["category"] in PREAPPROVABLE:
        agreed = await services.claims.approved_preapproval(participant_id, draft["meeting_id"], item["category"])
        if agreed:
            item["preapproval_id"] = agreed["id"]
    draft["items"].append(item)
    return True


async def costs_not_covered(services: Services, draft: Mapping[str, Any], categories: Iterable[str]) -> bool:
    """Whether the meeting's pay settings leave out some of these costs (the checker looks closer)."""
    if not draft.get("meeting_id"):
        return False
    return bool(not_covered(categories, await paid_for_meeting(services, draft["meeting_id"])))


# --- submitting ---------------------------------------------------------------------------

async def submit_claim(services: Services, participant_id: int, draft: Mapping[str, Any]) -> Claim:
    """Store a claim and book the officers' nudge: a resident's own, or one staff took down for
    someone without Telegram. The same draft sent twice (after a restart) gives the first claim."""
    now = services.clock.now()
    claim, created = await services.claims.submit(
        participant_id=participant_id, meeting_id=draft.get("meeting_id"), activity=draft.get("activity"),
        preference=draft["preference"], donate_to=draft.get("donate_to"), note=draft.get("note"),
        items=draft["items"], now=now, key=draft.get("key"))
    if created:
        await services.jobs.schedule(NUDGE_JOB, str(claim.id),
                                     now + timedelta(days=services.settings.claim_nudge_days))
    return claim


async def paid_for_time_this_year(services: Services, participant_id: int) -> int:
    """Pence paid (or claimed) for a person's time this tax year, which can affect benefits."""
    start, end = tax_year_bounds(tax_year_start(services.clock.now().date()))
    rows = await services.claims.year_items(participant_id, start, end)
    return sum(r["amount_pence"] for r in rows if r["kind"] == Kind.INVOLVEMENT.value)
