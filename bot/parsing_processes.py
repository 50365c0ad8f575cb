"""Parsing beside the bot: the parsing processes a Loader keeps from one load to the next, and the
batches it hands them.

Pure-Python parsing in a thread would hold the GIL and freeze the bot, so beside the bot every batch is
parsed in one of these processes. `csto-bot load` has no bot to keep responsive: there this process
parses a share of each batch too, in a thread, taking pieces of it as the processes do (see
ParsingProcesses.parse). Apart from the Loader because process lifetime (spawn, replacement,
shutdown) is its own concern and the tests hold or slow it here (tests/loader_hooks.py)."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.corpus.model import Lexicon
from bot.parse_worker import FileEntry, FileResult, init_worker, pickled_names, process_batch, process_piece

# Files a parser takes from a shared batch at a time: small enough that no parser waits long for the
# slowest piece at the end of a batch, large enough that sending a piece costs little beside parsing it.
PIECE_FILES = 25
MIN_PIECE_FILES = 5  # the last pieces of a batch: each still worth sending to a process
PIECES_IN_FLIGHT = 2  # per process: it never waits for this process to receive a piece and send the next
# Pieces a parsing process parses before the processes are replaced (see ParsingProcesses): 60 full
# batches of the default 200 files, or as many small loads of a watcher.
WORKER_PIECES = 480
# How long new parsing processes wait for the ones they replace to exit (idle, they take milliseconds);
# past it they start anyway.
RETIRE_WAIT_SECONDS = 10.0


class ParsingProcesses:
    """Parsing processes kept from one load to the next, so a watcher's load of one page waits for no
    process start. A batch is shared among them. They are replaced between two batches every
    WORKER_PIECES pieces each (a parser's heap only grows), by this class rather than by the pool's
    max_tasks_per_child, which in CPython 3.11-3.13 can leave a queued piece with no process to run
    it (the pool then waits for ever: CPython gh-115634); each ends by itself when this process dies (see
    parse_worker.exit_with_parent)."""

    def __init__(self, count: int, lexicon: Lexicon, *, parse_here: bool = False) -> None:
        self.count = count
        self._lexicon = lexicon
        self._parse_here = parse_here  # this process parses a share too, in a thread (no bot beside it)
        self._pool: ProcessPoolExecutor | None = None
        self._pieces_sent = 0  # to the processes of this pool
        self._here_free = asyncio.Event()  # see lending_this_process
        self._retiring: asyncio.Future[None] | None = None  # the replaced processes' exit (see _retire)

    def parse(
        self, batch: Sequence[FileEntry], hashes: dict[str, str], known: frozenset[str], max_bytes: int
    ) -> asyncio.Future[list[FileResult]]:
        """Results of the batch in its order; the work starts now, the caller awaits it when it needs it.

        The batch is cut into pieces that each parser takes in turn as it becomes free, so a process
        slowed by the writer beside it, or by a hard page, takes fewer: no fixed share to wait for.
        Every piece is parsed knowing the same names, so who parses which piece changes nothing."""
        if self._pieces_sent >= WORKER_PIECES * self.count:
            self._retire()  # between two batches: nothing of this load is in flight
        loop = asyncio.get_running_loop()
        known_pickled = pickled_names(known)  # once a batch, not once a piece

        async def in_process(piece: Sequence[FileEntry]) -> list[FileResult]:
            if self._retiring is not None:  # new processes start once the old ones are gone
                await asyncio.wait({self._retiring}, timeout=RETIRE_WAIT_SECONDS)
                self._retiring = None
            pool = self._pool or self._start()
            self._pieces_sent += 1
            return await loop.run_in_executor(pool, process_piece, piece, hashes, known_pickled, max_bytes)

        def in_thread(piece: Sequence[FileEntry]) -> Awaitable[list[FileResult]]:
            return loop.run_in_executor(None, process_batch, piece, hashes, self._lexicon, known, max_bytes)

        here = in_thread if self._parse_here else None
        # Two pieces in flight per process: it starts the next while the last one's results travel.
        takers = [in_process] * (self.count * PIECES_IN_FLIGHT)
        return asyncio.ensure_future(_shared(batch, takers, here, self._here_free))

    @contextlib.contextmanager
    def lending_this_process(self) -> Iterator[None]:
        """While the caller only waits for a batch, this process parses pieces of it too (parse_here):
        never while it writes, where a parsing thread would take the interpreter from the writer."""
        self._here_free.set()
        try:
            yield
        finally:
            self._here_free.clear()

    def _start(self) -> ProcessPoolExecutor:
        self._pool = ProcessPoolExecutor(
            self.count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(self._lexicon, os.getpid()),
        )
        self._pieces_sent = 0
        return self._pool

    def _retire(self) -> None:
        """Let the processes go, and note when they have: their replacements start only then, so the two
        never hold memory at once (a parser holds ~90 MB by then)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            self._retiring = asyncio.ensure_future(
                asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
            )

    def close(self) -> None:
        """Let the processes go (they finish their task and exit; nobody waits for them here)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


Parser = Callable[[Sequence[FileEntry]], Awaitable[list[FileResult]]]


class _Pieces:
    """A batch handed out piece by piece, each piece to one parser. Pieces shrink as the batch runs
    out (a share of what is left, between MIN_PIECE_FILES and PIECE_FILES), so the parsers finish
    together rather than one waiting for another's last large piece."""

    def __init__(self, batch: Sequence[FileEntry], parsers: int) -> None:
        self.batch = batch
        self.parsers = parsers
        self.taken = 0  # files handed out so far
        self.done: dict[int, list[FileResult]] = {}  # by the piece's first file

    def take(self) -> tuple[int, Sequence[FileEntry]] | None:
        left = len(self.batch) - self.taken
        if left <= 0:
            return None
        size = max(MIN_PIECE_FILES, min(PIECE_FILES, left // (2 * self.parsers)))
        start, self.taken = self.taken, self.taken + size
        return start, self.batch[start : start + size]

    def results(self) -> list[FileResult]:
        return [result for start in sorted(self.done) for result in self.done[start]]


async def _shared(
    batch: Sequence[FileEntry], parsers: Sequence[Parser], here: Parser | None, here_free: asyncio.Event
) -> list[FileResult]:
    """The batch's results in its order, its pieces taken by whichever parser is free next. `here`
    takes a piece only while `here_free` is set (this process has nothing else to do) and is not
    waited for once every piece is taken."""
    pieces = _Pieces(batch, len(parsers) + (here is not None))

    async def take_pieces(parse: Parser) -> None:
        while piece := pieces.take():
            start, files = piece
            pieces.done[start] = await parse(files)

    in_hand: dict[int, asyncio.Future[list[FileResult]]] = {}  # the piece `here` is parsing

    async def take_pieces_when_free(parse: Parser) -> None:
        while await here_free.wait() and (piece := pieces.take()):
            start, files = piece
            in_hand[start] = future = asyncio.ensure_future(parse(files))
            pieces.done[start] = await future
            del in_hand[start]

    tasks = [asyncio.ensure_future(take_pieces(parse)) for parse in parsers]
    helper = asyncio.ensure_future(take_pieces_when_free(here)) if here is not None else None
    try:
        await asyncio.gather(*tasks)  # every piece is taken; `here` may still be parsing one
        for start, future in list(in_hand.items()):
            pieces.done[start] = await future
    finally:  # done, failed, or the load stopped: nobody takes another piece
        for task in (*tasks, helper):
            if task is not None:
                task.cancel()
    return pieces.results()


async def one_batch(entries: list[FileEntry]) -> AsyncIterator[list[FileEntry]]:
    """The one batch `entries` as the stream of batches a load parses."""
    yield entries


async def rebatch(chunks: AsyncIterator[list[FileEntry]], size: int) -> AsyncIterator[list[FileEntry]]:
    """The entries of `chunks`, regrouped into lists of `size` (the last may be shorter)."""
    pending: list[FileEntry] = []
    async for chunk in chunks:
        pending.extend(chunk)
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending
