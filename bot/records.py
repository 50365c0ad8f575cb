"""Plain records the store returns to handlers and renderers: no SQL, no Telegram types."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Source:
    """A document an item was read from: its file name, and its web address when the corpus folder's
    MANIFEST.tsv or the page's first line gives one (only a checked http(s) URL)."""

    name: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ItemSummary:
    id: int
    date: dt.date | None
    headline: str
    summary: str
    sources: tuple[Source, ...]  # first source first


@dataclass(frozen=True, slots=True)
class LatestItems:
    """What /latest shows: the newest dated items (or the undated ones), and how the corpus divides."""

    items: tuple[ItemSummary, ...]
    dated: int  # items with a date in the whole corpus
    undated: int  # items without one
    undated_listed: bool = False  # `items` are undated ones, the most recently loaded first


@dataclass(frozen=True, slots=True)
class ItemDetail:
    id: int
    kind: str
    date: dt.date | None
    headline: str
    summary: str
    body: str
    sources: tuple[Source, ...]
    people: tuple[str, ...]  # canonical names of the people it names
    operations: tuple[str, ...] = ()
    exercises: tuple[str, ...] = ()


# Excerpts from FTS5 carry these markers around matched words; render escapes first, then swaps them for <b>.
MATCH_START = "\x02"
MATCH_END = "\x03"


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    date: dt.date | None
    headline: str
    excerpt: str  # plain corpus text with MATCH_START/MATCH_END around matches
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str  # the user's text, as typed
    page: int  # 0-based
    per_page: int
    hits: tuple[SearchHit, ...]
    has_next: bool
    total: int | None = None  # items matching, when known
    newest_first: bool = False  # the words are in most items: listed by date, not by relevance


@dataclass(frozen=True, slots=True)
class PersonName:
    """A candidate for fuzzy matching: every way the person is written, and how often they appear."""

    id: int
    name: str
    aliases: tuple[str, ...]
    mention_count: int


@dataclass(frozen=True, slots=True)
class PersonTitle:
    title: str
    date: dt.date | None  # newest date the title was seen with
    item_id: int


@dataclass(frozen=True, slots=True)
class TitleHolder:
    """A person seen with a title that matched a /who query: the newest such mention."""

    person_id: int
    name: str
    title: str  # as written
    date: dt.date | None
    item_id: int
    aliases: tuple[str, ...] = ()  # every other name of the person, most used first


@dataclass(frozen=True, slots=True)
class PersonMentionRecord:
    item_id: int
    date: dt.date | None
    headline: str
    sentence: str
    title: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class PersonProfile:
    id: int
    name: str
    aliases: tuple[str, ...]
    titles: tuple[PersonTitle, ...]  # newest first, one row per distinct title
    mention_count: int
    latest: tuple[PersonMentionRecord, ...]  # newest first, at most 3


@dataclass(frozen=True, slots=True)
class OperationSummary:
    id: int
    name: str
    purpose: str | None
    first_date: dt.date | None
    last_date: dt.date | None
    source_count: int  # distinct documents naming it
    kind: str = "operation"  # or "exercise"
    years: tuple[int, ...] = ()  # the years it ran: in its names ("Illegal-2019"), else its items' dates
    phases: tuple[str, ...] = ()  # named phases ("Red Dune", "Аракс"), in the order first met
    purpose_ru: str | None = None  # the best purpose a Russian page states (purpose: a Latin one first)

    def purpose_in(self, language: str) -> str | None:
        """The purpose in the reader's language when a page states one, else in the other."""
        if language == "ru" and self.purpose_ru:
            return self.purpose_ru
        return self.purpose


@dataclass(frozen=True, slots=True)
class OperationExcerpt:
    item_id: int
    date: dt.date | None
    headline: str
    sentence: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class OperationDetail:
    summary: OperationSummary
    aliases: tuple[str, ...]  # every spelling seen ("PROXY", "Proxy")
    excerpts: tuple[OperationExcerpt, ...]


@dataclass(frozen=True, slots=True)
class MonthCount:
    month: dt.date  # the first day of the month
    items: int


@dataclass(frozen=True, slots=True)
class TitleSpan:
    """A title as written, from the first to the last dated item that gave it."""

    title: str
    first: dt.date
    last: dt.date
    items: int


@dataclass(frozen=True, slots=True)
class CoMention:
    """Someone named in the same items as a person (or in an operation's items)."""

    person_id: int
    name: str
    items: int  # items naming both


@dataclass(frozen=True, slots=True)
class Timeline:
    """What a timeline picture shows: a person's or an operation's items over time."""

    kind: str  # "person" or "operation"
    name: str
    months: tuple[MonthCount, ...]  # dated items per month, oldest first; months without any left out
    undated: int  # items without a date
    titles: tuple[TitleSpan, ...] = ()  # a person's dated titles, first seen first
    co_mentions: tuple[CoMention, ...] = ()  # most shared items first
    co_mention_items: int = 0  # the newest items co_mentions were counted in (all, or the store's cap)

    @property
    def items(self) -> int:
        return sum(m.items for m in self.months) + self.undated


@dataclass(frozen=True, slots=True)
class CorpusStats:
    documents: int
    items: int
    people: int
    operations: int
    first_date: dt.date | None
    last_date: dt.date | None
    last_load: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    thread_id: int | None
    filters: tuple[str, ...]  # as typed: words/"phrases", person:<name>, op:<operation>
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    chat_id: int
    thread_id: int | None
    item_id: int
    attempts: int


@dataclass(slots=True)
class LoadReport:
    files_read: int = 0
    files_unchanged: int = 0
    files_skipped: int = 0
    files_removed: int = 0
    items_added: int = 0
    items_removed: int = 0
    items_total: int = 0
    people: int = 0
    operations: int = 0
    seconds: float = 0.0
    new_item_ids: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "name: reason"
    stopped: bool = False  # the bot was stopping: the rest of the folder waits for the next load
    rules_changed: bool = False  # every page was parsed again (the rules or the lexicon changed)
    items_refreshed: int = 0  # stored items rewritten by pages parsed again
