"""Items as the reader asks for them: /latest's list, /search's pages (matches in bold) and /doc's
full text in pages. Kept apart from people and operations because only these cut long corpus text into
pages and turn the store's match markers into markup."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from bot.callbacks import DocPageButton, SearchPageButton
from bot.i18n import ENGLISH, Lang
from bot.records import MATCH_END, MATCH_START, ItemDetail, LatestItems, SearchHit, SearchPage
from bot.render.core import (
    ELLIPSIS,
    MAX_MESSAGE,
    WHITESPACE,
    Keyboard,
    Reply,
    bold,
    clean_text,
    clip,
    cut_at_word,
    doc_command,
    escaped_cost,
    finish,
    fit_entries,
    fit_index,
    format_date,
    italic,
    page_buttons,
    same_start,
    source_line,
    source_names,
    summary_entry,
    telegram_length,
)

# ---------------------------------------------------------------------------------------------- text


def _split_pages(text: str, budget: int) -> list[str]:
    """Plain ``text`` in chunks whose escaped length fits in ``budget``; escaped, never empty."""
    pages: list[str] = []
    rest = text
    while rest:
        limit = fit_index(rest, budget)
        cut = len(rest) if limit == len(rest) else cut_at_word(rest, limit)
        cut = max(cut, 1)
        pages.append(html.escape(rest[:cut].rstrip(), quote=False))
        rest = rest[cut:].lstrip()
    return [page for page in pages if page] or [""]


def _highlight(excerpt: str, budget: int) -> str:
    """Escape the excerpt first, then turn MATCH_START/MATCH_END into balanced <b>…</b>."""
    text = _one_line_keep_markers(excerpt)
    if fit_index(text, budget - 4, _marker_cost) < len(text):  # 4 reserved for a closing </b>
        cut = cut_at_word(text, fit_index(text, budget - 5, _marker_cost))
        text = text[:cut].rstrip() + ELLIPSIS
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
    return WHITESPACE.sub(" ", text).strip()


def _marker_cost(char: str) -> int:
    if char == MATCH_START:
        return 3
    if char == MATCH_END:
        return 4
    return escaped_cost(char)


# ---------------------------------------------------------------------------------------------- latest


def render_latest(
    latest: LatestItems, requested: int, *, most: int | None = None, lang: Lang = ENGLISH
) -> Reply:
    """The newest dated items (or the undated ones) under a header that counts the corpus's dated
    and undated items; ``most`` is the cap on n, named when the user asked for more than it."""
    items, dated, undated = latest.items, latest.dated, latest.undated
    total = dated + undated
    if not total:
        return Reply(lang._("The corpus is empty — nothing to show yet."))
    see_undated = "<code>/latest undated</code>"
    if latest.undated_listed:
        if not items:
            return Reply(lang._("Every item in the corpus has a date: see /latest."))
        of_undated = lang.ngettext(
            "{shown} of {count} undated item", "{shown} of {count} undated items", undated
        )
        header = bold(of_undated.format(shown=lang.number(len(items))))
        header += " — " + lang._("the most recently loaded first")
    elif not items:
        none_dated = lang.ngettext(
            "No item in the corpus has a date; {count} is undated:",
            "No item in the corpus has a date; all {count} are undated:",
            undated,
        )
        return Reply(f"{html.escape(none_dated, quote=False)} {see_undated}")
    else:
        of_total = lang.ngettext("Latest {shown} of {count} item", "Latest {shown} of {count} items", total)
        header = bold(of_total.format(shown=lang.number(len(items))))
        header += " — " + (
            lang._("{dated} dated, {undated} undated").format(
                dated=lang.number(dated), undated=lang.number(undated)
            )
            if undated
            else lang._("all dated")
        )
    if len(items) < (requested if most is None else min(requested, most)):
        header += " " + lang._("(you asked for {requested})").format(requested=requested)
    elif most is not None and requested > most:
        header += " " + lang._("(at most {most} at a time)").format(most=most)
    if undated and not latest.undated_listed:
        header += "\n" + italic(lang._("The undated ones:")) + " " + see_undated
    command = "/latest undated 10" if latest.undated_listed else "/latest 10"

    def more(count: int) -> str:
        return lang.ngettext(
            "<i>… and {count} more — ask for fewer, e.g.</i> <code>{command}</code>",
            "<i>… and {count} more — ask for fewer, e.g.</i> <code>{command}</code>",
            count,
        ).format(command=command)

    for compact in (False, True):
        entries = [summary_entry(item, n, compact=compact, lang=lang) for n, item in enumerate(items, 1)]
        text, shown = fit_entries(header, entries, more)
        if shown == len(entries):
            break
    return Reply(finish(text))


# ---------------------------------------------------------------------------------------------- one item


def _item_header(item: ItemDetail, lang: Lang) -> str:
    untitled = lang._("(untitled)")
    lines = [bold(clip(item.headline or item.summary or untitled, 300))]
    meta = " · ".join(
        part for part in (format_date(item.date, lang), source_names(item.sources, 300)) if part
    )
    lines.append(meta)
    if item.people:
        lines.append(lang._("People: {names}").format(names=clip(", ".join(item.people), 400)))
    if item.operations:
        lines.append(lang._("Operations: {names}").format(names=clip(", ".join(item.operations), 200)))
    if item.exercises:
        lines.append(lang._("Exercises: {names}").format(names=clip(", ".join(item.exercises), 200)))
    return "\n".join(lines)


def render_item(item: ItemDetail, page: int = 0, *, lang: Lang = ENGLISH) -> Reply:
    """The full text of one item; long text is split into pages with ◀ ▶ buttons (``doc:<id>:<page>``)."""
    header = _item_header(item, lang)
    body = clean_text(item.body) or clean_text(item.summary) or lang._("(no text)")
    footer_reserve = 80
    pages = _split_pages(body, MAX_MESSAGE - telegram_length(header) - footer_reserve)
    page = max(0, min(page, len(pages) - 1))
    text = f"{header}\n\n{pages[page]}"
    if len(pages) > 1:
        of_pages = lang._("Page {page} of {pages}").format(page=page + 1, pages=len(pages))
        text += f"\n\n<i>{of_pages}</i> · {doc_command(item.id)}"
    return Reply(
        finish(text), page_buttons(lambda to: DocPageButton(item.id, to).data(), page, page < len(pages) - 1)
    )


# ---------------------------------------------------------------------------------------------- search


def _hit_entry(hit: SearchHit, number: int, excerpt_budget: int, lang: Lang) -> str:
    excerpt = _highlight(hit.excerpt, excerpt_budget)
    plain = re.sub(f"[{MATCH_START}{MATCH_END}]", "", hit.excerpt)
    if excerpt and (not hit.headline.strip() or same_start(hit.headline, plain)):
        # A teaser's headline is its first sentence: the excerpt alone says it, with the matches bold.
        lines = [f"{number}. {format_date(hit.date, lang)} · {excerpt}"]
    else:
        headline = clip(hit.headline or lang._("(untitled)"), 200)
        lines = [f"{number}. {format_date(hit.date, lang)} · <b>{headline}</b>"]
        if excerpt:
            lines.append(excerpt)
    lines.append(source_line(hit.sources, hit.id, 120))
    return "\n".join(lines)


def render_search(
    page: SearchPage, suggestions: Sequence[str] = (), *, token: str | None = None, lang: Lang = ENGLISH
) -> Reply:
    """One page of search results; ◀ ▶ buttons carry ``s:<token>:<page>`` when a token is given."""
    if isinstance(suggestions, str):
        raise TypeError("suggestions must be a sequence of strings, not a string")
    query = clip(page.query, 200)
    nav = (
        page_buttons(lambda to: SearchPageButton(token, to).data(), page.page, page.has_next) if token else ()
    )
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
        header += "\n" + italic(lang._("Found in most items, so newest first rather than by relevance."))
    for budget in (700, 400, 200, 100):
        entries = [_hit_entry(hit, first + n, budget, lang) for n, hit in enumerate(page.hits)]
        text = "\n\n".join([header, *entries])
        if telegram_length(text) <= MAX_MESSAGE:
            break
    return Reply(finish(text), nav)


def _no_results(page: SearchPage, query: str, suggestions: Sequence[str], nav: Keyboard, lang: Lang) -> Reply:
    if page.page > 0:
        return Reply(lang._("No more results for <b>{query}</b>.").format(query=query), nav)
    lines = [lang._("No results for <b>{query}</b>.").format(query=query)]
    shown = [s for s in (clean_text(s, one_line=True) for s in suggestions) if s][:5]
    if shown:
        offered = ", ".join(f"<code>/search {clip(s, 100)}</code>" for s in shown)
        lines.append(lang._("Did you mean: {suggestions}?").format(suggestions=offered))
    lines.append(lang._('Tips: "exact phrase", prefix*, -excluded words and a OR b all work.'))
    return Reply(finish("\n".join(lines)))
