"""Files -> corpus rules -> store. Incremental by (size, mtime, content hash), streamed in batches.

Only new or changed files are parsed; a batch of files is written in one transaction, so a crash
leaves every file either wholly loaded or wholly absent (and then re-loaded next time).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.corpus import UndecodableError, decode_page, parse_page
from bot.corpus.model import Lexicon
from bot.records import LoadReport
from bot.store import DocumentChange, DocumentState, Store

log = logging.getLogger(__name__)

IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".swp", "~", ".crdownload")


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: Path
    rel: str
    size: int
    mtime_ns: int


def is_candidate(name: str) -> bool:
    """Hidden files and a scraper's or editor's temporary files are not pages (yet)."""
    return not name.startswith(".") and not name.endswith(IGNORED_SUFFIXES)


def scan_corpus(root: Path, skipped: list[str]) -> Iterator[FileEntry]:
    """Every regular file below root (symlinked directories are not followed, so no loop)."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=lambda e: skipped.append(
        f"{e.filename}: {e.strerror}"
    )):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not is_candidate(name):
                continue
            path = Path(dirpath, name)
            try:
                st = path.stat()
            except OSError as exc:
                skipped.append(f"{path.relative_to(root).as_posix()}: {exc.strerror or exc}")
                continue
            if not path.is_file():
                continue
            yield FileEntry(path, path.relative_to(root).as_posix(), st.st_size, st.st_mtime_ns)


@dataclass(slots=True)
class _Read:
    entry: FileEntry
    sha256: str | None = None
    text: str | None = None
    problem: str | None = None


@dataclass(slots=True)
class Loader:
    """Loads the corpus folder into the store; one load at a time (start-up and watcher share it)."""

    store: Store
    corpus_dir: Path
    lexicon: Lexicon
    max_file_bytes: int = 5_000_000
    batch_files: int = 200
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def load(self, *, queue_alerts: bool = True) -> LoadReport:
        async with self._lock:
            return await self._load(queue_alerts)

    async def _load(self, queue_alerts: bool) -> LoadReport:
        started = time.perf_counter()
        report = LoadReport()
        if not self.corpus_dir.is_dir():
            log.warning("corpus folder %s does not exist; nothing loaded", self.corpus_dir)
            report.skipped.append(f"{self.corpus_dir}: not a folder")
        states = await self.store.document_states()
        known = set(await self.store.known_person_names()) | set(self.lexicon.aliases.values())
        seen: set[str] = set()
        scan_problems: list[str] = []
        entries = await asyncio.to_thread(
            lambda: list(scan_corpus(self.corpus_dir, scan_problems)) if self.corpus_dir.is_dir() else []
        )
        for problem in scan_problems:
            self._skip(report, problem)
        todo: list[FileEntry] = []
        for entry in entries:
            seen.add(entry.rel)
            state = states.get(entry.rel)
            if state and state.size == entry.size and state.mtime_ns == entry.mtime_ns:
                report.files_unchanged += 1
            elif entry.size > self.max_file_bytes:
                self._skip(report, f"{entry.rel}: {entry.size} bytes is over the {self.max_file_bytes}-byte limit")
            else:
                todo.append(entry)
        for batch in _batched(todo, self.batch_files):
            reads = await asyncio.to_thread(self._read_batch, batch, states)
            changes = []
            for read in reads:
                if read.problem:
                    self._skip(report, f"{read.entry.rel}: {read.problem}")
                elif read.text is None:  # same content, new mtime
                    await self.store.touch_document(read.entry.rel, read.entry.size, read.entry.mtime_ns)
                    report.files_unchanged += 1
            parsed = [r for r in reads if r.text is not None and r.problem is None]
            for read in parsed:
                page = parse_page(read.text or "", self.lexicon, known)
                known.update(m.name for item in page.items for m in item.people)
                changes.append(
                    DocumentChange(read.entry.rel, read.entry.size, read.entry.mtime_ns, read.sha256 or "", page.items)
                )
            if changes:
                result = await self.store.apply_changes(changes, queue_alerts=queue_alerts)
                report.files_read += len(changes)
                report.items_added += len(result.new_item_ids)
                report.items_removed += result.items_removed
                report.new_item_ids.extend(result.new_item_ids)
        gone = sorted(set(states) - seen)
        if gone and self.corpus_dir.is_dir():
            result = await self.store.apply_changes([], gone, queue_alerts=queue_alerts)
            report.files_removed = len(gone)
            report.items_removed += result.items_removed
        if self.lexicon.aliases:
            await self.store.sync_aliases(self.lexicon.aliases)
        stats = await self.store.stats()
        report.items_total, report.people, report.operations = stats.items, stats.people, stats.operations
        report.seconds = time.perf_counter() - started
        log.info(
            "corpus load: %d files read, %d unchanged, %d skipped, %d removed; items %d (+%d -%d), "
            "people %d, operations %d; %.2fs",
            report.files_read, report.files_unchanged, report.files_skipped, report.files_removed,
            report.items_total, report.items_added, report.items_removed, report.people, report.operations,
            report.seconds,
        )
        return report

    @staticmethod
    def _skip(report: LoadReport, problem: str) -> None:
        report.files_skipped += 1
        report.skipped.append(problem)
        log.warning("skipped %s", problem)

    def _read_batch(self, batch: list[FileEntry], states: dict[str, DocumentState]) -> list[_Read]:
        """Runs in a worker thread: file reads and hashing never block the event loop."""
        reads = []
        for entry in batch:
            read = _Read(entry)
            try:
                with entry.path.open("rb") as fh:
                    data = fh.read(self.max_file_bytes + 1)
            except OSError as exc:
                read.problem = f"unreadable ({exc.strerror or exc})"
                reads.append(read)
                continue
            if len(data) > self.max_file_bytes:
                read.problem = f"grew over the {self.max_file_bytes}-byte limit while being read"
                reads.append(read)
                continue
            read.sha256 = hashlib.sha256(data).hexdigest()
            state = states.get(entry.rel)
            if state is not None and state.sha256 == read.sha256:
                reads.append(read)  # text stays None: only the mtime changed
                continue
            try:
                read.text = decode_page(data)
            except UndecodableError as exc:
                read.problem = str(exc)
            reads.append(read)
        return reads


def _batched(entries: list[FileEntry], size: int) -> Iterable[list[FileEntry]]:
    for start in range(0, len(entries), size):
        yield entries[start : start + size]
