"""The corpus folder as the loader sees it: which files are pages, found safely, and how a path the
watcher reports maps to the documents it may touch.

Only regular files inside the folder count: a symlinked file counts when its real path is inside the
folder, a link out of it, a FIFO or a device is a skipped file with a reason (never opened here; the
parsing side opens each page with parse_worker's link-refusing reader). Names are untrusted, so
printable() is how any of them reaches a log line or a report. Apart from the Loader because these
rules are about paths and the file system, not about parsing or the store.

The folder's MANIFEST.tsv (page -> web address) is no page: it is read here, as untrusted as a page
(bounded, through the same link-refusing reader), into a mapping for files inside the folder only."""

from __future__ import annotations

import itertools
import logging
import os
import posixpath
import re
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from bot.parse_worker import OUTSIDE, FileEntry, UnsafeFileError, file_kind, inside, read_inside, web_address

log = logging.getLogger("bot.loader")  # the manifest's warnings are the load's
IGNORED_SUFFIXES = (".tmp", ".part", ".partial", ".swp", "~", ".crdownload")
MANIFEST_NAME = "MANIFEST.tsv"  # at the top of the corpus folder: page addresses, never a page
# Notes that describe the corpus or one of its folders (a README, a licence): documentation of the
# collection, never a page of it.
_FOLDER_NOTE = re.compile(r"(?:readme|licen[cs]e|copying)(?:\.(?:md|txt|rst))?", re.IGNORECASE)
MANIFEST_MAX_BYTES = 8_000_000  # a bigger manifest links nothing (at ~100 bytes a row: 80k pages)
MANIFEST_LOGGED_ROWS = 20  # bad rows logged one by one; the rest are counted in one line


def printable(name: str) -> str:
    """A file name as a log line or a report may show it: control and invisible characters (a newline
    in a name would start a forged log line) and backslashes escaped as repr() escapes them."""
    return "".join(ch if ch.isprintable() and ch != "\\" else repr(ch)[1:-1] for ch in name)


def file_problem(name: str, reason: str) -> str:
    """One skipped file, as the warning line and the load report name it."""
    return f"{printable(name)}: {reason}"


def is_folder_note(rel: str) -> bool:
    """The manifest, or a README/licence in any folder: about the corpus, not in it."""
    return rel == MANIFEST_NAME or _FOLDER_NOTE.fullmatch(posixpath.basename(rel)) is not None


def is_candidate(name: str) -> bool:
    """Hidden files and a scraper's or editor's temporary files are not pages (yet)."""
    return not name.startswith(".") and not name.endswith(IGNORED_SUFFIXES)


def scan_corpus(root: Path, problems: list[str], under: str = "") -> Iterator[FileEntry]:
    """Every regular file below root, or below root/under (symlinked directories are not followed,
    so no loop). Entries are always named relative to root."""

    def on_error(exc: OSError) -> None:
        problems.append(file_problem(str(exc.filename), exc.strerror or str(exc)))

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
    if is_folder_note(rel):
        return None
    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            if not inside(real_root, os.path.realpath(path)):
                problems.append(file_problem(rel, OUTSIDE))
                return None
            st = path.stat()
    except OSError as exc:
        problems.append(file_problem(rel, exc.strerror or str(exc)))
        return None
    if not stat.S_ISREG(st.st_mode):
        problems.append(file_problem(rel, f"{file_kind(st.st_mode)}, not a page"))
        return None
    return FileEntry(root, rel, st.st_size, st.st_mtime_ns)


def manifest_path(text: str) -> str | None:
    """A MANIFEST row's file as a document path (posix, relative to the folder), or None when it names
    nothing a load could hold: empty, absolute, leading out of the folder, hidden, the manifest."""
    if not text or "\\" in text or not text.isprintable() or text.startswith("/"):
        return None
    rel = posixpath.normpath(text)
    parts = rel.split("/")
    if rel == MANIFEST_NAME or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    return rel


def parse_manifest(data: bytes) -> tuple[dict[str, str], list[str]]:
    """MANIFEST.tsv's mapping of document paths to web addresses, and its bad rows as "line N: why".

    Tab-separated, a header line naming at least the columns `file` and `url` (others are ignored).
    The file is untrusted: a row is only a mapping, kept when its file is a path inside the folder
    and its URL a checked http(s) address (parse_worker.web_address); a file listed twice keeps its
    first row. A manifest without the two columns maps nothing."""
    lines = data.decode("utf-8-sig", errors="replace").splitlines()
    header = [name.strip().lower() for name in lines[0].split("\t")] if lines else []
    if "file" not in header or "url" not in header:
        return {}, ["line 1: no header naming the columns file and url"]
    file_at, url_at = header.index("file"), header.index("url")
    mapping: dict[str, str] = {}
    bad: list[str] = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) <= max(file_at, url_at):
            bad.append(f"line {number}: fewer columns than the header")
            continue
        rel = manifest_path(cells[file_at].strip())
        url = web_address(cells[url_at])
        if rel is None:
            bad.append(f"line {number}: {printable(cells[file_at][:100])!r} is no file inside the folder")
        elif url is None:
            bad.append(f"line {number}: {printable(cells[url_at][:100])!r} is no http(s) address")
        elif rel in mapping:
            bad.append(f"line {number}: {printable(rel[:100])} is listed twice (the first row counts)")
        else:
            mapping[rel] = url
    return mapping, bad


def read_manifest(root: Path, limit: int = MANIFEST_MAX_BYTES) -> dict[str, str]:
    """The folder's page addresses (parse_manifest) read safely; {} when there is no manifest, and
    {} with one warning line when it cannot be used (too big, unreadable, a link out of the folder).
    Each bad row is skipped with a warning line (the first MANIFEST_LOGGED_ROWS; then one line counts
    the rest). Runs in a thread: it reads a file."""
    try:
        data = read_inside(root, MANIFEST_NAME, limit + 1)
    except FileNotFoundError:
        return {}
    except UnsafeFileError as exc:
        log.warning("%s not read: %s; no page is linked to an address from it", MANIFEST_NAME, exc.reason)
        return {}
    except OSError as exc:
        reason = exc.strerror or exc
        log.warning("%s unreadable (%s); no page is linked to an address from it", MANIFEST_NAME, reason)
        return {}
    if len(data) > limit:
        log.warning("%s is over the %d-byte limit; no page is linked to its address", MANIFEST_NAME, limit)
        return {}
    mapping, bad = parse_manifest(data)
    for problem in bad[:MANIFEST_LOGGED_ROWS]:
        log.warning("%s %s: row skipped", MANIFEST_NAME, problem)
    if len(bad) > MANIFEST_LOGGED_ROWS:
        log.warning("%s: %d more bad rows skipped", MANIFEST_NAME, len(bad) - MANIFEST_LOGGED_ROWS)
    return mapping


def manifest_state(root: Path) -> tuple[int, int, int] | None:
    """What tells a changed manifest from the one last read; None when there is none to stat."""
    try:
        st = os.stat(root / MANIFEST_NAME)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


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
        problems.append(file_problem(rel, exc.strerror or str(exc)))
        return []
    if stat.S_ISDIR(st.st_mode):
        return list(scan_corpus(root, problems, rel))
    if stat.S_ISLNK(st.st_mode) and path.is_dir():
        return []
    entry = _file_entry(root, os.path.realpath(root), path, problems) if is_candidate(path.name) else None
    return [entry] if entry is not None else []


def take(entries: Iterator[FileEntry], count: int) -> list[FileEntry]:
    """The next `count` entries of a scan (run in a thread: the scan stats files)."""
    return list(itertools.islice(entries, count))


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
