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
from .people import (
    Found,
    NameIndex,
    build_index,
    capitalised_words,
    find_addressed,
    find_titled,
    item_people,
    resolve,
)
from .sentences import split_sentences
from .split import Block, split_page
from .summary import HEADLINE_MAX, SUMMARY_MAX, article_summary, is_salutation_sentence, lead_sentence, trim
from .vocab import Vocab, vocab_for

_ADDRESS_HINTS = ("Dear", "Уважаем")


@dataclass(slots=True)
class _Known:
    """known_names prepared for lookups: key -> store spelling, and an index of full names and surnames."""

    names: set[str]  # the names prepared so far (a private copy)
    by_key: dict[str, str]
    index: NameIndex

    def extend(self, names: Iterable[str]) -> None:
        for raw in names:
            name = " ".join(raw.split())
            if name:
                self.by_key.setdefault(person_key(name), name)
                self.index.add(name, name)


def _prepare_known(names: set[str], vocab: Vocab) -> _Known:
    index = build_index(
        pair
        for alias, canonical in vocab.alias_pairs
        for pair in ((alias, canonical), (canonical, canonical))
    )
    known = _Known(names, {}, index)
    known.extend(names)
    return known


# One prepared set of known names per lexicon. The loader passes a set that only grows as pages name new
# people, so a call usually costs one C-level set comparison, and new names are added incrementally.
_KNOWN_CACHE: dict[int, tuple[Vocab, _Known]] = {}
_KNOWN_CACHE_SIZE = 8


def _known_for(names: Iterable[str], vocab: Vocab) -> _Known:
    current = names if isinstance(names, frozenset | set) else set(names)
    hit = _KNOWN_CACHE.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        known = hit[1]
        if len(current) == len(known.names) and current == known.names:
            return known
        added = current - known.names
        if len(known.names) + len(added) == len(current):  # nothing was removed: extend in place
            known.extend(added)
            known.names.update(added)
            return known
    known = _prepare_known(set(current), vocab)
    if len(_KNOWN_CACHE) >= _KNOWN_CACHE_SIZE:
        _KNOWN_CACHE.clear()
    _KNOWN_CACHE[id(vocab)] = (vocab, known)
    return known


@dataclass(slots=True)
class _Draft:
    block: Block
    sentences: list[str]  # the item's sentences; an article's headline line comes first
    body_sentences: list[str]
    found: list[list[Found]]
    words: list[set[str]]  # capitalised words per sentence


def _draft(block: Block, vocab: Vocab) -> _Draft:
    body_sentences = [s for p in block.paragraphs for s in split_sentences(p)]
    sentences = [block.headline_line, *body_sentences] if block.headline_line else body_sentences
    found: list[list[Found]] = []
    words = [capitalised_words(s) for s in sentences]
    for s, w in zip(sentences, words, strict=True):
        hits = find_titled(s, vocab, w)
        if any(h in s for h in _ADDRESS_HINTS):
            hits += find_addressed(s)
        found.append(hits)
    return _Draft(block, sentences, body_sentences, found, words)


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
    if block.kind == "article":  # no headline line: the first sentence of body text heads it
        first = lead_sentence(sents) or (sents[0] if sents else body)
        rest = [s for s in sents if s is not first]
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
    title still yields a mention. They are prepared once per lexicon and extended as the collection
    grows, so passing the same growing set for every page is cheap.
    """
    vocab = vocab_for(lexicon)
    known = _known_for(known_names, vocab)
    drafts = [_draft(b, vocab) for b in split_page(clean_lines(text, vocab))]
    page_names = {f.name for d in drafts for hits in d.found for f in hits}
    page_index = build_index(
        (written, canonical)
        for name in page_names
        for canonical in (resolve(name, vocab, known.by_key),)
        for written in {name, canonical}
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
                people=item_people(draft.sentences, draft.found, draft.words, vocab, known.by_key, indexes),
                operations=find_operations(draft.sentences),
            )
        )
    return ParsedPage(items=tuple(items))
