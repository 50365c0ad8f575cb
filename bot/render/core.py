"""What every reply shares: the Reply and Button records and the text tools that keep render's rules.

bot.render turns records into Telegram HTML; this module holds the rules in one place so each
renderer (items, people, operations, alerts, help, inline) follows them without restating them:
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
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot.callbacks import TimelineButton, check_size
from bot.corpus.name_keys import has_initials, is_cyrillic
from bot.html_text import strip_tags
from bot.i18n import ENGLISH, N_, Lang
from bot.records import ItemSummary, Source

MAX_MESSAGE = 4096  # UTF-16 code units
MAX_LABEL = 40  # characters on a button
MAX_BUTTONS = 40
MAX_SOURCE_LABEL = 40  # characters of one source's name or host
LINK_MARKUP = 1200  # UTF-16 units a source line's links may add to its visible budget (their hrefs)

# Control characters (keeping \t and \n; the match markers go too) and lone surrogates, which cannot be sent.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
WHITESPACE = re.compile(r"\s+")
ELLIPSIS = "…"
_PREV, _NEXT = "◀", "▶"
TIMELINE_LABEL = N_("Timeline")


# ---------------------------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    callback_data: str

    def __post_init__(self) -> None:
        check_size(self.callback_data)


Keyboard = tuple[tuple[Button, ...], ...]  # rows of buttons under a message


@dataclass(frozen=True, slots=True)
class Reply:
    text: str  # Telegram HTML
    buttons: Keyboard = ()

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("a reply needs text")
        if telegram_length(self.text) > MAX_MESSAGE:
            raise ValueError(f"reply is {telegram_length(self.text)} UTF-16 units, over {MAX_MESSAGE}")


# ---------------------------------------------------------------------------------------------- text tools


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean_text(text: str, *, one_line: bool = False) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return WHITESPACE.sub(" ", text).strip() if one_line else text.strip()


def escaped_cost(char: str) -> int:
    """UTF-16 units ``char`` takes once escaped."""
    if char == "&":
        return 5
    if char in "<>":
        return 4
    return 2 if ord(char) > 0xFFFF else 1


def fit_index(text: str, budget: int, costs: Callable[[str], int] = escaped_cost) -> int:
    """The longest prefix of ``text`` whose escaped length fits in ``budget``."""
    used = 0
    for index, char in enumerate(text):
        used += costs(char)
        if used > budget:
            return index
    return len(text)


def cut_at_word(text: str, limit: int) -> int:
    """A good place to cut ``text`` at or before ``limit``: paragraph, line, sentence, then word."""
    floor = limit // 2
    for separator in ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " "):
        at = text.rfind(separator, floor, limit)
        if at > 0:
            return at + (1 if separator.strip() else 0)
    return limit


def clip(text: str, budget: int, *, one_line: bool = True) -> str:
    """Escaped ``text`` of at most ``budget`` UTF-16 units, cut at a boundary and marked with …."""
    text = clean_text(text, one_line=one_line)
    if fit_index(text, budget) == len(text):
        return html.escape(text, quote=False)
    cut = cut_at_word(text, fit_index(text, max(budget - 1, 0)))
    return html.escape(text[:cut].rstrip(), quote=False) + ELLIPSIS


def finish(text: str) -> str:
    """Bound a message: drop whole trailing lines (each is balanced) and mark the cut with …."""
    text = text.strip()
    if telegram_length(text) <= MAX_MESSAGE:
        return text
    cut = text.rfind("\n", 0, fit_index(text, MAX_MESSAGE - 2, lambda c: 2 if ord(c) > 0xFFFF else 1))
    while cut > 0:
        head = text[:cut].rstrip()
        if head and telegram_length(head) + 2 <= MAX_MESSAGE:
            return head + "\n" + ELLIPSIS
        cut = text.rfind("\n", 0, cut)
    return clip(strip_tags(text), MAX_MESSAGE, one_line=False)  # one giant line: keep the words


# ---------------------------------------------------------------------------------------------- pieces


def format_date(day: dt.date | None, lang: Lang = ENGLISH) -> str:
    """``31 Oct 2025`` / ``31 октября 2025``: the reader's language, never the machine's locale;
    ``undated`` for None."""
    if day is None:
        return lang._("undated")
    return lang.date(day)


def date_span(first: dt.date | None, last: dt.date | None, lang: Lang) -> str:
    if first is None and last is None:
        return lang._("undated")
    if first is None or last is None or first == last:
        return format_date(first or last, lang)
    return f"{format_date(first, lang)} – {format_date(last, lang)}"


def bold(markup: str) -> str:
    return f"<b>{markup}</b>"


def italic(markup: str) -> str:
    return f"<i>{markup}</i>"


def doc_command(item_id: int) -> str:
    return f"<code>/doc {item_id}</code>"


def _host(url: str) -> str:
    """The site a link leads to, as a reader knows it: no "www.", an IDNA name in its own letters."""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        host = host.encode("ascii").decode("idna")
    except UnicodeError:
        pass
    return host.removeprefix("www.")


def _source_labels(sources: Sequence[Source]) -> list[tuple[str, str | None]]:
    """(label, address) per source: a linked source is named by its site (a site named again is
    numbered: "odkb-csto.org (2)"), any other by its file name."""
    seen: dict[str, int] = {}
    labels: list[tuple[str, str | None]] = []
    for source in sources:
        label = clean_text(_host(source.url) if source.url else source.name, one_line=True)
        if not label:
            continue
        if source.url:
            seen[label] = seen.get(label, 0) + 1
            label = label if seen[label] == 1 else f"{label} ({seen[label]})"
        labels.append((label, source.url))
    return labels


def source_names(sources: Sequence[Source], budget: int) -> str:
    """A source line's names, in italics: each linked to its page's address when one is known. At
    most ``budget`` visible UTF-16 units (and LINK_MARKUP more of hrefs); the sources left out are
    counted ("+2")."""
    labels = _source_labels(sources)
    if not any(url for _, url in labels):
        names = ", ".join(label for label, _ in labels)
        return f"<i>{clip(names, budget)}</i>" if names else ""
    parts: list[str] = []
    shown = markup = 0
    for index, (label, url) in enumerate(labels):
        text = clip(label, MAX_SOURCE_LABEL)
        part = f'<a href="{html.escape(url, quote=True)}">{text}</a>' if url else text
        rest = f", +{len(labels) - index}"
        shown += telegram_length(html.unescape(text)) + 2
        markup += telegram_length(part) + 2
        if parts and (shown + len(rest) > budget or markup + len(rest) > budget + LINK_MARKUP):
            parts.append(rest.removeprefix(", "))
            break
        parts.append(part)
    return f"<i>{', '.join(parts)}</i>"


def source_line(sources: Sequence[Source], item_id: int, budget: int) -> str:
    return " · ".join(part for part in (source_names(sources, budget), doc_command(item_id)) if part)


def documents_count(count: int, lang: Lang) -> str:
    return lang.ngettext("{count} document", "{count} documents", count)


def in_items(count: int, lang: Lang) -> str:
    return lang.ngettext("in {count} item", "in {count} items", count)


def _button_label(text: str) -> str:
    text = clean_text(text, one_line=True)
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + ELLIPSIS


def name_buttons(named: Iterable[tuple[str, str]], per_row: int) -> Keyboard:
    """A button for each (name, callback data), labelled with the name (clipped), `per_row` a row, at
    most MAX_BUTTONS in all: the people and operations a reply lists."""
    buttons = [Button(_button_label(name), data) for name, data in named][:MAX_BUTTONS]
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def timeline_button(kind: str, subject_id: int, lang: Lang) -> Keyboard:
    """The Timeline button: the picture of a person (or an operation) over time."""
    return ((Button(lang._(TIMELINE_LABEL), TimelineButton(kind, subject_id).data()),),)


def page_buttons(page_data: Callable[[int], str], page: int, has_next: bool) -> Keyboard:
    """◀ ▶ for the pages either side of `page`; `page_data` builds a page's callback data."""
    row = []
    if page > 0:
        row.append(Button(_PREV, page_data(page - 1)))
    if has_next:
        row.append(Button(_NEXT, page_data(page + 1)))
    return (tuple(row),) if row else ()


def summary_entry(item: ItemSummary, number: int | None, *, compact: bool, lang: Lang) -> str:
    untitled = lang._("(untitled)")
    headline = clean_text(item.headline, one_line=True) or clean_text(item.summary, one_line=True) or untitled
    summary = clean_text(item.summary, one_line=True)
    cut = headline.removesuffix(ELLIPSIS).rstrip()
    if headline.endswith(ELLIPSIS) and len(summary) > len(cut) and summary.startswith(cut):
        headline, summary = summary, ""  # a headline cut from the first sentence: the sentence says more
    budget = 160 if compact else 300
    lines = [
        f"{f'{number}. ' if number else ''}{format_date(item.date, lang)} — <b>{clip(headline, budget)}</b>"
    ]
    if not compact and summary and not headline.startswith(summary[:60]):
        lines.append(clip(summary, 300))
    lines.append(source_line(item.sources, item.id, 60 if compact else 120))
    return "\n".join(lines)


def fit_entries(
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


def same_start(a: str, b: str) -> bool:
    """True when one text opens with the other (a headline that is the item's first sentence)."""
    a, b = clean_text(a, one_line=True).casefold(), clean_text(b, one_line=True).casefold()
    shorter = min(len(a), len(b), 60)
    return shorter > 0 and a[:shorter] == b[:shorter]


def name_for_reader(name: str, aliases: Sequence[str], lang: Lang) -> tuple[str, tuple[str, ...]]:
    """A person's name in the reader's script when a page wrote it so (Андрей Сердюков for a Russian
    reader of a row named Andrei Serdyukov): the most used full spelling of that script; the stored name
    leads the other spellings then."""
    want_cyrillic = lang.code == "ru"
    if not name or is_cyrillic(name) == want_cyrillic:
        return name, tuple(aliases)
    for alias in aliases:  # most used first
        if is_cyrillic(alias) == want_cyrillic and " " in alias.strip() and not has_initials(alias):
            return alias, (name, *(a for a in aliases if a != alias))
    return name, tuple(aliases)


def other_spellings(name: str, aliases: Sequence[str], budget: int) -> str | None:
    others = [a for a in dict.fromkeys(clean_text(a, one_line=True) for a in aliases) if a and a != name]
    return clip(", ".join(others), budget) if others else None


def also_written(name: str, aliases: Sequence[str], budget: int, lang: Lang) -> str | None:
    others = other_spellings(name, aliases, budget)
    return lang._("Also written: {names}").format(names=others) if others else None


def and_more(count: int, lang: Lang) -> str:
    return italic(lang.ngettext("… and {count} more", "… and {count} more", count))
