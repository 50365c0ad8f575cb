"""What a parsing process runs: read, hash, decode and parse a batch of files.

Why a module of its own: a process spawned for parsing imports the module of the function it runs,
so this one imports only the corpus rules (no store, no asyncio, no Telegram), and a parsing process
starts with far less memory than one that imports the bot.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.corpus import UndecodableError, decode_page, parse_page
from bot.corpus.model import Lexicon, ParsedItem


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file found by the scan. The root is one shared object: on a big folder a Path per entry
    would cost much memory for nothing."""

    root: Path
    rel: str
    size: int
    mtime_ns: int

    @property
    def path(self) -> Path:
        return self.root / self.rel


@dataclass(frozen=True, slots=True)
class FileResult:
    """What reading and parsing one file gave: items, or "same content", or a problem."""

    entry: FileEntry
    sha256: str | None = None
    items: tuple[ParsedItem, ...] | None = None  # None with no problem: content unchanged
    problem: str | None = None


_worker_lexicon: Lexicon | None = None


def init_worker(lexicon: Lexicon) -> None:
    """Each parsing process receives the lexicon once: the rules cache their compiled form (and what
    they learn page after page) per Lexicon object, so one object must serve every batch."""
    global _worker_lexicon
    _worker_lexicon = lexicon


def process_batch(
    batch: Sequence[FileEntry],
    old_hashes: dict[str, str],
    lexicon: Lexicon | None,
    known: frozenset[str],
    max_bytes: int,
) -> list[FileResult]:
    """Read, hash, decode and parse files. Runs in a worker thread or process, never on the loop.

    lexicon None: the one this worker process was started with.
    """
    lexicon = lexicon or _worker_lexicon or Lexicon()
    results = []
    for entry in batch:
        try:
            with entry.path.open("rb") as fh:
                data = fh.read(max_bytes + 1)
        except OSError as exc:
            results.append(FileResult(entry, problem=f"unreadable ({exc.strerror or exc})"))
            continue
        if len(data) > max_bytes:
            results.append(
                FileResult(entry, problem=f"grew over the {max_bytes}-byte limit while being read")
            )
            continue
        sha = hashlib.sha256(data).hexdigest()
        if old_hashes.get(entry.rel) == sha:
            results.append(FileResult(entry, sha))
            continue
        try:
            text = decode_page(data)
        except UndecodableError as exc:
            results.append(FileResult(entry, sha, problem=str(exc)))
            continue
        try:
            items = parse_page(text, lexicon, known).items
        except Exception as exc:  # noqa: BLE001 - a rule's bug on one odd page must not stop the others
            results.append(FileResult(entry, sha, problem=f"could not be parsed ({type(exc).__name__}: {exc})"))
            continue
        results.append(FileResult(entry, sha, items))
    return results
