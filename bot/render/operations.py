"""Operations: /operations' list (compact when the full one does not fit) and one operation's card
with its excerpts. Apart from people because the list has its own fitting rule."""

from __future__ import annotations

from collections.abc import Sequence

from bot.callbacks import OperationButton
from bot.i18n import ENGLISH, Lang
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
)


def render_operations(
    ops: Sequence[OperationSummary], not_found: str | None = None, *, lang: Lang = ENGLISH
) -> Reply:
    """Every operation, one ``op:<id>`` button each; `not_found` names a query that matched none."""
    if not ops:
        return Reply(lang._("No operations found in the corpus yet."))
    header = bold(lang._("Operations in the corpus")) + f" ({len(ops)})"
    if not_found:
        no_match = lang._("No operation matches “{name}”.").format(name=clip(not_found, 100))
        header = f"{no_match}\n{header}"

    def full(op: OperationSummary) -> str:
        purpose = f" — {clip(op.purpose, 150)}" if op.purpose else ""
        span = f"{date_span(op.first_date, op.last_date, lang)} · {documents_count(op.source_count, lang)}"
        return f"• <b>{clip(op.name, 80)}</b>{purpose}\n  {span}"

    def compact(op: OperationSummary) -> str:  # when every operation in full does not fit
        purpose = f" — {clip(op.purpose, 60)}" if op.purpose else ""
        return f"• <b>{clip(op.name, 40)}</b>{purpose} · {op.source_count}"

    def more(count: int) -> str:
        return f"{and_more(count, lang)} — " + lang._("<code>/operations name</code> for one")

    text = "\n".join([header, *map(full, ops)])
    if telegram_length(text) > MAX_MESSAGE:
        lines = [compact(op) for op in ops]
        each = lang._("documents each")
        text, _ = fit_entries(f"{header} · {each}", lines, more, sep="\n")
    buttons = name_buttons(((op.name, OperationButton(op.id).data()) for op in ops), 2)
    return Reply(text, buttons)


def render_operation(detail: OperationDetail, *, lang: Lang = ENGLISH) -> Reply:
    op = detail.summary
    lines = [bold(lang._("Operation {name}").format(name=clip(op.name, 150)))]
    if also := also_written(op.name, detail.aliases, 200, lang):
        lines.append(also)
    if op.purpose:
        lines.append(lang._("Purpose: {purpose}").format(purpose=clip(op.purpose, 400)))
    seen = lang._("Seen: {span}").format(span=date_span(op.first_date, op.last_date, lang))
    lines.append(f"{seen} · {documents_count(op.source_count, lang)}")
    if detail.excerpts:
        lines += ["", bold(lang._("Excerpts"))]
        for excerpt in detail.excerpts:
            headline = clip(excerpt.headline or lang._("(untitled)"), 150)
            lines.append(f"• {format_date(excerpt.date, lang)} · <b>{headline}</b>")
            lines.append(f"  «{clip(excerpt.sentence, 350)}»")
            lines.append(f"  {source_line(excerpt.sources, excerpt.item_id, 100)}")
    return Reply(finish("\n".join(lines)))
