"""People named in text: titled mentions ("the CSTO Secretary General Imangali Tasmagambetov",
"Denis Manturov, Chairman of ..."), addressed persons ("Dear Sergey Kuzhugetovich!"), and later
mentions of names already known (full name or surname alone)."""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple

from .caches import memo_text
from .dates import MONTH_NAMES
from .keys import person_key, token_key
from .name_keys import has_initials, resolve_initials, row_key, surname_of
from .model import PersonMention
from .vocab import Vocab

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0400-\u042f"
_CAPWORD = rf"[{_UP}][\w'\u2019]*(?:-[\w'\u2019]+)*"
_PAREN = rf"\([{_UP}][\w-]{{0,15}}\)"
_ITEM = rf"(?:{_CAPWORD}|{_PAREN})"  # as _RUN once spelled it (see _ITEM_FAST; the tests compare both)
_CONNECTORS = ("of", "the", "for", "on", "and", "under", "to", "at")
_CONNECTOR_SET = frozenset(_CONNECTORS)
# After a name these end it ("... Imangali Tasmagambetov to the TASS agency"); inside a title they join
# its parts ("Ambassador of Kazakhstan to the Russian Federation").
_NAME_ENDERS = ("to", "at")
# A run of capitalised words, joined by single spaces and the connectors that organisation names use.
# Not inside a word ("aPetrov" holds no "Petrov"). The lookbehind sits after the first character, which it
# re-reads: a pattern that opens with a character class lets the regex engine skip ahead fast.
_NOT_AFTER_WORD = "(?<![\\w'\u2019-].)"
_CAPWORD_TAIL = r"[\w'\u2019]*(?:-[\w'\u2019]+)*"
_FIRST_ITEM = rf"(?:[{_UP}]{_NOT_AFTER_WORD}{_CAPWORD_TAIL}|\({_NOT_AFTER_WORD}[{_UP}][\w-]{{0,15}}\))"
# Possessive repeats (*+): the regex never needs to give back part of a word or a connector (what follows
# each is a space or a capital), and refusing to backtrack makes the scan faster.
_ITEM_FAST = rf"(?:[{_UP}][\w'\u2019]*+(?:-[\w'\u2019]+)*+|{_PAREN})"
_RUN = re.compile(rf"{_FIRST_ITEM}(?: (?:(?:{'|'.join(_CONNECTORS)}) )*+{_ITEM_FAST})*")
_CAPWORD_RE = re.compile(rf"[{_UP}]{_NOT_AFTER_WORD}{_CAPWORD_TAIL}")
_TITLE_AFTER_GAP = re.compile(r"^, (?:the )?$")
_DEAR = re.compile(
    rf"\b(?:Dear|Уважаем\w*)\s+({_CAPWORD})\s+({_CAPWORD})(?:\s+({_CAPWORD}))?\s*[!,]",
)
_PATRONYMIC = re.compile(r"(?:ovich|evich|ich|ovna|evna|ichna|ович|евич|ич|овна|евна|ична)$")
_POSSESSIVE = ("'s", "\u2019s")
_NON_NAME_SUFFIXES = ("tion", "sion", "ism", "ment", "ity", "ness", "ance", "ence", "ship", "ology")
# Capitalised grammar words: sentence openers, pronouns, forms of address. Never part of a name.
# fmt: off
_FUNCTION_WORDS = frozenset((
    "the", "a", "an", "in", "on", "at", "by", "for", "from", "with", "without", "to", "of", "and", "but",
    "or", "nor", "as", "during", "after", "before", "since", "until", "under", "over", "among", "between",
    "through", "within", "according", "following", "starting", "this", "that", "these", "those", "it",
    "its", "he", "his", "she", "her", "we", "our", "they", "their", "i", "my", "me", "you", "your", "dear",
    "mr", "mrs", "ms", "dr", "sir", "madam", "ladies", "gentlemen", "let", "thank", "thanks", "yes", "no",
    "not", "if", "when", "while", "where", "what", "who", "whom", "whose", "how", "why", "which", "also",
    "however", "moreover", "furthermore", "meanwhile", "today", "yesterday", "tomorrow", "here", "there",
    "both", "all", "each", "every", "some", "many", "most", "other", "such", "one", "two", "three", "last",
    "next", "new", "speaking", "regarding", "concerning", "despite", "unlike", "like"
))
# fmt: on
# A longer word is no name (the longest real one is far shorter): junk text never makes a person of it.
NAME_WORD_MAX_CHARS = 40
_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
_PLACE_PREPOSITIONS = frozenset(
    ["the", "in", "at", "from", "to", "into", "near", "across", "within", "throughout", "towards"]
)

# Token kinds
CONN, PAREN, TITLE, FUNC, ACRONYM, POSS, NAME, OTHER = range(8)
_MODIFIERS = frozenset({ACRONYM, POSS, OTHER, TITLE})  # may stand before a title word: "CSTO", "Kyrgyz"


class Found(NamedTuple):  # a tuple: cached per sentence, and tuples of strings escape the collector
    """A person located in a sentence, before canonicalisation."""

    name: str  # as written (patronymic dropped from three-part names)
    title: str | None
    offset: int


def is_patronymic(token: str) -> bool:
    return len(token) >= 5 and _PATRONYMIC.search(token.casefold()) is not None


def _name_shaped(token: str) -> bool:
    """Capitalised word with lowercase letters in every hyphen part: "Kassym-Jomart", not "OSCE-wide"."""
    for part in token.split("-"):
        if len(part) < 2 or not part[0].isupper() or not any(c.islower() for c in part[1:]):
            return False
        if not all(c.isalpha() or c in "'\u2019" for c in part):
            return False
    return True


def _strip_possessive(token: str) -> tuple[str, bool]:
    if token.endswith(_POSSESSIVE):
        return token[:-2], True
    return token, False


def token_kind(token: str, vocab: Vocab) -> int:
    """Classify one token of a capitalised run."""
    if token in _CONNECTORS:
        return CONN
    if token.startswith("("):
        return PAREN
    base, possessive = _strip_possessive(token)
    if vocab.is_title_word(base):
        return TITLE
    folded = base.casefold()
    if folded in _FUNCTION_WORDS:
        return FUNC
    if not any(c.islower() for c in base):
        return ACRONYM
    if possessive:
        return POSS
    if (
        len(base) > NAME_WORD_MAX_CHARS
        or folded in MONTH_NAMES
        or folded in _WEEKDAYS
        or vocab.is_non_name_word(base)
        or folded.endswith(_NON_NAME_SUFFIXES)
        or not _name_shaped(base)
    ):
        return OTHER
    return NAME


def _shouted_surnames(tokens: Sequence[str], kinds: list[int]) -> list[int]:
    """A word in capitals right after a given name is a surname written in capitals ("Igor PETROV"),
    not an acronym: letters only, at least three of them."""
    out = list(kinds)
    for i in range(1, len(tokens)):
        token = _strip_possessive(tokens[i])[0]
        if (
            out[i] == ACRONYM
            and out[i - 1] == NAME
            and len(token) >= 3
            and all(part.isalpha() for part in token.split("-"))
        ):
            out[i] = NAME
    return out


def _cached_kind(token: str, vocab: Vocab) -> int:
    kind = vocab.kind_cache.get(token)
    if kind is None:
        kind = vocab.kind_cache.put(token, token_kind(token, vocab))
    return kind


def _name_span(tokens: Sequence[str], start: int, end: int) -> tuple[int, str] | None:
    """The name at the end of a block of name tokens [start, end): two tokens, or three when the middle
    one is a patronymic (which the name then drops). Returns (first token index, name)."""
    last = _strip_possessive(tokens[end - 1])[0]
    if end - start >= 3 and is_patronymic(tokens[end - 2]) and not is_patronymic(last):
        return end - 3, f"{tokens[end - 3]} {last}"
    if is_patronymic(last):
        # surname first ("Ivanov Pyotr Sergeyevich", as staff lists write it): given name and surname;
        # a given name and a patronymic alone name no one surely (an address, see find_addressed)
        if end - start >= 3 and not is_patronymic(tokens[end - 2]):
            return end - 3, f"{tokens[end - 2]} {tokens[end - 3]}"
        return None
    if end - start >= 2:
        return end - 2, f"{tokens[end - 2]} {last}"
    return None


def _person_follows(tokens: Sequence[str], kinds: Sequence[int], k: int) -> bool:
    """After "and" at k: does another person start ("and the President of ...", "and Ivan Petrov")?
    If so, the name before "and" is complete; otherwise "and" continues an organisation's name."""
    k += 1
    if k < len(tokens) and tokens[k] == "the":
        k += 1
    if k + 1 < len(tokens) and kinds[k] == NAME and kinds[k + 1] in (NAME, POSS):
        return True
    while k < len(tokens) and kinds[k] in _MODIFIERS:
        if kinds[k] == TITLE:
            return True
        k += 1
    return False


def _block_end(kinds: Sequence[int], i: int, tokens: Sequence[str]) -> tuple[int, bool]:
    """End of the block of name tokens starting at i; a trailing possessive name closes it."""
    j = i
    n = len(kinds)
    while j < n and kinds[j] == NAME:
        j += 1
    if j < n and kinds[j] == POSS and _name_shaped(_strip_possessive(tokens[j])[0]):
        return j + 1, True
    return j, False


def _join_title(tokens: Sequence[str]) -> str | None:
    parts = list(tokens)
    while parts and (parts[0] in _CONNECTORS or parts[0].casefold() in _FUNCTION_WORDS):
        parts.pop(0)
    while parts and parts[-1] in _CONNECTORS:
        parts.pop()
    return " ".join(parts) or None


def titled_before(tokens: Sequence[str], kinds: Sequence[int]) -> list[tuple[int, str, str | None]]:
    """Names that follow a title phrase inside one run: (token index, name, title).

    A bare name joined to a titled one ("the Minister of Defence Ivan Petrov and Anna Ivanova signed")
    is a person too, with no title.
    """
    found: list[tuple[int, str, str | None]] = []
    if TITLE not in kinds:  # every find follows a title (a partner follows a titled find)
        return found
    n = len(tokens)
    title_start: int | None = None
    floor = 0
    partner_at = -1  # index right after "and" that follows a titled name
    i = 0
    while i < n:
        kind = kinds[i]
        if kind == TITLE:
            if title_start is None:
                s = i
                while s > floor and kinds[s - 1] in _MODIFIERS:
                    s -= 1
                title_start = s
            i += 1
            continue
        if kind == NAME:
            j, closed = _block_end(kinds, i, tokens)
            span = _name_span(tokens, i, j)
            ends_here = (
                closed
                or j == n
                or tokens[j] in _NAME_ENDERS
                or (tokens[j] == "and" and _person_follows(tokens, kinds, j))
            )
            if title_start is not None and span is not None and ends_here:
                first, name = span
                # "Heads of Competent Authorities", "the Russian Federation": a capitalised pair right
                # after a connector is the object of the title (an organisation or place), not a person.
                if first > title_start and tokens[first - 1] not in _CONNECTORS:
                    title = _join_title(tokens[title_start:first])
                    if title is not None:
                        found.append((first, name, title))
                        title_start = None
                        floor = j
                        partner_at = j + 1 if j < n and tokens[j] == "and" else -1
            elif title_start is None and i == partner_at and span is not None and span[0] == i and ends_here:
                found.append((i, span[1], None))
                floor = j
            i = max(j, i + 1)
            continue
        i += 1
    return found


def _title_after(tokens: Sequence[str], kinds: Sequence[int]) -> str | None:
    """The title phrase of a run that opens with a title ("Chairman of ...", "the CSTO Deputy ...")."""
    if TITLE not in kinds:
        return None
    k = 0
    while k < len(tokens) and kinds[k] == FUNC:
        k += 1
    j = k
    while j < len(tokens) and kinds[j] in _MODIFIERS:
        if kinds[j] == TITLE:
            return _join_title(tokens[k:])
        j += 1
    return None


def capitalised_words(sentence: str) -> set[str]:
    """The distinct capitalised words of a sentence: the cheap prefilter for titles and known names."""
    return set(_CAPWORD_RE.findall(sentence))


class _Run(NamedTuple):  # a tuple, not a frozen dataclass: several are made per page, and faster
    """What one capitalised run says on its own (a pure function of its text and the vocab, so cached)."""

    tokens: tuple[str, ...]
    inner: tuple[tuple[int, str, str | None], ...]  # titled_before(tokens)
    title_after: str | None  # _title_after(tokens): the run opens with a title phrase
    tail: tuple[int, str] | None  # the name the run ends with: (first token index, name)
    offsets: tuple[int, ...]  # where each token starts, relative to the run
    words: tuple[str, ...]  # its capitalised words, as capitalised_words() finds them, each once


def _run_info(text: str, vocab: Vocab) -> _Run:
    info = vocab.run_cache.get(text)
    if info is not None:
        return info
    toks = text.split(" ")
    known_kinds = vocab.kind_cache
    kinds = [known_kinds.get(t) for t in toks]
    if None in kinds:
        kinds = [_cached_kind(t, vocab) for t in toks]
    if ACRONYM in kinds and NAME in kinds:
        kinds = _shouted_surnames(toks, kinds)
    j = len(toks)
    i = j
    while i > 0 and kinds[i - 1] == NAME:
        i -= 1
    info = _Run(
        tuple(toks),
        tuple(titled_before(toks, kinds)),
        _title_after(toks, kinds),
        _name_span(toks, i, j),
        tuple(itertools.accumulate([len(t) + 1 for t in toks[:-1]], initial=0)),
        _run_words(toks, kinds),
    )
    return vocab.run_cache.put(text, info)


def _run_words(tokens: Sequence[str], kinds: Sequence[int]) -> tuple[str, ...]:
    """What _CAPWORD_RE finds in a run (each once), read off its tokens: every token but a connector is
    one capitalised word, except a bracketed one ("(CSTO)"), which is searched. A tuple, not a frozenset:
    a tuple of strings drops out of the garbage collector's sight, and the run cache holds thousands."""
    if PAREN not in kinds:
        return tuple(dict.fromkeys(itertools.filterfalse(_CONNECTOR_SET.__contains__, tokens)))
    words: list[str] = []
    for token, kind in zip(tokens, kinds):
        if kind == PAREN:
            words += _CAPWORD_RE.findall(token)
        elif kind != CONN:
            words.append(token)
    return tuple(dict.fromkeys(words))


RunAt = tuple[int, int, _Run]  # (start, end, run) in a sentence


def sentence_runs(sentence: str, vocab: Vocab) -> tuple[list[RunAt], set[str]]:
    """The capitalised runs of a sentence, and its capitalised words (every one lies in some run)."""
    cached = vocab.run_cache.get
    runs: list[RunAt] = []
    words: set[str] = set()
    for m in _RUN.finditer(sentence):
        text = m.group()
        run = cached(text) or _run_info(text, vocab)
        start, end = m.span()
        runs.append((start, end, run))
        words.update(run.words)
    return runs, words


def find_titled(sentence: str, vocab: Vocab, words: Collection[str] | None = None) -> list[Found]:
    """Titled persons in one sentence (both "Title Name" and "Name, Title," orders)."""
    runs, run_words = sentence_runs(sentence, vocab)
    return titled_in_runs(sentence, runs, run_words if words is None else words, vocab)


def titled_in_runs(sentence: str, runs: Sequence[RunAt], words: Collection[str], vocab: Vocab) -> list[Found]:
    """find_titled on a sentence already cut into runs (see sentence_runs)."""
    if vocab.title_tokens.isdisjoint(words):  # title words, also in possessive form
        return []
    out: list[Found] = []
    last = len(runs) - 1
    appositive = -1  # a run that is the title of the name before it ("Ivan Petrov, the President of ...")
    for r, (start, end, run) in enumerate(runs):
        if r != appositive:
            for idx, name, title in run.inner:
                out.append(Found(name, title, start + run.offsets[idx]))
        if (run.inner and r != appositive) or r >= last:
            continue
        nxt_start, _, nxt = runs[r + 1]
        if nxt.title_after is None or not _TITLE_AFTER_GAP.match(sentence[end:nxt_start]):
            continue
        if nxt.inner and not _inner_is_object(nxt):
            continue
        if run.tail is None:
            continue
        first, name = run.tail
        before = run.tokens[first - 1] if first > 0 else _previous_word(sentence, start)
        if before.casefold() in _PLACE_PREPOSITIONS:
            continue
        out.append(Found(name, nxt.title_after, start + run.offsets[first]))
        appositive = r + 1
    return out


def _inner_is_object(run: _Run) -> bool:
    """Does the name found inside a title run end it, with a lower-case word before its title word's
    object ("the President of the Federation of Combined Martial Arts")? Then the run is one title
    (of a name before it) and the "name" is the end of an organisation's name: its words follow a
    capitalised non-title word, not a title word or an acronym."""
    idx = run.inner[-1][0]
    return idx + 2 == len(run.tokens) and len(run.inner) == 1 and idx > 0 and run.tokens[idx - 1][:1].isupper() and (
        run.tokens[idx - 1] not in _CONNECTOR_SET
    )


def _token_offset(start: int, tokens: Sequence[str], index: int) -> int:
    """Where token `index` of a run starting at `start` begins (tokens are joined by single spaces)."""
    return start + sum(len(t) + 1 for t in tokens[:index])


_PREV_WORD = re.compile(r"(\S+)\s*$")


def _previous_word(sentence: str, start: int) -> str:
    m = _PREV_WORD.search(sentence, max(0, start - 40), start)
    return m.group(1) if m else ""


def find_addressed(sentence: str) -> list[Found]:
    """ "Dear <first name> <patronymic>!" addresses: the person is named by first name and patronymic."""
    out: list[Found] = []
    for m in _DEAR.finditer(sentence):
        first, second, third = m.group(1), m.group(2), m.group(3)
        if not is_patronymic(second) or not _name_shaped(first):
            continue
        name = f"{first} {third}" if third and _name_shaped(third) else f"{first} {second}"
        out.append(Found(name, None, m.start(1)))
    return out


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
    return token_key(_strip_possessive(word)[0])


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
    """(word, offset) of each whole-word occurrence of the given capitalised words.

    One pass over the sentence's whole words with a set lookup each, not a search per known word: a
    whole-word occurrence of a word made of word characters is exactly one of those runs. A word with
    another character (none that the runs produce) is searched for on its own."""
    found: list[tuple[str, int]] = []
    wanted = frozenset(words)
    odd = [w for w in wanted if _WHOLE_WORD.fullmatch(w) is None]
    if len(odd) < len(wanted):
        found = [(m.group(), m.start()) for m in _WHOLE_WORD.finditer(sentence) if m.group() in wanted]
    for word in odd:
        pos = sentence.find(word)
        while pos != -1:
            end = pos + len(word)
            before = sentence[pos - 1] if pos else " "
            after = sentence[end] if end < len(sentence) else " "
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

    def mention(s_idx: int, offset: int, canonical: str, title: str | None, written: str) -> None:
        person = row_key(canonical)
        key = (person, s_idx)
        if key not in seen and (cap is None or cap.admits(person)):
            seen.add(key)
            rows.append((s_idx, offset, PersonMention(canonical, title, sentences[s_idx], written)))

    for s_idx, sentence in enumerate(sentences):
        for f in found[s_idx]:
            canonical = canonical_of.get(f.name, f.name)
            mention(s_idx, f.offset, canonical, f.title, _spelling(f.name, canonical))
        sentence_words = words[s_idx]
        for forms in all_forms:
            if not forms.isdisjoint(sentence_words):
                break
        else:  # the usual case: no known name in the sentence
            continue
        for offset, canonical in find_known(sentence, indexes, sentence_words):
            mention(s_idx, offset, canonical, None, canonical)
    rows.sort(key=_ROW_ORDER)
    return tuple([row[2] for row in rows])


def _spelling(written: str, canonical: str) -> str:
    """The spelling a mention keeps: as written when it is a spelling of the canonical name (a
    transliteration variant, initials); a curated alias ("Sergey Kuzhugetovich") is the lexicon's to
    show, so the mention keeps the canonical name."""
    if written == canonical or row_key(written) == row_key(canonical) or has_initials(written):
        return written
    return canonical


_ROW_ORDER = operator.itemgetter(0, 1)  # (sentence index, offset)
