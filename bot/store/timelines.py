"""The Timeline pictures' queries (bot.timelines draws them): a person's or an operation's items per
month, a person's titles as spans, and who is named with them.

Co-mentions are counted in at most CO_MENTION_ITEMS newest items, so a famous person's picture costs
the same at any corpus size; every other step is an index range over the subject's mentions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.corpus.operation_names import OPERATION
from bot.records import CoMention, MonthCount, Timeline, TitleSpan
from bot.store.queries import Queries

CO_MENTION_ITEMS = 2000  # a timeline's co-mentions are counted in at most this many newest items


def _per_month(rows: Sequence[Sequence[Any]]) -> tuple[tuple[MonthCount, ...], int]:
    """(``YYYY-MM`` or NULL, items) rows: the dated months, oldest first, and the undated count."""
    undated = sum(int(n) for month, n in rows if month is None)
    dated = sorted((dt.date.fromisoformat(f"{month}-01"), int(n)) for month, n in rows if month is not None)
    return tuple(MonthCount(month, n) for month, n in dated), undated


class TimelineQueries(Queries):
    """Per-month counts, title spans and co-mentions, on the reader connections."""

    # The newest items (each once) of a person, and of an operation (by id: newest loaded), at most `?`:
    # co-mentions are counted in them, so that a famous person's picture costs the same at any size.
    _PERSON_NEWEST = (
        "SELECT item_id FROM (SELECT DISTINCT date, item_id FROM mentions INDEXED BY mentions_by_person_date "
        "WHERE person_id = ? ORDER BY date DESC, item_id DESC LIMIT ?)"
    )
    _OPERATION_ITEMS = "SELECT DISTINCT item_id FROM operation_mentions WHERE operation_id = ?"
    _OPERATION_NEWEST = f"{_OPERATION_ITEMS} ORDER BY item_id DESC LIMIT ?"

    async def person_timeline(
        self, person_id: int, co_mentions: int = 10, titles: int = 8, newest: int = CO_MENTION_ITEMS
    ) -> Timeline | None:
        """A person's items per month, the titles they were given (the `titles` most frequent, each as
        the span between the first and last dated item giving it) and who is named with them most in
        their `newest` items. Every step is an index range over the person's mentions, or a join from
        at most `newest` of their items."""
        rows = await self._fetchall("SELECT name FROM people WHERE id = ?", (person_id,))
        if not rows:
            return None
        # Distinct (date, item) pairs walk the index in order (as in person()): each item counted once.
        months = await self._fetchall(
            "SELECT substr(date, 1, 7), count(*) FROM (SELECT DISTINCT date, item_id FROM mentions "
            "INDEXED BY mentions_by_person_date WHERE person_id = ?) GROUP BY 1",
            (person_id,),
        )
        spans = await self._fetchall(
            "SELECT title, min(date), max(date), count(DISTINCT item_id) AS n FROM mentions "
            "INDEXED BY mentions_by_person_title WHERE person_id = ? AND title IS NOT NULL "
            "AND date IS NOT NULL GROUP BY title ORDER BY n DESC, title LIMIT ?",
            (person_id, titles),
        )
        per_month, undated = _per_month(months)
        dated = [TitleSpan(t, dt.date.fromisoformat(a), dt.date.fromisoformat(b), n) for t, a, b, n in spans]
        timeline = Timeline(
            kind="person",
            name=rows[0][0],
            months=per_month,
            undated=undated,
            titles=tuple(sorted(dated, key=lambda span: (span.first, span.title))),
            co_mentions=tuple(await self.co_mentions(person_id, co_mentions, newest)),
        )
        return dataclasses.replace(timeline, co_mention_items=min(timeline.items, newest))

    async def co_mentions(
        self, person_id: int, limit: int = 10, newest: int = CO_MENTION_ITEMS
    ) -> list[CoMention]:
        """The people named in the most of this person's `newest` items (ties by name)."""
        return await self._people_in(self._PERSON_NEWEST, (person_id, newest), limit, besides=person_id)

    async def operation_timeline(
        self, op_id: int, people: int = 10, newest: int = CO_MENTION_ITEMS
    ) -> Timeline | None:
        """An operation's items per month and the people named most in its `newest` items."""
        found = await self._named_kind(OPERATION, op_id)
        if not found:
            return None
        summary = found[0]
        months = await self._fetchall(
            f"SELECT substr(i.date, 1, 7), count(*) FROM ({self._OPERATION_ITEMS}) m "
            "JOIN items i ON i.id = m.item_id GROUP BY 1",
            (op_id,),
        )
        per_month, undated = _per_month(months)
        named = await self._people_in(self._OPERATION_NEWEST, (op_id, newest), people)
        items = sum(m.items for m in per_month) + undated
        return Timeline("operation", summary.name, per_month, undated, (), tuple(named), min(items, newest))

    async def _people_in(
        self, items_sql: str, params: tuple[int, int], limit: int, besides: int | None = None
    ) -> list[CoMention]:
        """The people named in most of the items `items_sql` (a constant query taking `params`)
        selects, `besides` aside: a join from those items, linear in their mentions."""
        rows = await self._fetchall(
            "SELECT o.person_id, p.name, count(DISTINCT o.item_id) AS shared "
            f"FROM ({items_sql}) m JOIN mentions o ON o.item_id = m.item_id "
            "JOIN people p ON p.id = o.person_id WHERE o.person_id IS NOT ? "
            "GROUP BY o.person_id ORDER BY shared DESC, p.name LIMIT ?",
            (*params, besides, limit),
        )
        return [CoMention(pid, name, shared) for pid, name, shared in rows]
