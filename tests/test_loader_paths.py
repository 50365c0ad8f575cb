"""Loading only the paths the watcher reported: the same database as a full load, at a cost that grows
with the paths. Two stores over one corpus folder go through the same history, one by load_paths and
one by load(), and must end up row for row the same; then the watcher is checked end to end."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot import corpus_sync
from bot.corpus_files import relative_path, scan_corpus, walk_order
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
from bot.loader import Loader
from bot.records import LoadReport
from bot.store import Store
from fakebotapi import FakeBotApi
from tests.rig import (
    MASADIKOV,
    TOKEN,
    alerts_sent,
    drop_page,
    running_app,
    seed_bytes,
    settings_for,
    settle,
    store_of,
    subscribe,
    sync,
    until,
    wait_alerts,
)

pytestmark = pytest.mark.timeout(60)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHAT = 7
Mutation = Callable[[Path], list[Path]]  # changes the corpus, returns the paths a watcher would report


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a load writes, ids included (same history, same order: same ids), times excluded."""
    queries = {
        "documents": "SELECT id, path, size, mtime_ns, sha256 FROM documents ORDER BY id",
        "items": "SELECT id, key, kind, headline, summary, body, date FROM items ORDER BY id",
        "sources": "SELECT document_id, position, item_id FROM sources ORDER BY document_id, position",
        "people": "SELECT key, name FROM people ORDER BY key",
        "mentions": "SELECT p.key, m.item_id, m.title, m.sentence FROM mentions m "
        "JOIN people p ON p.id = m.person_id ORDER BY 1, 2, 3, 4",
        "operations": "SELECT key, name FROM operations ORDER BY key",
        "operation_mentions": "SELECT o.key, m.item_id, m.name, m.purpose, m.purpose_quality, m.sentence "
        "FROM operation_mentions m JOIN operations o ON o.id = m.operation_id ORDER BY 1, 2, 3, 6",
        "aliases": "SELECT p.key, a.alias FROM person_aliases a JOIN people p ON p.id = a.person_id ORDER BY 1, 2",
        "outbox": "SELECT chat_id, item_id FROM outbox ORDER BY 1, 2",
        "fts": "SELECT rowid FROM items_fts ORDER BY rowid",
    }
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        conn.close()


class Twins:
    """Two stores over one folder: `paths` is loaded by load_paths, `full` by load()."""

    def __init__(self, tmp_path: Path, corpus: Path) -> None:
        self.tmp_path, self.corpus = tmp_path, corpus
        self.dbs = (tmp_path / "paths.sqlite3", tmp_path / "full.sqlite3")

    async def open(self) -> None:
        lexicon = load_lexicon(DEFAULT_LEXICON_PATH)
        self.stores = [await Store.open(db) for db in self.dbs]
        self.paths, self.full = (Loader(store, self.corpus, lexicon) for store in self.stores)
        for store in self.stores:
            await store.subscribe(CHAT, None, ())  # so that the alerts queued are compared too

    async def close(self) -> None:
        for store in self.stores:
            await store.close()

    async def load(self, reported: Sequence[Path | str]) -> tuple[LoadReport, LoadReport]:
        return await self.paths.load_paths(reported), await self.full.load()

    def forbid_reading_every_state(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A load of a few paths must not read every document's state, nor every path."""
        monkeypatch.setattr(self.stores[0], "unfound_document_paths", _never_all_states)

    def same(self) -> None:
        assert snapshot(self.dbs[0]) == snapshot(self.dbs[1])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seed pages, plus a sub-folder holding a copy of one of them."""
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    (folder / "sub" / "deep").mkdir(parents=True)
    shutil.copy(seed("001"), folder / "sub" / "deep" / "001_copy.txt")
    return folder


@pytest.fixture
async def twins(tmp_path: Path, corpus: Path) -> AsyncIterator[Twins]:
    pair = Twins(tmp_path, corpus)
    await pair.open()
    await pair.full.load()
    await pair.paths.load()  # both start from one full load
    try:
        yield pair
    finally:
        await pair.close()


async def _never_all_states() -> None:
    raise AssertionError("a load of a few paths read every document's state")


# ---------------------------------------------------------------------------------------------- mutations


def add_page(root: Path) -> list[Path]:
    shutil.copy(seed("003"), root / "003_new.txt")
    return [root / "003_new.txt"]


def edit_page(root: Path) -> list[Path]:
    page = next(root.glob("002_*"))
    page.write_text(page.read_text("utf-8") + "\nA new closing paragraph was added.\n", "utf-8")
    return [page]


def touch_page(root: Path) -> list[Path]:
    page = next(root.glob("002_*"))
    os.utime(page, ns=(time.time_ns(), time.time_ns() + 10**9))  # same bytes, new mtime
    return [page]


def delete_page(root: Path) -> list[Path]:
    page = next(root.glob("004_*"))
    page.unlink()
    return [page]


def rename_page(root: Path) -> list[Path]:
    page = next(root.glob("003_*"))
    page.rename(root / "renamed.txt")
    return [page, root / "renamed.txt"]


def new_folder(root: Path) -> list[Path]:
    """Files that landed before the watcher watched their new folder: only the folder is reported."""
    (root / "2025" / "11").mkdir(parents=True)
    shutil.copy(seed("003"), root / "2025" / "11" / "b.txt")
    shutil.copy(seed("002"), root / "2025" / "a.txt")
    return [root / "2025"]


def rename_folder(root: Path) -> list[Path]:
    (root / "sub").rename(root / "moved")
    return [root / "sub", root / "moved"]


def delete_folder(root: Path) -> list[Path]:
    shutil.rmtree(root / "sub")
    return [root / "sub"]


def file_becomes_folder(root: Path) -> list[Path]:
    page = next(root.glob("004_*"))
    page.unlink()
    page.mkdir()
    shutil.copy(seed("004"), page / "inside.txt")
    return [page]


def folder_becomes_file(root: Path) -> list[Path]:
    shutil.rmtree(root / "sub")
    shutil.copy(seed("003"), root / "sub")
    return [root / "sub"]


def created_then_deleted(root: Path) -> list[Path]:
    (root / "flash.txt").write_bytes(seed("003").read_bytes())
    (root / "flash.txt").unlink()
    return [root / "flash.txt"]


def everything_at_once(root: Path) -> list[Path]:
    reported = [
        *add_page(root),
        *edit_page(root),
        *delete_page(root),
        *new_folder(root),
        *rename_folder(root),
    ]
    return [
        *reported,
        root / "moved" / "deep" / "001_copy.txt",
        root / "2025" / "11" / "b.txt",
    ]  # nested twice


MUTATIONS: list[Mutation] = [
    add_page,
    edit_page,
    touch_page,
    delete_page,
    rename_page,
    new_folder,
    rename_folder,
    delete_folder,
    file_becomes_folder,
    folder_becomes_file,
    created_then_deleted,
    everything_at_once,
]


@pytest.mark.parametrize("mutate", MUTATIONS, ids=[m.__name__ for m in MUTATIONS])
async def test_loading_the_reported_paths_gives_the_full_loads_database(
    twins: Twins, mutate: Mutation, monkeypatch: pytest.MonkeyPatch
) -> None:
    twins.forbid_reading_every_state(monkeypatch)
    reported = mutate(twins.corpus)
    by_paths, by_full = await twins.load(reported)
    twins.same()
    for field in ("files_read", "files_removed", "items_added", "items_removed", "items_total", "people"):
        assert getattr(by_paths, field) == getattr(by_full, field), field
    assert by_paths.new_item_ids == by_full.new_item_ids


async def test_a_page_created_and_deleted_before_the_load_loads_nothing(
    twins: Twins, monkeypatch: pytest.MonkeyPatch
) -> None:
    twins.forbid_reading_every_state(monkeypatch)
    report, _ = await twins.load(created_then_deleted(twins.corpus))
    assert (report.files_read, report.files_removed, report.items_added, report.new_item_ids) == (0, 0, 0, [])


async def test_paths_the_scan_would_not_reach_are_ignored(twins: Twins, tmp_path: Path) -> None:
    root = twins.corpus
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "page.txt").write_bytes(seed("003").read_bytes())
    (root / "linked").symlink_to(outside, target_is_directory=True)  # the scan does not follow it
    (root / ".hidden").mkdir()
    ignored = [outside / "page.txt", root / "linked" / "page.txt", root / ".hidden" / "page.txt",
               root / ".page.txt.swp", root / "003_new.txt.part", root / "notes.tmp"]  # fmt: skip
    for path in ignored[2:]:
        path.write_bytes(seed("003").read_bytes())
    before = snapshot(twins.dbs[0])
    report = await twins.paths.load_paths(ignored)
    assert (report.files_read, report.files_skipped, report.files_removed, report.files_unchanged) == (
        0,
        0,
        0,
        0,
    )
    assert snapshot(twins.dbs[0]) == before
    _, full = await twins.load([])
    assert full.files_read == 0  # and a full load agrees: nothing there is a page


async def test_the_corpus_folder_itself_reported_means_a_full_load(twins: Twins) -> None:
    add_page(twins.corpus)
    (twins.corpus / "sub" / "deep" / "001_copy.txt").unlink()
    report = await twins.paths.load_paths([twins.corpus])
    assert report.files_read == 1 and report.files_removed == 1 and report.files_unchanged == 5


# ---------------------------------------------------------------------------------------------- helpers


def test_walk_order_is_the_scans_order(tmp_path: Path) -> None:
    for rel in (
        "b.txt",
        "a/z.txt",
        "a/b/y.txt",
        "a/b/c/x.txt",
        "a/a.txt",
        "ab/0.txt",
        "a0.txt",
        "c/d.txt",
        "0.txt",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", "utf-8")
    scanned = [entry.rel for entry in scan_corpus(tmp_path, [])]
    assert sorted(scanned) != scanned  # a folder's files come before its sub-folders: not plain sorting
    assert sorted(sorted(scanned), key=walk_order) == scanned


def test_relative_path_names_documents_as_the_loader_does(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    assert relative_path(real, real / "sub" / "p.txt") == "sub/p.txt"
    assert relative_path(link, real / "sub" / "p.txt") == "sub/p.txt"  # reported resolved
    assert relative_path(real, link / "sub" / "p.txt") == "sub/p.txt"
    assert relative_path(real, str(real)) == ""
    assert relative_path(real, tmp_path / "other.txt") is None
    assert relative_path(real, real / ".." / "real2" / "p.txt") is None


# ---------------------------------------------------------------------------------------------- the watcher


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


class LoadSpy:
    """Counts the watcher's full loads and records each load_paths call and its report."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.full_loaders: list[Loader] = []
        self.calls: list[tuple[list[str], LoadReport]] = []
        real_load, real_paths = Loader.load, Loader.load_paths

        async def load(loader: Loader, **kwargs: Any) -> LoadReport:
            self.full_loaders.append(loader)
            return await real_load(loader, **kwargs)

        async def load_paths(loader: Loader, paths: Any, **kwargs: Any) -> LoadReport:
            paths = list(paths)
            report = await real_paths(loader, paths, **kwargs)
            self.calls.append(([relative_path(loader.corpus_dir, p) or "" for p in paths], report))
            return report

        monkeypatch.setattr(Loader, "load", load)
        monkeypatch.setattr(Loader, "load_paths", load_paths)

    def full(self, app: Any) -> int:
        """Full loads made by this bot's loader (not by a test's reference loader)."""
        return sum(loader is app.bot_data.loader for loader in self.full_loaders)


async def next_load(app: Any, action: Callable[[], Any]) -> None:
    """Do something to the corpus and wait until the watcher has loaded it."""
    loads = sync(app).loads
    action()
    await until(lambda: sync(app).loads > loads, what="the watcher's load")


async def test_changes_while_running_take_the_paths_route_and_match_a_full_load(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = LoadSpy(monkeypatch)
    settings = settings_for(tmp_path, api)
    corpus = settings.corpus_dir
    reference = Loader(
        await Store.open(tmp_path / "reference.sqlite3"), corpus, load_lexicon(DEFAULT_LEXICON_PATH)
    )
    try:
        async with running_app(settings) as app:
            await subscribe(api, 42)
            await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
            assert spy.full(app) >= 1 and not spy.calls  # the catch-up after start is a full load
            full_loads = spy.full(app)
            await reference.load()
            bot_db = store_of(app).path

            async def step(action: Callable[[], Any], alerts: int) -> None:
                mark = api.mark()
                await next_load(app, action)
                if alerts:
                    await wait_alerts(api, alerts, after=mark)
                await settle(app)
                assert len(alerts_sent(api, mark)) == alerts
                await reference.load()
                assert _corpus_rows(bot_db) == _corpus_rows(reference.store.path)

            await step(lambda: drop_page(corpus, "003_new.txt", seed_bytes("003")), 1)  # added
            page = corpus / "003_new.txt"
            await step(
                lambda: page.write_text(page.read_text("utf-8") + "\nOne more paragraph.\n", "utf-8"), 1
            )
            await step(page.unlink, 0)  # deleted
            nested = corpus / "2025" / "11"
            await step(lambda: _write_nested(nested, seed_bytes("002")), 1)  # a new sub-folder

            assert spy.full(app) == full_loads  # no full load since the start
            assert [paths for paths, _ in spy.calls[:3]] == [["003_new.txt"]] * 3
            assert spy.calls[3][0][0] == "2025"  # with the page's own path or not: the folder is walked
            assert [r.files_read for _, r in spy.calls] == [1, 1, 0, 1]
            assert spy.calls[2][1].files_removed == 1
    finally:
        await reference.store.close()


def _write_nested(folder: Path, data: bytes) -> None:
    folder.mkdir(parents=True)
    (folder / "002.txt").write_bytes(data)


def _corpus_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    rows = snapshot(db)
    del rows["outbox"]  # the reference has no subscriber
    return rows


async def test_a_page_created_and_deleted_within_the_quiet_period_is_never_loaded(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = LoadSpy(monkeypatch)
    settings = settings_for(tmp_path, api, watch_debounce_ms=400)
    async with running_app(settings) as app:
        await subscribe(api, 42)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        flash = settings.corpus_dir / "003_flash.txt"

        def flash_page() -> None:
            flash.write_bytes(seed_bytes("003"))
            flash.unlink()

        await next_load(app, flash_page)
        [(paths, report)] = spy.calls
        assert paths == ["003_flash.txt"] and report.files_read == report.files_removed == 0
        await settle(app)
        assert alerts_sent(api) == [] and (await store_of(app).stats()).documents == 1


async def test_a_burst_of_paths_is_loaded_in_full(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_sync, "FULL_LOAD_FROM_PATHS", 2)
    spy = LoadSpy(monkeypatch)
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, 42)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        full_loads = spy.full(app)

        def burst() -> None:
            drop_page(settings.corpus_dir, "003_new.txt", seed_bytes("003"))
            drop_page(settings.corpus_dir, "002_new.txt", seed_bytes("002"))

        await next_load(app, burst)
        await wait_alerts(api, 1)
        assert spy.full(app) == full_loads + 1 and spy.calls == []


async def test_the_periodic_full_load_finds_a_change_no_event_reported(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_sync, "RECONCILE_EVERY", 1.0)
    # every event lost
    monkeypatch.setattr(corpus_sync.CorpusSync, "_note_changes", lambda self, changes: None)
    spy = LoadSpy(monkeypatch)
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, 42)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        drop_page(settings.corpus_dir, "003_new.txt", seed_bytes("003"))
        [alert] = await wait_alerts(api, 1)
        assert MASADIKOV in (alert.text or "") and spy.calls == [] and spy.full(app) >= 2
        await asyncio.sleep(0)
