"""parse_page: a decoded page in, its items (with dates, people and operations) out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .clean import clean_lines
from .dates import first_date
from .keys import item_key, person_key
from .model import Lexicon, ParsedItem, ParsedPage
from .operations import find_operations
from .people import Found, NameIndex, build_index, find_addressed, find_titled, item_people, resolve
from .sentences import split_sentences
from .split import Block, split_page
from .summary import HEADLINE_MAX, SUMMARY_MAX, article_summary, is_salutation_sentence, lead_sentence, trim
from .vocab import Vocab, vocab_for

_ADDRESS_HINTS = ("Dear", "Уважаем")


@dataclass(frozen=True, slots=True)
class _Known:
    """known_names prepared once: key -> canonical spelling, and an index of full names and surnames."""

    by_key: dict[str, str]
    index: NameIndex


_KNOWN_CACHE: dict[tuple[int, object], tuple[Vocab, _Known]] = {}
_KNOWN_CACHE_SIZE = 4


def _prepare_known(names: Iterable[str], vocab: Vocab) -> _Known:
    by_key: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for name in names:
        name = " ".join(name.split())
        if name:
            by_key.setdefault(person_key(name), name)
            pairs.append((name, name))
    for alias, canonical in vocab.alias_pairs:
        pairs.append((alias, canonical))
        pairs.append((canonical, canonical))
    return _Known(by_key, build_index(pairs))


def _known_for(names: Iterable[str], vocab: Vocab) -> _Known:
    """Prepared once per distinct collection of names: the loader passes the same names for many pages."""
    if not isinstance(names, frozenset | tuple):
        names = tuple(names)
    cache_key = (id(vocab), names)
    hit = _KNOWN_CACHE.get(cache_key)
    if hit is not None and hit[0] is vocab:
        return hit[1]
    known = _prepare_known(names, vocab)
    if len(_KNOWN_CACHE) >= _KNOWN_CACHE_SIZE:
        _KNOWN_CACHE.clear()
    _KNOWN_CACHE[cache_key] = (vocab, known)
    return known


@dataclass(slots=True)
class _Draft:
    block: Block
    sentences: list[str]  # the item's sentences; an article's headline line comes first
    body_sentences: list[str]
    found: list[list[Found]]


def _draft(block: Block, vocab: Vocab) -> _Draft:
    body_sentences = [s for p in block.paragraphs for s in split_sentences(p)]
    sentences = [block.headline_line, *body_sentences] if block.headline_line else body_sentences
    found: list[list[Found]] = []
    for s in sentences:
        hits = find_titled(s, vocab)
        if any(h in s for h in _ADDRESS_HINTS):
            hits += find_addressed(s)
        found.append(hits)
    return _Draft(block, sentences, body_sentences, found)


def _texts(draft: _Draft) -> tuple[str, str, str, dt.date | None]:
    """(key text, headline, summary, date) of a draft."""
    block = draft.block
    body = "\n\n".join(block.paragraphs)
    sents = draft.body_sentences
    if block.kind == "article" and block.headline_line:
        headline_line = block.headline_line
        summary = article_summary(headline_line, sents) if sents else trim(headline_line, SUMMARY_MAX)
        date = block.date or first_date(lead_sentence(sents) or "")
        return f"{headline_line}\n\n{body}", trim(headline_line, HEADLINE_MAX), summary, date
    if block.kind == "article":
        first = sents[0] if sents else body
        rest = sents[1:]
        summary = article_summary(first, rest) if rest else trim(first, SUMMARY_MAX)
        return body, trim(first, HEADLINE_MAX), summary, block.date or first_date(first)
    if block.kind == "salutation":
        first = next((s for s in sents if not is_salutation_sentence(s)), sents[0] if sents else body)
    else:
        first = sents[0] if sents else body
    return body, trim(first, HEADLINE_MAX), trim(first, SUMMARY_MAX), block.date or first_date(first)


def parse_page(text: str, lexicon: Lexicon, known_names: Iterable[str] = ()) -> ParsedPage:
    """Split a page into items and extract each item's date, headline, summary, people and operations.

    known_names are canonical names already in the store, so a page naming a known person without a
    title still yields a mention. They are prepared once and reused while the same names are passed
    (a frozenset is cheapest).
    """
    vocab = vocab_for(lexicon)
    known = _known_for(known_names, vocab)
    drafts = [_draft(b, vocab) for b in split_page(clean_lines(text, vocab))]
    page_index = build_index(
        (written, resolve(f.name, vocab, known.by_key))
        for d in drafts
        for hits in d.found
        for f in hits
        for written in (f.name, resolve(f.name, vocab, known.by_key))
    )
    indexes: Sequence[NameIndex] = (page_index, known.index)
    items: list[ParsedItem] = []
    for position, draft in enumerate(drafts):
        key_text, headline, summary, date = _texts(draft)
        body = "\n\n".join(draft.block.paragraphs)
        items.append(
            ParsedItem(
                key=item_key(key_text),
                kind=draft.block.kind,
                headline=headline,
                summary=summary,
                body=body,
                date=date,
                position=position,
                people=item_people(draft.sentences, draft.found, vocab, known.by_key, indexes),
                operations=find_operations(draft.sentences),
            )
        )
    return ParsedPage(items=tuple(items))
