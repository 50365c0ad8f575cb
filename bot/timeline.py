"""A timeline as a picture: bot.records.Timeline in, PNG bytes out; and the caption sent under it.

Pure and self-contained: no store, no Telegram. The drawing runs in a process of its own (see
bot.timelines), which imports this module and nothing heavier: matplotlib (with its numpy) is imported
on the first picture, in that process, never in the bot's.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import multiprocessing
import multiprocessing.connection
import os
import threading
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.i18n import ENGLISH, Lang
from bot.records import MonthCount, Timeline, TitleSpan

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WIDTH_INCHES, HEIGHT_INCHES, DPI = 10.0, 5.6, 100  # a 1000 x 560 picture: readable on a phone, small
MONTHLY_UP_TO = 48  # months between the first and the last item; a longer history is drawn per year
MAX_SPANS = 8  # titles drawn as spans (the store gives the most frequent)
MAX_LABEL_CHARS = 60
MAX_CAPTION = 1024  # Telegram's limit for a photo's caption, counted here on the markup (stricter)
CAPTION_NAME_CHARS = 80
_BAR_COLOUR, _SPAN_COLOUR = "#3b6ea5", "#c9822b"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# ---------------------------------------------------------------------------------------------- process


def exit_with_parent() -> None:
    """A drawing process's initializer: end this process when the bot's ends, however it ends.

    A ProcessPoolExecutor worker otherwise outlives a parent killed with SIGKILL (it waits on its task
    queue, whose write end it holds itself). A daemon thread waits on the parent's sentinel instead."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


# ---------------------------------------------------------------------------------------------- picture


def _month_name(day: dt.date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _clip(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _periods(months: Sequence[MonthCount]) -> tuple[list[dt.date], list[int], int]:
    """Bars to draw: (starts, counts, width in days), per month for a short history, else per year."""
    first, last = months[0].month, months[-1].month
    if (last.year - first.year) * 12 + last.month - first.month < MONTHLY_UP_TO:
        return [m.month for m in months], [m.items for m in months], 26
    per_year: dict[int, int] = {}
    for m in months:
        per_year[m.month.year] = per_year.get(m.month.year, 0) + m.items
    return [dt.date(year, 1, 1) for year in per_year], list(per_year.values()), 330


def _draw_spans(axes: Axes, spans: Sequence[TitleSpan]) -> None:
    """Each title as a horizontal bar from its first to its last item, labelled, the oldest on top.
    Call once the x range is set: a label goes right of its span's start, or left of its end when
    the span starts in the right part of the picture, so that it stays inside."""
    from matplotlib import dates as mdates

    low, high = axes.get_xlim()
    for row, span in enumerate(spans):
        start = float(mdates.date2num(span.first))
        length = max(float(mdates.date2num(span.last)) - start, 20.0)  # one day is still visible
        axes.broken_barh([(start, length)], (row - 0.35, 0.7), facecolors=_SPAN_COLOUR, alpha=0.8)
        leftward = start > low + 0.55 * (high - low)
        label = axes.annotate(
            f"{_clip(span.title, MAX_LABEL_CHARS)} ({span.items})",
            (start + length if leftward else start, row),
            xytext=(-4 if leftward else 4, 0),
            textcoords="offset points",
            ha="right" if leftward else "left",
            va="center",
            fontsize=8.5,
        )
        label.set_in_layout(False)  # a long title must not squeeze the chart
    axes.set_ylim(len(spans) - 0.5, -0.5)
    axes.set_yticks([])
    axes.set_title("Titles as written", fontsize=9, loc="left")
    for side in ("left", "right", "top"):
        axes.spines[side].set_visible(False)


def _draw_bars(axes: Axes, timeline: Timeline, spans: Sequence[TitleSpan]) -> None:
    """Items per month (or per year for a long history); the x range also covers the spans."""
    from matplotlib import dates as mdates
    from matplotlib.ticker import MaxNLocator

    starts, counts, width = _periods(timeline.months)
    axes.bar(starts, counts, width=width, align="edge", color=_BAR_COLOUR)  # type: ignore[arg-type]
    per = "month" if width < 100 else "year"
    axes.set_ylabel(f"items per {per}")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    locator = mdates.AutoDateLocator(minticks=3, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    pad = dt.timedelta(days=45 if per == "month" else 200)
    first = min([starts[0], *(s.first for s in spans)])
    last = max([starts[-1] + dt.timedelta(days=width), *(s.last for s in spans)])
    axes.set_xlim(first - pad, last + pad)  # type: ignore[arg-type]
    for side in ("right", "top"):
        axes.spines[side].set_visible(False)


def draw_timeline(timeline: Timeline) -> bytes:
    """The picture as PNG bytes: items per month (or year) as bars, a person's titles as spans above."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    spans = list(timeline.titles[:MAX_SPANS]) if timeline.months else []
    what = "Operation " if timeline.kind == "operation" else ""
    figure.suptitle(_clip(f"{what}{timeline.name}", 90), fontsize=13, x=0.01, ha="left")
    if not timeline.months:
        axes = figure.subplots()
        axes.set_axis_off()
        axes.text(0.5, 0.5, "No dated items", ha="center", va="center", fontsize=14, transform=axes.transAxes)
    elif spans:
        top, bars = figure.subplots(2, 1, sharex=True, height_ratios=[max(1.0, len(spans) * 0.45), 3.0])
        _draw_bars(bars, timeline, spans)
        _draw_spans(top, spans)
    else:
        _draw_bars(figure.subplots(), timeline, spans)
    if timeline.undated:
        figure.text(0.99, 0.99, f"+ {timeline.undated} undated", ha="right", va="top", fontsize=10)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the font (any script can be a name)
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- caption


def _span_text(months: Sequence[MonthCount], lang: Lang) -> str:
    first, last = months[0].month, months[-1].month
    return lang.month(first) if first == last else f"{lang.month(first)} – {lang.month(last)}"


def caption(timeline: Timeline, lang: Lang = ENGLISH) -> str:
    """Telegram HTML under the picture: what it counts and the people named most with its subject.

    Corpus text is escaped; whole lines are dropped from the end until the markup fits 1,024
    characters (each line is balanced, so any cut leaves valid HTML)."""
    name = html.escape(_clip(timeline.name, CAPTION_NAME_CHARS))
    operation = timeline.kind == "operation"
    heading = lang._("Operation {name}").format(name=name) if operation else name
    counts = [lang.ngettext("{count} item", "{count} items", timeline.items)]
    if timeline.months:
        counts.append(lang._("dated {span}").format(span=_span_text(timeline.months, lang)))
    if timeline.undated:
        counts.append(lang.ngettext("{count} undated", "{count} undated", timeline.undated))
    lines = [f"<b>{heading}</b>", " · ".join(counts)]
    if timeline.co_mentions:
        named = lang._("People in its items") if operation else lang._("Mentioned with")
        named = f"<b>{named}</b>"
        if 0 < timeline.co_mention_items < timeline.items:
            newest = lang._("(in the newest {count} items)").format(
                count=lang.number(timeline.co_mention_items)
            )
            named += f" {newest}"
        lines += ["", named]
        lines += [
            f"• {html.escape(_clip(c.name, CAPTION_NAME_CHARS))} — "
            + lang.ngettext("{count} item", "{count} items", c.items)
            for c in timeline.co_mentions
        ]
    while _utf16_length("\n".join(lines)) > MAX_CAPTION and len(lines) > 2:
        lines.pop()
    return "\n".join(lines)


def _utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2
