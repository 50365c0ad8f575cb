"""Search with morphology (issue 15, item 3): every inflected form of a word finds the others, in Russian
and English, for /search, inline search and word filters; excerpts mark the words as written; phrase,
prefix*, -exclusion and OR keep working; a database from before (schema 10) is reindexed on opening."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from bot.corpus.stems import stem_text, tokens
from bot.records import MATCH_END, MATCH_START
from bot.search_query import Highlight, excerpt, parse_search_query, stemmed_match
from bot.store import Store
from bot.store import schema as schema_module
from tests.rig import running_bot, single
from tests.test_store import doc, item

OPERATION_RU = "Сотрудники провели операцию «Канал» на границе, сообщили в Объединенном штабе ОДКБ."
STAFF_RU = "Начальник штаба рассказал об учениях «Взаимодействие» и о новых учениях в Казахстане."
EXERCISES_EN = "The forces held joint exercises near the border, the Joint Staff said."


def marked(text: str) -> list[str]:
    """The words an excerpt marks."""
    return [piece.split(MATCH_END)[0] for piece in text.split(MATCH_START)[1:]]


def stemmed(text: str) -> str | None:
    match = parse_search_query(text).match_expression()
    return None if match is None else stemmed_match(match)


# ------------------------------------------------------------------------------------- plain strings


@pytest.mark.parametrize(
    ("forms", "other"),
    [
        (("операция", "операции", "операцию", "операцией"), "операциях"),
        (("штаб", "штаба", "штабе"), "штабом"),
        (("учения", "учениях", "учений"), "учениями"),
        (("exercise", "exercises", "exercised"), "exercising"),
        (("mercenary", "mercenaries"), "Mercenaries"),
    ],
)
def test_every_inflected_form_has_one_stem(forms: tuple[str, ...], other: str) -> None:
    assert len({stem_text(form) for form in (*forms, other)}) == 1


def test_the_stemmed_text_has_one_stem_per_word_in_order() -> None:
    text = "«Канал-2007»: штаба ОДКБ, C-130 и U.S. exercises"
    assert len(stem_text(text).split()) == len(tokens(text)) == 10


def test_a_text_stems_the_same_whichever_of_its_words_were_stemmed_before() -> None:
    # stem_text remembers words' stems across texts; a text met with some, all or none of its words
    # remembered gives what stemming its words afresh gives.
    from bot.corpus.stems import _stem_text, stem_words

    rnd = random.Random(3)
    words = [*tokens(OPERATION_RU), *tokens(STAFF_RU), *tokens(EXERCISES_EN), "2025", "C-130", "Ёлки_палки"]
    for _ in range(300):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 30)))
        assert _stem_text(text) == " ".join(stem_words(tokens(text))), text


def test_words_and_phrases_are_searched_as_stems_prefixes_as_typed() -> None:
    assert stemmed("операции") == stemmed("операцию") == '"операц"'
    assert stemmed("exercises") == stemmed("exercise") == '"exercis"'
    assert stemmed('"Объединенного штаба"') == stemmed('"объединенный штаб"') == '"объединен штаб"'
    assert stemmed("учени*") == '"учени"*'  # a prefix is matched against the words as written
    assert stemmed("штаба -учениями") == '("штаб") NOT ("учен")'
    assert stemmed("операции OR exercises") == '("операц" OR "exercis")'
    assert stemmed("CSTO summit") == '"CSTO" AND "summit"'  # words that are their own stem stay as typed


def test_the_excerpt_marks_the_forms_as_written() -> None:
    highlight = Highlight.of_match(str(parse_search_query("операции штаб").match_expression()))
    shown = excerpt(OPERATION_RU, highlight)
    assert marked(shown) == ["операцию", "штабе"]
    assert shown.replace(MATCH_START, "").replace(MATCH_END, "") == OPERATION_RU


def test_the_excerpt_marks_a_phrase_only_where_it_stands_whole_and_prefixes_by_their_start() -> None:
    highlight = Highlight.of_match(str(parse_search_query('"новых учениях" казах*').match_expression()))
    assert marked(excerpt(STAFF_RU, highlight)) == ["новых", "учениях", "Казахстане"]


# ------------------------------------------------------------------------------------------ the store


async def _search(store: Store, text: str) -> list[tuple[int, str]]:
    match = parse_search_query(text).match_expression()
    assert match is not None
    return [(hit.id, hit.excerpt) for hit in (await store.search(match, text, per_page=20)).hits]


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "t.sqlite3")
    await s.apply_changes(
        [
            doc(
                "a.txt",
                item("k-op", OPERATION_RU, 0),
                item("k-staff", STAFF_RU, 1),
                item("k-ex", EXERCISES_EN, 2),
            )
        ],
        [],
        queue_alerts=False,
    )
    yield s
    await s.close()


async def test_an_inflected_russian_word_finds_the_other_form_and_marks_it_as_written(store: Store) -> None:
    (found,) = await _search(store, "операции")
    assert marked(found[1]) == ["операцию"]
    assert len(await _search(store, "штаба")) == 2  # «штаба» and «штабе»
    assert len(await _search(store, "штаб")) == 2


async def test_an_english_form_finds_the_other(store: Store) -> None:
    (found,) = await _search(store, "exercise")
    assert marked(found[1]) == ["exercises"]


async def test_phrase_prefix_exclusion_and_or_over_stems(store: Store) -> None:
    assert len(await _search(store, '"объединенного штаба"')) == 1  # «Объединенном штабе»
    assert await _search(store, '"штаба объединенного"') == []  # a phrase keeps its order
    assert len(await _search(store, "учени*")) == 1
    assert len(await _search(store, "штаб -учения")) == 1  # «учениях» is a form of the excluded word
    assert len(await _search(store, "операции OR exercise")) == 2


async def test_a_word_filter_matches_another_form_of_its_word(store: Store) -> None:
    await store.subscribe(5, None, ["операции"])
    await store.apply_changes(
        [doc("b.txt", item("k-new", "Новая операция «Нелегал» началась.", 0))], [], queue_alerts=True
    )
    assert await store.outbox_states() == {"pending": 1}


# ----------------------------------------------------------------------------------------- migration


async def test_a_schema_10_database_is_reindexed_and_finds_inflected_forms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    with monkeypatch.context() as patched:  # what csto-bot made before migration 11
        patched.setattr(schema_module, "MIGRATIONS", schema_module.MIGRATIONS[:10])
        old = await Store.open(path)
        await old.subscribe(5, None, ["штаб"])
        await old.close()
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO items(id, key, kind, headline, summary, body, date, added_at) "
        "VALUES (1, 'k', 'teaser', 'Операция', '', ?, NULL, '2026-01-01')",
        (OPERATION_RU,),
    )
    conn.execute("INSERT INTO items_fts(rowid, headline, body) SELECT id, headline, body FROM items")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM items_fts WHERE items_fts MATCH 'операции'").fetchone()[0] == 0
    conn.close()
    store = await Store.open(path)
    try:
        assert await store.schema_version() == 11
        (found,) = await _search(store, "операции")
        assert marked(found[1]) == ["операцию"]
        assert await store.subscribed_chat_ids() == [5]
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")


# ------------------------------------------------------------------------------------- end to end


async def test_search_in_russian_finds_another_form_end_to_end(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ru.txt").write_text(
        "Новости ОДКБ\n\n12 ноября 2026 года\n\nОперация «Канал»\n\n" + OPERATION_RU + "\n", "utf-8"
    )
    async with running_bot(tmp_path, corpus=corpus, polling=False) as bot:
        reply = single(await bot.handle("/search операции", language_code="ru"))
    assert reply.text is not None
    assert "<b>операцию</b>" in reply.text


async def test_stems_made_by_another_stemmer_are_made_again_on_opening(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    first = await Store.open(path)
    await first.apply_changes([doc("a.txt", item("k-op", OPERATION_RU, 0))], [], queue_alerts=False)
    await first.close()
    columns = "headline, body, headline_stems, body_stems"
    with sqlite3.connect(path) as conn:  # an index of what another stemmer made (here: no stemming)
        conn.execute(
            f"INSERT INTO items_fts(items_fts, rowid, {columns}) SELECT 'delete', id, {columns} FROM items"
        )
        conn.execute("UPDATE items SET headline_stems = lower(headline), body_stems = lower(body)")
        conn.execute(f"INSERT INTO items_fts(rowid, {columns}) SELECT id, {columns} FROM items")
        conn.execute("UPDATE meta SET value = 'another stemmer' WHERE key = 'search_stems'")
    store = await Store.open(path)
    try:
        assert len(await _search(store, "операции")) == 1
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")


REAL_PAGES = Path(__file__).resolve().parents[3] / "shared" / "real-pages"


def _fts5_token_count(text: str) -> int:
    """How many tokens FTS5's unicode61 (as the store configures it) reads in `text`."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
        conn.execute("INSERT INTO t(x) VALUES (?)", (text,))
        return int(conn.execute("SELECT count(*) FROM v").fetchone()[0])
    finally:
        conn.close()


def test_words_are_split_as_fts5_splits_them_so_stems_keep_their_words_positions() -> None:
    samples = [OPERATION_RU, STAFF_RU, EXERCISES_EN, "snake_case C-130 U.S. l'ONU д’Артаньян 2024г. ½ ёлка й"]
    samples += [
        p.read_text("utf-8") for lang in ("en", "ru") for p in sorted((REAL_PAGES / lang).glob("*.txt"))
    ]
    for text in samples:
        assert len(tokens(text)) == len(stem_text(text).split()) == _fts5_token_count(text)


@pytest.mark.parametrize("parse_here", [True, False])
async def test_a_load_stores_the_same_stems_whoever_makes_them(tmp_path: Path, parse_here: bool) -> None:
    """Beside the bot the parsing process makes the stems; a load alone shares the parse (and the stems)
    between that process and a thread of its own."""
    from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon
    from bot.loader import Loader

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("12.05.2031\n" + OPERATION_RU + "\n", encoding="utf-8")
    store = await Store.open(tmp_path / "db.sqlite3")
    try:
        loader = Loader(
            store, corpus, load_lexicon(DEFAULT_LEXICON_PATH), thread_below=0, parse_here=parse_here
        )
        try:
            await loader.load()
        finally:
            loader.request_stop()  # the parsing process goes
        assert len(await _search(store, "операции")) == 1
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "db.sqlite3") as conn:
        rows = conn.execute("SELECT headline, body, headline_stems, body_stems FROM items").fetchall()
    assert rows and all(hs == stem_text(h) and bs == stem_text(b) for h, b, hs, bs in rows)
