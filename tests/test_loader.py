"""The loader on real seed pages and on a broken corpus: incremental, skipping bad files, crash-safe."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
from bot.loader import Loader
from bot.search_query import parse_search_query
from bot.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RUSSIAN = (
    "31 октября 2025 года в Астане Генеральный секретарь ОДКБ Имангали Тасмагамбетов провёл встречу.\n\n"
    "Стороны обсудили вопросы коллективной безопасности.\n"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


async def open_loader(tmp_path: Path, corpus: Path, **kwargs: int) -> tuple[Store, Loader]:
    store = await Store.open(tmp_path / "db.sqlite3")
    return store, Loader(store, corpus, load_lexicon(DEFAULT_LEXICON_PATH), **kwargs)


async def test_seed_corpus_loads_then_reloads_incrementally(tmp_path: Path, corpus: Path) -> None:
    store, loader = await open_loader(tmp_path, corpus)
    try:
        first = await loader.load()
        assert (first.files_read, first.items_total, first.operations) == (5, 16, 4)
        again = await loader.load()
        assert again.files_read == 0 and again.files_unchanged == 5 and again.items_added == 0

        page = next(corpus.glob("002_*"))
        page.write_text(page.read_text(encoding="utf-8") + "\nA new closing paragraph was added.\n", "utf-8")
        edited = await loader.load()
        assert edited.files_read == 1  # only the edited page is parsed again
        assert edited.items_added == 1 and edited.items_removed == 1  # its main article changed
        assert edited.items_total == 16

        os.utime(page, ns=(time.time_ns(), time.time_ns() + 10**9))  # same bytes, new mtime
        touched = await loader.load()
        assert touched.files_read == 0 and touched.items_added == 0

        next(corpus.glob("004_*")).unlink()
        removed = await loader.load()
        # 004's main article goes; its three teasers stay because 001 still holds them.
        assert removed.files_removed == 1 and removed.items_removed == 1 and removed.items_total == 15
        assert all("004_" not in s.name for item in await store.latest(20) for s in item.sources)
    finally:
        await store.close()


async def test_legacy_encoding_loads_and_bad_files_are_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "russian.txt").write_bytes(RUSSIAN.encode("cp1251"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "big.txt").write_bytes(b"CSTO news. " * 2000)
    (folder / ".partial-download").write_text("not yet", "utf-8")
    (folder / "crlf_bom.txt").write_bytes(
        "\ufeffOn 8 November 2023, in Moscow, a meeting was held.\r\n".encode()
    )
    store, loader = await open_loader(tmp_path, folder, max_file_bytes=10_000)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await loader.load()
        assert report.files_read == 2 and report.files_skipped == 3
        warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warned) == 3
        assert any("empty.txt" in w for w in warned) and any("image.bin" in w for w in warned)
        assert any("big.txt" in w and "limit" in w for w in warned)
        hits = await store.search('"Тасмагамбетов"', "Тасмагамбетов")
        assert hits.hits and "Тасмагамбетов" in hits.hits[0].excerpt
        latest = await store.latest(5)
        assert [i.date.isoformat() for i in latest if i.date] == ["2025-10-31", "2023-11-08"]
    finally:
        await store.close()


async def test_symlink_loops_and_vanishing_files_do_not_stop_the_load(
    tmp_path: Path, corpus: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)  # a directory loop
    (corpus / "self.txt").symlink_to(corpus / "self.txt")  # a file link to itself
    store, loader = await open_loader(tmp_path, corpus)
    victim = next(corpus.glob("003_*"))
    from bot import parse_worker

    real_read = parse_worker.read_inside

    def vanishing_read(root: Path, rel: str, limit: int, real_root: str | None = None) -> bytes:
        if rel == victim.name:  # deleted between scan and read
            raise FileNotFoundError(2, "No such file or directory")
        return real_read(root, rel, limit, real_root)

    monkeypatch.setattr(parse_worker, "read_inside", vanishing_read)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await loader.load()
        assert report.files_read == 4 and report.files_skipped == 2
        assert any("self.txt" in r.getMessage() for r in caplog.records)
        assert any(victim.name in r.getMessage() for r in caplog.records)
        monkeypatch.setattr(parse_worker, "read_inside", real_read)
        healed = await loader.load()  # the next load picks the file up
        assert healed.files_read == 1 and healed.items_total == 16
    finally:
        await store.close()


def _consistent(db: Path) -> tuple[int, int, int]:
    """Every loaded document has all its items, no item lacks a source. Returns counts."""
    conn = sqlite3.connect(db)
    try:
        orphans = conn.execute(
            "SELECT count(*) FROM items WHERE NOT EXISTS (SELECT 1 FROM sources WHERE item_id = items.id)"
        ).fetchone()[0]
        empty_docs = conn.execute(
            "SELECT count(*) FROM documents WHERE NOT EXISTS (SELECT 1 FROM sources WHERE document_id = documents.id)"
        ).fetchone()[0]
        assert orphans == 0 and empty_docs == 0
        fts = conn.execute("SELECT count(*) FROM items_fts").fetchone()[0]
        items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        assert fts == items
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        dup = conn.execute(
            "SELECT count(*) - count(DISTINCT chat_id || ':' || item_id) FROM outbox"
        ).fetchone()[0]
        assert dup == 0
        return docs, items, outbox
    finally:
        conn.close()


def _load_cmd(corpus: Path, db: Path, config: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bot",
        "load",
        "--corpus",
        str(corpus),
        "--db",
        str(db),
        "--config",
        str(config),
    ]


async def _subscribe_one_chat(path: Path) -> None:
    store = await Store.open(path)
    await store.subscribe(77, None, [])
    await store.close()


def test_kill_9_during_a_load_leaves_a_consistent_database(tmp_path: Path) -> None:
    from bench.generate import generate_corpus

    corpus = tmp_path / "corpus"
    generate_corpus(corpus, 400, seed=3)
    config = tmp_path / "small-batches.yaml"
    config.write_text("corpus:\n  batch_files: 5\n  watch: false\n", "utf-8")
    db, reference = tmp_path / "killed.sqlite3", tmp_path / "reference.sqlite3"
    for path in (db, reference):  # a subscriber exists before the load: every new item is an alert
        asyncio.run(_subscribe_one_chat(path))

    proc = subprocess.Popen(
        _load_cmd(corpus, db, config),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    loaded = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            loaded = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except sqlite3.Error:
            loaded = 0
        if loaded >= 20:
            break
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the loader and its parsing workers, as a service manager would
    proc.wait(timeout=10)
    assert 0 < loaded < 400, "the load finished before it could be killed; make the corpus larger"
    docs, _, _ = _consistent(db)
    assert docs < 400

    finish = subprocess.run(
        _load_cmd(corpus, db, config), capture_output=True, text=True, timeout=120, check=False
    )
    assert finish.returncode == 0, finish.stderr
    subprocess.run(_load_cmd(corpus, reference, config), check=True, capture_output=True, timeout=120)
    # After the restart the database is exactly what one uninterrupted load makes: no item, and no
    # alert, lost or doubled.
    assert _consistent(db) == _consistent(reference)


async def test_a_page_that_breaks_a_rule_is_skipped_and_the_rest_load(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import bot.parse_worker

    real_parse = bot.parse_worker.parse_page

    def parse_or_fail(text: str, *args: object, **kwargs: object):  # a bug hit by one page only
        if "Cholpon-Ata" in text:
            raise RuntimeError("rule bug")
        return real_parse(text, *args, **kwargs)

    monkeypatch.setattr(bot.parse_worker, "parse_page", parse_or_fail)
    store, loader = await open_loader(tmp_path, corpus)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            report = await loader.load()
        broken = [p.name for p in corpus.iterdir() if "Cholpon-Ata" in p.read_text("utf-8")]
        assert broken and report.files_skipped == len(broken)
        assert report.files_read == 5 - len(broken) and report.items_total > 0
        warned = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
        assert all(name in warned for name in broken) and "could not be parsed" in warned
    finally:
        await store.close()


def _many_pages(folder: Path, count: int) -> None:
    """`count` pages in nested folders: the seed pages, each copy with a closing line of its own."""
    pages = sorted(SEEDS.glob("*.txt"))
    for n in range(count):
        target = folder / f"part{n % 3}" / f"{n:04d}_{pages[n % len(pages)].name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            pages[n % len(pages)].read_text("utf-8") + f"\nClosing remark number {n}.\n", "utf-8"
        )


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            "documents": conn.execute("SELECT id, path, sha256 FROM documents ORDER BY id").fetchall(),
            "items": conn.execute("SELECT id, key, date, headline FROM items ORDER BY id").fetchall(),
            "sources": conn.execute("SELECT * FROM sources ORDER BY document_id, position").fetchall(),
            "mentions": conn.execute(
                "SELECT person_id, item_id, title, date FROM mentions ORDER BY id"
            ).fetchall(),
        }
    finally:
        conn.close()


async def test_a_big_load_through_a_parsing_process_equals_one_in_a_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a thread, in a parsing process, or shared between the two piece by piece (`csto-bot load`):
    the same database, whoever parsed which page."""
    import bot.parse_worker

    folder = tmp_path / "corpus"
    _many_pages(folder, 450)  # over the loader's threshold for a parsing process
    parsed_here = []  # pages parsed in this process (the parsing process has modules of its own)
    parse_page = bot.parse_worker.parse_page
    monkeypatch.setattr(
        bot.parse_worker,
        "parse_page",
        lambda text, *a, **k: parsed_here.append(1) or parse_page(text, *a, **k),
    )
    dumps, shares = [], []
    for workers, parse_here in ((0, False), (1, False), (1, True)):
        parsed_here.clear()
        store = await Store.open(tmp_path / f"w{workers}{parse_here}.sqlite3")
        try:
            loader = Loader(
                store,
                folder,
                load_lexicon(DEFAULT_LEXICON_PATH),
                workers=workers,
                batch_files=100,
                parse_here=parse_here,
            )
            report = await loader.load()
            assert report.files_read == 450 and report.files_skipped == 0
            again = await loader.load()
            assert again.files_unchanged == 450 and again.files_read == 0
        finally:
            await store.close()
        dumps.append(_dump(tmp_path / f"w{workers}{parse_here}.sqlite3"))
        shares.append(len(parsed_here))
    assert dumps[0] == dumps[1] == dumps[2]
    assert shares[0] == 450 and shares[1] == 0 and 0 < shares[2] < 450
    assert len(dumps[0]["documents"]) == 450 and len(dumps[0]["items"]) > 450


def test_a_parsing_process_starts_without_telegram_or_the_store() -> None:
    """A parsing process imports the script that started the bot (spawn) and the module of the
    function it runs: neither may pull in Telegram, HTTP or SQLite (they once doubled its start size)."""
    probe = (
        "import sys, bot.cli, bot.parse_worker; "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    top_level = set(out.stdout.split())
    assert "bot" in top_level and "yaml" in top_level
    assert not top_level & {"telegram", "httpx", "httpcore", "aiosqlite", "sqlite3", "rapidfuzz"}


async def test_a_load_asked_to_stop_ends_between_batches_and_removes_nothing(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stop during a long load (the start-up load of a big folder) ends it after the batch in hand.
    The walk did not finish, so no stored document counts as gone, and what is left is read next time."""
    store, loader = await open_loader(tmp_path, corpus, batch_files=1, workers=0)
    try:
        await loader.load()
        for page in corpus.glob("*.txt"):  # every page changed: each must be read again
            page.write_text(page.read_text(encoding="utf-8") + "\nOne more paragraph.\n", "utf-8")
        monkeypatch.setattr("bot.loader.SCAN_CHUNK", 1)  # the walk itself is cut short too ...
        monkeypatch.setattr("bot.loader.PARALLEL_FROM_FILES", 1)  # ... not read ahead to the end
        import bot.loader as loader_module

        parse = loader_module.process_batch
        batches = 0

        def one_batch_then_stop(*args: object) -> object:
            nonlocal batches
            batches += 1
            loader.request_stop()  # as CorpusSync.stop does when the bot stops mid-load
            return parse(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(loader_module, "process_batch", one_batch_then_stop)
        stopped = await loader.load()
        # The batches already handed to the parser (at most workers + 1) are written; no other is read.
        assert stopped.stopped and batches <= 2 and stopped.files_read == batches
        assert stopped.files_removed == 0 and (await store.stats()).documents == 5  # nothing lost
        assert (await loader.load()).stopped  # a stopping loader starts no load

        monkeypatch.setattr(loader_module, "process_batch", parse)
        next_start = Loader(store, corpus, load_lexicon(DEFAULT_LEXICON_PATH))
        finished = await next_start.load()
        assert not finished.stopped
        assert finished.files_read == 5 - batches and finished.files_unchanged == batches
    finally:
        await store.close()


async def test_pages_are_parsed_again_when_the_rules_change_and_that_is_no_news(
    tmp_path: Path, corpus: Path
) -> None:
    """Items stored by older rules (an upgrade, a curated lexicon edit) would stay wrong until their file
    changed: a changed fingerprint makes the next full load parse every page again, queueing no alert
    for what was already there, while a page that really is new is alerted as usual."""
    lexicon = load_lexicon(DEFAULT_LEXICON_PATH)
    older = dataclasses.replace(lexicon, title_words=tuple(w for w in lexicon.title_words if w != "Chairman"))
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        loader = Loader(
            store, corpus, older
        )  # rules that miss the title of "Denis Manturov, Chairman of ..."
        first = await loader.load()
        assert first.files_read == 5 and not first.rules_changed
        assert "Denis Manturov" not in {h.name for h in await store.title_holders("Chairman")}
        assert (await loader.load()).files_read == 0
        await store.subscribe(42, None, [])
        (corpus / "new.txt").write_text(RUSSIAN, "utf-8")

        # A curator lists 004's closing courtesy line as debris: its article changes (a new item).
        closing = "In conclusion, I should like to wish you, dear colleagues, fruitful work together."
        edited = dataclasses.replace(lexicon, navigation_lines=(*lexicon.navigation_lines, closing))
        reparsed = await Loader(store, corpus, edited).load()
        assert reparsed.rules_changed and reparsed.files_read == 6 and reparsed.items_removed == 1
        new_page_items = reparsed.items_added - 1  # the rest is 004's article, changed
        assert new_page_items >= 1
        assert await store.outbox_states() == {"pending": new_page_items}  # the new page's only
        match = parse_search_query('"fruitful work together"').match_expression()
        assert match is not None
        assert not (await store.search(match, "fruitful work together")).hits  # as the new lexicon reads it
        assert reparsed.items_refreshed >= 15  # the other items, rewritten as the new rules read them
        assert "Denis Manturov" in {h.name for h in await store.title_holders("Chairman")}
        with sqlite3.connect(tmp_path / "db.sqlite3") as db:  # the search index follows the rewrites
            db.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")
        assert (await Loader(store, corpus, edited).load()).files_read == 0  # the fingerprint is kept

        with sqlite3.connect(tmp_path / "db.sqlite3") as db:  # a database from before fingerprints
            db.execute("DELETE FROM meta WHERE key = 'rules'")
        upgraded = await Loader(store, corpus, edited).load()
        assert upgraded.files_read == 6 and not upgraded.rules_changed and upgraded.items_added == 0
    finally:
        await store.close()
