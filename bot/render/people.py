"""People: /who's card (titles, latest mentions), the choice when several people match, the closest
names when none does, the holders of a title, and /who's usage. One module so a person is written
the same way in each of them (name, other spellings, mention count, a ``who:<id>`` button)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.callbacks import PersonButton, TimelineButton
from bot.i18n import ENGLISH, Lang
from bot.records import PersonMentionRecord, PersonName, PersonProfile, TitleHolder
from bot.render.core import (
    Keyboard,
    Reply,
    also_written,
    and_more,
    bold,
    clean_text,
    clip,
    doc_command,
    finish,
    format_date,
    in_items,
    name_buttons,
    name_for_reader,
    other_spellings,
    same_start,
    source_line,
    timeline_button,
)


def render_person(profile: PersonProfile, *, lang: Lang = ENGLISH) -> Reply:
    name, aliases = name_for_reader(profile.name, profile.aliases, lang)
    lines = [f"<b>{clip(name, 200)}</b>"]
    if also := also_written(name, aliases, 300, lang):
        lines.append(also)
    lines.append(
        lang.ngettext("Mentioned in {count} item", "Mentioned in {count} items", profile.mention_count)
    )
    if profile.titles:
        lines += ["", bold(lang._("Titles"))]
        for title in profile.titles[:10]:
            day = format_date(title.date, lang)
            lines.append(f"• {clip(title.title, 150)} — {day} · {doc_command(title.item_id)}")
        if len(profile.titles) > 10:
            lines.append(and_more(len(profile.titles) - 10, lang))
    if profile.latest:
        lines += ["", bold(lang._("Latest mentions"))]
        for mention in profile.latest[:3]:
            lines += _mention_lines(mention, lang)
    return Reply(finish("\n".join(lines)), timeline_button(TimelineButton.PERSON, profile.id, lang))


def _mention_lines(mention: PersonMentionRecord, lang: Lang) -> list[str]:
    """A dated excerpt with its source. The headline is left out when the excerpt repeats it, and the
    title as written only follows the excerpt when the excerpt does not already contain it."""
    sentence = clean_text(mention.sentence, one_line=True)
    title = clean_text(mention.title or "", one_line=True)
    show_title = bool(title) and title.casefold() not in sentence.casefold()
    as_title = f" <i>({clip(title, 80)})</i>" if show_title else ""
    quoted = f"«{clip(sentence, 350)}»{as_title}"
    source = f"  {source_line(mention.sources, mention.item_id, 100)}"
    if not mention.headline.strip() or same_start(mention.headline, sentence):
        return [f"• {format_date(mention.date, lang)} · {quoted}", source]
    headline = f"• {format_date(mention.date, lang)} · <b>{clip(mention.headline, 150)}</b>"
    return [headline, f"  {quoted}", source]


def _person_line(person: PersonName, lang: Lang) -> str:
    name, _ = name_for_reader(person.name, person.aliases, lang)
    return f"• <b>{clip(name, 100)}</b> — {in_items(person.mention_count, lang)}"


def _person_buttons(people: Sequence[PersonName], lang: Lang, per_row: int = 1) -> Keyboard:
    """One button a person, labelled in the reader's script as the lines above it are."""
    names = (name_for_reader(p.name, p.aliases, lang)[0] for p in people)
    return name_buttons(
        ((name, PersonButton(p.id).data()) for name, p in zip(names, people, strict=True)), per_row
    )


def render_person_choices(query: str, candidates: Sequence[PersonName], *, lang: Lang = ENGLISH) -> Reply:
    """Several people match: list them, one ``who:<id>`` button each."""
    shown = list(candidates)[:10]
    lines = [lang._("Several people match <b>{query}</b> — pick one:").format(query=clip(query, 100))]
    for person in shown:
        line = _person_line(person, lang)
        if others := other_spellings(*name_for_reader(person.name, person.aliases, lang), 120):
            line += f" <i>({others})</i>"
        lines.append(line)
    return Reply(finish("\n".join(lines)), _person_buttons(shown, lang))


def render_person_not_found(query: str, nearest: Sequence[PersonName], *, lang: Lang = ENGLISH) -> Reply:
    lines = [lang._("No one called <b>{query}</b> in the corpus.").format(query=clip(query, 100))]
    shown = list(nearest)[:5]
    if shown:
        lines.append(lang._("Closest names:"))
        lines += [_person_line(p, lang) for p in shown]
    else:
        lines.append(lang._("Send <code>/who</code> alone to see the people mentioned most."))
    return Reply(finish("\n".join(lines)), _person_buttons(shown, lang))


def render_title_holders(query: str, holders: Sequence[TitleHolder], *, lang: Lang = ENGLISH) -> Reply:
    """No one is called `query`, but people held a title with those words: newest first, a button each."""
    shown = list(holders)[:8]
    intro = lang._("No one is called <b>{query}</b>; people with that title, newest first:")
    lines = [intro.format(query=clip(query, 100))]
    names = [name_for_reader(h.name, h.aliases, lang)[0] for h in shown]
    for holder, name in zip(shown, names, strict=True):
        lines.append(
            f"• <b>{clip(name, 100)}</b> — {clip(clean_text(holder.title, one_line=True), 150)} — "
            f"{format_date(holder.date, lang)} · {doc_command(holder.item_id)}"
        )
    buttons = name_buttons(
        ((name, PersonButton(h.person_id).data()) for name, h in zip(names, shown, strict=True)), 1
    )
    return Reply(finish("\n".join(lines)), buttons)


def render_people_usage(top: Sequence[PersonName], *, lang: Lang = ENGLISH) -> Reply:
    shown = list(top)[:10]
    example = clip(shown[0].name, 60) if shown else "Tasmagambetov"
    usage = lang._("Usage: <code>/who &lt;name&gt;</code>, e.g. <code>/who {example}</code>")
    lines = [usage.format(example=example)]
    if shown:
        lines += ["", bold(lang._("Mentioned most"))] + [_person_line(p, lang) for p in shown]
    return Reply(finish("\n".join(lines)), _person_buttons(shown, lang, 2))
