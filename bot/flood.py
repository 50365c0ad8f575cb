"""Per-user flood guard: a sliding window of commands; the first excess gets one warning, then silence."""

from __future__ import annotations

import time
from collections import deque
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # first command over the limit: reply "slow down" once
    DROP = "drop"  # further excess: silence


class FloodGuard:
    def __init__(self, limit: int, per_seconds: float, max_users: int = 100_000) -> None:
        self.limit = max(1, limit)
        self.per = per_seconds
        self.max_users = max_users
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    def check(self, user_id: int, now: float | None = None) -> Verdict:
        now = time.monotonic() if now is None else now
        window = self._seen.setdefault(user_id, deque())
        while window and now - window[0] >= self.per:
            window.popleft()
        if len(window) < self.limit:
            window.append(now)
            self._warned.discard(user_id)
            self._forget_idle(now)
            return Verdict.ALLOW
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded however many users write: drop users idle past the window."""
        if len(self._seen) <= self.max_users:
            return
        for uid in [u for u, w in self._seen.items() if not w or now - w[-1] >= self.per]:
            self._seen.pop(uid, None)
            self._warned.discard(uid)
