"""Later mentions of people already named: a known full name ("Imangali Tasmagambetov") or a surname
owned by one known person ("Tasmagambetov"), found without a title.

Kept apart from the title rules (people_tokens, people_runs): this is an index of names and a lookup of
a sentence's whole words in it, with no grammar of its own."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence

from .caches import memo_text
from .keys import token_key
from .people_runs import capitalised_words
from .people_tokens import is_patronymic, strip_possessive

Entry = tuple[tuple[str, ...], str]  # (preceding token keys of a full name, canonical name)


class NameIndex:
    """Known full names and their surnames, for finding untitled later mentions."""

    __slots__ = ("forms", "full", "surnames")

    def __init__(self) -> None:
        # last token key -> key of the token before it -> {(preceding token keys, canonical): None}: a
        # mention is compared only with the names that end in its last two words, however many people
        # share a surname (the dict keeps the order names were added in, and each entry once)
        self.full: dict[str, dict[str, dict[Entry, None]]] = {}
        self.surnames: dict[str, set[str]] = {}
        # last tokens as they are written (and with a possessive), for a cheap set-intersection prefilter
        self.forms: set[str] = set()

    def add(self, written: str, canonical: str) -> None:
        prepared = _index_form(written)
        if prepared is None:
            return
        last_key, prefix, forms, surname = prepared
        self.forms.update(forms)
        self.full.setdefault(last_key, {}).setdefault(prefix[-1], {})[(prefix, canonical)] = None
        if surname:
            self.surnames.setdefault(last_key, set()).add(canonical)


@memo_text(300_000, 200)
def _index_form(written: str) -> tuple[str, tuple[str, ...], tuple[str, ...], bool] | None:
    """How NameIndex files a written name: (last token key, preceding token keys, the last token's
    written forms, whether the last token is a surname). None for a one-word name. Names recur on page
    after page, so this is cached."""
    tokens = written.split()
    if len(tokens) < 2:
        return None
    keys = tuple(token_key(t) for t in tokens)
    last = tokens[-1]
    forms = (last, last + "'s", last + "\u2019s", last.upper(), last.capitalize())
    return keys[-1], keys[:-1], forms, not is_patronymic(last)


def build_index(names: Iterable[tuple[str, str]]) -> NameIndex:
    """Index (written form, canonical name) pairs."""
    index = NameIndex()
    for written, canonical in names:
        index.add(written, canonical)
    return index


@memo_text(200_000, 64)
def _last_key(word: str) -> str:
    """The index key of a capitalised word that may end a known name ("Petrov's" -> "petrov")."""
    return token_key(strip_possessive(word)[0])


def find_known(
    sentence: str, indexes: Sequence[NameIndex], words: Collection[str] | None = None
) -> list[tuple[int, str]]:
    """(offset, canonical) for every known full name, or surname owned by one person, in the sentence."""
    out: list[tuple[int, str]] = []
    if words is None:
        words = capitalised_words(sentence)
    present: set[str] = set()
    for ix in indexes:
        present |= ix.forms.intersection(words)
    if not present:
        return out
    for word, start in _occurrences(sentence, present):
        key = _last_key(word)
        hit: tuple[int, str] | None = None
        before = _preceding_words(sentence, start)
        if before:
            hit = _full_name_before(before, start, key, indexes)
        if hit is None:
            owner = _sole_owner(key, indexes)
            if owner is not None:
                hit = (start, owner)
        if hit is not None:
            out.append(hit)
    out.sort()
    return out


def _full_name_before(
    before: Sequence[str], start: int, key: str, indexes: Sequence[NameIndex]
) -> tuple[int, str] | None:
    """(offset, canonical) of the first indexed full name that ends with the words before `start` and
    the last name `key` there, in index order."""
    n = len(before)
    last = token_key(before[-1])
    keys: tuple[str, ...] | None = None  # all of before's keys, made only if a prefix needs them
    for ix in indexes:
        by_previous = ix.full.get(key)
        entries = by_previous.get(last) if by_previous else None
        for prefix, canonical in entries or ():
            size = len(prefix)
            if size > n:
                continue
            if size > 1:
                if keys is None:
                    keys = tuple([token_key(w) for w in before])
                if keys[n - size :] != prefix:
                    continue
            return start - size - sum(map(len, before[n - size :])), canonical
    return None


def _sole_owner(key: str, indexes: Sequence[NameIndex]) -> str | None:
    """The one person whose surname is `key` across the indexes, or None (nobody, or several)."""
    owner: str | None = None
    for ix in indexes:
        owned = ix.surnames.get(key)
        if not owned:
            continue
        if len(owned) > 1:
            return None
        (name,) = owned
        if owner is not None and owner != name:
            return None
        owner = name
    return owner


_JOINERS = "_-'\u2019"  # characters that would make the match part of a longer token
# A whole word: a longest run of letters, digits and joiners (\w is str.isalnum() and "_").
_WHOLE_WORD = re.compile(r"[\w'\u2019-]+")


def _occurrences(sentence: str, words: Collection[str]) -> list[tuple[str, int]]:
    """(word, offset) of each whole-word occurrence of the given capitalised words, in no set order
    (find_known sorts what it finds).

    A few words (the usual case: a sentence names one or two known people) are each found with
    str.find and a look at the characters around each hit; more are found in one pass over the
    sentence's whole words with a set lookup each, not a search per known word (a whole-word
    occurrence of a word made of word characters is exactly one of those runs). Either way the
    sentence is read a bounded number of times."""
    wanted = frozenset(words)
    if len(wanted) <= _FIND_EACH_MAX:
        return _whole_word_hits(sentence, wanted)
    odd = [w for w in wanted if _WHOLE_WORD.fullmatch(w) is None]
    found: list[tuple[str, int]] = []
    if len(odd) < len(wanted):
        found = [(m.group(), m.start()) for m in _WHOLE_WORD.finditer(sentence) if m.group() in wanted]
    return found + _whole_word_hits(sentence, odd) if odd else found


_FIND_EACH_MAX = 4  # up to this many words are looked for one by one


def _whole_word_hits(sentence: str, words: Iterable[str]) -> list[tuple[str, int]]:
    """(word, offset) of each occurrence of each word (each once) that no letter, digit or joiner
    touches. One call for all the words: this runs for most sentences of a page, and a call per word
    costs more than the search."""
    found: list[tuple[str, int]] = []
    size = len(sentence)
    for word in words:
        pos = sentence.find(word) if word else -1
        while pos != -1:
            end = pos + len(word)
            before = sentence[pos - 1] if pos else " "
            after = sentence[end] if end < size else " "
            if not (before.isalnum() or before in _JOINERS or after.isalnum() or after in _JOINERS):
                found.append((word, pos))
            pos = sentence.find(word, end)
    return found


_PREFIX_WORDS = 3  # longest name prefix looked for before a known last name


def _preceding_words(sentence: str, pos: int) -> list[str]:
    """Up to three words right before pos, if pos follows a space (a name's earlier parts)."""
    if pos == 0 or sentence[pos - 1] != " ":
        return []
    # rsplit: only the last words are split off (the same ones split() would end with)
    return sentence[max(0, pos - 80) : pos].rsplit(None, _PREFIX_WORDS)[-_PREFIX_WORDS:]
