"""A damaged database is found and rebuilt from the corpus keeping the subscriptions; a read-only one
is named as such. Run as the user runs them: `csto-bot load | rebuild | console` processes."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot import db_health
from bot.records import Subscription
from bot.store import Store, salvage
from tests.rig import SEEDS

pytestmark = pytest.mark.timeout(90)

PROJECT = Path(__file__).resolve().parent.parent
SETTING_VARS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "CSTO_CORPUS_DIR", "CSTO_DB_PATH", "CSTO_CONFIG")
PAGE = 4096
CHAT = 4242


def csto_bot(
    *args: str, stdin: str | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot", *args],
        check=False, capture_output=True, text=True, timeout=60, env={**env, "PTB_TIMEDELTA": "1"},
        cwd=PROJECT, input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
    )  # fmt: skip


def loaded_database(tmp_path: Path, pages: list[Path]) -> tuple[Path, Path]:
    """A corpus folder of these pages, loaded by `csto-bot load`, with chat CHAT subscribed to everything."""
    corpus, db = tmp_path / "corpus", tmp_path / "db" / "csto.sqlite3"
    corpus.mkdir()
    for page in pages:
        shutil.copy(page, corpus)
    assert csto_bot("load", "--corpus", str(corpus), "--db", str(db)).returncode == 0

    async def subscribe() -> None:
        store = await Store.open(db)
        try:
            await store.subscribe(CHAT, None, [])
        finally:
            await store.close()

    asyncio.run(subscribe())
    return corpus, db


def zero_items_pages(db: Path, size: int = 64 * 1024) -> None:
    """Zero `size` bytes from the first page of the items table on: the middle of the file, where the
    corpus lives, away from the subscriptions."""
    with sqlite3.connect(db) as conn:
        [(first,)] = conn.execute("SELECT min(pageno) FROM dbstat WHERE name = 'items' AND pagetype = 'leaf'")
        [(subscriptions,)] = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'subscriptions'")
    conn.close()
    assert not first <= subscriptions < first + size // PAGE
    with db.open("r+b") as file:
        file.seek((first - 1) * PAGE)
        file.write(bytes(size))


def test_a_zeroed_stretch_is_found_and_rebuild_brings_the_bot_back(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    corpus, db = loaded_database(tmp_path, seeds[:-1])
    zero_items_pages(db)

    load = csto_bot("load", "--corpus", str(corpus), "--db", str(db))
    assert load.returncode == 1 and load.stdout == ""
    [line] = load.stderr.splitlines()
    assert line.startswith(f"csto-bot: the database {db} is damaged (")
    assert "run `csto-bot rebuild`" in line and "Traceback" not in load.stderr
    console = csto_bot("console", "--corpus", str(corpus), "--db", str(db), stdin="/latest 1\nquit\n")
    assert console.returncode == 1 and console.stderr == load.stderr and "Latest" not in console.stdout

    shutil.copy(seeds[-1], corpus)  # a page that arrived after the damage: new, so alerted
    rebuild = csto_bot("rebuild", "--corpus", str(corpus), "--db", str(db))
    assert rebuild.returncode == 0, rebuild.stderr
    assert f"Rebuilt {db} from {corpus}: 5 files read" in rebuild.stdout
    assert "kept 1 subscriptions" in rebuild.stdout
    [kept] = db.parent.glob("csto.sqlite3.corrupt-*[0-9]")  # (and its -shm, -wal if it had them)
    assert f"the old file is kept as {kept}" in rebuild.stdout
    assert db_health.quick_check(kept) and db_health.quick_check(db) == []

    async def inspect() -> tuple[Subscription | None, list[str], int]:
        store = await Store.open(db, verify=True)
        try:
            pages = await store._fetchall(
                "SELECT DISTINCT d.path FROM outbox o JOIN sources s ON s.item_id = o.item_id "
                "JOIN documents d ON d.id = s.document_id"
            )
            return (
                await store.subscription(CHAT),
                [Path(p[0]).name for p in pages],
                await store.pending_alert_count(),
            )
        finally:
            await store.close()

    subscription, alerted_pages, pending = asyncio.run(inspect())
    assert subscription is not None and subscription.filters == ()
    assert alerted_pages == [seeds[-1].name] and pending >= 1  # only the new page's items wait to be sent
    assert f"{pending} alerts wait for the bot" in rebuild.stdout

    console = csto_bot("console", "--corpus", str(corpus), "--db", str(db), stdin="/latest 1\nquit\n")
    assert console.returncode == 0, console.stderr
    assert "Latest 1 of 16 items" in console.stdout and "Traceback" not in console.stderr


def test_rebuild_from_a_folder_without_the_pages_changes_nothing(tmp_path: Path) -> None:
    """A wrong --corpus would swap in an empty database, then alert every page when found again."""
    _, db = loaded_database(tmp_path, sorted(SEEDS.glob("*.txt")))
    before = db.read_bytes()
    (tmp_path / "empty").mkdir()
    result = csto_bot("rebuild", "--corpus", str(tmp_path / "empty"), "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (  # after the log of the load
        f"csto-bot: found no pages in {tmp_path / 'empty'}, where the old database had 5: check CSTO_CORPUS_DIR "
        "(or --corpus); nothing was changed"
    )
    assert db.read_bytes() == before and not list(db.parent.glob("*.corrupt-*"))
    assert not list(db.parent.glob("*.rebuilding*"))


def test_salvage_reads_round_a_damaged_page(tmp_path: Path) -> None:
    """Subscriptions spread over many pages, one of them zeroed: every other page is still read."""
    db = tmp_path / "many.sqlite3"

    async def make() -> None:
        store = await Store.open(db)
        try:
            for chat in range(1, 3001):
                await store.subscribe(-100_000 - chat, None, [f"word{chat}", "phrase with spaces"])
        finally:
            await store.close()

    asyncio.run(make())
    with sqlite3.connect(db) as conn:
        leaves = [
            p
            for (p,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'subscriptions' AND pagetype = 'leaf'"
            )
        ]
    conn.close()
    assert len(leaves) > 10
    with db.open("r+b") as file:
        file.seek((leaves[len(leaves) // 2] - 1) * PAGE)
        file.write(bytes(PAGE))
    saved = salvage(db)
    assert "subscriptions" in saved.unreadable
    lost = 3000 - len(saved.subscriptions)
    assert 0 < lost <= 3 * 3000 // len(leaves)  # about one page's worth, not the rest of the table
    assert all(
        s.filters == (f"word{-s.chat_id - 100_000}", "phrase with spaces") for s in saved.subscriptions
    )


def test_rebuild_refuses_while_a_bot_holds_the_database(tmp_path: Path) -> None:
    from bot.instance import InstanceLock

    db = tmp_path / "csto.sqlite3"
    with InstanceLock(db, "run"):
        result = csto_bot("rebuild", "--db", str(db))
    assert result.returncode == 1
    assert result.stderr.startswith(
        f"csto-bot: another csto-bot (pid {os.getpid()}, csto-bot run) is running on {db}"
    )
    assert not db.exists()


# ------------------------------------------------------------------------------ read-only places


def read_only_mount(folder: Path) -> tuple[str, ...]:
    """A prefix that runs a command where `folder` is a read-only file system (a private bind mount)."""
    script = f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}" && exec "$@"'
    return ("unshare", "--mount", "sh", "-c", script, "sh")


def can_mount_read_only(tmp_path: Path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    result = subprocess.run(
        [*read_only_mount(probe), "touch", str(probe / "x")], capture_output=True, check=False
    )
    return result.returncode != 0 and b"Read-only file system" in result.stderr


def test_a_database_on_a_read_only_file_system_says_so(tmp_path: Path) -> None:
    if not can_mount_read_only(tmp_path):
        pytest.skip("needs unshare and the right to mount (root or a user namespace)")
    folder = tmp_path / "data"
    folder.mkdir()
    assert csto_bot("load", "--db", str(folder / "csto.sqlite3")).returncode == 0
    for db in (folder / "csto.sqlite3", folder / "new.sqlite3", folder / "sub" / "new.sqlite3"):
        result = csto_bot("load", "--db", str(db), prefix=read_only_mount(folder))
        assert result.returncode == 1
        assert result.stderr == (
            f"csto-bot: cannot write the database {db}: the folder {folder} is on a read-only file system. "
            "csto-bot writes the database and its -wal, -shm and lock files beside it: make the folder writable "
            "(or remount it read-write), or point CSTO_DB_PATH (or --db) at a file in a writable folder.\n"
        )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a folder whatever its mode")
def test_a_read_only_folder_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    assert csto_bot("load", "--db", str(folder / "csto.sqlite3")).returncode == 0
    folder.chmod(0o555)
    try:
        for db in (folder / "csto.sqlite3", folder / "new.sqlite3"):
            result = csto_bot("load", "--db", str(db))
            assert result.returncode == 1
            assert result.stderr.startswith(
                f"csto-bot: cannot write the database {db}: the folder {folder} is read-only for this user"
            )
            assert "move it away" not in result.stderr
    finally:
        folder.chmod(0o755)


async def test_a_running_bot_on_a_damaged_database_stops_naming_rebuild(tmp_path: Path) -> None:
    from fakebotapi import FakeBotApi
    from tests.rig import TOKEN

    corpus, db = await asyncio.to_thread(loaded_database, tmp_path, sorted(SEEDS.glob("*.txt")))
    zero_items_pages(db)
    async with FakeBotApi(token=TOKEN) as api:
        env = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url, PTB_TIMEDELTA="1")
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--db", str(db), "--corpus", str(corpus), env=env, cwd=PROJECT,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            _, stderr = await asyncio.wait_for(process.communicate(), 60)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    output = stderr.decode()
    assert process.returncode == 1, output[-3000:]
    assert f"ERROR bot.app: the database {db} is damaged (" in output and "run `csto-bot rebuild`" in output
    assert "Traceback" not in output and TOKEN not in output
