"""Timeline pictures for the handlers: data from the store, drawn in a process, kept per corpus version.

Why a process: matplotlib is mostly pure Python (it holds the GIL for most of a draw), so a thread would
stall every other update while it draws. One spawned process, created at the first picture and shut
down with the bot (post_shutdown), draws one picture at a time; it imports bot.timeline and matplotlib,
the bot's process never does. Pictures are rare: the process ends after IDLE_SECONDS without one, so
its memory (matplotlib and numpy) is held only around the presses, and the next press starts it again. The PNG bytes are kept in an LRU bounded by bytes, per (person or
operation, corpus version); two presses for the same picture while it is drawn share one drawing.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from bot.callbacks import TimelineButton
from bot.lru import SizedLRU, approx_bytes
from bot.records import Timeline
from bot.store import Store
from bot.timeline import draw_timeline, exit_with_parent

_Key = tuple[str, int, int]  # (TimelineButton kind, person or operation id, corpus version)
IDLE_SECONDS = 300.0


class DrawingFailed(RuntimeError):
    """The drawing process ended before it gave the picture (killed, out of memory): a new one is
    started for the next picture."""


@dataclass(frozen=True, slots=True)
class Picture:
    png: bytes
    timeline: (
        Timeline  # what it shows: its caption is written in each reader's language (bot.timeline.caption)
    )


@dataclass(frozen=True, slots=True)
class ToDraw:
    """A timeline found in the store, not drawn yet for this corpus version."""

    key: _Key
    timeline: Timeline


def _weight(key: _Key, picture: Picture) -> int:
    return approx_bytes(key) + approx_bytes(picture)


class Timelines:
    """The pictures' cache and the drawing process (see the module's docstring)."""

    MAX_PICTURES = 500
    MAX_BYTES = 8 * 2**20  # a picture is 15-40 kB: a few hundred kept

    def __init__(
        self, max_pictures: int = MAX_PICTURES, max_bytes: int = MAX_BYTES, idle_seconds: float = IDLE_SECONDS
    ) -> None:
        self._pictures: SizedLRU[_Key, Picture] = SizedLRU(max_pictures, max_bytes, _weight)
        self._store: Store | None = None  # whose corpus versions the keys count
        self._pool: ProcessPoolExecutor | None = None
        self._drawing: dict[_Key, asyncio.Future[Picture]] = {}
        self.idle_seconds = idle_seconds
        self._idle: asyncio.TimerHandle | None = None

    async def find(self, store: Store, kind: str, subject_id: int) -> Picture | ToDraw | None:
        """The picture when it is kept, else its data; None when there is no such person or operation
        (any more: a stale button)."""
        if store is not self._store:  # a new store counts its versions from 0 again
            self._pictures.clear()
            self._store = store
        key = (kind, subject_id, await store.corpus_version())
        kept = self._pictures.get(key)
        if kept is not None:
            return kept
        if kind == TimelineButton.PERSON:
            timeline = await store.person_timeline(subject_id)
        else:
            timeline = await store.operation_timeline(subject_id)
        return ToDraw(key, timeline) if timeline is not None else None

    async def picture(self, found: Picture | ToDraw) -> Picture:
        """The picture `find` gave, drawn in the drawing process when it was not kept."""
        if isinstance(found, Picture):
            return found
        drawing = self._drawing.get(found.key)
        if drawing is None:
            drawing = asyncio.ensure_future(self._draw(found))
            self._drawing[found.key] = drawing
            drawing.add_done_callback(lambda done: self._settle(found.key, done))
        # shield: one caller cancelled (the bot stopping) does not cancel the others' picture
        return await asyncio.shield(drawing)

    def _settle(self, key: _Key, done: asyncio.Future[Picture]) -> None:
        self._drawing.pop(key, None)
        if not done.cancelled():
            done.exception()  # retrieved here: every waiter may have gone
        if self._idle is not None:
            self._idle.cancel()
        self._idle = asyncio.get_running_loop().call_later(self.idle_seconds, self._stop_when_idle)

    def _stop_when_idle(self) -> None:
        """No picture for idle_seconds: end the drawing process (shutdown without waiting: it has no
        work, so it exits at once and the loop does not wait for it)."""
        self._idle = None
        if self._drawing or self._pool is None:
            return
        pool, self._pool = self._pool, None
        pool.shutdown(wait=False)

    @property
    def drawing_process_running(self) -> bool:
        return self._pool is not None

    async def _draw(self, job: ToDraw) -> Picture:
        loop = asyncio.get_running_loop()
        try:
            png = await loop.run_in_executor(self._executor(), draw_timeline, job.timeline)
        except BrokenProcessPool as exc:
            self._pool = None  # a broken pool takes no more work; its process is gone
            raise DrawingFailed("the drawing process ended") from exc
        picture = Picture(png, job.timeline)
        self._pictures.put(job.key, picture)
        return picture

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent,
            )
        return self._pool

    @property
    def nbytes(self) -> int:
        """What the kept pictures weigh (approximately)."""
        return self._pictures.nbytes

    async def close(self) -> None:
        """Stop the drawing process (a draw in progress is waited for) and forget the pictures."""
        pool, self._pool = self._pool, None
        self._pictures.clear()
        self._store = None
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
