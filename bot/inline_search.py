"""What an inline query (`@Bot words` in any chat) finds: the people and the operation it names, then
the items that match it, best first, one page at a time; the newest items for an empty query.

The same rules as /who, /operations and /search (bot.people_index, bot.matching, bot.search_query, the
store's search with its time budget); records out, rendered by bot.render.inline. Telegram pages an
inline answer by an `offset` string it sends back: here it is the page number of the items, "" for the
first page, which alone carries the person and operation cards.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field

from bot.matching import MAX_NAME_QUERY, PERSON_CUTOFF
from bot.records import ItemSummary, OperationDetail, PersonName, PersonProfile
from bot.search_query import parse_search_query
from bot.services import Services
from bot.store import QueryTooBroad

ITEMS_PER_PAGE = 20  # with at most MAX_PEOPLE + 1 cards: well under Telegram's 50 results an answer
MAX_PEOPLE = 3  # person cards on the first page (a clear match is one; close candidates up to this)
LATEST_PAGES = 5  # an empty query pages through this many pages of the newest items
MAX_INLINE_QUERY = 256  # characters: Telegram's own limit, so a longer query is a forged update
MAX_PAGE = 10**6  # an offset past this is not one the bot gave


class Problem(enum.Enum):
    """Why a query found nothing without being searched."""

    TOO_LONG = "too long"
    TOO_BROAD = "too broad"


@dataclass(frozen=True, slots=True)
class InlineFound:
    query: str  # as typed, trimmed
    page: int
    people: tuple[PersonProfile, ...] = ()
    operation: OperationDetail | None = None
    items: tuple[ItemSummary, ...] = ()
    # item id -> the search excerpt (MATCH_START/MATCH_END around the matched words); none for latest
    excerpts: dict[int, str] = field(default_factory=dict)
    next_page: int | None = None  # the page to ask for next, None at the end
    problem: Problem | None = None
    complete: bool = True  # False while a load is changing the corpus: the answer may miss items


def parse_offset(offset: str) -> int | None:
    """The page an offset names ("" is the first), or None for one the bot never gave."""
    if not offset:
        return 0
    page = int(offset) if offset.isdecimal() and offset.isascii() and len(offset) <= 7 else None
    return page if page is not None and 0 < page <= MAX_PAGE else None


async def find(services: Services, text: str, offset: str) -> InlineFound:
    """Everything one page of the inline answer shows. Raises nothing for any text or offset."""
    query = text.strip()
    page = parse_offset(offset)
    complete = services.loading() is None
    if page is None:
        return InlineFound(query, 0, complete=complete)
    if len(query) > MAX_INLINE_QUERY:
        return InlineFound(query, page, problem=Problem.TOO_LONG, complete=complete)
    if not query:
        items, next_page = await _latest(services, page)
        return InlineFound(query, page, items=items, next_page=next_page, complete=complete)
    people: tuple[PersonProfile, ...] = ()
    operation = None
    if page == 0 and len(query) <= MAX_NAME_QUERY:
        people = await _people(services, query)
        operation = await _operation(services, query)
    search = parse_search_query(query)
    match = search.match_expression()
    if match is None:
        return InlineFound(query, page, people, operation, complete=complete)
    if search.too_broad():
        return InlineFound(query, page, people, operation, problem=Problem.TOO_BROAD, complete=complete)
    try:
        found = await services.store.search(match, query, page, ITEMS_PER_PAGE)
    except QueryTooBroad:
        return InlineFound(query, page, people, operation, problem=Problem.TOO_BROAD, complete=complete)
    summaries = await services.store.items_by_ids([hit.id for hit in found.hits])
    return InlineFound(
        query,
        page,
        people,
        operation,
        tuple(summaries),
        {hit.id: hit.excerpt for hit in found.hits},
        page + 1 if found.has_next else None,
        complete=complete,
    )


async def _latest(services: Services, page: int) -> tuple[tuple[ItemSummary, ...], int | None]:
    if page >= LATEST_PAGES:
        return (), None
    wanted = (page + 1) * ITEMS_PER_PAGE
    newest = await services.store.latest(wanted)
    more = len(newest) == wanted and page + 1 < LATEST_PAGES
    return tuple(newest[page * ITEMS_PER_PAGE :]), page + 1 if more else None


async def _people(services: Services, query: str) -> tuple[PersonProfile, ...]:
    """/who's rule: the one person the query means, else the candidates that score a match."""
    index = await services.people()
    person, candidates = await asyncio.to_thread(index.resolve, query)  # rapidfuzz, in chunks
    chosen: list[PersonName] = (
        [person] if person is not None else [c.person for c in candidates if c.score >= PERSON_CUTOFF]
    )
    profiles = [await services.store.person(p.id, mention_count=p.mention_count) for p in chosen[:MAX_PEOPLE]]
    return tuple(profile for profile in profiles if profile is not None)


async def _operation(services: Services, query: str) -> OperationDetail | None:
    """/operations' rule: the operation (or exercise) the query names, in either script."""
    return await services.operation_named(query)
