"""Files -> corpus rules -> store. Incremental by (size, mtime, content hash), streamed in batches.

Only new or changed files are read and parsed; a batch of files is written in one transaction, so a
crash leaves every file either wholly loaded or wholly absent (and then loaded again next time).
Reading and parsing never run on the bot's thread: beside the bot every load, even of one page, is
parsed by a parsing process kept alive between loads (pure-Python parsing in a thread would hold the
GIL and freeze the bot); only `csto-bot load` parses a small load in a thread. The main process
writes one batch while the next is parsed.

A batch is parsed knowing the people of every batch before it (no look-ahead that depends on timing),
so a load stopped or killed between batches and loaded again ends with the database an uninterrupted
load makes. Only regular files inside the corpus folder are read: a link out of it, a FIFO or a
device is skipped with one warning line naming it (bot/corpus_files.py finds the files; the parsing
processes are in bot/parsing_processes.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Generator, Iterable, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import bot.corpus
from bot.config import Settings
from bot.corpus.model import Lexicon
from bot.corpus_files import (
    MANIFEST_MAX_BYTES,
    MANIFEST_NAME,
    file_problem,
    manifest_state,
    path_scopes,
    printable,
    read_manifest,
    scan_corpus,
    scan_scopes,
    take,
)
from bot.heap import give_back_freed_memory
from bot.parse_worker import FileEntry, FileResult, process_batch
from bot.parsing_processes import ParsingProcesses, one_batch, rebatch
from bot.records import LoadReport
from bot.store import REREAD_SHA, DocumentChange, DocumentState, Store, StoreError

log = logging.getLogger(__name__)

SCAN_CHUNK = 2_000  # files compared with their stored states at a time by a full load
PARALLEL_FROM_FILES = 400  # `csto-bot load`: below this a parsing process costs more to start than it saves
RULES_DIR = Path(bot.corpus.__file__).resolve().parent
RULES_KEY = "rules"  # the store's meta key for the fingerprint of the rules its items were parsed with


class StoreFull(StoreError):
    """The database or its disk is full: the batch being written was rolled back, so its files are not
    marked as loaded and the next load (once there is room) reads them again. Raised by Loader.load and
    load_paths; a caller that runs beside the bot may retry later."""


@contextlib.contextmanager
def _store_full_as_error(db_path: Path) -> Generator[None, None, None]:
    """SQLITE_FULL from any write of a load, as one clear StoreFull."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) != sqlite3.SQLITE_FULL:
            raise
        raise StoreFull(
            f"the database {printable(str(db_path))} or its disk is full ({exc}): free some space; the pages "
            "not yet loaded are read at the next load"
        ) from exc


def rules_fingerprint(lexicon: Lexicon) -> str:
    """What stored parse results depend on: the corpus rules' source and the lexicon. When it changes
    (an upgrade, a curated alias), the next full load parses every page again, beside the bot."""
    digest = hashlib.sha256(repr(lexicon).encode())
    for path in sorted(RULES_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(slots=True)
class Loader:
    """Loads the corpus folder into the store; one load at a time (start-up and watcher share it)."""

    store: Store
    corpus_dir: Path
    lexicon: Lexicon
    max_file_bytes: int = 5_000_000
    batch_files: int = 200
    workers: int = 1  # parsing processes; 0 parses in a thread of this process (never beside the bot)
    thread_below: int = PARALLEL_FROM_FILES  # a load of fewer files parses in a thread; 0 beside the bot
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _full_load: LoadReport | None = None  # the full load running now; its counts grow batch by batch
    full_loads_done: int = 0  # finished or failed: the first one is the start-up load
    _stop_requested: bool = False
    _rules: str | None = None  # rules_fingerprint(lexicon), computed once
    _processes: ParsingProcesses | None = None
    max_manifest_bytes: int = MANIFEST_MAX_BYTES
    _manifest_seen: tuple[int, int, int] | None = None  # (size, mtime, inode) of the manifest last read
    _addresses: dict[str, str] = field(default_factory=dict)  # the manifest's page -> address, last read
    # `csto-bot load`, with no bot beside it, parses a share of each batch in this process too (a
    # thread), so the writer's core is not left half idle while the parsing process is the bottleneck.
    parse_here: bool = False

    @classmethod
    def from_settings(
        cls, store: Store, settings: Settings, lexicon: Lexicon, *, beside_bot: bool = True
    ) -> Loader:
        """beside_bot: every load parses in a parsing process (at least one), never on the bot's thread;
        otherwise (`csto-bot load`) a small load parses in a thread, which starts faster."""
        return cls(
            store,
            settings.corpus_dir,
            lexicon,
            settings.max_file_bytes,
            settings.batch_files,
            max(1, settings.parse_processes) if beside_bot else settings.parse_processes,
            0 if beside_bot else PARALLEL_FROM_FILES,
            parse_here=not beside_bot,
        )

    async def load(self, *, queue_alerts: bool = True) -> LoadReport:
        """Every file of the folder: at start-up, and as the watcher's safety net.
        Raises StoreFull when the database's disk is full (what was not written is read next time)."""
        async with self._lock:
            if self._stop_requested:
                return LoadReport(stopped=True)
            try:
                with _store_full_as_error(self.store.path):
                    return await self._load(queue_alerts)
            finally:
                self._close_if_stopping()

    def request_stop(self) -> None:
        """The bot is stopping: a load in flight ends after the batch being parsed (each is written
        whole or not at all; what is left is read at the next start), and no load starts. The parsing
        processes go once no load needs them."""
        self._stop_requested = True
        if not self._lock.locked():
            self._close_if_stopping()

    def _close_if_stopping(self) -> None:
        if self._stop_requested and self._processes is not None:
            self._processes.close()
            self._processes = None

    def loading(self) -> int | None:
        """Files read so far by a full load that is changing the corpus now (the start-up load, a bulk
        copy), or None. Commands answer meanwhile from what is stored; /start and /stats say so. A
        periodic full load that finds nothing new is not worth a mention, so it shows only once it read
        a file (the start-up load shows from its start)."""
        report = self._full_load
        if report is None or (report.files_read == 0 and self.full_loads_done > 0):
            return None
        return report.files_read

    async def load_paths(
        self, paths: Iterable[str | os.PathLike[str]], *, queue_alerts: bool = True
    ) -> LoadReport:
        """Only what is at these paths now (a watcher's report of added, modified, deleted paths).

        The same change detection, parsing and one-transaction writes as load(), and the same
        database for these paths, at a cost that grows with the paths, not with the corpus: a file is
        stat'ed, a folder walked, a vanished path takes its documents (or its folder's) with it. A
        path outside the folder, or one the scan skips (hidden, temporary), is ignored.
        """
        async with self._lock:
            if self._stop_requested:
                return LoadReport(stopped=True)
            try:
                with _store_full_as_error(self.store.path):
                    paths = list(paths)
                    folder = self.corpus_dir
                    if not folder.is_dir() or await asyncio.to_thread(path_scopes, folder, paths) == [""]:
                        return await self._load(queue_alerts)  # the folder itself changed: look at all of it
                    # pages whose address changed (the manifest's) are read again
                    paths += [folder / rel for rel in await self._sync_addresses()]
                    scopes = await asyncio.to_thread(path_scopes, folder, paths)
                    scopes = [scope for scope in scopes if scope != MANIFEST_NAME]
                    if not scopes:
                        return LoadReport()
                    return await self._load_scopes(scopes, queue_alerts)
            finally:
                self._close_if_stopping()

    async def _load(self, queue_alerts: bool) -> LoadReport:
        """Walk the folder in chunks, compare each chunk with its stored states and hand its changed files
        to the parser as they are found: on a big folder the load holds neither every file's entry nor
        every document's state, and the store keeps the list of paths found."""
        report = self._full_load = LoadReport()
        try:
            return await self._load_all(report, queue_alerts)
        finally:
            self._full_load = None
            self.full_loads_done += 1

    async def _load_all(self, report: LoadReport, queue_alerts: bool) -> LoadReport:
        started = time.perf_counter()
        folder_ok = self.corpus_dir.is_dir()
        if not folder_ok:
            self._skip(report, file_problem(str(self.corpus_dir), "the corpus folder does not exist"))
        problems: list[str] = []
        stored_hashes: dict[str, str] = {}
        walk = scan_corpus(self.corpus_dir, problems) if folder_ok else iter(())
        await self.store.begin_scan()
        await self._sync_addresses()
        if self._rules is None:
            self._rules = await asyncio.to_thread(rules_fingerprint, self.lexicon)
        stored_rules = await self.store.meta_value(RULES_KEY)
        if stored_rules is None and (await self.store.stats()).documents == 0:
            # Every page this store will hold is parsed by these rules: say so before the first batch,
            # or a load stopped halfway would be read again in full next time, by a different
            # history of known names (a resumed load must end as an uninterrupted one).
            await self.store.set_meta_value(RULES_KEY, self._rules)
            stored_rules = self._rules
        report.rules_changed = stored_rules is not None and stored_rules != self._rules
        reread = stored_rules != self._rules  # before fingerprints were kept: parsed by older rules
        if report.rules_changed:
            log.info("the corpus rules or lexicon changed since the last load: every page is parsed again")

        async def changed_files() -> AsyncIterator[list[FileEntry]]:
            while chunk := await asyncio.to_thread(take, walk, SCAN_CHUNK):
                paths = [entry.rel for entry in chunk]
                states = await self.store.document_states_of(paths)
                await self.store.note_found(paths)
                changed = self._changed(chunk, states, report, reread=reread)
                stored_hashes.update((e.rel, states[e.rel].sha256) for e in changed if e.rel in states)
                yield changed

        await self._parse_and_write(changed_files(), stored_hashes, report, queue_alerts, reread=reread)
        for problem in problems:
            self._skip(report, problem)
        report.stopped = self._stop_requested
        if report.stopped:  # the walk did not finish: "not found" would mean "not looked at yet"
            await self._finish(report, started, "corpus load (stopped early)", sync_aliases=False)
            return report
        if folder_ok:
            await self._remove(await self.store.unfound_document_paths(), report, queue_alerts)
        if stored_rules != self._rules:
            await self.store.set_meta_value(RULES_KEY, self._rules)
        await self._finish(report, started, "corpus load", sync_aliases=True)
        return report

    async def _sync_addresses(self) -> list[str]:
        """The manifest's page addresses into the store, when the manifest changed since it was last
        read (or was never read by this loader): the watcher reports its change like a page's. Returns
        the pages whose address changed: the store marks them to be parsed again (an address may name
        the day a page was published)."""
        seen = await asyncio.to_thread(manifest_state, self.corpus_dir)
        if seen is not None and seen == self._manifest_seen:
            return []
        mapping = await asyncio.to_thread(read_manifest, self.corpus_dir, self.max_manifest_bytes)
        changed = await self.store.set_listed_addresses(mapping)
        if changed:
            log.info("%s: %d page addresses", MANIFEST_NAME, len(mapping))
        self._addresses = mapping
        self._manifest_seen = seen
        return changed

    def _with_address(self, entry: FileEntry) -> FileEntry:
        """The entry with its manifest address, which the parser may read a date from."""
        address = self._addresses.get(entry.rel)
        return entry if address is None else dataclasses.replace(entry, address=address)

    async def _load_scopes(self, scopes: Sequence[str], queue_alerts: bool) -> LoadReport:
        """load() restricted to a few paths: the states read and the files stat'ed are theirs only."""
        started = time.perf_counter()
        report = LoadReport()
        problems: list[str] = []
        entries = await asyncio.to_thread(scan_scopes, self.corpus_dir, scopes, problems)
        for problem in problems:
            self._skip(report, problem)
        states = await self.store.document_states_under(scopes)  # an indexed range per path
        todo = self._changed(entries, states, report)
        hashes = {e.rel: states[e.rel].sha256 for e in todo if e.rel in states}
        await self._parse_and_write(one_batch(todo), hashes, report, queue_alerts)
        found = {e.rel for e in entries}
        await self._remove([path for path in states if path not in found], report, queue_alerts)
        # Aliases follow the people present: only a change of items can change them.
        changed = bool(report.items_added or report.items_removed)
        await self._finish(report, started, f"load of {len(scopes)} changed path(s)", sync_aliases=changed)
        return report

    async def _remove(self, gone: list[str], report: LoadReport, queue_alerts: bool) -> None:
        """Documents whose file is gone lose their items (one transaction)."""
        if gone:
            result = await self.store.apply_changes([], sorted(gone), queue_alerts=queue_alerts)
            report.files_removed = len(gone)
            report.items_removed += result.items_removed

    async def _finish(self, report: LoadReport, started: float, what: str, *, sync_aliases: bool) -> None:
        if sync_aliases and self.lexicon.aliases:
            await self.store.sync_aliases(self.lexicon.aliases)
        stats = await self.store.stats()
        report.items_total, report.people, report.operations = stats.items, stats.people, stats.operations
        report.seconds = time.perf_counter() - started
        log.info(
            "%s: %d files read, %d unchanged, %d skipped, %d removed; items %d (+%d -%d), "
            "people %d, operations %d; %.2fs",
            what,
            report.files_read,
            report.files_unchanged,
            report.files_skipped,
            report.files_removed,
            report.items_total,
            report.items_added,
            report.items_removed,
            report.people,
            report.operations,
            report.seconds,
        )

    def _changed(
        self,
        entries: Sequence[FileEntry],
        states: dict[str, DocumentState],
        report: LoadReport,
        *,
        reread: bool = False,
    ) -> list[FileEntry]:
        """Files whose size or mtime differ from the stored ones (the hash decides later); with reread
        (the rules changed), every file."""
        todo = []
        for entry in entries:
            state = states.get(entry.rel)
            if state and not reread and state.size == entry.size and state.mtime_ns == entry.mtime_ns:
                report.files_unchanged += 1
            elif entry.size > self.max_file_bytes:
                self._skip(
                    report,
                    file_problem(
                        entry.rel, f"{entry.size} bytes is over the {self.max_file_bytes}-byte limit"
                    ),
                )
            else:
                todo.append(entry)
        return todo

    async def _parse_and_write(
        self,
        todo: AsyncIterator[list[FileEntry]],
        stored_hashes: dict[str, str],
        report: LoadReport,
        queue_alerts: bool,
        *,
        reread: bool = False,
    ) -> None:
        """Parse the files in batches (a process for big loads) and write each batch in one transaction.

        `todo` yields the files to read as the folder walk finds them, so a big load never holds
        the whole list. `stored_hashes`: the sha256 on record for files the store already has (same
        bytes: no parse); filled by the walk before it yields those files.
        """
        batches = rebatch(todo, self.batch_files)
        ahead: list[list[FileEntry]] = []  # `csto-bot load` looks ahead: does a parsing process pay?
        async for batch in batches:
            ahead.append(batch)
            if sum(map(len, ahead)) >= self.thread_below:
                break
        if not ahead:
            return
        in_thread = self.workers == 0 or sum(map(len, ahead)) < self.thread_below
        known = set(await self.store.known_person_names()) | set(self.lexicon.aliases.values())

        def parse(batch: list[FileEntry]) -> asyncio.Future[list[FileResult]]:
            batch = [self._with_address(e) for e in batch]
            known_bytes = {} if reread else stored_hashes  # reread: parse even the same bytes
            hashes = {e.rel: known_bytes[e.rel] for e in batch if e.rel in known_bytes}
            names = frozenset(known)
            if in_thread:
                loop = asyncio.get_running_loop()
                return loop.run_in_executor(
                    None, process_batch, batch, hashes, self.lexicon, names, self.max_file_bytes
                )
            return self._parsing_processes().parse(batch, hashes, names, self.max_file_bytes)

        async def next_batch() -> list[FileEntry] | None:
            if self._stop_requested:
                return None
            if ahead:
                return ahead.pop(0)
            return await anext(batches, None)

        # A batch is parsed knowing the people of every batch before it, and the next batch is parsed
        # while this one is written: the result depends on the batches, not on timing.
        parsing: asyncio.Future[list[FileResult]] | None = parse(ahead.pop(0))
        try:
            while parsing is not None:
                with self._lent_while_waiting():
                    results = await parsing
                parsing = None
                known.update(m.name for r in results for item in r.items or () for m in item.people)
                following = await next_batch()
                if following is not None:
                    parsing = parse(following)
                await self._write(results, stored_hashes, report, queue_alerts)
                del results  # the batch is written: its memory goes back to the system, not to the next
                await asyncio.to_thread(give_back_freed_memory)  # ctypes lets the GIL go meanwhile
        except BrokenProcessPool:  # a parsing process was killed (out of memory?): start afresh next time
            if self._processes is not None:
                self._processes.close()
                self._processes = None
            raise
        finally:
            if parsing is not None:
                parsing.cancel()

    def _lent_while_waiting(self) -> contextlib.AbstractContextManager[None]:
        """`csto-bot load` parses in this process too while it waits for a batch (see parse_here)."""
        if self._processes is None:
            return contextlib.nullcontext()
        return self._processes.lending_this_process()

    def _parsing_processes(self) -> ParsingProcesses:
        if self._processes is None:
            self._processes = ParsingProcesses(max(1, self.workers), self.lexicon, parse_here=self.parse_here)
        return self._processes

    async def _write(
        self, results: list[FileResult], stored_hashes: dict[str, str], report: LoadReport, queue_alerts: bool
    ) -> None:
        """Write a batch. A file whose bytes are those on record was parsed again only because the rules
        changed: its items are no news, so it is written in a transaction that queues no alert. A file
        the store marked to be read again (its address changed) may hold news, and what it says of the
        items it shares with other pages is rewritten (its date may come from the address)."""
        news: list[DocumentChange] = []
        readdressed: list[DocumentChange] = []
        reparsed: list[DocumentChange] = []
        for result in results:
            entry = result.entry
            stored_sha = stored_hashes.pop(entry.rel, None)
            if result.problem:
                self._skip(report, file_problem(entry.rel, result.problem))
            elif result.items is None:  # same bytes, new mtime: remember it, parse nothing
                await self.store.touch_document(entry.rel, entry.size, entry.mtime_ns)
                report.files_unchanged += 1
            else:
                change = DocumentChange(
                    entry.rel, entry.size, entry.mtime_ns, result.sha256 or "", result.items, result.url
                )
                if stored_sha == result.sha256:
                    reparsed.append(change)
                elif stored_sha == REREAD_SHA:
                    readdressed.append(change)
                else:
                    news.append(change)
        # (changes, their new items are news, stored items get what the page now says of them)
        groups = ((news, True, False), (readdressed, True, True), (reparsed, False, True))
        for changes, alerting, refresh in groups:
            if changes:
                applied = await self.store.apply_changes(
                    changes, queue_alerts=queue_alerts and alerting, refresh=refresh
                )
                report.files_read += len(changes)
                report.items_added += len(applied.new_item_ids)
                report.items_removed += applied.items_removed
                report.items_refreshed += applied.items_refreshed
                report.new_item_ids.extend(applied.new_item_ids)

    @staticmethod
    def _skip(report: LoadReport, problem: str) -> None:
        report.files_skipped += 1
        report.skipped.append(problem)
        log.warning("skipped %s", problem)
