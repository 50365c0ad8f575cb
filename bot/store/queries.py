"""The queries the commands make: latest, search, items, people, operations, stats.

Every query runs on a reader connection (StoreBase._fetchall), never on the writer, so a long load never
makes a command wait; a query whose cost the user's text decides (/search, a title in /who) runs under a
time budget (_user_query) and raises QueryTooBroad past it. Results are plain records from bot.records.
Caches built on the whole corpus live in bot.services (Derived), not here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from bot.corpus.keys import fold_words, operation_key
from bot.corpus.operation_names import EXERCISE, OPERATION, instance_phase, instance_years
from bot.records import (
    MATCH_END,
    MATCH_START,
    CorpusStats,
    ItemDetail,
    ItemSummary,
    LatestItems,
    OperationDetail,
    OperationExcerpt,
    OperationSummary,
    PersonMentionRecord,
    PersonName,
    PersonProfile,
    PersonTitle,
    SearchHit,
    SearchPage,
    Source,
    TitleHolder,
)
from bot.search_query import EXCERPT_SCAN, Highlight, excerpt, stemmed_match
from bot.store.base import CYRILLIC_GLOB, StoreBase, as_date, chunks, log, placeholders

# Every other name a person goes by (p.id, p.name, or ?1, ?2): spellings pages used, the most used first,
# then the curated aliases.
_ALIASES_OF_P = (
    "SELECT alias FROM (SELECT spelling AS alias, count AS n FROM person_spellings "
    "WHERE person_id = p.id AND spelling <> p.name "
    "UNION ALL SELECT alias, 0 FROM person_aliases WHERE person_id = p.id AND alias NOT IN "
    "(SELECT spelling FROM person_spellings WHERE person_id = p.id)) ORDER BY n DESC, alias"
)


def _source_name(path: str) -> str:
    return PurePosixPath(path).name


def _display_name(spellings: Sequence[tuple[str, int]]) -> str:
    """The usual spelling, preferring one not in capitals ("Proxy" over "PROXY")."""
    if not spellings:
        return "?"
    name = min(spellings, key=lambda nc: (nc[0] == nc[0].upper(), -nc[1], nc[0]))[0]
    return name.capitalize() if name.isupper() and len(name) > 1 else name


def _title_word(word: str) -> str:
    """A folded word of a title query as a prefix that finds its other forms: a Russian word without
    its last two letters («секретарь» finds «секретаря», «генерального»), an English one as typed."""
    return word if word.isascii() or len(word) <= 5 else word[: max(5, len(word) - 2)]


def _newest_per_wording(titles: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """Titles (newest first) once per wording: case, punctuation and spacing apart ("Генеральный
    секретарь ОДКБ" at a sentence's start and "генеральный секретарь ОДКБ" inside one) are one title."""
    seen: set[str] = set()
    kept = []
    for row in titles:
        key = fold_words(row[0])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


class Queries(StoreBase):
    """Read-only answers for the commands, on the reader connections."""

    async def _sources(self, item_ids: Iterable[int]) -> dict[int, tuple[Source, ...]]:
        """Each item's documents, by file name and address (the manifest's, else the page's own)."""
        ids = list(dict.fromkeys(item_ids))
        found: dict[int, list[Source]] = {i: [] for i in ids}
        for chunk in chunks(ids):
            rows = await self._fetchall(
                "SELECT s.item_id, d.path, coalesce(a.url, d.url) FROM sources s "
                "JOIN documents d ON d.id = s.document_id LEFT JOIN listed_addresses a ON a.path = d.path "
                f"WHERE s.item_id IN ({placeholders(len(chunk))}) ORDER BY d.path, s.position",
                chunk,
            )
            for item_id, path, url in rows:
                source = Source(_source_name(path), url)
                if source not in found[item_id]:
                    found[item_id].append(source)
        return {k: tuple(v) for k, v in found.items()}

    async def latest(self, n: int) -> list[ItemSummary]:
        """The n newest dated items (ties: the most recently added first)."""
        rows = await self._fetchall(
            "SELECT id, date, headline, summary FROM items WHERE date IS NOT NULL "
            "ORDER BY date DESC, id DESC LIMIT ?",
            (max(0, n),),
        )
        return await self._summaries(rows)

    async def latest_items(self, n: int, *, undated: bool = False) -> LatestItems:
        """/latest: the n newest dated items, or with `undated` the n undated items loaded last (no
        date to order them by), and how many items have a date and how many have none."""
        if undated:
            rows = await self._fetchall(
                "SELECT id, date, headline, summary FROM items WHERE date IS NULL ORDER BY id DESC LIMIT ?",
                (max(0, n),),
            )
            items = await self._summaries(rows)
        else:
            items = await self.latest(n)
        counts = await self._fetchall("SELECT count(date), count(*) - count(date) FROM items")
        dated, without = (int(value) for value in counts[0])
        return LatestItems(tuple(items), dated, without, undated)

    async def _summaries(self, rows: Sequence[Sequence[Any]]) -> list[ItemSummary]:
        """(id, date, headline, summary) rows as ItemSummary records with their sources."""
        sources = await self._sources(r[0] for r in rows)
        return [ItemSummary(r[0], as_date(r[1]), r[2], r[3], sources[r[0]]) for r in rows]

    async def items_by_ids(self, ids: Sequence[int]) -> list[ItemSummary]:
        rows = []
        for chunk in chunks(list(ids)):
            rows += await self._fetchall(
                f"SELECT id, date, headline, summary FROM items WHERE id IN ({placeholders(len(chunk))})",
                chunk,
            )
        by_id = {item.id: item for item in await self._summaries(rows)}
        return [by_id[i] for i in ids if i in by_id]

    async def item(self, item_id: int) -> ItemDetail | None:
        rows = await self._fetchall(
            "SELECT id, kind, date, headline, summary, body FROM items WHERE id = ?", (item_id,)
        )
        if not rows:
            return None
        r = rows[0]
        people = await self._fetchall(
            "SELECT p.name FROM mentions m JOIN people p ON p.id = m.person_id WHERE m.item_id = ? "
            "GROUP BY p.id ORDER BY min(m.id)",
            (item_id,),
        )
        ops = await self._fetchall(
            "SELECT o.name, o.kind FROM operation_mentions m JOIN operations o ON o.id = m.operation_id "
            "WHERE m.item_id = ? GROUP BY o.id ORDER BY min(m.id)",
            (item_id,),
        )
        sources = await self._sources([item_id])
        operations = tuple(_display_name([(o[0], 1)]) for o in ops if o[1] == OPERATION)
        exercises = tuple(_display_name([(o[0], 1)]) for o in ops if o[1] == EXERCISE)
        return ItemDetail(
            id=r[0], kind=r[1], date=as_date(r[2]), headline=r[3], summary=r[4], body=r[5],
            sources=sources[item_id], people=tuple(p[0] for p in people), operations=operations,
            exercises=exercises,
        )  # fmt: skip

    async def search(self, match: str, query: str, page: int = 0, per_page: int = 5) -> SearchPage:
        """FTS5 search, `per_page` hits from `page`. `match` is a safe FTS5 expression (bot.search_query's
        match_expression()), always bound; its whole words and phrases are searched as stems
        (stemmed_match), so every inflected form is found, and the excerpt marks the words as written.

        Ranked by bm25, unless the words are in more than half of the items: bm25 then weighs each
        word at ~0 (FTS5 clamps a non-positive idf to 1e-6), so its order says nothing, while scoring
        every match is all the cost (the README's Performance section has the figures). Such a search
        lists the newest matches first instead: a walk down the date index that stops at the page.
        Either way the excerpt is made only for the rows shown, and the count of matches (one
        pass over FTS5's lists, no scoring) is returned.

        Raises QueryTooBroad when the statements together outlast `user_query_seconds` (many short
        prefixes: FTS5 merges the lists of every word they start), see _user_query.
        """
        page = max(0, page)
        item_count = await self._item_count()
        highlight = Highlight.of_match(match)
        match = stemmed_match(match)
        rows: Sequence[Sequence[Any]] = []
        try:
            async with self._user_query() as budget:
                count_sql = "SELECT count(*) FROM items_fts WHERE items_fts MATCH ?"
                total = (await self._fetchall(count_sql, (match,), budget))[0][0]
                newest_first = total * 2 > item_count
                if newest_first and page * per_page < total:
                    # The date index walked backwards, each item checked against the set of matches:
                    # SQLite's own choice (look up every match, then sort) costs ten times more for a
                    # word in every item.
                    rows = (
                        await self._fetchall(  # bodies cut one past EXCERPT_SCAN: excerpt() sees they go on
                            "SELECT i.id, i.date, i.headline, substr(i.body, 1, ?) FROM items i "
                            "INDEXED BY items_by_date "
                            "WHERE +i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) "
                            "ORDER BY i.date DESC, i.id DESC LIMIT ? OFFSET ?",
                            (EXCERPT_SCAN + 1, match, per_page, page * per_page),
                            budget,
                        )
                    )
                elif page * per_page < total:
                    rows = await self._fetchall(
                        "SELECT f.rowid, i.date, i.headline, substr(i.body, 1, ?) "
                        "FROM items_fts f JOIN items i ON i.id = f.rowid "
                        "WHERE items_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
                        (EXCERPT_SCAN + 1, match, per_page, page * per_page),
                        budget,
                    )
        except sqlite3.OperationalError as exc:  # should never happen with parsed queries; never raise
            log.warning("search expression rejected by FTS5: %s", exc)
            total, newest_first = 0, False
        sources = await self._sources(r[0] for r in rows) if rows else {}
        hits = [SearchHit(r[0], as_date(r[1]), r[2], excerpt(r[3], highlight), sources[r[0]]) for r in rows]
        has_next = (page + 1) * per_page < total
        return SearchPage(query, page, per_page, tuple(hits), has_next, total, newest_first)

    async def _item_count(self) -> int:
        """How many items there are (kept until the corpus changes)."""
        if self._items_counted is None or self._items_counted[0] != self._version:
            count = (await self._fetchall("SELECT count(*) FROM items"))[0][0]
            self._items_counted = (self._version, int(count))
        return self._items_counted[1]

    async def vocabulary(self) -> list[str]:
        """Indexed words as written (not their stems) for "did you mean"; cached until the corpus changes."""
        if self._vocabulary is None:
            rows = await self._fetchall(
                "SELECT DISTINCT term FROM items_vocab WHERE col IN ('headline', 'body') AND length(term) > 2"
            )
            self._vocabulary = [r[0] for r in rows if not r[0].isdigit()]
        return self._vocabulary

    async def surface_form(self, term: str) -> str | None:
        """The word as written in the corpus for an indexed term (case and accents as a page has them)."""
        rows = await self._fetchall(
            "SELECT snippet(items_fts, -1, ?, ?, '', 3) FROM items_fts WHERE items_fts MATCH ? LIMIT 1",
            (MATCH_START, MATCH_END, '{headline body} : "' + term.replace('"', '""') + '"'),
        )
        if not rows:
            return None
        text = rows[0][0]
        start, end = text.find(MATCH_START), text.find(MATCH_END)
        return text[start + 1 : end].lower() if 0 <= start < end else None

    async def person_names(self) -> list[PersonName]:
        rows = await self._fetchall(
            "SELECT p.id, p.name, "
            "(SELECT count(*) FROM (SELECT DISTINCT m.date, m.item_id FROM mentions m "
            "  INDEXED BY mentions_by_person_date WHERE m.person_id = p.id)), "
            f"(SELECT group_concat(alias, char(31)) FROM ({_ALIASES_OF_P})) "
            "FROM people p"
        )
        return [PersonName(r[0], r[1], tuple(r[3].split("\x1f")) if r[3] else (), int(r[2])) for r in rows]

    async def title_holders(self, query: str, limit: int = 8) -> list[TitleHolder]:
        """People seen with a title holding every word of `query` (as a word of the title or the start
        of one; case, accents and punctuation aside), each once with their newest such mention, newest
        first (at most 6 words are used).

        For "/who Secretary General": the current holder of a post comes first. The query's Latin words
        narrow the mentions with LIKE (SQLite ignores case for ASCII letters only), and the word test is
        then made on folded text; a query without a Latin word of 3 letters or more finds no one, rather
        than scanning every mention. A user query (see _user_query): may raise QueryTooBroad.
        """
        wanted = [_title_word(w) for w in fold_words(query).split()[:6]]
        narrowing = [w for w in wanted if len(w) >= 3]
        if not narrowing:
            return []
        # LIKE ignores case for ASCII only: a Cyrillic word is looked for in lower case and capitalised.
        likes = " AND ".join(
            "m.title LIKE ?" if w.isascii() else "(m.title LIKE ? OR m.title LIKE ?)" for w in narrowing
        )
        patterns = [  # folded words are letters and digits only: no wildcard
            p for w in narrowing for p in ([f"%{w}%"] if w.isascii() else [f"%{w}%", f"%{w.capitalize()}%"])
        ]
        # max(date) makes SQLite take item_id from that same row (a documented bare-column rule)
        async with self._user_query() as budget:
            rows = await self._fetchall(
                "SELECT m.person_id, p.name, m.title, max(coalesce(m.date, '')), m.item_id "
                f"FROM mentions m JOIN people p ON p.id = m.person_id WHERE m.title IS NOT NULL AND {likes} "
                "GROUP BY m.person_id, m.title ORDER BY 4 DESC, m.person_id LIMIT 500",
                patterns,
                budget,
            )
        holders: dict[int, TitleHolder] = {}
        for pid, name, title, date, item_id in rows:
            title_words = fold_words(title).split()
            if pid not in holders and all(any(t.startswith(w) for t in title_words) for w in wanted):
                holders[pid] = TitleHolder(pid, name, title, as_date(date or None), item_id)
        shown = list(holders.values())[:limit]
        aliases = await self._aliases_of([h.person_id for h in shown])
        return [dataclasses.replace(h, aliases=aliases.get(h.person_id, ())) for h in shown]

    async def _aliases_of(self, person_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """Every other name of each person (most used first), for replies in the reader's script."""
        if not person_ids:
            return {}
        rows = await self._fetchall(
            f"SELECT p.id, (SELECT group_concat(alias, char(31)) FROM ({_ALIASES_OF_P})) FROM people p "
            f"WHERE p.id IN ({placeholders(len(person_ids))})",
            list(person_ids),
        )
        return {pid: tuple(joined.split("\x1f")) if joined else () for pid, joined in rows}

    async def person(
        self, person_id: int, latest: int = 3, mention_count: int | None = None
    ) -> PersonProfile | None:
        """Titles over time and the latest mentions. `mention_count`, when the caller has it for the
        current corpus (the people index does), saves counting a famous person's thousands of mentions."""
        rows = await self._fetchall("SELECT id, name FROM people WHERE id = ?", (person_id,))
        if not rows:
            return None
        pid, name = rows[0]
        aliases = (await self._aliases_of([pid])).get(pid, ())
        # Each distinct title once, with the newest item it was seen in (its date and that item's id).
        # Dates sort NULL first, so DESC puts undated items last; every step is an index range.
        titles = await self._fetchall(
            "SELECT t.title, m.date, m.item_id FROM "
            "(SELECT DISTINCT title FROM mentions WHERE person_id = ?1 AND title IS NOT NULL) t "
            "JOIN mentions m ON m.id = (SELECT m2.id FROM mentions m2 WHERE m2.person_id = ?1 "
            "  AND m2.title = t.title ORDER BY m2.date DESC, m2.item_id DESC LIMIT 1) "
            "ORDER BY m.date DESC, m.item_id DESC",
            (pid,),
        )
        if mention_count is None:
            # Distinct (date, item) pairs walk the index in order; count(DISTINCT item_id) would sort.
            count = await self._fetchall(
                "SELECT count(*) FROM (SELECT DISTINCT date, item_id FROM mentions "
                "INDEXED BY mentions_by_person_date WHERE person_id = ?)",
                (pid,),
            )
            mention_count = int(count[0][0])
        # The newest items first, each once, with its first titled mention (a person named twice in one
        # item shows the sentence that gives their title).
        mentions = await self._fetchall(
            "SELECT i.id, i.date, i.headline, m.sentence, m.title FROM mentions m "
            "JOIN items i ON i.id = m.item_id WHERE m.person_id = ?1 "
            "AND m.id = (SELECT m2.id FROM mentions m2 INDEXED BY mentions_by_person_date "
            "            WHERE m2.person_id = ?1 AND m2.date IS m.date "
            "            AND m2.item_id = m.item_id ORDER BY m2.title IS NULL, m2.id LIMIT 1) "
            "ORDER BY m.date DESC, m.item_id DESC LIMIT ?2",
            (pid, latest),
        )
        sources = await self._sources(r[0] for r in mentions)
        return PersonProfile(
            id=pid,
            name=name,
            aliases=aliases,
            titles=tuple(PersonTitle(t[0], as_date(t[1]), t[2]) for t in _newest_per_wording(titles)),
            mention_count=mention_count,
            latest=tuple(
                PersonMentionRecord(r[0], as_date(r[1]), r[2], r[3], r[4], sources[r[0]]) for r in mentions
            ),
        )

    async def operations(self) -> list[OperationSummary]:
        """Every operation (never an exercise) with its best purpose, years, dated span and sources
        (bot.services keeps the result until the corpus changes)."""
        return await self._named_kind(OPERATION)

    async def exercises(self) -> list[OperationSummary]:
        """Every exercise, as operations() gives operations."""
        return await self._named_kind(EXERCISE)

    async def _named_kind(self, kind: str, op_id: int | None = None) -> list[OperationSummary]:
        """Operations or exercises, every one or the one `op_id` (the same set queries, narrowed to it)."""
        only, params = (" AND m.operation_id = ?", (kind, op_id)) if op_id is not None else ("", (kind,))
        spans = await self._fetchall(
            "SELECT m.operation_id, o.name, min(i.date), max(i.date), count(DISTINCT s.document_id) "
            "FROM operations o JOIN operation_mentions m ON m.operation_id = o.id "
            "JOIN items i ON i.id = m.item_id JOIN sources s ON s.item_id = m.item_id "
            f"WHERE o.kind = ?{only} GROUP BY m.operation_id",
            params,
        )
        # The best purpose in each script: a reader is shown the one in their language when a page states it.
        purposes: dict[int, str] = {}
        purposes_ru: dict[int, str] = {}
        for op, purpose, cyrillic in await self._fetchall(
            "SELECT operation_id, purpose, cyrillic FROM (SELECT m.operation_id, m.purpose, m.cyrillic, "
            "  row_number() OVER (PARTITION BY m.operation_id, m.cyrillic "
            "  ORDER BY m.purpose_quality DESC, i.date IS NULL, i.date DESC, m.id) AS rank_in_script "
            " FROM (SELECT *, purpose GLOB ? AS cyrillic FROM operation_mentions) m "
            " JOIN items i ON i.id = m.item_id "
            f" JOIN operations o ON o.id = m.operation_id WHERE o.kind = ?{only} AND m.purpose IS NOT NULL) "
            "WHERE rank_in_script = 1 ORDER BY cyrillic DESC",
            (CYRILLIC_GLOB, *params),
        ):
            purposes[op] = purpose  # a Latin purpose, read last, wins the general slot
            if cyrillic:
                purposes_ru[op] = purpose
        years: dict[int, set[int]] = {}
        instances: dict[
            int, dict[str, str]
        ] = {}  # folded phase -> its first spelling ("Red Dune", "Red dune")
        for op, instance, year in await self._fetchall(
            "SELECT m.operation_id, m.instance, substr(i.date, 1, 4) FROM operation_mentions m "
            f"JOIN items i ON i.id = m.item_id JOIN operations o ON o.id = m.operation_id WHERE o.kind = ?{only} "
            "GROUP BY m.operation_id, m.instance, substr(i.date, 1, 4) ORDER BY min(m.id)",
            params,
        ):
            stated = instance_years(instance)
            years.setdefault(op, set()).update(stated or ([int(year)] if year else []))
            phase = instance_phase(instance)
            if phase:
                instances.setdefault(op, {}).setdefault(operation_key(phase), phase)
        summaries = [
            OperationSummary(
                op, _display_name([(name, 1)]), purposes.get(op), as_date(first), as_date(last), docs,
                kind=kind, years=tuple(sorted(years.get(op, ()))), phases=tuple(instances.get(op, {}).values()),
                purpose_ru=purposes_ru.get(op),
            )
            for op, name, first, last, docs in spans
        ]  # fmt: skip
        summaries.sort(key=lambda op: (-op.source_count, op.name.casefold()))
        return summaries

    async def operation_spellings(self) -> list[tuple[int, str]]:
        """(operation id, a spelling a page wrote it in), every distinct one: a name asked in the other
        script («рубеж», «канал») is matched against these."""
        rows = await self._fetchall(
            "SELECT DISTINCT operation_id, name FROM operation_mentions ORDER BY 1, 2"
        )
        return [(row[0], row[1]) for row in rows]

    async def operation(self, op_id: int) -> OperationDetail | None:
        """One operation or exercise: its summary, every spelling, and one excerpt per item naming it."""
        kinds = await self._fetchall("SELECT kind FROM operations WHERE id = ?", (op_id,))
        kind = kinds[0][0] if kinds else None
        found = await self._named_kind(kind, op_id) if kind in (OPERATION, EXERCISE) else []
        if not found:
            return None
        summary = found[0]
        spellings = await self._fetchall(
            "SELECT DISTINCT name FROM operation_mentions WHERE operation_id = ?", (op_id,)
        )
        rows = await self._fetchall(
            "SELECT i.id, i.date, i.headline, m.sentence FROM operation_mentions m "
            "JOIN items i ON i.id = m.item_id WHERE m.id IN "
            "(SELECT min(id) FROM operation_mentions WHERE operation_id = ? GROUP BY item_id) "
            "ORDER BY i.date IS NULL, i.date DESC, i.id DESC LIMIT 10",
            (op_id,),
        )
        sources = await self._sources(r[0] for r in rows)
        excerpts = tuple(OperationExcerpt(r[0], as_date(r[1]), r[2], r[3], sources[r[0]]) for r in rows)
        return OperationDetail(summary, tuple(s[0] for s in spellings), excerpts)

    async def stats(self) -> CorpusStats:
        rows = await self._fetchall(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM items), "
            "(SELECT count(*) FROM people), (SELECT count(*) FROM operations WHERE kind = 'operation'), "
            "(SELECT min(date) FROM items), (SELECT max(date) FROM items), "
            "(SELECT value FROM meta WHERE key = 'last_load')"
        )
        r = rows[0]
        last = dt.datetime.fromisoformat(r[6]) if r[6] else None
        return CorpusStats(int(r[0]), int(r[1]), int(r[2]), int(r[3]), as_date(r[4]), as_date(r[5]), last)
