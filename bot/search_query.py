"""What a user types after /search, turned into a safe FTS5 MATCH expression.

Supported: plain words (ANDed), "quoted phrases", prefix* (at least two letters before the star; at
most MAX_PREFIXES prefixes in a query), -excluded words or -"phrases", and alternatives joined by a capitalised OR between two of those
(`mercenary OR "illegal migration"`). Everything else is literal: every term is double-quoted with
inner quotes doubled, so other FTS5 operators typed by the user (AND, NOT, NEAR, parentheses, ^, :, *,
an OR with nothing to join) are just words or punctuation the tokenizer drops, and no input can make
MATCH raise. The expression is bound as a parameter by the store, never formatted into SQL.

Morphology: the store searches with stemmed_match(expression), whose whole words and phrases are Snowball
stems (bot.corpus.stems) matched against the stems it indexes beside the text, so any inflected form finds
the others («операции» finds «операцию», "exercise" "exercises"); prefix* stays literal, matched against the
text as written (`учени*`). excerpt() then marks, in the text as written, the words whose stem (or start,
for a prefix) the query asked for.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from bot.corpus.stems import stem_text, stem_words, tokens
from bot.records import MATCH_END, MATCH_START

MAX_INPUT = 4000  # characters of the user's text considered
MAX_TERMS = 16  # terms of all kinds kept
MIN_PREFIX = 2  # token characters before a trailing *
# FTS5 merges the lists of every indexed word a prefix starts before it returns a first row, in one step
# SQLite cannot stop: more prefixes than this make the query too broad to run (see SearchQuery.too_broad).
MAX_PREFIXES = 4

_QUOTES = frozenset('"“”„«»')
_DASHES = frozenset("-‐‑–—−")  # a leading one of these excludes the term
# Query syntax and list punctuation split a word in two ("NEAR(a" is NEAR and a); other inner
# punctuation ("C-130", "U.S.", "jean-pierre") keeps the word whole, as a phrase of its tokens.
# SQLite reads the expression as a C string: a NUL would end it early ("unterminated string").
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_SPLIT = re.compile(r"[()\[\]{}^:;,!?+|/\\<>=~]+")


def _is_token_char(char: str) -> bool:
    """What FTS5's unicode61 tokenizer keeps by default: letters, numbers, private use (L*, N*, Co)."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def _token_count(text: str) -> int:
    return sum(1 for char in text if _is_token_char(char))


def _trim(text: str) -> str:
    """Drop punctuation and symbols at both ends; inner punctuation stays for the tokenizer to split."""
    start, end = 0, len(text)
    while start < end and not _is_token_char(text[start]):
        start += 1
    while end > start and not _is_token_char(text[end - 1]):
        end -= 1
    return text[start:end]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _phrase(text: str) -> str:
    """A phrase's words, separated by single spaces; symbols between words are left to the tokenizer."""
    return " ".join(word for word in (_trim(w) for w in text.split()) if word)


def _fragment(kind: str, term: str) -> str:
    return _quote(term) + "*" if kind == "prefixes" else _quote(term)


@dataclass(frozen=True)
class SearchQuery:
    include: tuple[str, ...] = ()  # plain terms, ANDed
    phrases: tuple[str, ...] = ()  # exact phrases
    prefixes: tuple[str, ...] = ()  # stems, matched as stem*
    exclude: tuple[str, ...] = ()  # terms or phrases to leave out; a trailing * excludes a prefix
    # groups of two or more alternatives, each (kind, term) with kind "include", "phrases" or "prefixes"
    alternatives: tuple[tuple[tuple[str, str], ...], ...] = ()

    def is_empty(self) -> bool:
        """True when there is nothing positive to search for (only exclusions count as nothing)."""
        return not (self.include or self.phrases or self.prefixes or self.alternatives)

    def match_expression(self) -> str | None:
        """The FTS5 MATCH expression, or None when there is nothing to search."""
        if self.is_empty():
            return None
        positive = [
            _fragment(kind, term)
            for kind in ("include", "phrases", "prefixes")
            for term in getattr(self, kind)
        ]
        positive += [
            "(" + " OR ".join(_fragment(k, t) for k, t in group) + ")" for group in self.alternatives
        ]
        expression = " AND ".join(positive)
        if not self.exclude:
            return expression
        negative = [_quote(t[:-1]) + "*" if t.endswith("*") else _quote(t) for t in self.exclude]
        return f"({expression}) NOT ({' OR '.join(negative)})"

    def prefix_count(self) -> int:
        """Prefix terms of every kind: searched, among alternatives, or excluded."""
        alternatives = sum(kind == "prefixes" for group in self.alternatives for kind, _ in group)
        return len(self.prefixes) + alternatives + sum(term.endswith("*") for term in self.exclude)

    def too_broad(self) -> bool:
        """True when the query has more prefixes than MAX_PREFIXES: refused before it reaches the store."""
        return self.prefix_count() > MAX_PREFIXES

    def terms(self) -> tuple[str, ...]:
        """The positive whole words (plain terms and the words of phrases), for "did you mean"."""
        words = [*self.include]
        for phrase in self.phrases:
            words += phrase.split()
        for group in self.alternatives:
            for kind, term in group:
                words += term.split() if kind != "prefixes" else []
        return tuple(dict.fromkeys(words))


class _Collector:
    """Sorts terms into their kinds (alternatives joined by OR into one clause), skipping duplicates
    and stopping at MAX_TERMS."""

    def __init__(self) -> None:
        self.clauses: list[list[tuple[str, str]]] = []  # positive terms in order; alternatives share one
        self.exclude: list[str] = []
        self._seen: set[tuple[str, str]] = set()
        self._or_pending = False  # an OR followed the last positive term: the next one joins its clause

    def full(self) -> bool:
        return len(self._seen) >= MAX_TERMS

    def add(self, kind: str, term: str) -> None:
        key = (kind, term.casefold())
        if not term or key in self._seen or self.full():
            self._or_pending = False  # "a OR a b" is a AND b
            return
        self._seen.add(key)
        if kind == "exclude":
            self._literal_or()
            self.exclude.append(term)
        elif self._or_pending:
            self.clauses[-1].append((kind, term))
        else:
            self.clauses.append([(kind, term)])
        self._or_pending = False

    def _literal_or(self) -> None:
        """An OR with no positive term after it is just the word."""
        if self._or_pending:
            self._or_pending = False
            self.add("include", "OR")

    def add_word(self, raw: str, *, negate: bool) -> None:
        if raw == "OR" and not negate and self.clauses:  # "a OR OR b" is a OR b
            self._or_pending = True
            return
        is_prefix = raw.rstrip(".'’").endswith("*")
        word = _trim(raw)
        if not word:
            return
        if is_prefix and _token_count(word) >= MIN_PREFIX:
            self.add("exclude" if negate else "prefixes", word + "*" if negate else word)
        else:
            self.add("exclude" if negate else "include", word)

    def add_phrase(self, raw: str, *, negate: bool) -> None:
        phrase = _phrase(raw)
        if phrase:
            self.add("exclude" if negate else "phrases", phrase)

    def result(self) -> SearchQuery:
        self._literal_or()
        single: dict[str, list[str]] = {"include": [], "phrases": [], "prefixes": []}
        for clause in self.clauses:
            if len(clause) == 1:
                single[clause[0][0]].append(clause[0][1])
        return SearchQuery(
            tuple(single["include"]),
            tuple(single["phrases"]),
            tuple(single["prefixes"]),
            tuple(self.exclude),
            tuple(tuple(clause) for clause in self.clauses if len(clause) > 1),
        )


def parse_search_query(text: str) -> SearchQuery:
    """Parse the user's text; never raises. ``.match_expression()`` is None if nothing is searchable."""
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text[:MAX_INPUT]))
    found = _Collector()
    i, n = 0, len(text)
    while i < n and not found.full():
        if text[i].isspace():
            i += 1
            continue
        negate = False
        if text[i] in _DASHES:
            j = i
            while j < n and text[j] in _DASHES:
                j += 1
            if j == n or text[j].isspace():  # a lone dash
                i = j
                continue
            negate, i = True, j
        if text[i] in _QUOTES:
            j = i + 1
            while j < n and text[j] not in _QUOTES:
                j += 1
            found.add_phrase(text[i + 1 : j], negate=negate)
            i = j + 1
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _QUOTES:
            j += 1
        for piece in _SPLIT.split(text[i:j]):
            found.add_word(piece, negate=negate)
        i = j
    return found.result()


# ------------------------------------------------------------------------------------------ morphology

_QUOTED = re.compile(r'"((?:[^"]|"")*)"(\*?)')  # a term of match_expression(): quotes doubled, * = prefix
_WORD = re.compile(r"\w+")  # stems.TOKEN where "_" is a space (excerpt() makes it one): twice as fast
EXCERPT_TOKENS = 28  # words in an excerpt, as FTS5's snippet() was asked for
EXCERPT_SCAN = 20_000  # characters of an item's body searched for the words to mark
_EXCERPT_LEAD = 3  # words shown before the first marked one


def _unquote(term: str) -> str:
    return term.replace('""', '"')


def _stemmed_term(found: re.Match[str]) -> str:
    """A whole term or phrase as its stems; a prefix*, or a term its stems leave as it is, unchanged."""
    term, star = _unquote(found.group(1)), found.group(2)
    if star:
        return found.group(0)
    stems = stem_text(term)
    return found.group(0) if not stems or stems == " ".join(tokens(term)) else _quote(stems)


def stemmed_match(expression: str) -> str:
    """match_expression() with every whole word and phrase turned into its stems (same syntax)."""
    return _QUOTED.sub(_stemmed_term, expression)


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """A word as FTS5's unicode61 with remove_diacritics compares it: lower case, marks dropped."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True, slots=True)
class Highlight:
    """What an excerpt marks: each term's run of folded stems (a word: one; a phrase: its words, in a
    row), or a word starting with one of `prefixes` (folded)."""

    terms: tuple[tuple[str, ...], ...]
    prefixes: tuple[str, ...]

    @classmethod
    def of_match(cls, expression: str) -> Highlight:
        """The positive terms of a match_expression() (before stemmed_match: stems are not stemmed twice);
        excluded terms are never in a hit."""
        positive = expression.split(") NOT (")[0]
        terms: list[tuple[str, ...]] = []
        prefixes: list[str] = []
        for found in _QUOTED.finditer(positive):
            term = _unquote(found.group(1))
            if found.group(2):
                prefixes.append(fold(term))
            elif words := tokens(term):
                terms.append(tuple(fold(stem) for stem in stem_words(words)))
        return cls(tuple(dict.fromkeys(terms)), tuple(dict.fromkeys(prefixes)))

    def hits(self, words: list[str]) -> dict[int, int]:
        """Position of each word to mark -> the term it belongs to (prefixes after the terms).

        Only words that start as a term's stem does (two letters, folded) are stemmed: a Snowball stem
        keeps its word's start."""
        folded = [fold(word) for word in words]
        starts = {stem[:2] for term in self.terms for stem in term}
        candidates = [i for i, word in enumerate(folded) if word[:2] in starts]
        stems = [""] * len(words)
        for i, stem in zip(candidates, stem_words([words[i].lower() for i in candidates]), strict=True):
            stems[i] = fold(stem)
        starting: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for number, term in enumerate(self.terms):
            starting.setdefault(term[0], []).append((number, term))
        found: dict[int, int] = {}
        for i in candidates:
            for number, term in starting.get(stems[i], ()):
                if len(term) == 1 or tuple(stems[i : i + len(term)]) == term:
                    found.update((j, number) for j in range(i, i + len(term)))
        if self.prefixes:
            for i, word in enumerate(folded):
                if i not in found and word.startswith(self.prefixes):
                    found[i] = len(self.terms) + next(
                        n for n, p in enumerate(self.prefixes) if word.startswith(p)
                    )
        return found


def _richest_window(found: dict[int, int]) -> int:
    """The first marked position of the EXCERPT_TOKENS-word window holding the most distinct terms
    (the earliest such), in one pass over the marked positions."""
    positions = sorted(found)
    in_window: dict[int, int] = {}
    best, best_count, ahead = positions[0], 0, 0
    for position in positions:
        while ahead < len(positions) and positions[ahead] < position + EXCERPT_TOKENS:
            term = found[positions[ahead]]
            in_window[term] = in_window.get(term, 0) + 1
            ahead += 1
        if len(in_window) > best_count:
            best, best_count = position, len(in_window)
        term = found[position]
        in_window[term] -= 1
        if not in_window[term]:
            del in_window[term]
    return best


def excerpt(text: str, highlight: Highlight) -> str:
    """About EXCERPT_TOKENS words of `text` where the most distinct terms are found, those words as
    written between MATCH_START and MATCH_END, "…" where the text goes on (FTS5's snippet(), by stems)."""
    spans = [m.span() for m in _WORD.finditer(text.replace("_", " "), 0, EXCERPT_SCAN)]
    if not spans:
        return ""
    found = highlight.hits([text[a:b] for a, b in spans])
    first = 0
    if found:
        first = max(0, min(_richest_window(found) - _EXCERPT_LEAD, len(spans) - EXCERPT_TOKENS))
    last = min(len(spans), first + EXCERPT_TOKENS)
    pieces = ["…" if first else ""]
    cursor = spans[first][0]
    for i in range(first, last):
        a, b = spans[i]
        pieces.append(text[cursor:a])
        pieces.append(MATCH_START + text[a:b] + MATCH_END if i in found else text[a:b])
        cursor = b
    ends_here = last == len(spans) and len(text) <= EXCERPT_SCAN
    pieces.append(text[cursor:].rstrip() if ends_here else "…")
    return "".join(pieces)
