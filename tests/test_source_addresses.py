"""Sources with addresses, and /latest's dated and undated counts, on a small made-up corpus.

The corpus: 21 one-story pages, 3 dated and 18 undated; a MANIFEST.tsv names the address of some
(one in a subfolder), one page's first line is its own address, the rest have none (file names stay).
The manifest is untrusted input: hostile ones link nothing and say why in the log.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bench import quality
from bot import render
from bot.corpus_files import MANIFEST_MAX_BYTES, MANIFEST_NAME, parse_manifest
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
from bot.loader import Loader
from bot.parse_worker import page_address, web_address
from bot.records import Source
from bot.render.core import LINK_MARKUP, source_names
from bot.store import Store
from fakebotapi import FakeBotApi
from tests.html_check import assert_telegram_html
from tests.rig import TOKEN, BotRig, running_app, running_bot, settings_for, shown, single, store_of, until

pytestmark = [pytest.mark.timeout(60)]

REAL_PAGES = quality.default_corpus()  # ../shared/real-pages, when present
CITIES = ("Minsk", "Yerevan", "Astana", "Bishkek", "Dushanbe", "Moscow", "Almaty", "Osh", "Gyumri")
FIRST_LINE_URL = "https://en.odkb-csto.org/news/news_odkb/yerevan-drugs/"
LISTED = {
    "en/dated-2.txt": "https://pacsto.org/news/2/?a=1&b=2",  # & must reach Telegram as &amp;
    "undated-01.txt": "https://www.odkb-csto.org/news/u1/",
    "undated-02.txt": "https://www.odkb-csto.org/news/u2/",  # the same site twice in one list
}


def story(number: int, *, dated: bool) -> str:
    city = CITIES[number % len(CITIES)]
    day = f"{number + 1:02d}.03.2024\n" if dated else ""
    return (
        f"{day}CSTO experts met in {city} on question {number}\n\n"
        f"The experts of the CSTO member states discussed question {number} and mercenaries in {city}. "
        f"They agreed to meet again on question {number}.\n"
    )


def manifest(rows: dict[str, str]) -> str:
    return "file\turl\tquery\n" + "".join(f"{path}\t{url}\tsearch words\n" for path, url in rows.items())


def make_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "en").mkdir(parents=True)
    (corpus / "dated-1.txt").write_text(f"{FIRST_LINE_URL}\n{story(1, dated=True)}")
    (corpus / "en" / "dated-2.txt").write_text(story(2, dated=True))
    (corpus / "dated-3.txt").write_text(story(3, dated=True))
    for n in range(1, 19):
        (corpus / f"undated-{n:02d}.txt").write_text(story(100 + n, dated=False))
    (corpus / MANIFEST_NAME).write_text(manifest(LISTED))
    return corpus


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    root = tmp_path_factory.mktemp("addresses")
    async with running_bot(root, corpus=make_corpus(root), polling=False) as rig:
        yield rig


def link(url: str, label: str) -> str:
    return f'<a href="{url.replace("&", "&amp;")}">{label}</a>'


@pytest.mark.asyncio(loop_scope="module")
async def test_latest_counts_dated_and_undated_and_the_undated_are_reachable(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/latest 5")))
    assert text.startswith(
        "Latest 3 of 21 items — 3 dated, 18 undated (you asked for 5)\nThe undated ones: /latest undated\n\n"
        "1. 4 Mar 2024 — CSTO experts met in Bishkek on question 3"
    )
    assert len(re.findall(r"^\d+\. ", text, re.MULTILINE)) == 3
    first = shown(single(await bot.handle("/latest undated")))
    assert first.startswith(
        "5 of 18 undated items — the most recently loaded first\n\n1. undated — CSTO experts"
    )
    every = shown(single(await bot.handle("/latest undated 20")))
    assert every.startswith("18 of 18 undated items — the most recently loaded first (you asked for 20)")
    questions = {int(q) for q in re.findall(r"on question (\d+)", every)}
    assert questions == set(range(101, 119))


@pytest.mark.asyncio(loop_scope="module")
async def test_latest_links_each_source_to_its_address(bot: BotRig) -> None:
    reply = single(await bot.handle("/latest 5"))
    assert_telegram_html(reply.text)
    text = reply.text or ""
    assert link(FIRST_LINE_URL, "en.odkb-csto.org") in text  # the page's own first line
    assert link(LISTED["en/dated-2.txt"], "pacsto.org") in text  # the manifest, a file in a subfolder
    assert "<i>dated-3.txt</i>" in text  # no address: the file name
    undated = single(await bot.handle("/latest undated 20"))
    assert_telegram_html(undated.text)
    assert link(LISTED["undated-01.txt"], "odkb-csto.org") in (undated.text or "")
    assert "MANIFEST" not in shown(undated)  # the manifest is no page


@pytest.mark.asyncio(loop_scope="module")
async def test_search_and_doc_link_their_sources_and_the_address_line_is_no_text(bot: BotRig) -> None:
    found = single(await bot.handle("/search Yerevan question"))
    assert_telegram_html(found.text)
    assert link(FIRST_LINE_URL, "en.odkb-csto.org") in (found.text or "")
    doc_id = re.search(r"/doc (\d+)", shown(found))
    assert doc_id is not None
    doc = single(await bot.handle(f"/doc {doc_id.group(1)}"))
    assert_telegram_html(doc.text)
    assert link(FIRST_LINE_URL, "en.odkb-csto.org") in (doc.text or "")
    assert shown(doc).startswith("CSTO experts met in Yerevan on question 1\n2 Mar 2024 · en.odkb-csto.org")
    assert "https://" not in shown(doc)  # the address line is not part of the item's text
    none = shown(single(await bot.handle("/search javascript")))
    assert "/doc" not in none


def test_two_sources_on_one_site_are_told_apart() -> None:
    sources = (Source("a.txt", "https://www.odkb-csto.org/1"), Source("b.txt", "https://odkb-csto.org/2"))
    line = source_names(sources, 120)
    assert line == (
        '<i><a href="https://www.odkb-csto.org/1">odkb-csto.org</a>, '
        '<a href="https://odkb-csto.org/2">odkb-csto.org (2)</a></i>'
    )
    many = tuple(Source(f"{n}.txt", f"https://site{n}.example/" + "x" * 500) for n in range(40))
    bounded = source_names(many, 120)
    assert_telegram_html(bounded)
    assert re.search(r"</a>, \+\d+</i>$", bounded) and len(bounded) < 120 + LINK_MARKUP + 600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://en.odkb-csto.org/news/", "https://en.odkb-csto.org/news/"),
        ("HTTP://Example.org/a?b=1#c", "http://example.org/a?b=1#c"),
        ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
        (
            "https://кремль.рф/новости",
            "https://xn--e1ajeds9e.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8",
        ),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("file:///etc/passwd", None),
        ("//example.org/a", None),
        ("/news/1", None),
        ("https://user:secret@example.org/", None),
        ("https://exa mple.org/", None),
        ("https://example.org/\u202e", None),
        ("https://example.org:99999/", None),
        ("https://" + "a" * 3000 + ".org/", None),
    ],
)
def test_only_http_addresses_become_links(text: str, expected: str | None) -> None:
    assert web_address(text) == expected


def test_a_first_line_address_is_taken_off_the_page() -> None:
    assert page_address(f"\n  {FIRST_LINE_URL}  \nHeadline\nBody") == (FIRST_LINE_URL, "Headline\nBody")
    assert page_address("Headline\nhttps://example.org/\nBody") == (
        None,
        "Headline\nhttps://example.org/\nBody",
    )
    assert page_address("javascript:alert(1)\nHeadline") == (None, "javascript:alert(1)\nHeadline")
    assert page_address("See https://example.org/ for more\nBody")[0] is None


def test_manifest_rows_map_files_inside_the_folder_only() -> None:
    rows = (
        "url\tquery\tfile\n"  # columns in any order, found by the header
        "https://example.org/1\tq\ten/001.txt\n"
        "javascript:alert(1)\tq\ta.txt\n"
        "https://example.org/2\tq\t../outside.txt\n"
        "https://example.org/3\tq\t/etc/passwd\n"
        "https://example.org/4\tq\ten/../../x.txt\n"
        "https://example.org/5\tq\t.hidden/a.txt\n"
        "https://example.org/6\tq\tMANIFEST.tsv\n"
        "https://example.org/7\n"
        "https://example.org/8\tq\ten/001.txt\n"
        "https://example.org/9\tq\t./en/./002.txt\n"
    )
    mapping, bad = parse_manifest(rows.encode())
    assert mapping == {"en/001.txt": "https://example.org/1", "en/002.txt": "https://example.org/9"}
    assert [problem.split(":")[0] for problem in bad] == [f"line {n}" for n in (3, 4, 5, 6, 7, 8, 9, 10)]
    assert parse_manifest(b"path\taddress\nen/001.txt\thttps://example.org/\n") == (
        {},
        ["line 1: no header naming the columns file and url"],
    )


async def load(
    tmp_path: Path, corpus: Path, max_manifest_bytes: int = MANIFEST_MAX_BYTES
) -> tuple[Store, Loader]:
    store = await Store.open(tmp_path / "db.sqlite3")
    loader = Loader(store, corpus, load_lexicon(DEFAULT_LEXICON_PATH), max_manifest_bytes=max_manifest_bytes)
    await loader.load()
    return store, loader


async def all_sources(store: Store) -> list[Source]:
    items = await store.items_by_ids(range(1, (await store.stats()).items + 1))
    return [source for item in items for source in item.sources]


def manifest_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and MANIFEST_NAME in r.getMessage()
    ]


def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(story(1, dated=True))
    (corpus / "b.txt").write_text(story(2, dated=False))
    return corpus


@pytest.mark.asyncio
async def test_a_hostile_manifest_links_nothing_and_says_why(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = small_corpus(tmp_path)
    (tmp_path / "outside.txt").write_text(story(9, dated=True))
    (corpus / MANIFEST_NAME).write_text(
        "file\turl\n"
        "a.txt\tjavascript:alert(document.cookie)\n"
        "b.txt\tdata:text/html;base64,PHNjcmlwdD4=\n"
        "../outside.txt\thttps://evil.example/\n"
        "/etc/passwd\thttps://evil.example/\n"
        "a.txt\n"
        "\x00b.txt\thttps://evil.example/\n"
    )
    with caplog.at_level(logging.WARNING, logger="bot.loader"):
        store, _ = await load(tmp_path, corpus)
    try:
        assert (await store.stats()).documents == 2  # the manifest is no page, the outside file no document
        assert [source.url for source in await all_sources(store)] == [None, None]
        warnings = manifest_warnings(caplog)
        assert len(warnings) == 6 and all("row skipped" in w for w in warnings)
        assert all("\x00" not in w and "\n" not in w for w in warnings)
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_a_huge_manifest_or_one_linked_outside_is_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = small_corpus(tmp_path)
    rows = manifest({"a.txt": "https://example.org/a"}) + "b.txt\thttps://example.org/b\tq\n" * 2000
    (corpus / MANIFEST_NAME).write_text(rows)
    with caplog.at_level(logging.WARNING, logger="bot.loader"):
        store, loader = await load(tmp_path, corpus, max_manifest_bytes=10_000)
    try:
        assert [source.url for source in await all_sources(store)] == [None, None]
        [warning] = manifest_warnings(caplog)
        assert "over the 10000-byte limit" in warning
        (tmp_path / "elsewhere.tsv").write_text(manifest({"a.txt": "https://example.org/a"}))
        (corpus / MANIFEST_NAME).unlink()
        os.symlink(tmp_path / "elsewhere.tsv", corpus / MANIFEST_NAME)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="bot.loader"):
            await loader.load_paths([corpus / MANIFEST_NAME])
        assert [source.url for source in await all_sources(store)] == [None, None]
        [warning] = manifest_warnings(caplog)
        assert "a link to a path outside the corpus folder" in warning
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_a_stored_database_gains_addresses_when_its_pages_are_read_again(tmp_path: Path) -> None:
    """Migration 10 forgets the rules' fingerprint: pages loaded before it are read again, so a first
    line that was item text becomes the page's address."""
    corpus = small_corpus(tmp_path)
    (corpus / "a.txt").write_text(f"{FIRST_LINE_URL}\n{story(1, dated=True)}")
    store, loader = await load(tmp_path, corpus)
    try:
        assert Source("a.txt", FIRST_LINE_URL) in await all_sources(store)
        await store.set_meta_value("rules", "")  # as migration 10 leaves an older database
        await store._writer.execute("UPDATE documents SET url = NULL")
        await store._writer.commit()
        report = await loader.load()
        assert report.files_read == 2 and Source("a.txt", FIRST_LINE_URL) in await all_sources(store)
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_the_watcher_reloads_the_addresses_when_the_manifest_changes(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path)
    async with FakeBotApi(token=TOKEN) as api, running_app(settings_for(tmp_path, api, corpus=corpus)) as app:
        store = store_of(app)
        assert {source.url for source in await all_sources(store)} == {None}
        (corpus / f"{MANIFEST_NAME}.part").write_text(manifest({"a.txt": "https://example.org/a"}))
        os.replace(corpus / f"{MANIFEST_NAME}.part", corpus / MANIFEST_NAME)

        async def linked() -> bool:
            return Source("a.txt", "https://example.org/a") in await all_sources(store)

        await until(linked, what="the manifest's address")
        (corpus / MANIFEST_NAME).unlink()

        async def unlinked() -> bool:
            return {source.url for source in await all_sources(store)} == {None}

        await until(unlinked, what="the address gone with the manifest")
        assert (await store.stats()).documents == 2


@pytest.mark.skipif(REAL_PAGES is None, reason="../shared/real-pages is absent")
@pytest.mark.asyncio
async def test_the_real_pages_load_with_their_addresses(tmp_path: Path) -> None:
    assert REAL_PAGES is not None
    addresses, bad = parse_manifest((REAL_PAGES / MANIFEST_NAME).read_bytes())
    assert not bad and len(addresses) >= 140
    store, _ = await load(tmp_path, REAL_PAGES)
    try:
        pages = await all_sources(store)
        assert "README.md" not in {source.name for source in pages}  # the folder's notes are no page
        assert len({source.url for source in pages}) > 100 and all(s.url in addresses.values() for s in pages)
        latest = await store.latest_items(20)
        reply = render.render_latest(latest, 20, most=20)
        assert_telegram_html(reply.text)
        assert '<a href="https://en.odkb-csto.org/' in reply.text and ".txt" not in reply.text
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_readme_and_licence_files_describe_the_folder_and_are_no_pages(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "en").mkdir(parents=True)
    page = "CSTO news\n\nOn 3 March 2025 the CSTO Secretary General met the press in Moscow.\n"
    (corpus / "en" / "001.txt").write_text(page, encoding="utf-8")
    for note in ("README.md", "LICENSE", "en/readme.txt"):
        (corpus / note).write_text("About this collection: scraped pages, one a file.\n", encoding="utf-8")
    store, _ = await load(tmp_path, corpus)
    try:
        assert (await store.stats()).documents == 1
        assert [source.name for source in await all_sources(store)] == ["001.txt"]
    finally:
        await store.close()
