"""`csto-bot rebuild`: a new database from the corpus, for one that is damaged.

Everything in the database is derived from the corpus except the subscriptions and the outbox. Those
are read from the old file as far as it can be read (row by row around damaged pages), a new database
is built beside it (subscriptions first, then a full load of the corpus), and it replaces the old one
in one rename; the old file is kept as `<db>.corrupt-<time>` (with its -wal). The bot must be stopped
(the caller holds the instance lock).

No alert twice: the load queues an alert for every matching item, then those for items the old
database had seen (by content key, or by page: same path and hash) are dropped, unless they were
still pending there. What the old file cannot tell at all counts as seen: a lost alert for a page that
arrived just before the damage is better than every page alerted to every subscriber.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.lexicon import load_lexicon
from bot.loader import Loader
from bot.records import LoadReport
from bot.store import Salvage, Store, StoreError, salvage

SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True, slots=True)
class RebuildReport:
    load: LoadReport
    salvage: Salvage
    alerts_queued: int
    kept_as: Path | None  # where the old file went (None: there was none)


def _with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_database(path: Path) -> None:
    for file in (path, *(_with_suffix(path, s) for s in SIDE_FILES)):
        file.unlink(missing_ok=True)


def _swap_in(fresh: Path, path: Path) -> Path | None:
    """Put `fresh` at `path` in one rename; the old file (and its -wal) keep a dated name beside it.
    The old -wal and -shm are moved first: SQLite would apply the old log to the new file."""
    for side in SIDE_FILES:
        if _with_suffix(fresh, side).exists() and side == "-wal" and _with_suffix(fresh, side).stat().st_size:
            raise StoreError(f"the new database {fresh} was not closed cleanly; run `csto-bot rebuild` again")
        _with_suffix(fresh, side).unlink(missing_ok=True)
    kept: Path | None = None
    if path.exists():
        kept = _with_suffix(path, f".corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        os.link(path, kept)
        for side in SIDE_FILES:
            if _with_suffix(path, side).exists():
                os.replace(_with_suffix(path, side), _with_suffix(kept, side))
    os.replace(fresh, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return kept


async def rebuild(settings: Settings) -> RebuildReport:
    path = settings.db_path
    saved = await asyncio.to_thread(salvage, path) if path.exists() else Salvage()
    fresh = _with_suffix(path, ".rebuilding")
    _remove_database(fresh)  # what a rebuild that was interrupted left
    store = await Store.open(fresh)
    try:
        await store.restore_salvage(saved)
        loader = Loader.from_settings(store, settings, load_lexicon(settings.lexicon_path))
        report = await loader.load(queue_alerts=True)
        if report.files_read == 0 and saved.pages:
            # a wrong corpus path would swap in an empty database, and the pages, when found again, would
            # all be new: every one alerted to every subscriber
            raise StoreError(
                f"found no pages in {settings.corpus_dir}, where the old database had {len(saved.pages)}: "
                "check CSTO_CORPUS_DIR (or --corpus); nothing was changed"
            )
        queued = await store.forget_alerts_seen_before(saved)
    except BaseException:
        await store.close()
        _remove_database(fresh)
        raise
    await store.close()
    return RebuildReport(report, saved, queued, _swap_in(fresh, path))


def describe(report: RebuildReport, settings: Settings) -> list[str]:
    """What `csto-bot rebuild` prints."""
    load, saved = report.load, report.salvage
    lines = [
        (
            f"Rebuilt {settings.db_path} from {settings.corpus_dir}: {load.files_read} files read, "
            f"{load.files_skipped} skipped; {load.items_total} items, {load.people} people, "
            f"{load.operations} operations in {load.seconds:.2f}s."
        ),
        (
            f"  kept {len(saved.subscriptions)} subscriptions; {report.alerts_queued} alerts wait for the bot "
            "(pending before, or for pages the old database had not seen)."
        ),
    ]
    if saved.unreadable:
        lines.append(
            f"  the old database could not be read whole ({', '.join(saved.unreadable)}): what was lost there "
            "is gone" + (" (every page counted as already alerted)" if saved.history_unknown else "")
        )
    if report.kept_as is not None:
        lines.append(f"  the old file is kept as {report.kept_as}")
    return lines
