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
device is skipped with one warning line naming it.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import multiprocessing
import os
import sqlite3
import stat
import time
from collections.abc import AsyncIterator, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bot.corpus
from bot.config import Settings
from bot.corpus.model import Lexicon
from bot.parse_worker import OUTSIDE, FileEntry, FileResult, file_kind, init_worker, inside, process_batch
from bot.records import LoadReport
from bot.store import DocumentChange, DocumentState, Store, StoreError

log = logging.getLogger(__name__)

IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".swp", "~", ".crdownload")
SCAN_CHUNK = 2_000  # files compared with their stored states at a time by a full load
PARALLEL_FROM_FILES = 400  # `csto-bot load`: below this a parsing process costs more to start than it saves
WORKER_BATCHES = 5  # batches a parsing process handles before it is replaced
RULES_DIR = Path(bot.corpus.__file__).resolve().parent
RULES_KEY = "rules"  # the store's meta key for the fingerprint of the rules its items were parsed with


class StoreFull(StoreError):
    """The database or its disk is full: the batch being written was rolled back, so its files are not
    marked as loaded and the next load (once there is room) reads them again. Raised by Loader.load and
    load_paths; a caller that runs beside the bot may retry later."""


@contextmanager
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


def printable(name: str) -> str:
    """A file name as a log line or a report may show it: control and invisible characters (a newline
    in a name would start a forged log line) and backslashes escaped as repr() escapes them."""
    return "".join(ch if ch.isprintable() and ch != "\\" else repr(ch)[1:-1] for ch in name)


def _problem(name: str, reason: str) -> str:
    """One skipped file, as the warning line and the load report name it."""
    return f"{printable(name)}: {reason}"


def rules_fingerprint(lexicon: Lexicon) -> str:
    """What stored parse results depend on: the corpus rules' source and the lexicon. When it changes
    (an upgrade, a curated alias), the next full load parses every page again, beside the bot."""
    digest = hashlib.sha256(repr(lexicon).encode())
    for path in sorted(RULES_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def is_candidate(name: str) -> bool:
    """Hidden files and a scraper's or editor's temporary files are not pages (yet)."""
    return not name.startswith(".") and not name.endswith(IGNORED_SUFFIXES)


def scan_corpus(root: Path, problems: list[str], under: str = "") -> Iterator[FileEntry]:
    """Every regular file below root, or below root/under (symlinked directories are not followed,
    so no loop). Entries are always named relative to root."""

    def on_error(exc: OSError) -> None:
        problems.append(_problem(str(exc.filename), exc.strerror or str(exc)))

    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root / under, followlinks=False, onerror=on_error):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if is_candidate(name):
                entry = _file_entry(root, real_root, Path(dirpath, name), problems)
                if entry is not None:
                    yield entry


def _file_entry(root: Path, real_root: str, path: Path, problems: list[str]) -> FileEntry | None:
    """The scan's view of one file: a symlinked file counts if its real path is inside the folder (its
    target's size and mtime); a link out of it, or anything not a regular file, is a skipped file."""
    rel = path.relative_to(root).as_posix()
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            if not inside(real_root, os.path.realpath(path)):
                problems.append(_problem(rel, OUTSIDE))
                return None
            st = path.stat()
    except OSError as exc:
        problems.append(_problem(rel, exc.strerror or str(exc)))
        return None
    if not stat.S_ISREG(st.st_mode):
        problems.append(_problem(rel, f"{file_kind(st.st_mode)}, not a page"))
        return None
    return FileEntry(root, rel, st.st_size, st.st_mtime_ns)


def scan_path(root: Path, rel: str, problems: list[str]) -> list[FileEntry]:
    """What scan_corpus(root) would find at root/rel or below it, without walking the rest.

    A missing path finds nothing (so its documents go); a folder is walked; a symlinked folder is
    not followed, as os.walk does not follow it.
    """
    path = root / rel
    try:
        st = path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        problems.append(_problem(rel, exc.strerror or str(exc)))
        return []
    if stat.S_ISDIR(st.st_mode):
        return list(scan_corpus(root, problems, rel))
    if stat.S_ISLNK(st.st_mode) and path.is_dir():
        return []
    entry = _file_entry(root, os.path.realpath(root), path, problems) if is_candidate(path.name) else None
    return [entry] if entry is not None else []


def _take(entries: Iterator[FileEntry], count: int) -> list[FileEntry]:
    """The next `count` entries of a scan (run in a thread: the scan stats files)."""
    return list(itertools.islice(entries, count))


async def _yield_once(entries: list[FileEntry]) -> AsyncIterator[list[FileEntry]]:
    yield entries


async def _rebatch(chunks: AsyncIterator[list[FileEntry]], size: int) -> AsyncIterator[list[FileEntry]]:
    """The entries of `chunks`, regrouped into lists of `size` (the last may be shorter)."""
    pending: list[FileEntry] = []
    async for chunk in chunks:
        pending.extend(chunk)
        while len(pending) >= size:
            yield pending[:size]
            pending = pending[size:]
    if pending:
        yield pending


def walk_order(rel: str) -> tuple[tuple[int, str], ...]:
    """Sort key giving scan_corpus's order: a folder's files (sorted) before its sub-folders (sorted).
    Item ids are handed out in load order, so a partial load keeps the full load's order."""
    *folders, name = rel.split("/")
    return (*((1, f) for f in folders), (0, name))


def relative_path(root: Path, path: str | os.PathLike[str]) -> str | None:
    """`path` named as the loader names documents (posix, relative to root); None outside root.

    The watcher reports paths under the folder as it was given; a symlinked corpus folder may also
    show up resolved, hence the second try (the parent resolved, never the file itself).
    """
    absolute = Path(os.path.abspath(path))
    rel = _relative_to(absolute, Path(os.path.abspath(root)))
    if rel is None:
        rel = _relative_to(Path(os.path.realpath(absolute.parent), absolute.name), root.resolve())
    return rel


def _relative_to(path: Path, base: Path) -> str | None:
    try:
        rel = path.relative_to(base).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def ancestors(rel: str) -> Iterator[str]:
    """The folders a document path lies in, outermost first: "a/b/c.txt" -> "a", "a/b"."""
    parts = rel.split("/")
    for n in range(1, len(parts)):
        yield "/".join(parts[:n])


def reachable(root: Path, rel: str) -> bool:
    """Whether scan_corpus could ever reach root/rel: no hidden part, no symlinked folder on the way."""
    if rel == "":
        return True
    if any(part.startswith(".") for part in rel.split("/")):
        return False
    return not any(os.path.islink(root / folder) for folder in ancestors(rel))


def path_scopes(root: Path, paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Reported paths as document paths the scan could reach, minus those inside another reported
    path (walking that one covers them). [""] means the corpus folder itself."""
    rels: set[str] = set()
    for path in paths:
        rel = relative_path(root, path)
        if rel is not None and reachable(root, rel):
            rels.add(rel)
    if "" in rels:
        return [""]
    return sorted(rel for rel in rels if not any(folder in rels for folder in ancestors(rel)))


def scan_scopes(root: Path, scopes: Sequence[str], problems: list[str]) -> list[FileEntry]:
    """Every file scan_corpus would find in these scopes, in its order."""
    entries = [entry for scope in scopes for entry in scan_path(root, scope, problems)]
    return sorted(entries, key=lambda entry: walk_order(entry.rel))


class ParsingProcesses:
    """Parsing processes kept from one load to the next, so a watcher's load of one page waits for no
    process start. A batch is split among them. Each process is replaced every few tasks (a parser's
    heap only grows) and ends by itself when this process dies (see parse_worker.exit_with_parent)."""

    def __init__(self, count: int, lexicon: Lexicon) -> None:
        self.count = count
        self._lexicon = lexicon
        self._pool: ProcessPoolExecutor | None = None

    def parse(
        self, batch: Sequence[FileEntry], hashes: dict[str, str], known: frozenset[str], max_bytes: int
    ) -> asyncio.Future[list[FileResult]]:
        """Results of the batch in its order; the work starts now, the caller awaits it when it needs it."""
        pool = self._pool or self._start()
        loop = asyncio.get_running_loop()
        size = -(-len(batch) // self.count)
        parts = [
            loop.run_in_executor(pool, process_batch, batch[i : i + size], hashes, None, known, max_bytes)
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
                    scopes = await asyncio.to_thread(path_scopes, self.corpus_dir, list(paths))
                    if scopes == [""] or not self.corpus_dir.is_dir():
                        return await self._load(queue_alerts)  # the folder itself changed: look at all of it
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
            self._skip(report, _problem(str(self.corpus_dir), "the corpus folder does not exist"))
        problems: list[str] = []
        stored_hashes: dict[str, str] = {}
        walk = scan_corpus(self.corpus_dir, problems) if folder_ok else iter(())
        await self.store.begin_scan()
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
            while chunk := await asyncio.to_thread(_take, walk, SCAN_CHUNK):
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
        await self._parse_and_write(_yield_once(todo), hashes, report, queue_alerts)
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
                    _problem(entry.rel, f"{entry.size} bytes is over the {self.max_file_bytes}-byte limit"),
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
        batches = _rebatch(todo, self.batch_files)
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
                results = await parsing
                parsing = None
                known.update(m.name for r in results for item in r.items or () for m in item.people)
                following = await next_batch()
                if following is not None:
                    parsing = parse(following)
                await self._write(results, stored_hashes, report, queue_alerts)
        except BrokenProcessPool:  # a parsing process was killed (out of memory?): start afresh next time
            if self._processes is not None:
                self._processes.close()
                self._processes = None
            raise
        finally:
            if parsing is not None:
                parsing.cancel()

    def _parsing_processes(self) -> ParsingProcesses:
        if self._processes is None:
            self._processes = ParsingProcesses(max(1, self.workers), self.lexicon)
        return self._processes

    async def _write(
        self, results: list[FileResult], stored_hashes: dict[str, str], report: LoadReport, queue_alerts: bool
    ) -> None:
        """Write a batch. A file whose bytes are those on record was parsed again only because the rules
        changed: its items are no news, so it is written in a transaction that queues no alert."""
        news: list[DocumentChange] = []
        reparsed: list[DocumentChange] = []
        for result in results:
            entry = result.entry
            stored_sha = stored_hashes.pop(entry.rel, None)
            if result.problem:
                self._skip(report, _problem(entry.rel, result.problem))
            elif result.items is None:  # same bytes, new mtime: remember it, parse nothing
                await self.store.touch_document(entry.rel, entry.size, entry.mtime_ns)
                report.files_unchanged += 1
            else:
                change = DocumentChange(
                    entry.rel, entry.size, entry.mtime_ns, result.sha256 or "", result.items
                )
                (reparsed if stored_sha == result.sha256 else news).append(change)
        for changes, again in ((news, False), (reparsed, True)):
            if changes:
                applied = await self.store.apply_changes(
                    changes, queue_alerts=queue_alerts and not again, refresh=again
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
