"""The store on its own: migrations, shared items, removal, outbox uniqueness, foreign files."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bot import store as store_module
from bot.corpus.model import OperationMention, ParsedItem, PersonMention
from bot.records import MATCH_END, MATCH_START, Source
from bot.store import DocumentChange, Store, StoreError


def item(key: str, text: str, position: int, date: dt.date | None = None, people=(), ops=()) -> ParsedItem:
    return ParsedItem(
        key=key,
        kind="teaser",
        headline=text[:40],
        summary=text[:80],
        body=text,
        date=date,
        position=position,
        people=tuple(people),
        operations=tuple(ops),
    )


SHARED = item(
    "k-shared",
    "On October 31, 2025, the Secretary General met the President.",
    0,
    dt.date(2025, 10, 31),
    people=[PersonMention("Imangali Tasmagambetov", "CSTO Secretary General", "met")],
)
ONLY_A = item(
    "k-a",
    "Operation “Channel” — to combat drug-related crimes.",
    1,
    ops=[OperationMention("Channel", "to combat drug-related crimes", 2, "Operation Channel")],
)
ONLY_B = item("k-b", "A report on migration in Central Asia.", 1, dt.date(2024, 6, 6))


def doc(path: str, *items: ParsedItem, sha: str = "h") -> DocumentChange:
    return DocumentChange(path, 100, 1, sha + path, items)


@pytest.fixture
async def store(tmp_path: Path):
    s = await Store.open(tmp_path / "t.sqlite3")
    yield s
    await s.close()


async def test_fresh_database_has_every_migration_once(tmp_path: Path) -> None:
    s = await Store.open(tmp_path / "db.sqlite3")
    assert await s.schema_version() == store_module.SCHEMA_VERSION
    await s.close()
    s = await Store.open(tmp_path / "db.sqlite3")  # reopening applies nothing again
    assert await s.schema_version() == store_module.SCHEMA_VERSION
    await s.close()


async def test_failing_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = (*store_module.MIGRATIONS, (99, "broken", "CREATE TABLE ok_table (x); CREATE TABLE broken (;"))
    monkeypatch.setattr(store_module.schema, "MIGRATIONS", bad)
    monkeypatch.setattr(store_module.schema, "SCHEMA_VERSION", 99)
    with pytest.raises(StoreError):
        await Store.open(tmp_path / "db.sqlite3")
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    versions = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
    conn.close()
    assert "ok_table" not in tables and 99 not in versions and 2 in versions


async def test_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "theirs.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE precious (x)")
    conn.execute("INSERT INTO precious VALUES (42)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="CSTO_DB_PATH"):
        await Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT x FROM precious").fetchall() == [(42,)]
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 1
    conn.close()


async def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        await Store.open(path)
    assert path.read_bytes().startswith(b"this is not a database")


async def test_shared_item_has_two_sources_and_survives_one_removal(store: Store) -> None:
    first = await store.apply_changes([doc("a.txt", SHARED, ONLY_A), doc("b.txt", SHARED, ONLY_B)])
    assert len(first.new_item_ids) == 3
    latest = await store.latest(5)
    assert latest[0].headline == SHARED.headline and latest[0].sources == (Source("a.txt"), Source("b.txt"))
    removed = await store.apply_changes([], ["a.txt"])
    assert removed.items_removed == 1  # ONLY_A went, SHARED stays (b.txt holds it)
    assert (await store.latest(5))[0].sources == (Source("b.txt"),)
    assert await store.operations() == []  # the operation only ONLY_A named is gone too
    await store.apply_changes([], ["b.txt"])
    assert (await store.stats()).items == 0 and (await store.stats()).people == 0


async def test_changed_document_keeps_unchanged_items_and_their_ids(store: Store) -> None:
    await store.apply_changes([doc("a.txt", SHARED, ONLY_A)])
    shared_id = (await store.latest(1))[0].id
    result = await store.apply_changes([doc("a.txt", SHARED, ONLY_B, sha="h2")])
    assert result.new_item_ids == (shared_id + 2,) and result.items_removed == 1
    assert (await store.latest(1))[0].id == shared_id


async def test_outbox_rows_are_unique_and_filtered(store: Store) -> None:
    await store.subscribe(100, None, [])
    await store.subscribe(200, 7, ["op:channel"])
    await store.subscribe(300, None, ["person:Someone Else"])
    result = await store.apply_changes([doc("a.txt", SHARED, ONLY_A)])
    assert result.alerts_queued == 3  # 100 gets both items, 200 only the Channel one, 300 none
    due = await store.due_alerts()
    assert sorted((r.chat_id, r.thread_id) for r in due) == [(100, None), (100, None), (200, 7)]
    # The same items reaching the store again (another page, a re-load) never alert twice.
    await store.apply_changes([doc("b.txt", SHARED, ONLY_A)])
    assert len(await store.due_alerts()) == 3


async def test_subscribing_twice_updates_instead_of_duplicating(store: Store) -> None:
    assert await store.subscribe(5, None, ["migration"]) is False
    assert await store.subscribe(5, 3, ["drugs"]) is True
    sub = await store.subscription(5)
    assert sub is not None and sub.filters == ("drugs",) and sub.thread_id == 3
    assert await store.subscription_count() == 1


async def test_a_removed_items_id_is_never_reused_so_its_successor_is_still_alerted(store: Store) -> None:
    await store.subscribe(100, None, [])
    first = await store.apply_changes([doc("a.txt", ONLY_A)])
    await store.apply_changes([], ["a.txt"])  # ONLY_A leaves the corpus (its alert stays in the outbox)
    second = await store.apply_changes([doc("b.txt", ONLY_B)])
    assert second.new_item_ids[0] > first.new_item_ids[0]
    assert second.alerts_queued == 1
    assert await store.item(first.new_item_ids[0]) is None  # an old /doc link does not show another item


LATER = item(
    "k-later",
    "On 2 March 2026 the Chairman of the CSTO Council met the Secretary General.",
    2,
    dt.date(2026, 3, 2),
    people=[
        PersonMention("Imangali Tasmagambetov", "Secretary General", "met him"),
        PersonMention("Imangali Tasmagambetov", None, "spoke"),
    ],
)
UNDATED = item(
    "k-undated",
    "The Secretary General spoke at an undated forum.",
    3,
    people=[PersonMention("Imangali Tasmagambetov", "CSTO Secretary General", "forum")],
)


async def _person_profile(path: Path):
    s = await Store.open(path)
    try:
        person_id = (await s.person_names())[0].id
        return await s.person(person_id)
    finally:
        await s.close()


async def test_who_profile_orders_titles_and_mentions_newest_first_undated_last(store: Store) -> None:
    await store.apply_changes([doc("a.txt", SHARED, LATER, UNDATED)], [], queue_alerts=False)
    (person,) = await store.person_names()
    assert person.mention_count == 3  # items, not mentions: LATER names him twice
    profile = await store.person(person.id)
    assert profile is not None and profile.mention_count == 3
    # each title once, with the newest item it was written in; an item seen undated ranks last
    assert [(t.title, t.date) for t in profile.titles] == [
        ("Secretary General", dt.date(2026, 3, 2)),
        ("CSTO Secretary General", dt.date(2025, 10, 31)),
    ]
    assert [(m.date, m.title, m.sentence) for m in profile.latest] == [
        (dt.date(2026, 3, 2), "Secretary General", "met him"),  # the titled mention of the two
        (dt.date(2025, 10, 31), "CSTO Secretary General", "met"),
        (None, "CSTO Secretary General", "forum"),
    ]
    # a count the caller already has (the people index) is used as given
    assert (await store.person(person.id, mention_count=3)) == profile


async def test_upgrading_a_version_2_database_gives_mentions_their_dates(tmp_path: Path) -> None:
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    for path in (fresh, old):
        s = await Store.open(path)
        await s.apply_changes([doc("a.txt", SHARED, LATER, UNDATED)], [], queue_alerts=False)
        await s.close()
    conn = sqlite3.connect(old)  # make `old` what version 2 wrote: no dates, the old index
    conn.executescript(
        "DROP INDEX mentions_by_person_date; DROP INDEX mentions_by_person_title;"
        "ALTER TABLE mentions DROP COLUMN date; CREATE INDEX mentions_by_person ON mentions(person_id);"
        "DELETE FROM schema_migrations WHERE version = 3;"
    )
    conn.close()
    upgraded = await _person_profile(old)
    assert upgraded == await _person_profile(fresh)
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT count(*) FROM mentions WHERE date IS NULL").fetchone()[0] == 1  # UNDATED's
    assert (
        conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        == store_module.SCHEMA_VERSION
    )
    conn.close()


def _fts_consistent(path: Path) -> bool:
    """FTS5's own check that the search index holds exactly the items' text (external content)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO items_fts(items_fts, rank) VALUES ('integrity-check', 1)")
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


async def _found(store: Store, word: str) -> list[int]:
    return [hit.id for hit in (await store.search(f'"{word}"', word, per_page=20)).hits]


async def test_new_items_are_searchable_once_through_adds_shares_and_removals(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    store = await Store.open(path)
    try:
        await store.apply_changes([doc("a.txt", SHARED, ONLY_A)], [], queue_alerts=False)
        await store.apply_changes([doc("b.txt", SHARED, ONLY_B)], [], queue_alerts=False)  # SHARED is not new
        assert len(await _found(store, "Secretary")) == 1
        assert len(await _found(store, "drug")) == 1 and len(await _found(store, "migration")) == 1
        await store.apply_changes([], ["a.txt"], queue_alerts=False)
        assert await _found(store, "drug") == [] and len(await _found(store, "Secretary")) == 1
        later = item("k-later", "A later report on drug trafficking routes.", 2)
        await store.apply_changes([doc("a.txt", ONLY_A, later)], [], queue_alerts=False)
        assert len(await _found(store, "drug")) == 2 and len(await _found(store, "routes")) == 1
    finally:
        await store.close()
    assert _fts_consistent(path)


async def test_upgrading_a_version_3_database_keeps_search_whole(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    s = await Store.open(path)
    await s.apply_changes([doc("a.txt", SHARED, ONLY_A)], [], queue_alerts=False)
    await s.close()
    conn = sqlite3.connect(path)  # make it what version 3 wrote: items indexed by a trigger
    conn.executescript(
        "CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN "
        "INSERT INTO items_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body); END;"
        "DELETE FROM schema_migrations WHERE version = 4;"
    )
    conn.close()
    s = await Store.open(path)
    try:
        await s.apply_changes([doc("b.txt", ONLY_B)], [], queue_alerts=False)
        assert len(await _found(s, "drug")) == 1 and len(await _found(s, "migration")) == 1
    finally:
        await s.close()
    assert _fts_consistent(path)  # a trigger left in place would have indexed ONLY_B twice
    conn = sqlite3.connect(path)
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'items_fts_insert'").fetchone()[0] == 0
    )
    conn.close()


async def test_a_search_whose_words_are_in_most_items_pages_through_them_newest_first(store: Store) -> None:
    common = [
        item(
            f"k-c{n}",
            f"Report {n} on alpha cooperation.",
            n,
            dt.date(2020, 1, 1) + dt.timedelta(days=37 * n % 400),
        )
        for n in range(25)
    ]
    undated = [item(f"k-u{n}", f"Undated alpha note {n}.", 25 + n) for n in range(5)]
    others = [item(f"k-o{n}", f"Beta item {n}.", 30 + n, dt.date(2030, 1, 1)) for n in range(10)]
    await store.apply_changes([doc("a.txt", *common, *undated, *others)], [], queue_alerts=False)

    pages = [await store.search('"alpha"', "alpha", page, per_page=7) for page in range(5)]
    assert [p.total for p in pages] == [30] * 5 and all(p.newest_first for p in pages)
    assert [p.has_next for p in pages] == [True, True, True, True, False]
    hits = [hit for p in pages for hit in p.hits]
    assert len(hits) == 30 == len({hit.id for hit in hits})
    dated = [h.date for h in hits[:25]]
    assert None not in dated and dated == sorted(dated, reverse=True)  # type: ignore[type-var]
    assert all(h.date is None for h in hits[25:]) and all("alpha" in h.excerpt for h in hits)
    assert all(MATCH_START + "alpha" + MATCH_END in h.excerpt for h in hits)

    rare = await store.search('"beta"', "beta", 0, per_page=5)  # 10 of 40 items: ranked by relevance
    assert rare.total == 10 and not rare.newest_first and rare.has_next and len(rare.hits) == 5


async def test_a_long_query_holds_one_reader_while_short_ones_use_the_others(store: Store) -> None:
    """A summary rebuilt in the background must not make every third command wait behind it."""
    slow = asyncio.create_task(
        store._fetchall(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT count(*) FROM n"
        )
    )
    await asyncio.sleep(0.05)  # the slow query is running on its reader
    quick = [await store._fetchall("SELECT ?", (n,)) for n in range(9)]
    assert [row[0][0] for row in quick] == list(range(9))
    assert not slow.done()  # every quick query was answered while the slow one still ran
    assert (await slow)[0][0] == 5_000_000


async def test_a_failed_rollback_never_hides_the_error_that_ended_the_transaction(store: Store) -> None:
    """SQLite may roll back by itself (a full disk): the ROLLBACK that follows fails, and the caller must
    still see the error that ended the transaction, not "no transaction is active"."""
    with pytest.raises(ValueError, match="the real error"):
        async with store_module.base.atomic(store._writer) as db:
            await db.execute("INSERT INTO meta(key, value) VALUES ('k', 'v')")
            await db.execute("ROLLBACK")  # as SQLite does on SQLITE_FULL
            raise ValueError("the real error")
    assert await store.meta_value("k") is None
    await store.set_meta_value("k", "v")  # the writer is usable again
    assert await store.meta_value("k") == "v"


async def test_an_operations_detail_says_what_its_line_in_the_listing_says(store: Store) -> None:
    """/op builds its header from the one operation, /operations from all: they must agree."""
    proxy = OperationMention("Proxy", "to stop crime online", 2, "Operation Proxy")
    proxy_caps = OperationMention("PROXY", None, 0, "Operation PROXY")
    pages = [
        doc("a.txt", ONLY_A, item("k-p1", "Operation Proxy ran.", 2, dt.date(2023, 1, 2), ops=[proxy])),
        doc("b.txt", item("k-p2", "Operation PROXY again.", 0, dt.date(2024, 5, 6), ops=[proxy_caps, proxy])),
    ]
    await store.apply_changes(pages)
    listing = await store.operations()
    assert {op.name for op in listing} == {"Channel", "Proxy"}
    for line in listing:
        detail = await store.operation(line.id)
        assert detail is not None and detail.summary == line
    assert await store.operation(max(op.id for op in listing) + 1) is None


async def test_subscribed_chats_are_listed_and_can_be_cleared_with_their_alert_history(store: Store) -> None:
    await store.subscribe(7, None, ())
    await store.subscribe(3, 5, ("drugs",))
    await store.apply_changes([doc("a.txt", ONLY_B)])
    assert await store.subscribed_chat_ids() == [3, 7]
    for chat in await store.subscribed_chat_ids():
        await store.unsubscribe(chat)
    while await store.prune_outbox(older_than_days=0):
        pass
    assert (await store.subscribed_chat_ids(), await store.outbox_states()) == ([], {})


async def test_a_title_written_in_another_case_is_one_title_on_the_card(store: Store) -> None:
    def said(key: str, title: str, day: int) -> ParsedItem:
        mention = PersonMention("Станислав Зась", title, f"sentence {key}")
        return item(key, f"Статья {key}", day, dt.date(2021, 5, day), people=[mention])

    await store.apply_changes(
        [
            doc(
                "ru.txt",
                said("k1", "Генеральный секретарь ОДКБ", 3),
                said("k2", "генеральный секретарь ОДКБ", 4),
            )
        ],
        [],
        queue_alerts=False,
    )
    (person,) = await store.person_names()
    profile = await store.person(person.id)
    assert profile is not None
    assert [(t.title, t.date) for t in profile.titles] == [
        ("генеральный секретарь ОДКБ", dt.date(2021, 5, 4))
    ]


async def test_a_russian_title_query_finds_its_holders_in_every_form_and_case(store: Store) -> None:
    def said(key: str, name: str, title: str, day: int) -> ParsedItem:
        return item(
            key, f"Статья {key}", day, dt.date(2021, 5, day), people=[PersonMention(name, title, key)]
        )

    await store.apply_changes(
        [
            doc(
                "ru.txt",
                said("k1", "Станислав Зась", "Генеральный секретарь ОДКБ", 3),
                said("k2", "Самат Ордабаев", "заместителя генерального секретаря ОДКБ", 4),
                said("k3", "Андрей Сердюков", "начальник Объединенного штаба ОДКБ", 5),
                said("k4", "Stanislav Zas", "CSTO Secretary General", 6),
            )
        ],
        [],
        queue_alerts=False,
    )
    holders = await store.title_holders("генеральный секретарь")
    names = [{h.name, *h.aliases} for h in holders]  # every spelling: replies pick the reader's script
    assert len(names) == 2 and "Самат Ордабаев" in names[0]
    assert {"Станислав Зась", "Stanislav Zas"} <= names[1]
