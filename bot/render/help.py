"""The bot about itself: /start and /help, /stats, /language, the note a load under way adds to an
answer, and the short notices (usage, expired button, error). None of these reads the corpus's
text, so none needs the item, people or operation renderers."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from bot.i18n import ENGLISH, Lang
from bot.records import CorpusStats
from bot.render.core import (
    MAX_MESSAGE,
    Reply,
    bold,
    clean_text,
    clip,
    date_span,
    finish,
    format_date,
    telegram_length,
)


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
        bold(lang._("Corpus")),
        lang._("Documents: {count}").format(count=stats.documents),
        lang._("Items: {count}").format(count=stats.items),
        lang._("People: {count}").format(count=stats.people),
        lang._("Operations: {count}").format(count=stats.operations),
        lang._("Dates: {span}").format(span=date_span(stats.first_date, stats.last_date, lang)),
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
    span = date_span(stats.first_date, stats.last_date, lang)
    lines = [bold(lang._("CSTO public record")), f"{items} {documents}, {span}."]
    if loading is not None:
        lines.append(_loading_line(loading, lang))
    lines.append("")
    for command, description, example in commands:
        name = "/" + clean_text(command, one_line=True).lstrip("/")
        lines.append(f"<code>{clip(name, 60)}</code> — {clip(lang._(description), 300)}")
        if example.strip():
            shown = "/" + clean_text(example, one_line=True).lstrip("/")
            for_example = lang._("e.g.")
            lines.append(f"   {for_example} <code>{clip(shown, 120)}</code>")
    return Reply(finish("\n".join(lines)))


def render_usage(text: str, *, lang: Lang = ENGLISH) -> Reply:
    """A usage or short notice written by a handler (already in the reader's language), shown as plain
    (escaped) text."""
    return Reply(clip(text, MAX_MESSAGE, one_line=False) or lang._("Usage: /help"))


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
