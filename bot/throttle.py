"""A per-person flood guard: someone sending dozens of updates in a few seconds is asked to
slow down, and their extra updates are dropped, without slowing anyone else."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class Throttle:
    def __init__(self, limit: int = 20, window: float = 10.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._now = monotonic
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, person: int) -> str:
        """'ok', 'warn' (the first update over the limit: tell them once) or 'drop'."""
        now = self._now()
        seen = self._seen.setdefault(person, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        if len(seen) < self.limit:
            seen.append(now)
            self._warned.discard(person)
            return "ok"
        if person in self._warned:
            return "drop"
        self._warned.add(person)
        return "warn"
