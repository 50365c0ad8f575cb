"""Operations and exercises: /operations' and /exercises' lists (compact when the full one does not fit)
and one operation's or exercise's card with its excerpts and Timeline button. Apart from people because
a list has its own fitting rule and each kind its own words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from bot.callbacks import OperationButton, TimelineButton
from bot.i18n import ENGLISH, N_, Lang
from bot.records import OperationDetail, OperationSummary
from bot.render.core import (
    MAX_MESSAGE,
    Reply,
    also_written,
    and_more,
    bold,
    clip,
    date_span,
    documents_count,
    finish,
    fit_entries,
    format_date,
    name_buttons,
    source_line,
    telegram_length,
    timeline_button,
)


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
    return _years(op.years) if op.years else date_span(op.first_date, op.last_date, lang)


def render_operations(
    ops: Sequence[OperationSummary],
    not_found: str | None = None,
    *,
    kind: str = "operation",
    lang: Lang = ENGLISH,
) -> Reply:
    """Every operation (or exercise), one ``op:<id>`` button each; `not_found` names a query that matched
    none."""
    words = _KIND_WORDS.get(kind, _KIND_WORDS["operation"])
    if not ops:
        return Reply(lang._(words.none_yet))
    header = bold(lang._(words.heading)) + f" ({len(ops)})"
    if not_found:
        no_match = lang._(words.no_match).format(name=clip(not_found, 100))
        header = f"{no_match}\n{header}"

    def full(op: OperationSummary) -> str:
        purpose = f" — {clip(shown, 150)}" if (shown := op.purpose_in(lang.code)) else ""
        return f"• <b>{clip(op.name, 80)}</b>{purpose}\n  {_when(op, lang)} · {documents_count(op.source_count, lang)}"

    def compact(op: OperationSummary) -> str:  # when every operation in full does not fit
        purpose = f" — {clip(shown, 60)}" if (shown := op.purpose_in(lang.code)) else ""
        return f"• <b>{clip(op.name, 40)}</b>{purpose} · {op.source_count}"

    def more(count: int) -> str:
        one = lang._("<code>/{command} name</code> for one").format(command=words.command)
        return f"{and_more(count, lang)} — {one}"

    text = "\n".join([header, *map(full, ops)])
    if telegram_length(text) > MAX_MESSAGE:
        lines = [compact(op) for op in ops]
        each = lang._("documents each")
        text, _ = fit_entries(f"{header} · {each}", lines, more, sep="\n")
    buttons = name_buttons(((op.name, OperationButton(op.id).data()) for op in ops), 2)
    return Reply(text, buttons)


def render_operation(detail: OperationDetail, *, lang: Lang = ENGLISH) -> Reply:
    op = detail.summary
    words = _KIND_WORDS.get(op.kind, _KIND_WORDS["operation"])
    lines = [bold(lang._(words.card).format(name=clip(op.name, 150)))]
    if also := also_written(op.name, detail.aliases, 200, lang):
        lines.append(also)
    if purpose := op.purpose_in(lang.code):
        lines.append(lang._("Purpose: {purpose}").format(purpose=clip(purpose, 400)))
    if op.years:
        lines.append(lang._("Years: {years}").format(years=_years(op.years)))
    if op.phases:
        lines.append(lang._("Phases: {phases}").format(phases=clip(", ".join(op.phases), 300)))
    seen = lang._("Seen: {span}").format(span=date_span(op.first_date, op.last_date, lang))
    lines.append(f"{seen} · {documents_count(op.source_count, lang)}")
    if detail.excerpts:
        lines += ["", bold(lang._("Excerpts"))]
        for excerpt in detail.excerpts:
            headline = clip(excerpt.headline or lang._("(untitled)"), 150)
            lines.append(f"• {format_date(excerpt.date, lang)} · <b>{headline}</b>")
            lines.append(f"  «{clip(excerpt.sentence, 350)}»")
            lines.append(f"  {source_line(excerpt.sources, excerpt.item_id, 100)}")
    return Reply(finish("\n".join(lines)), timeline_button(TimelineButton.OPERATION, op.id, lang))
