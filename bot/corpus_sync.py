"""Corpus sync: keeps the store in step with the corpus folder while the bot runs.

Four steps, one job: the start-up load (beside the bot, which answers from what is stored meanwhile),
the folder watcher (watchfiles events -> changed paths), the debounced reloader (one load per quiet
moment, a full load as the safety net, failed loads retried with backoff), and the cache warmer
(rebuild what a load made stale, beside the watcher rather than in its way). A load that queues alerts
calls on_new_items (bot.delivery's wake); what happens to them then is bot.delivery's job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from watchfiles import Change, awatch

from bot.background import Background
from bot.config import Settings
from bot.corpus_files import is_candidate, printable
from bot.loader import Loader

log = logging.getLogger(__name__)

LOAD_RETRY_FIRST = 5.0  # seconds before a failed load is tried again; doubling each time ...
LOAD_RETRY_MAX = 300.0  # ... up to this
WATCH_STEP_MS = 50  # how often watchfiles looks for changes
WATCH_RETRY = 5.0  # seconds before watching again when the corpus folder cannot be watched
# The watcher loads only the paths it was told about; a full load (a scan of every file) is its safety
# net: at start, after watching restarted, after a failed load, for a burst this large (a bulk copy,
# where the kernel's event queue may have overflowed unnoticed), and every RECONCILE_EVERY seconds.
FULL_LOAD_FROM_PATHS = 1000
RECONCILE_EVERY = 3600.0


class _CorpusFilter:
    """Exactly what the loader would read: no hidden paths, no temporary files of a scraper or an editor.

    A scraper writing `page.txt.part` and renaming it makes one load (for the rename), not one per
    write, and a burst of editor swap files makes none. Only the loader's rules, not watchfiles'
    DefaultFilter (which also drops names such as `flycheck_*` or `__pycache__/` the loader reads): the
    watcher loads only the paths it reports, so a page it filtered out would wait for a full load.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def __call__(self, change: Change, path: str) -> bool:
        candidate = Path(path)
        try:
            parts = candidate.resolve().relative_to(self.root).parts
        except (ValueError, OSError):
            parts = (candidate.name,)
        return bool(parts) and not any(p.startswith(".") for p in parts) and is_candidate(parts[-1])


class CorpusSync:
    """The start-up load, the watcher, the reloader and the cache warmer of one bot."""

    def __init__(
        self,
        loader: Loader | None,
        settings: Settings,
        warm_up: Callable[[], Awaitable[None]],
        on_new_items: Callable[[], None],
    ) -> None:
        self.loader = loader
        self.settings = settings
        self.warm_up = warm_up  # Services.warm_up: the people index, vocabulary, operations summary
        self.on_new_items = on_new_items
        self.loads = 0
        self.started_up = asyncio.Event()  # the start-up load is over (done or failed)
        self._background = Background(log)
        self._dirty = asyncio.Event()
        self._last_change = 0.0
        self._changed_paths: set[str] = set()  # reported since the last load began
        self._full_load_due = False
        self._last_full_load = 0.0  # loop time the last full load began
        self._stale = asyncio.Event()  # a load changed items: the caches warm_up builds are out of date
        self._warmer: asyncio.Task[None] | None = None
        self._load_failures = 0  # failed loads in a row: the retry waits longer each time
        self._load_retry_at: float | None = None  # loop time the failed load is tried again

    def start(self) -> None:
        """The watcher's task first: it registers its watches before the start-up load's first step."""
        if self.settings.watch:
            self._background.spawn(self._watch(), "alerts-watcher")
        self._background.spawn(self._start_up_then_reload(self.settings.watch), "alerts-loader")
        self._warmer = self._background.spawn(self._warm_after_loads(), "alerts-warmer")

    async def stop(self) -> None:
        """Stop watching; the load in flight ends after its batches in flight (up to STOP_GRACE)."""
        self._background.stopping.set()
        self._dirty.set()
        if self.loader is not None:
            self.loader.request_stop()
        if self._warmer is not None:
            self._warmer.cancel()  # only caches: not worth a wait at shutdown
        await self._background.stop()

    @property
    def _stopping(self) -> bool:
        return self._background.stopping.is_set()

    async def _start_up_then_reload(self, watch: bool) -> None:
        """The start-up load, beside the bot rather than before it: commands are answered at once from
        what is stored (a first start on a big folder loads for long), and /start and /stats say that
        a load is under way. Then, when watching, load what the watcher reports."""
        try:
            await self._load([], full=True)
        finally:
            self.started_up.set()
            self._stale.set()  # build the caches now, even if the load changed nothing
        if watch:
            # No catch-up scan is needed (one was, when the watcher started after the start-up load; it
            # held the loader a while on a big corpus, so the first new file waited): the watcher task,
            # created first, registered its inotify watches (RustNotify is built before awatch's first
            # await) before this task took its first step, so whatever the scan did not see, it reports.
            await self._reload_on_change()

    def _mark_dirty(self) -> None:
        self._last_change = asyncio.get_running_loop().time()
        self._dirty.set()

    def _note_changes(self, changes: set[tuple[Change, str]]) -> None:
        """Remember the paths, whatever the kind of change: the loader looks at what is there now.
        So many that a full load is due anyway are not kept (memory stays bounded in a bulk copy)."""
        self._changed_paths.update(path for _, path in changes)
        if len(self._changed_paths) >= FULL_LOAD_FROM_PATHS:
            self._changed_paths.clear()
            self._full_load_due = True
        self._mark_dirty()

    def _request_full_load(self) -> None:
        """What happened may not be in any report (nothing was watching, a load failed): scan it all."""
        self._full_load_due = True
        self._mark_dirty()

    def _take_changes(self) -> tuple[list[str], bool]:
        """The paths to load and whether to load everything instead; resets both for the next round."""
        paths = sorted(self._changed_paths)
        full = self._full_load_due
        self._changed_paths.clear()
        self._full_load_due = False
        return paths, full

    async def _watch(self) -> None:
        """Turn file-system events into changed paths; the reloader decides when to load."""
        root = self.settings.corpus_dir
        first = True
        while not self._stopping:
            if not first and root.is_dir():
                self._request_full_load()  # whatever landed while nothing was watching
            first = False
            try:
                async for changes in awatch(
                    root,
                    watch_filter=_CorpusFilter(root),
                    stop_event=self._background.stopping,
                    step=WATCH_STEP_MS,
                    recursive=True,
                ):
                    self._note_changes(changes)
            except (OSError, RuntimeError) as exc:  # folder missing or unwatchable: try again later
                log.warning(
                    "alerts: cannot watch %s (%s); trying again in %.0fs",
                    printable(str(root)),
                    printable(str(exc)),
                    WATCH_RETRY,
                )
            except Exception:  # whatever went wrong, a watcher that gave up would miss every new file
                log.exception(
                    "alerts: watching %s failed; trying again in %.0fs", printable(str(root)), WATCH_RETRY
                )
            await self._background.pause(WATCH_RETRY)

    async def _reload_on_change(self) -> None:
        """Load once the folder has been quiet for watch_debounce_ms, so a file still being written is
        read once, complete (watchfiles alone yields as soon as one write settles); the paths reported
        meanwhile are loaded together. A quiet folder gets a full load every RECONCILE_EVERY. Never dies."""
        quiet = max(self.settings.watch_debounce_ms, 0) / 1000
        loop = asyncio.get_running_loop()
        while True:
            deadline = self._last_full_load + RECONCILE_EVERY
            if self._load_retry_at is not None:
                deadline = min(deadline, self._load_retry_at)
            await self._wait_dirty(deadline - loop.time())
            if self._stopping:
                return
            while (remaining := self._last_change + quiet - loop.time()) > 0 and not self._stopping:
                await self._background.pause(remaining)
            if self._stopping:
                return
            self._dirty.clear()
            paths, full = self._take_changes()
            await self._load(paths, full)

    async def _wait_dirty(self, timeout: float) -> None:
        """Wait for a change; none within `timeout` means the periodic full load is due."""
        try:
            await asyncio.wait_for(self._dirty.wait(), max(timeout, 0))
        except TimeoutError:
            self._request_full_load()

    async def _load(self, paths: Sequence[str], full: bool) -> None:
        loader = self.loader
        if loader is None or not (full or paths):
            return
        if full:  # counted from the attempt: a failing full load is not retried in a loop
            self._last_full_load = asyncio.get_running_loop().time()
        try:
            report = await (loader.load() if full else loader.load_paths(paths))
        except Exception as exc:  # noqa: BLE001 - a full disk or a busy database must not end watching
            self._load_failed(exc)
            return
        self._load_failures, self._load_retry_at = 0, None
        self.loads += 1
        if report.new_item_ids:
            self.on_new_items()
        if report.items_added or report.items_removed or report.items_refreshed:
            self._stale.set()

    def _load_failed(self, exc: Exception) -> None:
        """One line says what went wrong; the load is tried again, a full one (it finds whatever this
        one missed), after LOAD_RETRY_FIRST seconds, doubling up to LOAD_RETRY_MAX, until it succeeds:
        a disk that was full gets its pages loaded, and alerted, once space is back."""
        delay = min(LOAD_RETRY_MAX, LOAD_RETRY_FIRST * 2**self._load_failures)
        self._load_failures += 1
        self._load_retry_at = asyncio.get_running_loop().time() + delay
        self._full_load_due = True
        log.error(
            "alerts: loading the corpus failed (%s: %s); trying again in %.3gs",
            type(exc).__name__,
            printable(str(exc)),
            delay,
        )
        log.debug("alerts: the failed load", exc_info=exc)

    async def _warm_after_loads(self) -> None:
        """Rebuild the people index, the vocabulary and the operations summary after a load changed
        items, beside the watcher rather than in its way (a file landing during a long rebuild is
        loaded, and alerted, without waiting). Never dies."""
        while True:
            await self._stale.wait()
            if self._stopping:
                return
            self._stale.clear()
            try:
                await self.warm_up()
            except Exception:  # only caches: the next command builds what it needs
                log.exception("alerts: rebuilding caches after a load failed")
