"""Parsing beside the bot: the parsing processes a Loader keeps from one load to the next, and the
batches it hands them.

Pure-Python parsing in a thread would hold the GIL and freeze the bot, so beside the bot every batch is
parsed in one of these processes. Apart from the Loader because process lifetime (spawn, replacement,
shutdown) is its own concern and the tests hold or slow it here (tests/loader_hooks.py)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.corpus.model import Lexicon
from bot.parse_worker import FileEntry, FileResult, init_worker, process_batch

WORKER_BATCHES = 60  # batches a parsing process handles before it is replaced (see ParsingProcesses)


class ParsingProcesses:
    """Parsing processes kept from one load to the next, so a watcher's load of one page waits for no
    process start. A batch is split among them. Each process is replaced every few tasks (a parser's
    heap only grows) and ends by itself when this process dies (see parse_worker.exit_with_parent)."""

    def __init__(self, count: int, lexicon: Lexicon, *, stems: bool = True) -> None:
        self.count = count
        self._lexicon = lexicon
        self._stems = stems  # see process_batch
        self._pool: ProcessPoolExecutor | None = None

    def parse(
        self, batch: Sequence[FileEntry], hashes: dict[str, str], known: frozenset[str], max_bytes: int
    ) -> asyncio.Future[list[FileResult]]:
        """Results of the batch in its order; the work starts now, the caller awaits it when it needs it."""
        pool = self._pool or self._start()
        loop = asyncio.get_running_loop()
        size = -(-len(batch) // self.count)
        parts = [
            loop.run_in_executor(
                pool, process_batch, batch[i : i + size], hashes, None, known, max_bytes, self._stems
            )
            for i in range(0, len(batch), size)
        ]
        return asyncio.ensure_future(_concatenated(parts))

    def _start(self) -> ProcessPoolExecutor:
        self._pool = ProcessPoolExecutor(
            self.count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(self._lexicon, os.getpid()),
            max_tasks_per_child=WORKER_BATCHES * self.count,
        )
        return self._pool

    def close(self) -> None:
        """Let the processes go (they finish their task and exit; nobody waits for them here)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


async def _concatenated(parts: Sequence[asyncio.Future[list[FileResult]]]) -> list[FileResult]:
    return [result for part in await asyncio.gather(*parts) for result in part]


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
