"""Measures for 'You said, we did', computed directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.feedback import measures, reason_ok

T0 = datetime(2026, 11, 1, tzinfo=UTC)


def test_measures():
    result = measures(
        received=[(T0, T0 + timedelta(days=2)), (T0, T0 + timedelta(days=4)), (T0, None)],
        themes=[True, False, True, True],
        differences=["yes", "bit", "no", "not_sure"],
        checkins=[{"mood_start": 2, "mood_end": 4, "listened": 5}, {"mood_start": 4, "mood_end": None}],
    )
    assert result.received == 3 and result.median_days_to_response == 3.0
    assert result.share_published == 0.75 and result.share_made_difference == 0.5
    assert result.checkin_averages == {"mood_start": 3.0, "mood_end": 4.0, "listened": 5.0}


def test_empty_measures_do_not_divide_by_zero():
    result = measures([], [], [], [])
    assert result.median_days_to_response is None and result.share_published is None
    assert result.share_made_difference is None


def test_cant_do_needs_a_real_reason():
    assert not reason_ok(None) and not reason_ok("no") and not reason_ok("no budget")
    assert reason_ok("The budget is already spent this year.")
