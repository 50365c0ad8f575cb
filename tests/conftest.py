"""Shared set-up: PTB 22 warns when RetryAfter is built without PTB_TIMEDELTA (warnings are errors
here), and every test gets its markers from what it runs, so nobody has to remember them:

- ``e2e``: the real Application over HTTP against the fake Bot API (the module uses fakebotapi or
  tests.rig);
- ``slow``: starts the bot or the console as a process, or a corpus large enough to time (the modules in
  SLOW_MODULES). ``pytest -m "not slow"`` is the quick run; CI runs everything.
"""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("PTB_TIMEDELTA", "1")

SLOW_MODULES = frozenset(
    {
        "test_bench_smoke",  # the benchmark on a small generated corpus
        "test_cli_failures",  # csto-bot as a process against refusing Bot APIs
        "test_db_health",  # damaged databases, rebuild, read-only mounts
        "test_e2e_run",  # csto-bot run as a process
        "test_hardening_console",  # the console as a process, interrupted
        "test_loader_safety",  # kill -9, resumed loads of generated corpora
        "test_timeline",  # the drawing process
        "test_webhook",  # the webhook server, and run as a process
    }
)
E2E_MODULES = ("fakebotapi", "tests.rig")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = getattr(item, "module", None)
        if module is None:
            continue
        name = module.__name__.rsplit(".", 1)[-1]
        if name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if any(_imports(module, other) for other in E2E_MODULES):
            item.add_marker(pytest.mark.e2e)


def _imports(module: object, other: str) -> bool:
    """Whether a test module uses anything defined in ``other`` (a module it imported)."""
    source = sys.modules.get(other)
    if source is None:
        return False
    return any(
        value is source or getattr(value, "__module__", None) == other for value in vars(module).values()
    )
