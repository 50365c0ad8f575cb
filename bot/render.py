"""Records in, Telegram HTML out: every reply the bot sends is built here.

Rules kept in one place:
- corpus text is always escaped (``html.escape``) and stripped of control characters;
- only tags Telegram accepts are produced (b, i, code; a few more are allowed by the tests);
- every line of a message is balanced on its own, so a message can always be cut between lines;
- every message is at most 4,096 UTF-16 code units *including markup* (Telegram counts the parsed
  text, so this is the stricter bound), cut at a paragraph, sentence or word boundary and never
  inside a tag or an entity, because text is cut before it is escaped;
- callback data comes from bot.callbacks (built and parsed there; at most 64 bytes, checked when a
  Button is made).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from html.parser import HTMLParser

from bot.callbacks import (
    DocPageButton,
    OperationButton,
    PersonButton,
    SearchPageButton,
    TimelineButton,
    check_size,
)
from bot.i18n import ENGLISH, Lang, N_
from bot.records import (
    MATCH_END,
    MATCH_START,
    CorpusStats,
    ItemDetail,
    ItemSummary,
    OperationDetail,
    OperationSummary,
    PersonMentionRecord,
    PersonName,
    PersonProfile,
    SearchHit,
    SearchPage,
    Subscription,
    TitleHolder,
)

MAX_MESSAGE = 4096  # UTF-16 code units
MAX_LABEL = 40  # characters on a button
MAX_BUTTONS = 40

# Control characters (keeping \t and \n; the match markers go too) and lone surrogates, which cannot be sent.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_ELLIPSIS = "…"
_PREV, _NEXT = "◀", "▶"
TIMELINE_LABEL = N_("Timeline")


# ---------------------------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    callback_data: str

    def __post_init__(self) -> None:
        check_size(self.callback_data)


@dataclass(frozen=True, slots=True)
class Reply:
    text: str  # Telegram HTML
    buttons: tuple[tuple[Button, ...], ...] = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a reply needs text")
        if telegram_length(self.text) > MAX_MESSAGE:
            raise ValueError(f"reply is {telegram_length(self.text)} UTF-16 units, over {MAX_MESSAGE}")


# ---------------------------------------------------------------------------------------------- text tools


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _clean(text: str, *, one_line: bool = False) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text).strip() if one_line else text.strip()


def _cost(char: str) -> int:
    """UTF-16 units ``char`` takes once escaped."""
    if char == "&":
        return 5
    if char in "<>":
        return 4
    return 2 if ord(char) > 0xFFFF else 1


def _fit_index(text: str, budget: int, costs: Callable[[str], int] = _cost) -> int:
    """The longest prefix of ``text`` whose escaped length fits in ``budget``."""
    used = 0
    for index, char in enumerate(text):
        used += costs(char)
        if used > budget:
            return index
    return len(text)


def _boundary(text: str, limit: int) -> int:
    """A good place to cut ``text`` at or before ``limit``: paragraph, line, sentence, then word."""
    floor = limit // 2
    for separator in ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " "):
        at = text.rfind(separator, floor, limit)
        if at > 0:
            return at + (1 if separator.strip() else 0)
    return limit


def _clip(text: str, budget: int, *, one_line: bool = True) -> str:
    """Escaped ``text`` of at most ``budget`` UTF-16 units, cut at a boundary and marked with …."""
    text = _clean(text, one_line=one_line)
    if _fit_index(text, budget) == len(text):
        return html.escape(text, quote=False)
    cut = _boundary(text, _fit_index(text, max(budget - 1, 0)))
    return html.escape(text[:cut].rstrip(), quote=False) + _ELLIPSIS


def _split_pages(text: str, budget: int) -> list[str]:
    """Plain ``text`` in chunks whose escaped length fits in ``budget``; escaped, never empty."""
    pages: list[str] = []
    rest = text
    while rest:
        limit = _fit_index(rest, budget)
        cut = len(rest) if limit == len(rest) else _boundary(rest, limit)
        cut = max(cut, 1)
        pages.append(html.escape(rest[:cut].rstrip(), quote=False))
        rest = rest[cut:].lstrip()
    return [page for page in pages if page] or [""]


def _highlight(excerpt: str, budget: int) -> str:
    """Escape the excerpt first, then turn MATCH_START/MATCH_END into balanced <b>…</b>."""
    text = _one_line_keep_markers(excerpt)
    if _fit_index(text, budget - 4, _marker_cost) < len(text):  # 4 reserved for a closing </b>
        cut = _boundary(text, _fit_index(text, budget - 5, _marker_cost))
        text = text[:cut].rstrip() + _ELLIPSIS
    out: list[str] = []
    bold = False
    for piece in re.split(f"([{MATCH_START}{MATCH_END}])", text):
        if piece == MATCH_START:
            if not bold:
                out.append("<b>")
                bold = True
        elif piece == MATCH_END:
            if bold:
                out.append("</b>")
                bold = False
        elif piece:
            out.append(html.escape(piece, quote=False))
    if bold:
        out.append("</b>")
    return "".join(out).replace("<b></b>", "")


def _one_line_keep_markers(text: str) -> str:
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    text = re.sub(r"[\x00\x01\x04-\x08\x0b-\x1f\x7f\ud800-\udfff]", "", text)
    return _SPACES.sub(" ", text).strip()


def _marker_cost(char: str) -> int:
    if char == MATCH_START:
        return 3
    if char == MATCH_END:
        return 4
    return _cost(char)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _strip_tags(markup: str) -> str:
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _finish(text: str) -> str:
    """Bound a message: drop whole trailing lines (each is balanced) and mark the cut with …."""
    text = text.strip()
    if telegram_length(text) <= MAX_MESSAGE:
        return text
    cut = text.rfind("\n", 0, _fit_index(text, MAX_MESSAGE - 2, lambda c: 2 if ord(c) > 0xFFFF else 1))
    while cut > 0:
        head = text[:cut].rstrip()
        if head and telegram_length(head) + 2 <= MAX_MESSAGE:
            return head + "\n" + _ELLIPSIS
        cut = text.rfind("\n", 0, cut)
    return _clip(_strip_tags(text), MAX_MESSAGE, one_line=False)  # one giant line: keep the words


# ---------------------------------------------------------------------------------------------- pieces


def format_date(day: dt.date | None, lang: Lang = ENGLISH) -> str:
    """``31 Oct 2025`` / ``31 октября 2025``: the reader's language, never the machine's locale;
    ``undated`` for None."""
    if day is None:
        return lang._("undated")
    return lang.date(day)


def _span(first: dt.date | None, last: dt.date | None, lang: Lang) -> str:
    if first is None and last is None:
        return lang._("undated")
    if first is None or last is None or first == last:
        return format_date(first or last, lang)
    return f"{format_date(first, lang)} – {format_date(last, lang)}"


def _bold(markup: str) -> str:
    return f"<b>{markup}</b>"


def _italic(markup: str) -> str:
    return f"<i>{markup}</i>"


def _doc(item_id: int) -> str:
    return f"<code>/doc {item_id}</code>"


def _sources(sources: Sequence[str], budget: int) -> str:
    names = [_clean(name, one_line=True) for name in sources if name.strip()]
    return f"<i>{_clip(', '.join(names), budget)}</i>" if names else ""


def _source_line(sources: Sequence[str], item_id: int, budget: int) -> str:
    return " · ".join(part for part in (_sources(sources, budget), _doc(item_id)) if part)


def _documents(count: int, lang: Lang) -> str:
    return lang.ngettext("{count} document", "{count} documents", count)


def _in_items(count: int, lang: Lang) -> str:
    return lang.ngettext("in {count} item", "in {count} items", count)


def _label(text: str) -> str:
    text = _clean(text, one_line=True)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + _ELLIPSIS


def _rows(buttons: Sequence[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    buttons = list(buttons)[:MAX_BUTTONS]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _nav(page_data: Callable[[int], str], page: int, has_next: bool) -> tuple[tuple[Button, ...], ...]:
    """◀ ▶ for the pages either side of `page`; `page_data` builds a page's callback data."""
    row = []
    if page > 0:
        row.append(Button(_PREV, page_data(page - 1)))
    if has_next:
        row.append(Button(_NEXT, page_data(page + 1)))
    return (tuple(row),) if row else ()


def _summary_entry(item: ItemSummary, number: int | None, *, compact: bool, lang: Lang) -> str:
    untitled = lang._("(untitled)")
    headline = _clean(item.headline, one_line=True) or _clean(item.summary, one_line=True) or untitled
    summary = _clean(item.summary, one_line=True)
    cut = headline.removesuffix(_ELLIPSIS).rstrip()
    if headline.endswith(_ELLIPSIS) and len(summary) > len(cut) and summary.startswith(cut):
        headline, summary = summary, ""  # a headline cut from the first sentence: the sentence says more
    budget = 160 if compact else 300
    lines = [
        f"{f'{number}. ' if number else ''}{format_date(item.date, lang)} — <b>{_clip(headline, budget)}</b>"
    ]
    if not compact and summary and not headline.startswith(summary[:60]):
        lines.append(_clip(summary, 300))
    lines.append(_source_line(item.sources, item.id, 60 if compact else 120))
    return "\n".join(lines)


def _fit_entries(
    header: str, entries: Sequence[str], more: Callable[[int], str], sep: str = "\n\n"
) -> tuple[str, int]:
    """Header plus as many entries as fit in one message, and a note counting the rest."""
    text = header
    for shown, entry in enumerate(entries):
        candidate = f"{text}{sep}{entry}"
        remaining = len(entries) - shown - 1
        reserve = telegram_length(more(remaining)) + len(sep) if remaining else 0
        if telegram_length(candidate) + reserve > MAX_MESSAGE:
            return f"{text}{sep}{more(len(entries) - shown)}", shown
        text = candidate
    return text, len(entries)


# ---------------------------------------------------------------------------------------------- latest


def render_latest(
    items: Sequence[ItemSummary], requested: int, *, most: int | None = None, lang: Lang = ENGLISH
) -> Reply:
    """The newest items; ``most`` is the cap on n, named when the user asked for more than it."""
    if not items:
        return Reply(lang._("The corpus is empty — nothing to show yet."))
    header = _bold(lang.ngettext("Latest {count} item", "Latest {count} items", len(items)))
    if len(items) < (requested if most is None else min(requested, most)):
        header += " " + lang._("(all the corpus has; you asked for {requested})").format(requested=requested)
    elif most is not None and requested > most:
        header += " " + lang._("(at most {most} at a time)").format(most=most)

    def more(count: int) -> str:
        return lang.ngettext(
            "<i>… and {count} more — ask for fewer, e.g.</i> <code>/latest 10</code>",
            "<i>… and {count} more — ask for fewer, e.g.</i> <code>/latest 10</code>",
            count,
        )

    for compact in (False, True):
        entries = [_summary_entry(item, n, compact=compact, lang=lang) for n, item in enumerate(items, 1)]
        text, shown = _fit_entries(header, entries, more)
        if shown == len(entries):
            break
    return Reply(_finish(text))


def render_new_items(items: Sequence[ItemSummary], lang: Lang = ENGLISH) -> list[Reply]:
    """The alert for new items, split over as many messages as it needs."""
    replies: list[Reply] = []
    header = _bold(lang._("New in the corpus"))
    text = header
    for item in items:
        entry = _summary_entry(item, None, compact=False, lang=lang)
        if telegram_length(f"{text}\n\n{entry}") > MAX_MESSAGE and text != header:
            replies.append(Reply(_finish(text)))
            text = header + " " + _italic(lang._("(continued)"))
        text = f"{text}\n\n{entry}"
    if items:
        replies.append(Reply(_finish(text)))
    return replies


def render_alert_digest(count: int, newest: Sequence[ItemSummary], lang: Lang = ENGLISH) -> Reply:
    """Many new items at once for one chat (a bulk copy of pages): one message, not hundreds. A few
    compact entries (each well under 400 characters) always fit in one message."""
    head = (
        _bold(lang._("New in the corpus"))
        + "\n"
        + lang.ngettext(
            "{count} new item, too many to send one by one.",
            "{count} new items, too many to send one by one.",
            count,
        )
    )
    if newest:
        head += " " + lang.ngettext("The newest {count}:", "The newest {count}:", len(newest))
    entries = [_summary_entry(item, n, compact=True, lang=lang) for n, item in enumerate(newest, 1)]
    browse = lang._("Browse them all with /latest or /search.")
    return Reply(_finish("\n\n".join([head, *entries, browse])))


# ---------------------------------------------------------------------------------------------- one item


def _item_header(item: ItemDetail, lang: Lang) -> str:
    untitled = lang._("(untitled)")
    lines = [_bold(_clip(item.headline or item.summary or untitled, 300))]
    meta = " · ".join(part for part in (format_date(item.date, lang), _sources(item.sources, 300)) if part)
    lines.append(meta)
    if item.people:
        lines.append(lang._("People: {names}").format(names=_clip(", ".join(item.people), 400)))
    if item.operations:
        lines.append(lang._("Operations: {names}").format(names=_clip(", ".join(item.operations), 200)))
    if item.exercises:
        lines.append(lang._("Exercises: {names}").format(names=_clip(", ".join(item.exercises), 200)))
    return "\n".join(lines)


def render_item(item: ItemDetail, page: int = 0, *, lang: Lang = ENGLISH) -> Reply:
    """The full text of one item; long text is split into pages with ◀ ▶ buttons (``doc:<id>:<page>``)."""
    header = _item_header(item, lang)
    body = _clean(item.body) or _clean(item.summary) or lang._("(no text)")
    footer_reserve = 80
    pages = _split_pages(body, MAX_MESSAGE - telegram_length(header) - footer_reserve)
    page = max(0, min(page, len(pages) - 1))
    text = f"{header}\n\n{pages[page]}"
    if len(pages) > 1:
        of_pages = lang._("Page {page} of {pages}").format(page=page + 1, pages=len(pages))
        text += f"\n\n<i>{of_pages}</i> · {_doc(item.id)}"
    return Reply(
        _finish(text), _nav(lambda to: DocPageButton(item.id, to).data(), page, page < len(pages) - 1)
    )


# ---------------------------------------------------------------------------------------------- search


def _hit_entry(hit: SearchHit, number: int, excerpt_budget: int, lang: Lang) -> str:
    excerpt = _highlight(hit.excerpt, excerpt_budget)
    plain = re.sub(f"[{MATCH_START}{MATCH_END}]", "", hit.excerpt)
    if excerpt and (not hit.headline.strip() or _same_start(hit.headline, plain)):
        # A teaser's headline is its first sentence: the excerpt alone says it, with the matches bold.
        lines = [f"{number}. {format_date(hit.date, lang)} · {excerpt}"]
    else:
        headline = _clip(hit.headline or lang._("(untitled)"), 200)
        lines = [f"{number}. {format_date(hit.date, lang)} · <b>{headline}</b>"]
        if excerpt:
            lines.append(excerpt)
    lines.append(_source_line(hit.sources, hit.id, 120))
    return "\n".join(lines)


def render_search(
    page: SearchPage, suggestions: Sequence[str] = (), *, token: str | None = None, lang: Lang = ENGLISH
) -> Reply:
    """One page of search results; ◀ ▶ buttons carry ``s:<token>:<page>`` when a token is given."""
    if isinstance(suggestions, str):
        raise TypeError("suggestions must be a sequence of strings, not a string")
    query = _clip(page.query, 200)
    nav = _nav(lambda to: SearchPageButton(token, to).data(), page.page, page.has_next) if token else ()
    if not page.hits:
        return _no_results(page, query, suggestions, nav, lang)
    first = page.page * page.per_page + 1
    last = first + len(page.hits) - 1
    if page.total is not None:
        header = lang._("Results {first}–{last} of {total} for <b>{query}</b>")
    else:
        header = lang._("Results {first}–{last} for <b>{query}</b>")
    total = lang.number(page.total) if page.total is not None else ""
    header = header.format(first=first, last=last, total=total, query=query)
    if page.newest_first:
        header += "\n" + _italic(lang._("Found in most items, so newest first rather than by relevance."))
    for budget in (700, 400, 200, 100):
        entries = [_hit_entry(hit, first + n, budget, lang) for n, hit in enumerate(page.hits)]
        text = "\n\n".join([header, *entries])
        if telegram_length(text) <= MAX_MESSAGE:
            break
    return Reply(_finish(text), nav)


def _no_results(
    page: SearchPage, query: str, suggestions: Sequence[str], nav: tuple[tuple[Button, ...], ...], lang: Lang
) -> Reply:
    if page.page > 0:
        return Reply(lang._("No more results for <b>{query}</b>.").format(query=query), nav)
    lines = [lang._("No results for <b>{query}</b>.").format(query=query)]
    shown = [s for s in (_clean(s, one_line=True) for s in suggestions) if s][:5]
    if shown:
        offered = ", ".join(f"<code>/search {_clip(s, 100)}</code>" for s in shown)
        lines.append(lang._("Did you mean: {suggestions}?").format(suggestions=offered))
    lines.append(lang._('Tips: "exact phrase", prefix*, -excluded words and a OR b all work.'))
    return Reply(_finish("\n".join(lines)))


# ---------------------------------------------------------------------------------------------- people


def _other_spellings(name: str, aliases: Sequence[str], budget: int) -> str | None:
    others = [a for a in dict.fromkeys(_clean(a, one_line=True) for a in aliases) if a and a != name]
    return _clip(", ".join(others), budget) if others else None


def _also_written(name: str, aliases: Sequence[str], budget: int, lang: Lang) -> str | None:
    others = _other_spellings(name, aliases, budget)
    return lang._("Also written: {names}").format(names=others) if others else None


def _and_more(count: int, lang: Lang) -> str:
    return _italic(lang.ngettext("… and {count} more", "… and {count} more", count))


def render_person(profile: PersonProfile, *, lang: Lang = ENGLISH) -> Reply:
    lines = [f"<b>{_clip(profile.name, 200)}</b>"]
    if also := _also_written(profile.name, profile.aliases, 300, lang):
        lines.append(also)
    lines.append(
        lang.ngettext("Mentioned in {count} item", "Mentioned in {count} items", profile.mention_count)
    )
    if profile.titles:
        lines += ["", _bold(lang._("Titles"))]
        for title in profile.titles[:10]:
            day = format_date(title.date, lang)
            lines.append(f"• {_clip(title.title, 150)} — {day} · {_doc(title.item_id)}")
        if len(profile.titles) > 10:
            lines.append(_and_more(len(profile.titles) - 10, lang))
    if profile.latest:
        lines += ["", _bold(lang._("Latest mentions"))]
        for mention in profile.latest[:3]:
            lines += _mention_lines(mention, lang)
    return Reply(_finish("\n".join(lines)), _timeline_button(TimelineButton.PERSON, profile.id, lang))


def _same_start(a: str, b: str) -> bool:
    """True when one text opens with the other (a headline that is the item's first sentence)."""
    a, b = _clean(a, one_line=True).casefold(), _clean(b, one_line=True).casefold()
    shorter = min(len(a), len(b), 60)
    return shorter > 0 and a[:shorter] == b[:shorter]


def _mention_lines(mention: PersonMentionRecord, lang: Lang) -> list[str]:
    """A dated excerpt with its source. The headline is left out when the excerpt repeats it, and the
    title as written only follows the excerpt when the excerpt does not already contain it."""
    sentence = _clean(mention.sentence, one_line=True)
    title = _clean(mention.title or "", one_line=True)
    show_title = bool(title) and title.casefold() not in sentence.casefold()
    as_title = f" <i>({_clip(title, 80)})</i>" if show_title else ""
    quoted = f"«{_clip(sentence, 350)}»{as_title}"
    source = f"  {_source_line(mention.sources, mention.item_id, 100)}"
    if not mention.headline.strip() or _same_start(mention.headline, sentence):
        return [f"• {format_date(mention.date, lang)} · {quoted}", source]
    headline = f"• {format_date(mention.date, lang)} · <b>{_clip(mention.headline, 150)}</b>"
    return [headline, f"  {quoted}", source]


def _person_line(person: PersonName, lang: Lang) -> str:
    return f"• <b>{_clip(person.name, 100)}</b> — {_in_items(person.mention_count, lang)}"


def _person_buttons(people: Sequence[PersonName]) -> tuple[tuple[Button, ...], ...]:
    return _rows([Button(_label(p.name), PersonButton(p.id).data()) for p in people], 1)


def render_person_choices(query: str, candidates: Sequence[PersonName], *, lang: Lang = ENGLISH) -> Reply:
    """Several people match: list them, one ``who:<id>`` button each."""
    shown = list(candidates)[:10]
    lines = [lang._("Several people match <b>{query}</b> — pick one:").format(query=_clip(query, 100))]
    for person in shown:
        line = _person_line(person, lang)
        if others := _other_spellings(person.name, person.aliases, 120):
            line += f" <i>({others})</i>"
        lines.append(line)
    return Reply(_finish("\n".join(lines)), _person_buttons(shown))


def render_person_not_found(query: str, nearest: Sequence[PersonName], *, lang: Lang = ENGLISH) -> Reply:
    lines = [lang._("No one called <b>{query}</b> in the corpus.").format(query=_clip(query, 100))]
    shown = list(nearest)[:5]
    if shown:
        lines.append(lang._("Closest names:"))
        lines += [_person_line(p, lang) for p in shown]
    else:
        lines.append(lang._("Send <code>/who</code> alone to see the people mentioned most."))
    return Reply(_finish("\n".join(lines)), _person_buttons(shown))


def render_title_holders(query: str, holders: Sequence[TitleHolder], *, lang: Lang = ENGLISH) -> Reply:
    """No one is called `query`, but people held a title with those words: newest first, a button each."""
    shown = list(holders)[:8]
    intro = lang._("No one is called <b>{query}</b>; people with that title, newest first:")
    lines = [intro.format(query=_clip(query, 100))]
    for holder in shown:
        lines.append(
            f"• <b>{_clip(holder.name, 100)}</b> — {_clip(_clean(holder.title, one_line=True), 150)} — "
            f"{format_date(holder.date, lang)} · {_doc(holder.item_id)}"
        )
    buttons = _rows([Button(_label(h.name), PersonButton(h.person_id).data()) for h in shown], 1)
    return Reply(_finish("\n".join(lines)), buttons)


def render_people_usage(top: Sequence[PersonName], *, lang: Lang = ENGLISH) -> Reply:
    shown = list(top)[:10]
    example = _clip(shown[0].name, 60) if shown else "Tasmagambetov"
    usage = lang._("Usage: <code>/who &lt;name&gt;</code>, e.g. <code>/who {example}</code>")
    lines = [usage.format(example=example)]
    if shown:
        lines += ["", _bold(lang._("Mentioned most"))] + [_person_line(p, lang) for p in shown]
    buttons = _rows([Button(_label(p.name), PersonButton(p.id).data()) for p in shown], 2)
    return Reply(_finish("\n".join(lines)), buttons)


# ---------------------------------------------------------------------------------------------- operations


class _KindWords(NamedTuple):
    """What /operations and /exercises call their kind (msgids, translated where shown)."""

    card: str
    heading: str
    none_yet: str
    no_match: str
    command: str


_KIND_WORDS = {
    "operation": _KindWords(
        N_("Operation {name}"),
        N_("Operations in the corpus"),
        N_("No operations found in the corpus yet."),
        N_("No operation matches “{name}”."),
        "operations",
    ),
    "exercise": _KindWords(
        N_("Exercise {name}"),
        N_("Exercises in the corpus"),
        N_("No exercises found in the corpus yet."),
        N_("No exercise matches “{name}”."),
        "exercises",
    ),
}


def _years(years: Sequence[int]) -> str:
    """2004, 2017–2019, 2023: runs of consecutive years joined by a dash."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


def _when(op: OperationSummary, lang: Lang) -> str:
    """The years it ran when known, else the span of its items' dates."""
    return _years(op.years) if op.years else _span(op.first_date, op.last_date, lang)


def render_operations(
    ops: Sequence[OperationSummary], not_found: str | None = None, *, kind: str = "operation", lang: Lang = ENGLISH
) -> Reply:
    """Every operation (or exercise), one ``op:<id>`` button each; `not_found` names a query that matched
    none."""
    words = _KIND_WORDS.get(kind, _KIND_WORDS["operation"])
    if not ops:
        return Reply(lang._(words.none_yet))
    header = _bold(lang._(words.heading)) + f" ({len(ops)})"
    if not_found:
        no_match = lang._(words.no_match).format(name=_clip(not_found, 100))
        header = f"{no_match}\n{header}"

    def full(op: OperationSummary) -> str:
        purpose = f" — {_clip(op.purpose, 150)}" if op.purpose else ""
        return f"• <b>{_clip(op.name, 80)}</b>{purpose}\n  {_when(op, lang)} · {_documents(op.source_count, lang)}"

    def compact(op: OperationSummary) -> str:  # when every operation in full does not fit
        purpose = f" — {_clip(op.purpose, 60)}" if op.purpose else ""
        return f"• <b>{_clip(op.name, 40)}</b>{purpose} · {op.source_count}"

    def more(count: int) -> str:
        one = lang._("<code>/{command} name</code> for one").format(command=words.command)
        return f"{_and_more(count, lang)} — {one}"

    text = "\n".join([header, *map(full, ops)])
    if telegram_length(text) > MAX_MESSAGE:
        lines = [compact(op) for op in ops]
        each = lang._("documents each")
        text, _ = _fit_entries(f"{header} · {each}", lines, more, sep="\n")
    buttons = _rows([Button(_label(op.name), OperationButton(op.id).data()) for op in ops], 2)
    return Reply(text, buttons)


def render_operation(detail: OperationDetail, *, lang: Lang = ENGLISH) -> Reply:
    op = detail.summary
    words = _KIND_WORDS.get(op.kind, _KIND_WORDS["operation"])
    lines = [_bold(lang._(words.card).format(name=_clip(op.name, 150)))]
    if also := _also_written(op.name, detail.aliases, 200, lang):
        lines.append(also)
    if op.purpose:
        lines.append(lang._("Purpose: {purpose}").format(purpose=_clip(op.purpose, 400)))
    if op.years:
        lines.append(lang._("Years: {years}").format(years=_years(op.years)))
    if op.phases:
        lines.append(lang._("Phases: {phases}").format(phases=_clip(", ".join(op.phases), 300)))
    seen = lang._("Seen: {span}").format(span=_span(op.first_date, op.last_date, lang))
    lines.append(f"{seen} · {_documents(op.source_count, lang)}")
    if detail.excerpts:
        lines += ["", _bold(lang._("Excerpts"))]
        for excerpt in detail.excerpts:
            headline = _clip(excerpt.headline or lang._("(untitled)"), 150)
            lines.append(f"• {format_date(excerpt.date, lang)} · <b>{headline}</b>")
            lines.append(f"  «{_clip(excerpt.sentence, 350)}»")
            lines.append(f"  {_source_line(excerpt.sources, excerpt.item_id, 100)}")
    return Reply(_finish("\n".join(lines)), _timeline_button(TimelineButton.OPERATION, op.id, lang))


def _timeline_button(kind: str, subject_id: int, lang: Lang) -> tuple[tuple[Button, ...], ...]:
    """The Timeline button: the picture of a person (or an operation) over time."""
    return ((Button(lang._(TIMELINE_LABEL), TimelineButton(kind, subject_id).data()),),)


# ---------------------------------------------------------------------------------------------- corpus, help


def _moment(value: dt.datetime | None, lang: Lang) -> str:
    if value is None:
        return lang._("never")
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{format_date(value.date(), lang)} {value:%H:%M} UTC"


def _loading_line(files_read: int, lang: Lang) -> str:
    """A load is changing the corpus now (the start-up load of a big folder takes minutes)."""
    if not files_read:
        return lang._("⏳ Loading the corpus; answers cover what is loaded.")
    return lang.ngettext(
        "⏳ Loading the corpus: {count} document read so far; answers cover what is loaded.",
        "⏳ Loading the corpus: {count} documents read so far; answers cover what is loaded.",
        files_read,
    )


def with_loading_note(reply: Reply, files_read: int, lang: Lang = ENGLISH) -> Reply:
    """An answer given while a load is changing the corpus says it may be incomplete (left as it is
    in the rare case the note does not fit)."""
    text = f"{reply.text}\n\n<i>{_loading_line(files_read, lang)}</i>"
    if telegram_length(text) > MAX_MESSAGE:
        return reply
    return Reply(text, reply.buttons)


def render_stats(stats: CorpusStats, loading: int | None = None, *, lang: Lang = ENGLISH) -> Reply:
    """loading: documents read so far by a load under way (see Loader.loading), else None."""
    lines = [
        _bold(lang._("Corpus")),
        lang._("Documents: {count}").format(count=stats.documents),
        lang._("Items: {count}").format(count=stats.items),
        lang._("People: {count}").format(count=stats.people),
        lang._("Operations: {count}").format(count=stats.operations),
        lang._("Dates: {span}").format(span=_span(stats.first_date, stats.last_date, lang)),
        lang._("Last loaded: {moment}").format(moment=_moment(stats.last_load, lang)),
    ]
    if loading is not None:
        lines.append(_loading_line(loading, lang))
    return Reply("\n".join(lines))


def render_help(
    stats: CorpusStats,
    commands: Sequence[tuple[str, str, str]],
    loading: int | None = None,
    *,
    lang: Lang = ENGLISH,
) -> Reply:
    """Intro, corpus size (and a load under way), then each (command, description, example); the
    descriptions are English msgids (handlers.common.CommandInfo), translated here."""
    items = lang.ngettext("{count} item", "{count} items", stats.items)
    documents = lang.ngettext("from {count} document", "from {count} documents", stats.documents)
    span = _span(stats.first_date, stats.last_date, lang)
    lines = [_bold(lang._("CSTO public record")), f"{items} {documents}, {span}."]
    if loading is not None:
        lines.append(_loading_line(loading, lang))
    lines.append("")
    for command, description, example in commands:
        name = "/" + _clean(command, one_line=True).lstrip("/")
        lines.append(f"<code>{_clip(name, 60)}</code> — {_clip(lang._(description), 300)}")
        if example.strip():
            shown = "/" + _clean(example, one_line=True).lstrip("/")
            for_example = lang._("e.g.")
            lines.append(f"   {for_example} <code>{_clip(shown, 120)}</code>")
    return Reply(_finish("\n".join(lines)))


def render_usage(text: str, *, lang: Lang = ENGLISH) -> Reply:
    """A usage or short notice written by a handler (already in the reader's language), shown as plain
    (escaped) text."""
    return Reply(_clip(text, MAX_MESSAGE, one_line=False) or lang._("Usage: /help"))


MAX_TOAST = 200  # characters Telegram shows in a button press's answer


def render_expired_button(lang: Lang = ENGLISH) -> str:
    """The answer to a press on a button the bot no longer serves (a toast, not a message)."""
    return lang._("This button has expired — send the command again.")[:MAX_TOAST]


def render_error(lang: Lang = ENGLISH) -> Reply:
    return Reply(lang._("Sorry, something went wrong on our side. Please try again in a moment."))


def render_language(choice: str | None, lang: Lang) -> Reply:
    """/language: the chat's setting (``choice`` None: each user's Telegram language), said in ``lang``,
    the language replies now use; then how to change it."""
    if choice is None:
        state = lang._(
            "Replies in this chat follow each user's Telegram language (English when there is no translation)."
        )
    else:
        state = lang._("Replies in this chat are in {language}.").format(language=lang.language_name(choice))
    usage = lang._(
        "Change it with <code>/language ru</code>, <code>/language en</code> or <code>/language auto</code>."
    )
    return Reply(f"{html.escape(state, quote=False)}\n{usage}")


# ---------------------------------------------------------------------------------------------- alerts


def _filters_line(filters: Sequence[str], lang: Lang) -> str:
    if not filters:
        return lang._("No filters: every new item is sent.")
    shown = ", ".join(f"<code>{_clip(f, 100)}</code>" for f in filters)
    return lang._("Filters: {filters} — an item is sent when any one of them matches.").format(filters=shown)


def render_subscribed(
    filters: Sequence[str], *, updated: bool, in_topic: bool, lang: Lang = ENGLISH
) -> Reply:
    """After /subscribe: new or updated, where alerts go, and the filters as parsed."""
    if updated:
        first = (
            lang._("Already subscribed: filters updated. Alerts go to this topic.")
            if in_topic
            else lang._("Already subscribed: filters updated. Alerts go to this chat.")
        )
    else:
        first = (
            lang._("Subscribed: new items in the corpus will be sent to this topic.")
            if in_topic
            else lang._("Subscribed: new items in the corpus will be sent to this chat.")
        )
    lines = [first, _filters_line(filters, lang)]
    if not updated:
        lines.append(
            lang._("Items already in the corpus are not sent. <code>/unsubscribe</code> stops the alerts.")
        )
    return Reply(_finish("\n".join(lines)))


def render_unsubscribed(was_subscribed: bool, *, lang: Lang = ENGLISH) -> Reply:
    if not was_subscribed:
        return Reply(lang._("This chat is not subscribed."))
    return Reply(lang._("Unsubscribed: no more alerts in this chat."))


def render_subscription(subscription: Subscription | None, *, lang: Lang = ENGLISH) -> Reply:
    """/subscriptions: this chat's state and filters."""
    if subscription is None:
        return Reply(
            lang._("This chat is not subscribed. Send <code>/subscribe</code> to get new items here.")
        )
    since = format_date(subscription.created_at.date(), lang)
    if subscription.thread_id is not None:
        state = lang._("This chat is subscribed in this chat's topic where /subscribe was sent since {date}.")
    else:
        state = lang._("This chat is subscribed since {date}.")
    lines = [state.format(date=since), _filters_line(subscription.filters, lang)]
    return Reply(_finish("\n".join(lines)))


# ---------------------------------------------------------------------------------------------- console


def to_plain_text(reply: Reply) -> str:
    """The reply for a terminal: tags stripped, entities unescaped, buttons as numbered choices."""
    text = _strip_tags(reply.text)
    rows: list[str] = []
    number = 0
    for row in reply.buttons:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.label}")
        rows.append("  ".join(labels))
    return f"{text}\n\n" + "\n".join(rows) if rows else text
