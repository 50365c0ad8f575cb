"""Giving freed heap memory back to the system between a load's batches.

Why: a batch of a few hundred pages is parsed, sent between processes and written at once, and the C
allocator keeps the memory it freed for reuse; over a long load the processes' resident size then sits
at the high-water mark of every batch so far, not at what they hold. glibc's malloc_trim returns the
free pages at the top of each arena and inside it; elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import functools
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    # The running process's own symbols (libc among them): no library search, which would run ldconfig.
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # no glibc (musl, macOS): nothing to give back this way
        return None
    return trim


def give_back_freed_memory() -> None:
    """Return the allocator's free memory to the system (glibc); a few milliseconds at most."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
