"""Members' ratings of an agreed success statement (the baseline, then progress after each
meeting they attended, with a comment if they like) and staff's answers to the 'We' statements.
Each refuses a rating the person may not give, so a stale or forged button changes nothing."""

from __future__ import annotations

from bot.services import Services
from domain.success import BASELINE, WE_SCALE, WE_STATEMENTS

SCORES = range(6)  # 1 to 5; 0 is Skip, which saves nothing


async def _agreed(services: Services, group_id: int, statement_id: int) -> bool:
    statement = await services.success.by_id(statement_id)
    return statement is not None and statement.project_id == group_id and statement.agreed_at is not None


async def rate_baseline(services: Services, group_id: int, statement_id: int, participant_id: int, score: int) -> bool:
    """Where the group is now, on an agreed statement; False when it can't be rated."""
    if score not in SCORES or not await _agreed(services, group_id, statement_id):
        return False
    if score:
        await services.success.rate(statement_id, participant_id, BASELINE, score, services.clock.now())
    return True


async def may_rate_progress(
    services: Services, group_id: int, meeting_id: int, statement_id: int, participant_id: int, score: int
) -> bool:
    """Progress is rated by those who attended the group's meeting, on an agreed statement."""
    meeting = await services.meetings.by_id(meeting_id)
    invitee = await services.meetings.invitee(meeting_id, participant_id)
    return (
        meeting is not None
        and meeting.project_id == group_id
        and invitee is not None
        and bool(invitee.attended)
        and score in SCORES
        and await _agreed(services, group_id, statement_id)
    )


async def rate_progress(
    services: Services, meeting_id: int, statement_id: int, participant_id: int, score: int
) -> None:
    """Save a rating `may_rate_progress` allowed; a later one for the same meeting replaces it."""
    await services.success.rate(statement_id, participant_id, meeting_id, score, services.clock.now())


async def comment(
    services: Services, meeting_id: int, statement_id: int, participant_id: int, text: str | None, voice: str | None
) -> None:
    """What a member adds to their progress rating, typed or spoken."""
    await services.success.comment(statement_id, participant_id, meeting_id, text, voice)


async def answer_we(services: Services, group_id: int, item: int, score: int, by: int) -> bool:
    """Staff's answer to one 'We' statement (score 0 only shows it); False when the group, the
    statement or the score is not one there is."""
    if await services.projects.by_id(group_id) is None or not 0 <= item < len(WE_STATEMENTS):
        return False
    if score not in (0, *WE_SCALE):
        return False
    if score:
        await services.success.answer_we(group_id, list(WE_STATEMENTS)[item], score, by, services.clock.now())
    return True
