"""The people of one item: its titled and addressed finds (people_runs) and its later mentions of known
names (people_known), each brought to a canonical name (resolve) and kept once per person and
sentence, up to the page's cap of distinct people.

What finds a person lives in people_tokens, people_runs and people_known; this module only decides
which person a find is and which mentions an item keeps."""

from __future__ import annotations

import operator
from collections.abc import Collection, Mapping, Sequence

from .keys import person_key
from .model import PersonMention
from .name_keys import has_cyrillic, has_initials, resolve_initials, row_key, surname_of
from .people_known import NameIndex, find_known
from .people_runs import listed_under_heading
from .people_tokens import Found, title_just_before
from .vocab import Vocab


def resolve(
    name: str,
    vocab: Vocab,
    known: Mapping[str, str],
    by_surname: Mapping[str, Collection[str]] | None = None,
) -> str:
    """Canonical name: a curated alias, else the known spelling of the same person (one key across
    spellings and scripts: name_keys.row_key), else as written. Initials ("S. Ordabayev") take the full
    name of the one known person they fit (by_surname: folded surname -> full keys); with no such
    person, or several, they stay as written."""
    aliased = vocab.aliases.get(person_key(name), name)  # vocab.canonical(name)
    if aliased != name:
        return aliased
    if has_initials(name):
        surname = surname_of(name)
        owners = by_surname.get(surname, ()) if by_surname is not None and surname else ()
        key = resolve_initials(name, owners)
        return known.get(key, name) if key is not None else name
    return known.get(row_key(name), name)


class PeopleCap:
    """The distinct people a page has mentioned so far, and how many it may: a junk page of made-up
    "Minister Xxx Yyy" phrases must not fill the store with people."""

    __slots__ = ("keys", "limit")

    def __init__(self, limit: int) -> None:
        self.keys: set[str] = set()
        self.limit = limit

    def admits(self, key: str) -> bool:
        """May the page mention this person (already mentioned, or room for one more)?"""
        if key in self.keys:
            return True
        if len(self.keys) >= self.limit:
            return False
        self.keys.add(key)
        return True


def item_people(
    sentences: Sequence[str],
    found: Sequence[Sequence[Found]],
    words: Sequence[Collection[str]],
    vocab: Vocab,
    canonical_of: Mapping[str, str],
    indexes: Sequence[NameIndex],
    cap: PeopleCap | None = None,
) -> tuple[PersonMention, ...]:
    """An item's mentions: its titled/addressed finds plus every known-name occurrence, one per
    (person, sentence), in text order; people past the page's cap are left out."""
    rows: list[tuple[int, int, PersonMention]] = []
    seen: set[tuple[str, int]] = set()
    all_forms = [ix.forms for ix in indexes]

    def mention(
        s_idx: int, offset: int, person: str, canonical: str, title: str | None, written: str
    ) -> None:
        key = (person, s_idx)
        if key not in seen and (cap is None or cap.admits(person)):
            seen.add(key)
            rows.append((s_idx, offset, PersonMention(canonical, title, sentences[s_idx], written)))

    listed = listed_under_heading(sentences, vocab) if any(map(_ENDS_WITH_COLON, sentences)) else {}
    for s_idx, sentence in enumerate(sentences):
        # the usual case first: no staff list, so the sentence's own finds, with no tuple built to join them
        for f in (*found[s_idx], *listed[s_idx]) if s_idx in listed else found[s_idx]:
            canonical = canonical_of.get(f.name, f.name)
            person = row_key(canonical)
            mention(s_idx, f.offset, person, canonical, f.title, _spelling(f.name, canonical, person))
        sentence_words = words[s_idx]
        for forms in all_forms:
            if not forms.isdisjoint(sentence_words):
                break
        else:  # the usual case: no known name in the sentence
            continue
        for offset, canonical in find_known(sentence, indexes, sentence_words):
            title = _title_before(sentence, offset, canonical, vocab)
            mention(s_idx, offset, row_key(canonical), canonical, title, canonical)
    rows.sort(key=_ROW_ORDER)
    return tuple([row[2] for row in rows])


def _title_before(sentence: str, offset: int, canonical: str, vocab: Vocab) -> str | None:
    """The title written right before a known name the rules found with none: mostly a surname alone,
    which they cannot name ("CSTO Secretary General Zas", "генсек ОДКБ Тасмагамбетов"). A Russian
    full name found without a title has none (the Russian rules read every title before a full name)."""
    if not has_cyrillic(sentence[offset : offset + 1]):
        return title_just_before(sentence, offset, vocab)
    if sentence.startswith(canonical.partition(" ")[0], offset):
        return None
    from .people_ru import title_before_ru  # pymorphy3 only in processes that read Russian

    return title_before_ru(sentence, offset)


def _spelling(written: str, canonical: str, person: str) -> str:
    """The spelling a mention keeps: as written when it is a spelling of the canonical name (person: its
    row_key; a transliteration variant, initials); a curated alias ("Sergey Kuzhugetovich") is the
    lexicon's to show, so the mention keeps the canonical name."""
    if written == canonical or row_key(written) == person or has_initials(written):
        return written
    return canonical


_ROW_ORDER = operator.itemgetter(0, 1)
_ENDS_WITH_COLON = operator.methodcaller(
    "endswith", ":"
)  # a heading a staff list may follow  # (sentence index, offset)
