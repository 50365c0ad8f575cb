"""Is the database usable, and if not, what should the user do: damaged (run `csto-bot rebuild`),
read-only (the folder or the file, and why), or not a database at all.

SQLite reports damage only when a query happens to read a damaged page, so a zeroed stretch of the
file can go unnoticed by `load` (it compares documents, which may be intact); `PRAGMA quick_check`
reads every page and checks the b-tree structure (not index contents, which integrity_check does at
several times the cost).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

REBUILD_COMMAND = "csto-bot rebuild"
SQLITE_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_ROWS = 5  # problems quoted from quick_check's answer (it lists up to 100)
# SQLite's primary result codes for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB) and for writes it
# may not make (SQLITE_READONLY, SQLITE_CANTOPEN: e.g. the -wal beside the file cannot be created).
_CORRUPT, _NOTADB, _READONLY, _CANTOPEN = 11, 26, 8, 14


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def is_corruption(exc: BaseException) -> bool:
    """A damaged database file ("database disk image is malformed", "file is not a database")."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    text = str(exc).lower()
    return _code(exc) in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text


def corruption_message(path: Path, detail: str) -> str:
    detail = " ".join(detail.split())[:200]
    return (
        f"the database {path} is damaged ({detail}). Stop the bot and run `{REBUILD_COMMAND}`: it builds a new "
        "database from the corpus, keeps the subscriptions it can read, and keeps the damaged file as "
        f"{path.name}.corrupt-<time>."
    )


def not_a_database_message(path: Path, detail: str) -> str:
    return (
        f"{path} is not a usable SQLite database ({detail}). If it is another program's file, point CSTO_DB_PATH "
        f"(or --db) at another file: csto-bot will not overwrite it. If it was csto-bot's database and got "
        f"damaged, `{REBUILD_COMMAND}` builds a new one and keeps this file as {path.name}.corrupt-<time>."
    )


def _read_only_reason(path: Path) -> str | None:
    """Why csto-bot cannot write the database file or create files beside it, if that is the case."""
    folder = path.parent
    existing = folder if folder.exists() else next((p for p in folder.parents if p.exists()), None)
    if existing is None:
        return None
    try:
        if os.statvfs(existing).f_flag & os.ST_RDONLY:
            return f"the folder {existing} is on a read-only file system"
    except OSError:
        pass
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing} is read-only for this user (uid {os.geteuid()})"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path} is read-only for this user (uid {os.geteuid()})"
    return None


def read_only_message(path: Path, exc: BaseException) -> str | None:
    """The line for a database csto-bot may not write, or None when that is not what went wrong."""
    if isinstance(exc, sqlite3.DatabaseError):
        may_be = _code(exc) in (_READONLY, _CANTOPEN) or "readonly" in str(exc).lower()
    else:
        may_be = isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    if not may_be:
        return None
    reason = _read_only_reason(path)
    if reason is None:
        return None
    return (
        f"cannot write the database {path}: {reason}. csto-bot writes the database and its -wal, -shm and "
        "lock files beside it: make the folder writable (or remount it read-write), or point CSTO_DB_PATH "
        "(or --db) at a file in a writable folder."
    )


def explain(exc: BaseException, path: Path) -> str | None:
    """What to tell the user about a database error, or None if it is none of the above."""
    read_only = read_only_message(path, exc)
    if read_only is not None:
        return read_only
    if is_corruption(exc):
        return damage_message(path, str(exc))
    return None


def damage_message(path: Path, detail: str) -> str:
    """A file SQLite cannot read: damaged if it starts as a SQLite file does, else perhaps another
    program's (csto-bot never overwrites it; rebuild only moves it aside)."""
    if path.exists() and path.stat().st_size and not has_sqlite_header(path):
        return not_a_database_message(path, detail)
    return corruption_message(path, detail)


def open_or_raise(path: Path) -> None:
    """Open (creating it if missing) and close the file with plain sqlite3 (blocking: use a thread):
    aiosqlite's worker thread, when its connect fails, can outlive the event loop and die on it."""
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA schema_version").fetchone()
    finally:
        db.close()


def quick_check(path: Path) -> list[str]:
    """PRAGMA quick_check on its own read-only connection (blocking: call it in a thread): the damage
    found, [] when the file is sound. Errors that are not damage (a read-only folder where the -shm
    cannot be made, a locked file) are raised for the caller to explain."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = db.execute(f"PRAGMA quick_check({QUICK_CHECK_ROWS})").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        if is_corruption(exc):
            return [str(exc)]
        raise
    problems = [str(row[0]) for row in rows]
    return [] if problems == ["ok"] else problems
