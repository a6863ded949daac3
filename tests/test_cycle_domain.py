"""The plain rules of a Working Together for Change cycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.cycles import (
    ASKS_EVERYONE,
    STEPS,
    Step,
    accepting,
    after,
    change_date,
    closing_times,
    figures,
    not_answered,
    number,
    parse_theme_line,
    remind_at,
    settled_theme,
    split_lines,
    step_closes,
)

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_the_steps_run_in_order_and_end_with_the_review():
    assert [number(step) for step in STEPS] == list(range(1, 9))
    assert after(Step.PREPARE) is Step.COLLECT and after(Step.PLAN) is Step.IMPLEMENT and after(Step.REVIEW) is None
    assert {Step.COLLECT, Step.THEME} == ASKS_EVERYONE


def test_each_step_closes_one_pace_after_the_one_before():
    times = closing_times(START, 7)
    assert Step.PREPARE not in times
    assert times[Step.COLLECT] == START + timedelta(days=7) and times[Step.REVIEW] == START + timedelta(days=49)


def test_answers_count_only_for_the_open_step_before_it_closes():
    closes = START + timedelta(days=7)
    assert accepting(Step.COLLECT, Step.COLLECT, closes, START)
    assert not accepting(Step.COLLECT, Step.COLLECT, closes, closes)
    assert not accepting(Step.COLLECT, Step.THEME, closes, START)


def test_one_reminder_two_days_before_or_half_way():
    assert remind_at(START, START + timedelta(days=7)) == START + timedelta(days=5)
    assert remind_at(START, START + timedelta(days=2)) == START + timedelta(days=1)


def test_who_has_not_answered():
    assert not_answered([3, 1, 2, 2], [2]) == [1, 3]
    assert not_answered([1], [1, 5]) == []


def test_participants_confirm_or_change_the_leads_draft():
    assert settled_theme(1, []) == 1
    assert settled_theme(None, []) is None
    assert settled_theme(1, [2]) == 2, "one resident moving it moves it"
    assert settled_theme(1, [2, 1]) == 1, "a tie keeps the draft"
    assert settled_theme(1, [2, 3]) == 2, "a tie without the draft goes to the first chosen"
    assert settled_theme(1, [2, 3, 3]) == 3


def test_two_answers_a_line_and_theme_lines():
    assert split_lines("a\n\n b \nc") == ["a", "b"]
    assert split_lines("one\ntwo", 1) == ["one"]
    assert parse_theme_line("Buses: I need a bus I can rely on") == ("Buses", "I need a bus I can rely on")
    assert parse_theme_line("Buses") == ("Buses", "")
    assert parse_theme_line(": nothing") is None


def test_report_figures():
    counted = figures(
        4,
        [(1, False), (1, False), (2, True), (None, True)],
        {10: (1, 1), 11: (1, 2), 12: (2, 2), 13: (None, None)},
        2,
        3,
    )
    assert counted.answered == 2 and counted.answered_percent == 50 and counted.statements == 4
    assert counted.on_behalf == 1, "an erased carer's statement no longer counts them"
    assert counted.by_theme == {1: 1, 2: 2} and counted.moved == 1
    assert figures(0, [], {}, 0, 0).answered_percent == 0


def test_a_step_closes_on_its_agreed_date_unless_that_has_passed():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    agreed = now + timedelta(days=3)
    assert step_closes(agreed, now, 7) == agreed
    assert step_closes(now - timedelta(hours=1), now, 7) == now + timedelta(days=7)
    assert step_closes(None, now, 14) == now + timedelta(days=14)


def test_a_changed_date_must_be_to_come_and_keep_the_steps_in_order():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    dates = closing_times(now, 7)
    earlier = now + timedelta(days=3)
    assert change_date(dates, Step.COLLECT, earlier, now) == {**dates, Step.COLLECT: earlier}
    assert change_date(dates, Step.THEME, dates[Step.THEME] + timedelta(days=2), now)[Step.THEME] == (
        dates[Step.THEME] + timedelta(days=2)
    )
    for when in (now - timedelta(days=1), dates[Step.THEME], dates[Step.THEME] + timedelta(days=1)):
        assert change_date(dates, Step.COLLECT, when, now) is None, when
    assert change_date(dates, Step.THEME, dates[Step.COLLECT], now) is None
    assert change_date(dates, Step.PREPARE, earlier, now) is None
