"""What bot.inline_search found, as inline results: cards with a short plain title and description, and
the message each sends (Telegram HTML, escaped and bounded by bot.render.core's rules). Pure, like the rest of
bot.render; a module of its own because a card is three texts (plain title, plain description, HTML).

A person card sends /who's answer, an operation card /operations' answer, an item card the entry /latest
shows (date, headline, summary, source and /doc id). Result ids name the record ("p12", "o3", "i345"):
short (Telegram allows 64 bytes) and unique within an answer, since each record appears once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import ENGLISH, N_, Lang
from bot.inline_search import MAX_INLINE_QUERY, InlineFound, Problem
from bot.records import ItemSummary, OperationDetail, PersonProfile
from bot.render.core import (
    Reply,
    clean_text,
    cut_at_word,
    date_span,
    format_date,
    name_for_reader,
    summary_entry,
)
from bot.render.operations import render_operation
from bot.render.people import render_person

MAX_TITLE = 80  # characters of a result's title (plain text)
MAX_DESCRIPTION = 160  # characters of its description (plain text; clients show two or three lines)
MAX_BUTTON = 60  # characters of the button above the results
MAX_RESULT_ID = 64  # bytes (Telegram's limit)
MAX_RESULTS = 50  # per answer (Telegram's limit)
START_PARAMETER = "inline"  # /start inline: the bot's help, from the button above the results

TOO_LONG = N_("Too long: at most {limit} characters")
TOO_BROAD = N_("Too broad: add a word or drop a prefix*")
NOTHING_FOUND = N_("Nothing found: tap for search tips")
SLOW_DOWN = N_("Slow down a little: too many queries at once")


@dataclass(frozen=True, slots=True)
class InlineCard:
    id: str  # at most MAX_RESULT_ID bytes
    title: str  # plain text
    description: str  # plain text
    text: str  # Telegram HTML, at most MAX_MESSAGE UTF-16 units

    def __post_init__(self) -> None:
        if not self.id or len(self.id.encode()) > MAX_RESULT_ID:
            raise ValueError(f"result id {self.id!r} is not 1-{MAX_RESULT_ID} bytes")
        if not self.title:
            raise ValueError("a result needs a title")
        Reply(self.text)  # the same checks as every reply: text, and at most 4,096 units


@dataclass(frozen=True, slots=True)
class InlineAnswer:
    cards: tuple[InlineCard, ...]
    next_offset: str = ""  # "" when there are no more pages
    button: str | None = None  # a notice above the results (it opens a private chat with the bot)
    complete: bool = True  # False: built during a load, so Telegram should not keep it long

    def __post_init__(self) -> None:
        if len(self.cards) > MAX_RESULTS:
            raise ValueError(f"{len(self.cards)} results, over {MAX_RESULTS}")
        if len({card.id for card in self.cards}) != len(self.cards):
            raise ValueError("result ids repeat")


def plain(text: str, limit: int) -> str:
    """One line of plain text (no markup: titles and descriptions are not parsed) of at most `limit`
    characters, cut at a word and marked with …."""
    text = clean_text(text, one_line=True)
    if len(text) <= limit:
        return text
    return text[: cut_at_word(text, limit - 1)].rstrip() + "…"


def render_inline(found: InlineFound, *, lang: Lang = ENGLISH) -> InlineAnswer:
    cards = [person_card(profile, lang=lang) for profile in found.people]
    if found.operation is not None:
        cards.append(operation_card(found.operation, lang=lang))
    cards += [item_card(item, found.excerpts.get(item.id), lang=lang) for item in found.items]
    button = _problem_text(found.problem, lang)
    if button is None and not cards and found.query and found.page == 0:
        button = lang._(NOTHING_FOUND)
    next_offset = str(found.next_page) if found.next_page is not None else ""
    return InlineAnswer(tuple(cards[:MAX_RESULTS]), next_offset, button, found.complete)


def render_slow_down(warn: bool, *, lang: Lang = ENGLISH) -> InlineAnswer:
    """The answer to an inline query over the flood guard's limit: nothing, and once a reason."""
    return InlineAnswer((), button=lang._(SLOW_DOWN) if warn else None, complete=False)


def _problem_text(problem: Problem | None, lang: Lang) -> str | None:
    if problem is Problem.TOO_LONG:
        return lang._(TOO_LONG).format(limit=MAX_INLINE_QUERY)
    if problem is Problem.TOO_BROAD:
        return lang._(TOO_BROAD)
    return None


def person_card(profile: PersonProfile, *, lang: Lang = ENGLISH) -> InlineCard:
    count = lang.ngettext("in {count} item", "in {count} items", profile.mention_count)
    title = profile.titles[0].title if profile.titles else ""
    description = " · ".join(part for part in (lang._("Person"), count, title) if part)
    return InlineCard(
        f"p{profile.id}",
        plain(name_for_reader(profile.name, profile.aliases, lang)[0], MAX_TITLE) or lang._("(unnamed)"),
        plain(description, MAX_DESCRIPTION),
        render_person(profile, lang=lang).text,
    )


def operation_card(detail: OperationDetail, *, lang: Lang = ENGLISH) -> InlineCard:
    op = detail.summary
    documents = lang.ngettext("{count} document", "{count} documents", op.source_count)
    seen = f"{date_span(op.first_date, op.last_date, lang)} · {documents}"
    description = " · ".join(part for part in (op.purpose_in(lang.code) or "", seen) if part)
    return InlineCard(
        f"o{op.id}",
        plain(lang._("Operation {name}").format(name=op.name), MAX_TITLE),
        plain(description, MAX_DESCRIPTION),
        render_operation(detail, lang=lang).text,
    )


def item_card(item: ItemSummary, excerpt: str | None = None, *, lang: Lang = ENGLISH) -> InlineCard:
    """An item: the search excerpt (why it matched) or its summary in the description."""
    untitled = lang._("(untitled)")
    headline = clean_text(item.headline, one_line=True) or clean_text(item.summary, one_line=True) or untitled
    # the excerpt's match markers are dropped with the other control characters
    about = clean_text(excerpt or "", one_line=True) or clean_text(item.summary, one_line=True)
    day = format_date(item.date, lang)
    return InlineCard(
        f"i{item.id}",
        plain(headline, MAX_TITLE),
        plain(f"{day} · {about}" if about else day, MAX_DESCRIPTION),
        summary_entry(item, None, compact=False, lang=lang),
    )
