"""The measures of success, as plain rules: baseline against latest, the trend meeting by
meeting, and no average from too few answers."""

from __future__ import annotations

import struct

from decide.charts import bar_chart
from domain.success import BASELINE, MIN_ANSWERS, average, progress, statement_averages


def test_too_few_answers_give_no_number():
    assert MIN_ANSWERS == 3
    assert average([]) is None
    assert average([5, 5]) is None
    assert average([1, 2, 3]) == 2.0


def test_baseline_against_latest_and_the_trend_in_meeting_order():
    ratings = [
        (BASELINE, 2),
        (BASELINE, 2),
        (BASELINE, 3),
        (11, 4),
        (11, 4),
        (11, 5),  # the later meeting
        (10, 3),
        (10, 3),
        (10, 3),
    ]  # the earlier meeting
    measured = progress(ratings, meeting_order=[10, 11])
    assert measured.baseline.answers == 3 and round(measured.baseline.average or 0, 2) == 2.33
    assert [point.meeting_id for point in measured.trend] == [10, 11]
    assert [point.average for point in measured.trend] == [3.0, 13 / 3]
    assert measured.latest is not None and measured.latest.meeting_id == 11
    assert round(measured.change or 0, 2) == 2.0


def test_order_comes_from_the_meetings_not_the_ids():
    measured = progress([(7, 1), (7, 1), (7, 1), (3, 5), (3, 5), (3, 5)], meeting_order=[7, 3])
    assert [point.meeting_id for point in measured.trend] == [7, 3]


def test_a_latest_meeting_with_too_few_answers_shows_no_change():
    measured = progress([(BASELINE, 2)] * 3 + [(10, 5), (10, 4)], meeting_order=[10])
    assert measured.latest is not None and measured.latest.answers == 2 and measured.latest.average is None
    assert measured.change is None


def test_nothing_rated_yet():
    measured = progress([], meeting_order=[1, 2])
    assert measured.baseline.average is None and measured.trend == [] and measured.latest is None
    assert measured.change is None


def test_check_in_statements_average_only_with_enough_answers():
    rows = [{"valued": 4, "respect": 5}, {"valued": 2, "respect": None}, {"valued": 3}]
    assert statement_averages(rows, ("valued", "respect", "strengths")) == {
        "valued": 3.0,
        "respect": None,
        "strengths": None,
    }


def test_a_trend_chart_keeps_its_order_and_its_scale():
    chart = bar_chart(
        "Carers get help at the weekend", ["At the start", "3 Dec", "10 Dec"], [2.3, 3.0, 4.5], in_order=True, top=5
    )
    assert chart.png.startswith(b"\x89PNG") and struct.unpack(">II", chart.png[16:24]) == (1080, chart.height)
    assert chart.labels == ["At the start", "3 Dec", "10 Dec"] and chart.values == [2.3, 3.0, 4.5]
    votes = bar_chart("Votes", ["a", "b"], [1, 3])
    assert votes.labels == ["b", "a"], "a vote's chart still puts the biggest first"
