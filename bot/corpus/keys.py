"""Identity keys: how two spellings of one person, operation or item are recognised as the same thing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .caches import memo_text
from .name_keys import fold_word

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_HYPHEN_WS = re.compile(rf"[\s{_DASHES}]+")
# Every quote mark a page may use, so “x”, "x", «x» and „x“ hash alike.
_QUOTE_CHARS = "'\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a`\u00b4"


def _strip_accents(text: str) -> str:
    """Drop combining marks so "Tokáyev" and "Tokayev" are one person."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@memo_text(300_000, 200)  # names recur on every page; a longer "name" is junk
def person_key(name: str) -> str:
    """The identity of a person: casefolded, accent-free, hyphens and whitespace folded to single spaces."""
    if not name.isascii():
        name = _strip_accents(name)
    return _HYPHEN_WS.sub(" ", name.casefold()).strip()


def fold_words(text: str) -> str:
    """Text as a matcher compares it: casefolded, accents dropped, anything but letters and digits a
    single space ("Organization's  Secretary-General" -> "organization s secretary general")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(kept.split())


def token_key(token: str) -> str:
    """person_key for one word; the ASCII fast path matters because every capitalised word is looked up."""
    if token.isascii():
        return token.casefold().replace("-", " ")
    return person_key(token)


@memo_text(100_000, 200)
def operation_key(name: str) -> str:
    """The identity of an operation or exercise, the same in both scripts and every transliteration:
    each word folded as a person's name is (name_keys.fold_word), then spaces and dashes dropped, so
    "PROXY" is "Proxy", "Channel Center" is "Channel-Center" and «Саханд-Антитеррор» is
    "Sahand-Anti-Terror". What letters cannot know («Канал» = Channel) is the lexicon's families."""
    return "".join(fold_word(word) for word in _HYPHEN_WS.split(name) if word)


def normalise_item_text(text: str) -> str:
    """The form an item is hashed in: casefolded, quotes unified, whitespace collapsed."""
    text = text.casefold()
    # One str.replace per quote mark: a missing mark costs a memchr-speed scan, far below a regex pass.
    for quote in _QUOTE_CHARS if not text.isascii() else "'`":
        if quote in text:
            text = text.replace(quote, '"')
    # Cleaned item text has single spaces in its lines and blank-line paragraph breaks. When that is all
    # its spacing (printable: no other whitespace character), collapsing it is one replace, not a split
    # into hundreds of words and a join.
    flat = text.replace("\n\n", " ")
    if flat.isprintable() and "  " not in flat and not flat.startswith(" ") and not flat.endswith(" "):
        return flat
    return " ".join(text.split())


def item_key(text: str) -> str:
    """Stable content hash of an item, so the same teaser on two pages is stored once."""
    digest = hashlib.blake2b(normalise_item_text(text).encode("utf-8"), digest_size=16)
    return digest.hexdigest()
