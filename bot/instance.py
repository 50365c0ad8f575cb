"""One running bot per database: an OS lock on `<db>.lock`, held for the life of the process.

Two bots on one database each sent every alert (and one's 403 deleted the other's subscription).
`flock` is released by the kernel when the process ends however it ends (kill -9 included), so a
lock can never go stale; the pid written in the file only serves the message. The file itself is
left in place: removing it would let a third process lock a fresh file while a second still holds
the old one.
"""

from __future__ import annotations

import errno
import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self


class InstanceRunning(RuntimeError):
    """Another process holds the database's lock; the message names its pid and what to do."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """`with InstanceLock(db, "run"):` — raises InstanceRunning at once when another process holds it."""

    def __init__(self, db_path: Path, command: str) -> None:
        self.path = lock_path(db_path)
        self.db_path = db_path
        self.command = command
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            raise InstanceRunning(
                f"another csto-bot ({holder}) is running on {self.db_path}: only one bot may use a database "
                f"(it would send every alert twice). Stop it first, or give this one another --db."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {self.command}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing the last descriptor releases the lock
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    """`pid 1234, csto-bot run` from the lock file, or what can be said without it."""
    try:
        pid, _, command = os.pread(fd, 100, 0).decode("ascii", "replace").strip().partition(" ")
    except OSError:
        return "pid unknown"
    if not pid.isdigit():
        return "pid unknown"
    return f"pid {pid}, csto-bot {command}" if command else f"pid {pid}"
