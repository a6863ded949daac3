"""Pure domain rules, tested directly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.deeplinks import LinkKind, make_payload, new_code, parse_payload
from domain.invites import InviteStatus, invite_status
from domain.profile import QuietHours, clean_text
from domain.roles import Role, effective_role

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("found", "used", "revoked", "expires", "expected"),
    [
        (False, None, None, None, InviteStatus.UNKNOWN),
        (True, None, None, NOW + timedelta(days=1), InviteStatus.VALID),
        (True, NOW, None, NOW + timedelta(days=1), InviteStatus.USED),
        (True, None, NOW, NOW + timedelta(days=1), InviteStatus.REVOKED),
        (True, None, None, NOW, InviteStatus.EXPIRED),
    ],
)
def test_invite_status(found, used, revoked, expires, expected):
    assert invite_status(found=found, used_at=used, revoked_at=revoked, expires_at=expires, now=NOW) is expected


def test_admins_come_from_configuration_and_win_over_stored_roles():
    assert effective_role(1, frozenset({1}), "coordinator") is Role.ADMIN
    assert effective_role(2, frozenset({1}), "officer") is Role.OFFICER
    assert effective_role(3, frozenset({1}), None) is Role.RESIDENT


@pytest.mark.parametrize(
    ("hours", "hour", "quiet"),
    [
        ((21, 8), 23, True),
        ((21, 8), 3, True),
        ((21, 8), 8, False),
        ((21, 8), 20, False),
        ((9, 17), 12, True),
        ((9, 17), 17, False),
        ((0, 0), 3, False),
    ],
)
def test_quiet_hours_wrap_past_midnight(hours, hour, quiet):
    assert QuietHours(*hours).contains(hour) is quiet


def test_deep_link_payloads_round_trip_and_fit_telegram_limits():
    code = new_code()
    payload = make_payload(LinkKind.PROJECT, code)
    assert len(payload) <= 64
    assert parse_payload(payload) == parse_payload(f"p_{code}")
    assert parse_payload(payload).kind is LinkKind.PROJECT
    for bad in ["", "x", "z_abcdef", "p_ab", "p_" + "a" * 60, "p_abc$def", "P_abcdef"]:
        assert parse_payload(bad) is None, bad


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ann  ", "Ann"),
        ("Mary  Jane", "Mary Jane"),
        ("", None),
        ("   ", None),
        ("x" * 65, None),
        ("Zo\u200bë", "Zoë"),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw, 64) == expected


def test_day_end_is_read_in_local_time():
    from zoneinfo import ZoneInfo

    from domain.dates import parse_day_end

    london = ZoneInfo("Europe/London")
    assert parse_day_end("5/12", london, NOW) == datetime(2026, 12, 5, 23, 59, tzinfo=UTC)
    assert parse_day_end("1/7/2027", london, NOW) == datetime(2027, 7, 1, 22, 59, tzinfo=UTC)
    assert parse_day_end("1/1", london, NOW) == datetime(2027, 1, 1, 23, 59, tzinfo=UTC)
    assert parse_day_end("31/2", london, NOW) is None and parse_day_end("soon", london, NOW) is None


def test_targeting_rule():
    from domain.targeting import Reachable, Target, matches

    person = Reachable(
        registered=True, reachable=True, paused=False, topics=frozenset({"send"}), area="Ascot", language="pl"
    )
    assert matches(Target(), person)
    assert matches(Target(frozenset({"send", "housing"}), "ascot", "pl"), person)
    assert not matches(Target(frozenset({"housing"})), person)
    assert not matches(Target(area="Bracknell"), person)
    assert not matches(Target(language="en"), person)
    for change in ({"registered": False}, {"reachable": False}, {"paused": True}):
        assert not matches(Target(), Reachable(**{**person.__dict__, **change}))


async def test_every_seeded_topic_is_marked_for_translation(tmp_path):
    from domain.topics import DEFAULT_TOPIC_NAMES
    from storage.engines import database_for
    from tests.engines import fresh_database

    db = database_for(await fresh_database(tmp_path))
    await db.open()
    names = {row["name"] for row in await db.fetchall("SELECT name FROM topics")}
    await db.close()
    assert names == set(DEFAULT_TOPIC_NAMES)
