"""What invitees and organisers see of a meeting's time poll, in the reader's language (set by
the caller): the poll with its answer buttons, and the ranking of times. Pure rendering over
what the repositories hold, so handlers, jobs and the outbox all show the same screens."""

from __future__ import annotations

from typing import Any

from bot.i18n import N_, _, format_datetime, format_duration
from bot.keyboards import Button, keyboard
from bot.services import Services
from bot.text import escape, fit_lines, some_of
from bot.versions import reader_copy, with_note
from domain.meetings import Answer, SlotScore, rank_slots
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES
from meetings.access import access_lines
from meetings.buttons import ANSWER_CODES, AskAbout, SendAnswersButton, VoteButton
from meetings.notices import where
from meetings.pay_words import what_is_paid
from storage.meetings import Meeting
from storage.text_versions import Versions

ANSWER_ICONS = {Answer.YES: "✅", Answer.IF_NEED_BE: "🤔", Answer.NO: "❌"}
ANSWER_NAMES = {Answer.YES: N_("Yes"), Answer.IF_NEED_BE: N_("If need be"), Answer.NO: N_("No")}
RSVP_NAMES = {"going": N_("Going"), "maybe": N_("Maybe"), "cant": N_("Can't come")}


async def poll_view(
    services: Services, meeting: Meeting, participant_id: int, versions: Versions, reader: str, ask: AskAbout
) -> tuple[str, Any]:
    """The poll in the reader's language (set by the caller), with their own answers marked and
    the meeting's words as that reader gets them."""
    tz = services.settings.timezone
    words, note = reader_copy(versions, meeting, reader)
    slots = await services.meetings.slots(meeting.id)
    mine = await services.meetings.my_votes(meeting.id, participant_id)
    everyone = await services.meetings.votes(meeting.id) if meeting.open_poll else {}
    paid = await services.pay.settled(services.settings.hourly_rate_pence, meeting.project_id, meeting.id)
    lines = [
        f"🗓 <b>{escape(words.title)}</b>",
        escape(words.purpose),
        "",
        _("Level: {level} – {meaning}").format(
            level=_(LEVEL_NAMES[meeting.level]), meaning=_(LEVEL_MEANINGS[meeting.level])
        ),
        _("Where: {place}").format(place=where(meeting)),
        _("How long: {duration}").format(duration=format_duration(meeting.duration_minutes)),
        what_is_paid(paid),
        "",
        _("Which times can you make? Answer each one, then tap Send. Reply by {date}.").format(
            date=format_datetime(meeting.poll_closes_at, tz)
        ),
    ]
    rows: list[list[Button]] = []
    for number, (slot_id, start) in enumerate(slots.items(), 1):
        answer, reason = mine.get(slot_id, (None, None))
        line = f"{number}. {format_datetime(start, tz)}"
        if answer is not None:
            line += f" – {ANSWER_ICONS[answer]} {_(ANSWER_NAMES[answer])}"
            if reason:
                line += f" ({escape(reason)})"
        if meeting.open_poll:
            votes = everyone.get(slot_id, {})
            line += "  " + _("[{yes} yes, {maybe} if need be]").format(
                yes=sum(1 for a in votes.values() if a is Answer.YES),
                maybe=sum(1 for a in votes.values() if a is Answer.IF_NEED_BE),
            )
        lines.append(line)
        rows.append(
            [
                (
                    ("● " if answer is code_answer else "") + f"{number} {ANSWER_ICONS[code_answer]}",
                    VoteButton(slot_id, code).pack(),
                )
                for code, code_answer in ANSWER_CODES.items()
            ]
        )
    rows.append([(_("📨 Send my answers"), SendAnswersButton(meeting.id).pack())])
    rows.append([ask(meeting.id)])
    return with_note("\n".join(lines), note), keyboard(rows)


def _score_line(score: SlotScore, tz: Any, names: dict[int, str]) -> str:
    line = _("{date}: {yes} yes, {maybe} if need be, {no} no").format(
        date=format_datetime(score.start, tz), yes=score.yes, maybe=score.if_need_be, no=score.no
    )
    if score.loses_required:
        line += " – " + _("{names} cannot come").format(
            names=", ".join(escape(names.get(p, "?")) for p in score.names_no_required)
        )
    return line


async def results_text(services: Services, meeting: Meeting) -> tuple[str, list[SlotScore]]:
    """The organiser's view: who answered, the times ranked best first, access needs and reasons."""
    tz = services.settings.timezone
    invitees = await services.meetings.invitees(meeting.id)
    names = {i.participant_id: i.display_name or "—" for i in invitees}
    required = frozenset(i.participant_id for i in invitees if i.required)
    ranking = rank_slots(await services.meetings.slots(meeting.id), await services.meetings.votes(meeting.id), required)
    waiting = [i for i in invitees if not i.answered]
    lines = [
        f"📊 <b>{escape(meeting.title)}</b>",
        _("Answered: {answered} of {total}").format(answered=len(invitees) - len(waiting), total=len(invitees)),
    ]
    if meeting.status == "confirmed":
        going = sum(1 for i in invitees if i.rsvp == "going")
        maybe = sum(1 for i in invitees if i.rsvp == "maybe")
        lines.append(_("Going: {going} · Maybe: {maybe}").format(going=going, maybe=maybe))
    lines += ["", _("<b>Best times first</b>")]
    lines += [f"{n}. {_score_line(score, tz, names)}" for n, score in enumerate(ranking, 1)]
    likely = (
        [i.participant_id for i in invitees if i.rsvp in ("going", "maybe")]
        if meeting.status == "confirmed"
        else [i.participant_id for i in invitees if i.rsvp != "cant"]
    )
    lines += ["", *await access_lines(services, meeting, likely)]
    if waiting:
        lines += [
            "",
            _("Not answered yet: {names}").format(names=some_of([escape(names[i.participant_id]) for i in waiting])),
        ]
    reasons = await services.meetings.reasons(meeting.id)
    if reasons:
        lines += ["", _("<b>If need be, because…</b>")]
        lines += [f"• {escape(names.get(pid, '—'))}: {escape(text)}" for _slot, pid, text in reasons]
    return fit_lines(lines), ranking
