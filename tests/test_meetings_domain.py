"""Meeting-time poll rules: slot parsing across daylight saving, validation, ranking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.meetings import (
    Answer,
    CloseProblem,
    SlotProblem,
    TimeOfDay,
    check_closing_time,
    parse_slot,
    parse_slots,
    prefill,
    rank_slots,
    reminder_time,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_slots_are_read_in_london_time():
    slot = parse_slot("3/12 18:30", LONDON, NOW)
    assert slot.problem is None and slot.start == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    summer = parse_slot("2027-06-03 18:30", LONDON, NOW)
    assert summer.start == datetime(2027, 6, 3, 17, 30, tzinfo=UTC)  # BST is UTC+1


def test_day_month_without_year_rolls_into_next_year():
    assert parse_slot("5/1 10:00", LONDON, NOW).start == datetime(2027, 1, 5, 10, 0, tzinfo=UTC)


def test_clocks_going_forward_skip_an_hour_and_going_back_repeat_one():
    assert parse_slot("2027-03-28 01:30", LONDON, NOW).problem is SlotProblem.NOT_A_TIME
    repeated = parse_slot("2027-10-31 01:30", LONDON, NOW)
    assert repeated.problem is None and repeated.start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_bad_past_and_duplicate_slots_are_flagged():
    parsed = parse_slots(["3/12 18:30", "03/12/2026 18:30", "yesterday", "2026-11-01 10:00", "31/2 10:00"], LONDON, NOW)
    assert [s.problem for s in parsed] == [
        None,
        SlotProblem.DUPLICATE,
        SlotProblem.UNREADABLE,
        SlotProblem.IN_THE_PAST,
        SlotProblem.UNREADABLE,
    ]


def test_closing_time_must_be_future_and_before_first_slot():
    first = NOW + timedelta(days=5)
    assert check_closing_time(NOW - timedelta(hours=1), [first], NOW) is CloseProblem.IN_THE_PAST
    assert check_closing_time(first, [first], NOW) is CloseProblem.AFTER_FIRST_SLOT
    assert check_closing_time(NOW + timedelta(days=2), [first], NOW) is None


def test_ranking_most_yes_then_fewest_no_then_if_need_be_and_required_people_last():
    t = [NOW + timedelta(days=d) for d in range(4)]
    slots = dict(enumerate(t))
    answers = {
        0: {1: Answer.YES, 2: Answer.YES, 3: Answer.NO},
        1: {1: Answer.YES, 2: Answer.YES, 3: Answer.IF_NEED_BE},
        2: {1: Answer.YES, 2: Answer.YES, 3: Answer.YES, 4: Answer.NO},
        3: {1: Answer.YES, 2: Answer.IF_NEED_BE, 3: Answer.IF_NEED_BE},
    }
    assert [s.slot_id for s in rank_slots(slots, answers)] == [2, 1, 0, 3]
    ranked = rank_slots(slots, answers, required=frozenset({4}))
    assert ranked[-1].slot_id == 2 and ranked[-1].loses_required and ranked[-1].names_no_required == (4,)


def test_prefill_from_times_that_suit():
    weekday_evening = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    saturday_morning = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert prefill(weekday_evening, LONDON, {TimeOfDay.EVENING}) is Answer.YES
    assert prefill(weekday_evening, LONDON, {TimeOfDay.MORNING}) is Answer.IF_NEED_BE
    assert prefill(saturday_morning, LONDON, {TimeOfDay.MORNING}) is Answer.IF_NEED_BE
    assert prefill(saturday_morning, LONDON, {TimeOfDay.MORNING, TimeOfDay.WEEKEND}) is Answer.YES
    assert prefill(weekday_evening, LONDON, set()) is None


def test_reminders_move_earlier_out_of_quiet_hours():
    event = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)  # 09:00 London
    assert reminder_time(event, timedelta(hours=2), LONDON, (21, 8)) == datetime(2026, 12, 2, 20, 59, tzinfo=UTC)
    assert reminder_time(event, timedelta(hours=2), LONDON, None) == datetime(2026, 12, 3, 7, 0, tzinfo=UTC)
    assert reminder_time(event, timedelta(days=2), LONDON, (21, 8)) == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
