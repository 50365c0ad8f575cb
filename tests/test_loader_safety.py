"""The loader against a hostile corpus folder and a hostile machine: links out of the folder, FIFOs,
names that forge log lines, a full disk, `kill -9`, and a load stopped halfway then resumed."""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pytest

import bot.loader as loader_module
from bench.generate import generate_corpus
from bot import parse_worker
from bot.corpus_files import printable
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
from bot.loader import Loader, StoreFull
from bot.parse_worker import FileEntry, FileResult
from bot.parsing_processes import ParsingProcesses
from bot.store import Store
from fakebotapi import FakeBotApi
from tests.rig import TOKEN, command, drop_page, running_app, seed_bytes, settings_for, sync, until
from tests.test_loader_paths import snapshot

pytestmark = pytest.mark.timeout(120)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SECRET = "SECRETTOKENVALUE"
SECRET_PAGE = (
    "CSTO news of the day\n\n"
    f"TELEGRAM_BOT_TOKEN=123456:{SECRET} was written in the text of this page about collective security.\n"
)
GUARD = 60.0  # a load that waits on a FIFO would never end: bound it generously


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the corpus holding a page with a fake token (a private file of the machine)."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET_PAGE, "utf-8")
    return folder


def hostile_entries(corpus: Path, outside: Path) -> dict[str, str]:
    """Every way a corpus folder can point outside itself; name -> what the warning must say."""
    (corpus / "env.txt").symlink_to(outside / "secret.txt")
    (corpus / "chain.txt").symlink_to(corpus / "env.txt")  # a link to a link that leaves
    (corpus / "proc.txt").symlink_to("/proc/self/environ")
    (corpus / "linked").symlink_to(outside, target_is_directory=True)  # never walked
    os.mkfifo(corpus / "pipe.txt")
    return {
        "env.txt": "outside the corpus folder",
        "chain.txt": "outside the corpus folder",
        "proc.txt": "outside the corpus folder",
        "pipe.txt": "FIFO",
    }


async def open_loader(tmp_path: Path, corpus: Path, name: str = "db", **kwargs: Any) -> tuple[Store, Loader]:
    store = await Store.open(tmp_path / f"{name}.sqlite3")
    return store, Loader(store, corpus, load_lexicon(DEFAULT_LEXICON_PATH), **kwargs)


def stored_secret(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT count(*) FROM items WHERE body LIKE ? OR headline LIKE ?", (f"%{SECRET}%", f"%{SECRET}%")
        ).fetchone()[0]
    finally:
        conn.close()


def document_paths(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT path FROM documents")}
    finally:
        conn.close()


def warnings_naming(caplog: pytest.LogCaptureFixture, name: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and name in r.getMessage()]


# ------------------------------------------------------------------------------------------ links and FIFOs


@pytest.mark.parametrize("workers", [0, 1])
async def test_links_out_of_the_folder_and_fifos_are_skipped_with_one_warning_each(
    tmp_path: Path, corpus: Path, outside: Path, caplog: pytest.LogCaptureFixture, workers: int
) -> None:
    """`ln -s /proc/self/environ corpus/env.txt` once served the bot's token through /search."""
    skipped = hostile_entries(corpus, outside)
    (corpus / "inside.txt").symlink_to(next(corpus.glob("002_*")))  # a link inside keeps working
    store, loader = await open_loader(tmp_path, corpus, workers=workers, thread_below=0)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await asyncio.wait_for(loader.load(), GUARD)
        assert stored_secret(store.path) == 0
        paths = document_paths(store.path)
        assert "inside.txt" in paths and len(paths) == 6  # the five seeds and the inner link
        assert not any(p.startswith("linked") for p in paths)
        assert report.files_skipped == len(skipped)
        for name, reason in skipped.items():
            [warning] = warnings_naming(caplog, name)
            assert reason in warning
    finally:
        await store.close()


async def test_the_watchers_paths_read_nothing_outside_the_folder(
    tmp_path: Path, corpus: Path, outside: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, loader = await open_loader(tmp_path, corpus, workers=1, thread_below=0)
    try:
        await loader.load()
        skipped = hostile_entries(corpus, outside)
        (corpus / "inside.txt").symlink_to(next(corpus.glob("002_*")))
        reported = [corpus / name for name in (*skipped, "inside.txt", "linked", "linked/secret.txt")]
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await asyncio.wait_for(loader.load_paths(reported), GUARD)
        assert report.files_read == 1 and report.files_skipped == len(skipped)
        assert stored_secret(store.path) == 0 and "inside.txt" in document_paths(store.path)
        for name in skipped:
            assert len(warnings_naming(caplog, name)) == 1
    finally:
        await store.close()


async def test_a_page_swapped_for_a_link_or_a_fifo_after_the_scan_is_not_read(
    tmp_path: Path, corpus: Path, outside: Path
) -> None:
    """The scan saw regular files; by the time the parser reads them they lead elsewhere."""
    (corpus / "sub").mkdir()
    page = corpus / "page.txt"
    (corpus / "sub" / "secret.txt").write_text("a page", "utf-8")
    page.write_text("a page", "utf-8")
    entries = [FileEntry(corpus, rel, 6, 0) for rel in ("page.txt", "sub/secret.txt", "fifo.txt")]
    page.unlink()
    page.symlink_to(outside / "secret.txt")
    shutil.rmtree(corpus / "sub")
    (corpus / "sub").symlink_to(outside, target_is_directory=True)  # a folder on the way swapped
    os.mkfifo(corpus / "fifo.txt")
    results = await asyncio.wait_for(
        asyncio.to_thread(
            parse_worker.process_batch, entries, {}, load_lexicon(DEFAULT_LEXICON_PATH), frozenset(), 10**6
        ),
        GUARD,
    )
    assert [r.items for r in results] == [None, None, None]
    assert all(r.problem and r.problem.startswith("not read") for r in results)


def test_a_link_swapped_in_below_the_check_is_refused_by_the_open(tmp_path: Path, outside: Path) -> None:
    """read_inside opens one component at a time without following links: a folder swapped for a link
    between its check and its open cannot lead out (simulated by checking against the real path first)."""
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "p.txt").write_text("inside", "utf-8")
    assert parse_worker.read_inside(corpus, "sub/p.txt", 100) == b"inside"
    real_realpath = os.path.realpath

    def stale_realpath(path: Any, *args: Any, **kwargs: Any) -> str:
        return str(path) if str(path).endswith("p.txt") else real_realpath(path, *args, **kwargs)

    shutil.rmtree(corpus / "sub")
    (corpus / "sub").symlink_to(outside, target_is_directory=True)
    (outside / "p.txt").write_text(SECRET, "utf-8")
    mp = pytest.MonkeyPatch()
    mp.setattr(parse_worker.os.path, "realpath", stale_realpath)
    try:
        with pytest.raises(parse_worker.UnsafeFileError):
            parse_worker.read_inside(corpus, "sub/p.txt", 100)
    finally:
        mp.undo()


# ------------------------------------------------------------------------------------------ log lines


async def test_a_file_name_with_a_newline_cannot_forge_a_log_line(
    tmp_path: Path, corpus: Path, outside: Path, caplog: pytest.LogCaptureFixture
) -> None:
    forged = "evil\nWARNING bot.loader: forged line\x1b[31m.txt"
    (corpus / forged).symlink_to(outside / "secret.txt")
    (corpus / f"big{forged}").write_bytes(b"CSTO news. " * 2000)
    store, loader = await open_loader(tmp_path, corpus, max_file_bytes=10_000)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await loader.load()
        messages = [r.getMessage() for r in caplog.records if r.name == "bot.loader"]
        assert len(messages) == 2 and report.files_skipped == 2
        assert all("\n" not in m and "\x1b" not in m for m in messages)
        assert all("evil\\nWARNING bot.loader: forged line\\x1b[31m.txt" in m for m in messages)
        assert all("\n" not in problem for problem in report.skipped)  # `csto-bot load` prints these
    finally:
        await store.close()


def test_printable_escapes_what_a_terminal_or_a_log_reader_would_interpret() -> None:
    assert printable("a\nb\r\tc\x00\x7f\u202e\\.txt") == "a\\nb\\r\\tc\\x00\\x7f\\u202e\\\\.txt"
    assert printable("Новости 2025 (копия).txt") == "Новости 2025 (копия).txt"


# ------------------------------------------------------------------------------------------ full disk


async def limit_growth(store: Store, pages: int) -> None:
    """SQLite's own "database or disk is full": the writer may grow by `pages` pages at most."""
    writer = store._writer  # the test stands for a full disk under the writer
    async with writer.execute("PRAGMA page_count") as cur:
        row = await cur.fetchone()
    assert row is not None
    await writer.execute(f"PRAGMA max_page_count = {int(row[0]) + pages}")


async def test_a_full_disk_is_one_clear_error_and_the_pages_are_read_again_later(
    tmp_path: Path, corpus: Path
) -> None:
    store, loader = await open_loader(tmp_path, corpus, batch_files=1)
    try:
        await limit_growth(store, 0)
        with pytest.raises(StoreFull) as failure:
            await loader.load()
        message = str(failure.value)
        assert "full" in message and "free some space" in message and "rollback" not in message
        assert (await store.stats()).documents == 0  # nothing marked as loaded
        await limit_growth(store, 10_000)  # space came back
        report = await loader.load()
        assert report.files_read == 5 and report.items_total == 16
    finally:
        await store.close()
    clean_store, clean = await open_loader(tmp_path, corpus, "clean", batch_files=1)
    try:
        await clean.load()
    finally:
        await clean_store.close()
    assert snapshot(tmp_path / "db.sqlite3") == snapshot(tmp_path / "clean.sqlite3")


def test_csto_bot_load_on_a_full_disk_prints_one_line(tmp_path: Path, corpus: Path) -> None:
    """The command line: no traceback, no "cannot rollback", exit status 1."""
    probe = (
        "import sys\n"
        "from bot import cli, store\n"
        "real_open = store.Store.open.__func__\n"
        "async def open_full(cls, path, **options):\n"
        "    opened = await real_open(cls, path, **options)\n"
        "    await opened._writer.execute('PRAGMA max_page_count = 1')  # no room to grow\n"
        "    return opened\n"
        "store.Store.open = classmethod(open_full)\n"
        f"sys.exit(cli.main(['load', '--corpus', {str(corpus)!r}, '--db', {str(tmp_path / 'db.sqlite3')!r}]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "rollback" not in done.stderr
    [line] = [line for line in done.stderr.splitlines() if line.startswith("csto-bot:")]
    assert "full" in line and "free some space" in line


# ------------------------------------------------------------------------------------------ stop and resume


def table_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    generate_corpus(folder, 240)
    return folder


async def test_the_parsing_processes_are_replaced_with_pieces_queued_and_the_load_ends(
    tmp_path: Path, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two pieces wait for each parsing process. With the pool's own max_tasks_per_child a process
    that reached its limit left the piece queued behind it with no process to run it (CPython
    gh-115634), and the load waited for ever; the processes are now replaced between batches."""
    monkeypatch.setattr("bot.parsing_processes.WORKER_PIECES", 2)
    store, loader = await open_loader(tmp_path, generated, batch_files=40, workers=1, thread_below=0)
    pools = []
    alive_at_start = []
    real_start = ParsingProcesses._start

    def recording_start(self: ParsingProcesses) -> Any:
        alive_at_start.append(len(multiprocessing.active_children()))
        pools.append(real_start(self))
        return pools[-1]

    monkeypatch.setattr(ParsingProcesses, "_start", recording_start)
    try:
        report = await asyncio.wait_for(loader.load(), GUARD)
        assert report.files_read == 240 and report.files_skipped == 0
        assert (await store.stats()).documents == 240
    finally:
        loader.request_stop()
        await store.close()
    assert len(pools) >= 3  # replaced: a new pool every batch or two
    # and one generation at a time: a new parser starts once the old one is gone, so their memory never
    # adds up (~90 MB each)
    assert alive_at_start == [0] * len(pools)


@pytest.mark.parametrize("stop_after", [1, 3])
async def test_a_load_stopped_between_batches_then_resumed_equals_an_uninterrupted_one(
    tmp_path: Path, generated: Path, stop_after: int
) -> None:
    """A resumed load once stored 64,252 mentions against 63,233 for an uninterrupted one: the pages
    loaded before the stop were all parsed again (no rules fingerprint was on record yet) by a
    different set of known names."""
    clean_store, clean = await open_loader(
        tmp_path, generated, "clean", batch_files=20, workers=1, thread_below=0
    )
    try:
        await clean.load()
    finally:
        await clean_store.close()
    store, first = await open_loader(
        tmp_path, generated, "resumed", batch_files=20, workers=1, thread_below=0
    )
    try:
        real_apply = store.apply_changes
        written = 0

        async def stop_after_some(*args: Any, **kwargs: Any) -> Any:
            nonlocal written
            result = await real_apply(*args, **kwargs)
            written += 1
            if written == stop_after:
                first.request_stop()  # as the bot does on SIGTERM; a kill -9 leaves the same database
            return result

        store.apply_changes = stop_after_some  # type: ignore[method-assign]
        stopped = await first.load()
        assert stopped.stopped and 0 < stopped.files_read < 240
        store.apply_changes = real_apply  # type: ignore[method-assign]
        resumed = await Loader(
            store, generated, load_lexicon(DEFAULT_LEXICON_PATH), batch_files=20, workers=1, thread_below=0
        ).load()
        assert resumed.files_read == 240 - stopped.files_read and not resumed.items_refreshed
    finally:
        await store.close()
    assert table_counts(tmp_path / "resumed.sqlite3") == table_counts(tmp_path / "clean.sqlite3")
    assert snapshot(tmp_path / "resumed.sqlite3") == snapshot(tmp_path / "clean.sqlite3")


# ------------------------------------------------------------------------------------------ orphans

KEEPER = """
import asyncio, sys
from pathlib import Path
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
from bot.loader import Loader
from bot.store import Store

async def main() -> None:
    store = await Store.open(Path(sys.argv[2]))
    loader = Loader(store, Path(sys.argv[1]), load_lexicon(DEFAULT_LEXICON_PATH), workers=2, thread_below=0)
    await loader.load()  # the parsing processes stay, as beside the bot
    print("loaded", flush=True)
    await asyncio.sleep(3600)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_parsing_processes_end_when_their_parent_is_killed(tmp_path: Path, corpus: Path) -> None:
    script = tmp_path / "keeper.py"
    script.write_text(KEEPER, "utf-8")
    with subprocess.Popen(
        [sys.executable, str(script), str(corpus), str(tmp_path / "db.sqlite3")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ) as parent:
        try:
            assert parent.stdout is not None and parent.stdout.readline().strip() == "loaded"
            children = psutil.Process(parent.pid).children(recursive=True)
            assert len(children) >= 2  # the parsing processes (and multiprocessing's resource tracker)
            parent.send_signal(signal.SIGKILL)
            parent.wait(timeout=10)
            started = time.monotonic()
            _, alive = psutil.wait_procs(children, timeout=GUARD)
            assert not [p for p in alive if _running(p)], f"orphans after {time.monotonic() - started:.1f}s"
        finally:
            if parent.poll() is None:
                parent.kill()


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# ------------------------------------------------------------------------------------------ the bot's thread

PARSED_HERE: list[int] = []


def parse_recording_where(*args: Any) -> list[FileResult]:
    """process_batch, noting each call made in the test's own process (the bot's)."""
    if os.getpid() == MAIN_PID:
        PARSED_HERE.append(len(args[0]))
    return parse_worker.process_batch(*args)


MAIN_PID = os.getpid()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


@pytest.mark.parametrize("parse_processes", [0, 1])
async def test_the_bot_never_parses_on_its_own_process_and_keeps_its_parsing_process(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parse_processes: int
) -> None:
    """Parsing pure Python in a thread holds the GIL and freezes the bot: the start-up load and every
    watcher load parse in a parsing process, even when the settings ask for none, and a new page does
    not wait for a process start."""
    monkeypatch.setattr(loader_module, "process_batch", parse_recording_where)
    PARSED_HERE.clear()
    settings = settings_for(tmp_path, api, parse_processes=parse_processes)
    async with running_app(settings) as app:
        await until(lambda: sync(app).loads >= 1, what="the start-up load")
        loader = app.bot_data.loader
        assert loader is not None
        workers = _worker_pids(loader)
        for name in ("003_new.txt", "004_new.txt"):
            await _watcher_load(
                app, functools.partial(drop_page, settings.corpus_dir, name, seed_bytes(name[:3]))
            )
        assert (await app.bot_data.store.stats()).documents == 3
        reply = await command(api, 9, "/stats")
        assert reply.text
        assert _worker_pids(loader) == workers  # the same process served every load
    assert PARSED_HERE == []


async def _watcher_load(app: Any, change: Callable[[], object]) -> None:
    loads = sync(app).loads
    change()
    await until(lambda: sync(app).loads > loads, what="the watcher's load")


def _worker_pids(loader: Loader) -> Sequence[int]:
    processes = loader._processes  # which processes parse is the point of the test
    assert processes is not None and processes._pool is not None
    return sorted(processes._pool._processes)


@pytest.mark.parametrize("size", [0, 1, 5_000, parse_worker.READ_PIECE + 7, 3 * parse_worker.READ_PIECE])
def test_a_page_is_read_whole_whatever_its_size(tmp_path: Path, size: int) -> None:
    """A page is read in pieces of its own size: every byte comes back once, in order."""
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    (tmp_path / "p.txt").write_bytes(data)
    assert parse_worker.read_inside(tmp_path, "p.txt", 10**7) == data


def test_a_page_over_the_limit_is_read_one_byte_past_it(tmp_path: Path) -> None:
    """The loader tells a too-large page by the byte past the limit, so no more is read than that."""
    (tmp_path / "p.txt").write_bytes(b"x" * 10_000)
    assert parse_worker.read_inside(tmp_path, "p.txt", 101) == b"x" * 101


def test_a_page_that_grows_while_read_is_read_to_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page still being written may be longer than its size at the check: the read goes on to its end
    (up to the limit), it does not stop at the size first seen."""
    (tmp_path / "p.txt").write_bytes(b"y" * 300_000)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((*st[:6], 10, *st[7:]))  # the size the check saw: 10 bytes

    monkeypatch.setattr(parse_worker.os, "fstat", stale_fstat)
    assert parse_worker.read_inside(tmp_path, "p.txt", 10**7) == b"y" * 300_000
