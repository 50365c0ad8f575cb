"""Shared fixtures. PTB 22 warns when RetryAfter is built without PTB_TIMEDELTA; warnings are errors here."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
