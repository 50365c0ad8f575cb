"""Snowball stems for search, so that every inflected form of a word finds the others.

SQLite's FTS5 stems nothing but English (porter), and Python's sqlite3 cannot register a tokenizer, so
the store indexes a second copy of each item's text made of stems (stem_text) and the query's whole words
are stemmed the same way (bot.search_query). The stemmed copy has one stem per word of the text as FTS5's
unicode61 tokenizer splits it, in order, so a phrase of stems is a phrase of the words; the excerpt a
search shows marks the words as written whose stems were asked for (bot.search_query.excerpt).

Snowball's Russian stemmer leaves Latin words alone and its English one Cyrillic words, so a word of
either script is stemmed by running both over it, in C (PyStemmer), with no per-word Python choice.
"""

from __future__ import annotations

import re
import threading

import Stemmer

from bot.corpus.caches import CharBudget, memo_text

# One token as unicode61 reads one: a run of letters and numbers ("_" separates). unicode61 also keeps
# private-use characters in a word; news text has none, and one would only move the marks of an excerpt.
TOKEN = re.compile(r"[^\W_]+")
_WORD = re.compile(r"\w+")  # TOKEN once "_" is a space: the same words, found twice as fast
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[a-z\u00c0-\u024f]")
# Stored in the database beside the stemmed index: when this or the stemmer changes, the stored stems are
# made again and the index rebuilt (bot.store.schema), or queries would be stemmed unlike the items.
STEMS_VERSION = f"snowball russian+english, pystemmer {Stemmer.version()}, tokens 3"

_local = threading.local()  # a Stemmer is not safe to share between threads


def _stemmers() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    pair: tuple[Stemmer.Stemmer, Stemmer.Stemmer] | None = getattr(_local, "pair", None)
    if pair is None:
        pair = (Stemmer.Stemmer("russian"), Stemmer.Stemmer("english"))
        _local.pair = pair
    return pair


def tokens(text: str) -> list[str]:
    """The words of `text` in lower case, as unicode61 splits them."""
    return TOKEN.findall(text.lower())


def stem_words(words: list[str]) -> list[str]:
    """Each lower-case word's stem (Cyrillic: Russian, Latin: English; anything else unchanged)."""
    return _stem(words, cyrillic=True, latin=True)


def _stem(words: list[str], *, cyrillic: bool, latin: bool) -> list[str]:
    russian, english = _stemmers()
    stems: list[str] = russian.stemWords(words) if cyrillic else words
    stems = english.stemWords(stems) if latin else stems
    if "" in stems:  # a stem is never empty: it would drop a token and shift every position after it
        stems = [stem or word for stem, word in zip(stems, words, strict=True)]
    return stems


def stem_text(text: str | None) -> str:
    """The stems of every token of `text`, space-separated, one per token and in order.

    Each distinct word is stemmed once, and a stemmer runs only when the text has its script: the
    corpus writes stem every item's text. A short text (a headline, a teaser repeated on many pages)
    is stemmed once and remembered."""
    if not text:
        return ""
    return _stem_short(text) if len(text) <= SHORT_TEXT_CHARS else _stem_text(text)


SHORT_TEXT_CHARS = 1_000


@memo_text(1_000_000, SHORT_TEXT_CHARS)
def _stem_short(text: str) -> str:
    return _stem_text(text)


# Words stemmed lately -> their stems: a text's words are mostly words other texts had, and a lookup
# costs less than the stemmers' call. Bounded like the rules' memos (bot.corpus.caches).
_STEM_OF: CharBudget[str, str] = CharBudget(len, 300_000, 40)


def _stem_text(text: str) -> str:
    lowered = text.lower()
    if "_" in lowered:
        lowered = lowered.replace("_", " ")
    words = _WORD.findall(lowered)
    stems = list(map(_STEM_OF.get, words))
    if None not in stems:
        return " ".join(stems)  # type: ignore[arg-type]
    new = list({word for word, stem in zip(words, stems, strict=True) if stem is None})
    stem_of = dict(zip(new, _stem(new, cyrillic=True, latin=True), strict=True))
    for word, stem in stem_of.items():
        _STEM_OF.put(word, stem)
    return " ".join([stem or stem_of[word] for stem, word in zip(stems, words, strict=True)])
