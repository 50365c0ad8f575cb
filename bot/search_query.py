"""What a user types after /search, turned into a safe FTS5 MATCH expression.

Supported: plain words (ANDed), "quoted phrases", prefix* (at least two letters before the star; at
most MAX_PREFIXES prefixes in a query), -excluded words or -"phrases", and alternatives joined by a capitalised OR between two of those
(`mercenary OR "illegal migration"`). Everything else is literal: every term is double-quoted with
inner quotes doubled, so other FTS5 operators typed by the user (AND, NOT, NEAR, parentheses, ^, :, *,
an OR with nothing to join) are just words or punctuation the tokenizer drops, and no input can make
MATCH raise. The expression is bound as a parameter by the store, never formatted into SQL.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
