"""Memory for loading: giving freed heap memory back to the system between a load's batches, and the
cyclic collector's pace in a process that loads.

Why: a batch of a few hundred pages is parsed, sent between processes and written at once, and the C
allocator keeps the memory it freed for reuse; over a long load the processes' resident size then sits
at the high-water mark of every batch so far, not at what they hold. glibc's malloc_trim returns the
free pages at the top of each arena and inside it; elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import functools
import gc
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


# The cyclic collector's first threshold for a process that loads: a load allocates millions of short-lived
# objects, none in a cycle (pages, items, rows), and at Python's default (a collection every 700 net
# allocations, with the older generations' after every 10) a 10k-page load spent ~0.8 s of its busiest
# process's CPU collecting. Cycles are still collected, only in fewer, larger passes.
LOADING_GC_THRESHOLDS = (50_000, 20, 100)


def collect_for_loading() -> None:
    """Set this process's collector for a load (LOADING_GC_THRESHOLDS), after freezing what it holds
    so far (modules, the lexicon): those objects live as long as the process, and no pass need scan them."""
    gc.freeze()
    gc.set_threshold(*LOADING_GC_THRESHOLDS)
