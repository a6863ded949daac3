"""Fixtures: an emulator per test and a bot bed on a fresh database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from emulator import FakeTelegram
from tests.harness import TestBed

ADMIN_ID = 900001


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bed(server: FakeTelegram, tmp_path: Path) -> AsyncIterator[TestBed]:
    test_bed = TestBed(server, tmp_path, admin_ids=frozenset({ADMIN_ID}))
    await test_bed.start()
    yield test_bed
    await test_bed.stop()
    bad = [entry for entry in server.rejected if "400" in str(entry) or "Bad Request" in str(entry)]
    assert not bad, f"The bot sent requests Telegram would reject: {bad}"
