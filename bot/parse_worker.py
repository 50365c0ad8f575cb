"""What a parsing process runs: read, hash, decode and parse a batch of files.

Why a module of its own: a process spawned for parsing imports the module of the function it runs,
so this one imports only the corpus rules (no store, no asyncio, no Telegram), and a parsing process
starts with far less memory than one that imports the bot.

Corpus files are untrusted: a file is read only if it is a regular file whose real path lies inside
the corpus folder (a symlink to /proc/self/environ or /etc/passwd is refused, a FIFO is never opened),
and a parsing process ends when the process that started it dies (`kill -9` leaves no orphan).
"""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import hashlib
import os
import pickle
import signal
import stat
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.corpus import UndecodableError, decode_page, parse_page
from bot.corpus.model import Lexicon, ParsedItem
from bot.corpus.stems import stem_text
from bot.heap import collect_for_loading, give_back_freed_memory


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file found by the scan. The root is one shared object: on a big folder a Path per entry
    would cost much memory for nothing."""

    root: Path
    rel: str
    size: int
    mtime_ns: int
    address: str | None = None  # the folder's MANIFEST.tsv address for it; the page's own first line wins

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
    url: str | None = None  # the page's address, when its first line is one (see page_address)


class UnsafeFileError(OSError):
    """A corpus path that must not be read: a link out of the folder, or no regular file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


OUTSIDE = "a link to a path outside the corpus folder"
CHANGED = "it changed while being read"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: should a FIFO take the file's place between the check and the open, opening it does
# not wait for a writer (the fstat then refuses it).
_FILE_FLAGS = (
    os.O_RDONLY
    | _NOFOLLOW
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, for the warning that skips it."""
    for test, kind in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def inside(real_root: str, real_path: str) -> bool:
    """Whether a resolved path lies in the resolved corpus folder (the folder itself is no file)."""
    return real_path != real_root and os.path.commonpath((real_root, real_path)) == real_root


def read_inside(root: Path, rel: str, limit: int, real_root: str | None = None) -> bytes:
    """Up to `limit` bytes of root/rel, only if it is a regular file inside root (following links that
    stay inside). The real path is opened one component at a time with O_NOFOLLOW from the folder's
    own descriptor, so a folder or file swapped for a link after the check cannot lead outside, and the
    file is checked by fstat after the open. Raises UnsafeFileError or OSError.

    A path with no link on the way (nearly every page) is opened as it is written; only one that meets a
    link is resolved first and checked to stay inside. `real_root`: root's real path, when the caller
    already has it (a batch resolves its folder once)."""
    real_root = real_root or os.path.realpath(root)
    parts = rel.split(os.sep)
    if "" not in parts and "." not in parts and ".." not in parts:
        try:
            return _read_components(real_root, parts, limit, links=_LinkOnTheWay)
        except _LinkOnTheWay:
            pass  # resolve it, below
    real = os.path.realpath(os.path.join(real_root, rel))
    if not inside(real_root, real):
        raise UnsafeFileError(OUTSIDE)
    return _read_components(real_root, Path(real).relative_to(real_root).parts, limit, links=UnsafeFileError)


class _LinkOnTheWay(Exception):
    """A path read as written met a link (or something else than a folder where one was expected)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)


def _read_components(
    real_root: str, parts: Sequence[str], limit: int, *, links: type[UnsafeFileError | _LinkOnTheWay]
) -> bytes:
    """Open real_root/parts one component at a time, never following a link: meeting one raises `links`."""
    *folders, name = parts
    opened: list[int] = []
    try:
        opened.append(os.open(real_root, _DIR_FLAGS))
        for folder in folders:
            opened.append(_open_at(folder, _DIR_FLAGS, opened[-1], links))
        before = os.stat(name, dir_fd=opened[-1], follow_symlinks=False)
        if stat.S_ISLNK(before.st_mode):
            raise links(CHANGED)
        if not stat.S_ISREG(before.st_mode):
            raise UnsafeFileError(file_kind(before.st_mode))
        fd = _open_at(name, _FILE_FLAGS, opened[-1], links)
        opened.append(fd)
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise UnsafeFileError(CHANGED)
        return _read_up_to(fd, limit, after.st_size)
    finally:
        for fd in opened:
            os.close(fd)


READ_PIECE = 1 << 16


def _read_up_to(fd: int, limit: int, size: int) -> bytes:
    """Up to `limit` bytes from fd, in pieces of the file's size as fstat gave it plus one (a page is
    read whole by one call), at least READ_PIECE. A buffer of the limit (megabytes), allocated and shrunk
    for every small page, cost more than reading it; a file that grew since the fstat is read to its end."""
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, max(size + 1, READ_PIECE)))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _open_at(name: str, flags: int, dir_fd: int, links: type[UnsafeFileError | _LinkOnTheWay]) -> int:
    """One path component below an open folder; a link there (ELOOP, ENOTDIR) raises `links`: the tree
    changed since the check, or (a path read as written) it is to be resolved first."""
    try:
        return os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # a link where a folder or file was expected
            raise links(CHANGED) from exc
        raise


MAX_URL_CHARS = 2048  # a longer "address" is no page's address
WEB_SCHEMES = ("http", "https")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
# What may stay as it is in a link; anything else (a non-ASCII letter of a path) is percent-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]~_"


def web_address(text: str) -> str | None:
    """`text` as a link target a reply may carry, or None: only an absolute http(s) URL with a plain
    host name (IDNA for a non-ASCII one), no spaces or control characters, at most MAX_URL_CHARS
    long once non-ASCII characters are percent-encoded. Corpus files are untrusted: "javascript:",
    "data:" or a relative path never becomes a link."""
    text = text.strip()
    if not text or len(text) > MAX_URL_CHARS or any(ch.isspace() or not ch.isprintable() for ch in text):
        return None
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except (ValueError, UnicodeError):
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not ascii_host or parts.username or parts.password:
        return None
    if not set(ascii_host) <= _HOST_CHARS or ascii_host.startswith((".", "-")) or ".." in ascii_host:
        return None
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    path = urllib.parse.urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    rest = urllib.parse.quote(path, _URL_SAFE)
    url = f"{parts.scheme.lower()}://{netloc}{rest}"
    return url if len(url) <= MAX_URL_CHARS else None


def page_address(text: str) -> tuple[str | None, str]:
    """(the page's address, the text without it) when the page's first line is an http(s) URL and
    nothing else; else (None, text). The address line is no part of any item's text."""
    stripped = text.lstrip()
    first, _, rest = stripped.partition("\n")
    url = web_address(first) if first.strip() else None
    return (url, rest) if url is not None else (None, text)


_worker_lexicon: Lexicon | None = None
PARENT_POLL_SECONDS = 0.5  # how often a parsing process checks that its parent is alive
PR_SET_PDEATHSIG = 1


def init_worker(lexicon: Lexicon, parent_pid: int) -> None:
    """Each parsing process receives the lexicon once: the rules cache their compiled form (and what
    they learn page after page) per Lexicon object, so one object must serve every batch.

    It also ends itself when its parent dies, whatever the way (kill -9 included)."""
    global _worker_lexicon
    _worker_lexicon = lexicon
    collect_for_loading()
    exit_with_parent(parent_pid)


def exit_with_parent(parent_pid: int) -> None:
    """End this process when `parent_pid` is no longer its parent: a thread polls os.getppid() (any
    POSIX system), and on Linux the kernel also sends SIGKILL at once (PR_SET_PDEATHSIG), which works
    even while a long regex holds the interpreter. Its orphaned resource tracker then ends by itself:
    the last holder of its pipe is gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the polling thread alone does it
            pass
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)  # no clean-up to do: the parent that would receive the results is gone

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def with_stems(item: ParsedItem) -> ParsedItem:
    """The item with its search stems, which the store indexes beside its words."""
    return dataclasses.replace(item, headline_stems=stem_text(item.headline), body_stems=stem_text(item.body))


# The heap is given back to the system after this many bytes of pages parsed, about a batch of the
# loader's: after every piece it cost ~5 % of a load (the trim, then the faults that grow the heap again).
TRIM_AFTER_BYTES = 1 << 20
_parsed_since_trim = 0  # bytes; per process (threads of one process share one heap)


def _parsed(size: int) -> None:
    """Count `size` bytes parsed and give freed memory back once TRIM_AFTER_BYTES have been."""
    global _parsed_since_trim
    _parsed_since_trim += size
    if _parsed_since_trim >= TRIM_AFTER_BYTES:
        _parsed_since_trim = 0
        give_back_freed_memory()


# The known names of the batch this process last took a piece of, as the loader pickled them: a batch's
# pieces all carry the same bytes, so a process unpickles (and hashes) its thousands of names once a batch.
_known_of_batch: tuple[bytes, frozenset[str]] = (b"", frozenset())


def pickled_names(names: frozenset[str]) -> bytes:
    """The known names as a batch's pieces carry them to the parsing processes (see process_piece)."""
    return pickle.dumps(names, protocol=pickle.HIGHEST_PROTOCOL)


def process_piece(
    piece: Sequence[FileEntry], old_hashes: dict[str, str], known_pickled: bytes, max_bytes: int
) -> list[FileResult]:
    """process_batch in a parsing process, for one piece of a batch; the known names come as
    pickled_names made them, once for the whole batch."""
    global _known_of_batch
    if _known_of_batch[0] != known_pickled:
        _known_of_batch = (known_pickled, pickle.loads(known_pickled))  # noqa: S301 - our own parent's bytes
    return process_batch(piece, old_hashes, None, _known_of_batch[1], max_bytes)


def process_batch(
    batch: Sequence[FileEntry],
    old_hashes: dict[str, str],
    lexicon: Lexicon | None,
    known: frozenset[str],
    max_bytes: int,
) -> list[FileResult]:
    """Read, hash, decode and parse files, and make each item's search stems (with the parse, so the
    store's writer does nothing but write). Runs in a worker thread or process, never on the loop.

    lexicon None: the one this worker process was started with.
    """
    lexicon = lexicon or _worker_lexicon or Lexicon()
    results = []
    real_roots: dict[Path, str] = {}  # each folder resolved once a batch
    for entry in batch:
        try:
            real_root = real_roots.get(entry.root) or real_roots.setdefault(
                entry.root, os.path.realpath(entry.root)
            )
            data = read_inside(entry.root, entry.rel, max_bytes + 1, real_root)
        except UnsafeFileError as exc:
            results.append(FileResult(entry, problem=f"not read: {exc.reason}"))
            continue
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
        url, text = page_address(text)
        try:
            parsed = parse_page(text, lexicon, known, address=url or entry.address)
            items = tuple(map(with_stems, parsed.items))
        except Exception as exc:  # noqa: BLE001 - a rule's bug on one odd page must not stop the others
            results.append(
                FileResult(entry, sha, problem=f"could not be parsed ({type(exc).__name__}: {exc})")
            )
            continue
        results.append(FileResult(entry, sha, items, url=url))
        _parsed(len(data))
    return results
