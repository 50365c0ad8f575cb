"""Named operations: a short capitalised name in quotes, in a sentence about operations, with the purpose
the text states for it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .caches import memo_text
from .keys import operation_key
from .model import OperationMention
from .sentences import RULE_SENTENCE_MAX_CHARS

# \b(?:operations?|операци\w*)\b ignoring case, spelled out: each class holds exactly the characters that
# match its letter ignoring case (so "ı" for "i", "ſ" for "s"), and the word-boundary test sits in a
# lookbehind after the first letter. Opening with a plain class lets the regex engine jump between
# candidate letters, where the ignore-case form attempts a match at every position.
_OPERATION_WORD = re.compile(
    "(?:[Oo](?<!\\w.)[Pp][Ee][Rr][Aa][Tt][Ii\u0130\u0131][Oo][Nn][Ss\u017f]?"
    "|[\u041e\u043e\u1c82](?<!\\w.)[\u041f\u043f][\u0415\u0435][\u0420\u0440][\u0410\u0430][\u0426\u0446]"
    "[\u0418\u0438]\\w*)\\b"
)


def may_name_operations(text: str) -> bool:
    """Cheap test before the regexes: no text names an operation without "perati" or "пераци" (in
    lower or upper case)."""
    # Spelled out: four `in` tests are cheaper than any() over a generator.
    return "perati" in text or "PERATI" in text or "пераци" in text or "ПЕРАЦИ" in text


# Straight quotes do not say which way they face: one that opens follows no letter or digit and
# precedes no space, so the text between a title's closing quote and the next opening one
# (... Terrorism" During Operation "Horizon" ...) is not read as a name.
_QUOTED = re.compile(
    "\u201c([^\u201c\u201d\n]{1,60})\u201d"
    "|\u00ab([^\u00ab\u00bb\n]{1,60})\u00bb"
    '|(?<!\\w)"(?!\\s)([^"\n]{1,60})(?<!\\s)"'
    "|\u201e([^\u201e\u201c\u201d\n]{1,60})[\u201c\u201d]"
)
_TRAILING_PUNCT = ".,;:!?\u2026 "
_MAX_WORDS = 3
# A quoted name followed by one of these is an initiative, event or place, not an operation.
# fmt: off
_NOT_OPERATION_HEADS = frozenset((
    "initiative", "initiatives", "project", "projects", "programme", "program", "conference", "forum",
    "session", "summit", "park", "strategy", "concept", "doctrine", "declaration", "agreement", "treaty",
    "resolution", "format", "festival", "exhibition", "award", "competition", "agency", "newspaper",
    "magazine", "company"
))
# fmt: on
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
_ARTICLES = r"(?:the|a|an|its|their|this|these|our|his|her|that|be|have|date|which|whom)"
# The longest purpose read after a name (real ones are a clause), and the furthest back before a name a
# purpose clause is looked for: each quoted name costs at most this much reading, whatever the sentence.
PURPOSE_MAX_CHARS = 1_000
_PURPOSE_BEFORE_WINDOW = 1_200
# At most this many quoted names of one sentence are read as operations (a real list names a handful).
MAX_NAMES_PER_SENTENCE = 20
# “Channel” — to combat ...; “Proxy” to combat ...; “X”, aimed at ...
# The purpose runs lazily up to the first place where a clause ends. Linear: repeats that meet a space or
# a letter after them are possessive, and where the clause ends is tested only at the first character
# of a run of spaces or closing marks (if it ends inside a run it ends at the run's start too), so no run
# is read again for each of its characters.
_PURPOSE_AFTER = re.compile(
    r"\s*+,?\s*+(?:[\u2014\u2013-]\s*+)?(?:(?:which|that)\s++(?:is|was|are|were)\s++)?"
    r"(?:(?:carried\s++out|conducted|held|launched|implemented|organi[sz]ed)\s++)?"
    rf"((?:aimed\s++at|intended\s++to|designed\s++to|to)\s++(?!{_ARTICLES}\b)[^\W\d_].{{0,{PURPOSE_MAX_CHARS}}}?)"
    r"(?=(?<!\s)(?:\s*+[,;:(]|\s++[\u2014\u2013]\s|\s++and\s++(?:the\s++)?(?:operations?\s++)?[\u201c\"\u00ab\u201e]"
    r"|\s++(?:was|were|is|are|has|have|had|will)\s)"
    '|(?!(?<=[\u201d"\u00bb\u2019)])[\u201d"\u00bb\u2019)])(?!(?<=\\s)\\s)[.!?\u2026]?[\u201d"\u00bb\u2019)]*+\\s*+$)',
    re.IGNORECASE,
)
# in order to X, Operation “Y” ...: a purpose clause, a comma, up to three words and "operation(s)" right
# before the name. Read from the name backwards: the tail (no comma in it, so it starts at the last comma
# before the name), then the leftmost clause opening that runs to that comma.
_BEFORE_TAIL = re.compile(r",\s++(?:[\w-]+\s+){0,3}?operations?\s*+$", re.IGNORECASE)
_BEFORE_HEAD = re.compile(
    r"\b(?:in\s+order\s+(to\s+.)|(aimed\s+at\s+.)|with\s+the\s+aim\s+(?:of|to)\s+(.))", re.IGNORECASE
)
_PURPOSE_BEFORE = re.compile(  # the plain form of the two above, for a clause broken by a newline
    r"\b(?:in\s+order\s+(to\s+.+?)|(aimed\s+at\s+.+?)|with\s+the\s+aim\s+(?:of|to)\s+(.+?)),"
    r"\s+(?:[\w-]+\s+){0,3}?operations?\s*$",
    re.IGNORECASE,
)
# "Their goal is ...", "The aim of these operations is ..."
_GOAL = re.compile(
    r"^(?:their|its|the|our)\s+(?:main\s+|primary\s+|common\s+|key\s+)?"
    r"(?:goal|aim|purpose|objective|task|mission)s?(?:\s+of\s+(?:these|the|such|those|both|all)\s+operations)?\s+"
    r"(?:is|are|was|were|consists?\s+in)\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_PURPOSE_TAIL = " .,;:!?\u2026\u201d\u201c\"'\u00bb\u2019)"


def clean_name(raw: str) -> str | None:
    """An operation name from quoted text: trailing punctuation off, 1-3 capitalised words, else None."""
    name = raw.strip().rstrip(_TRAILING_PUNCT).strip()
    words = name.split()
    if not 1 <= len(words) <= _MAX_WORDS or not words[0][0].isalpha():
        return None
    if not all(w[0].isupper() or w[0].isdigit() for w in words):
        return None
    return name


def _clean_purpose(text: str) -> str | None:
    purpose = text.strip().rstrip(_PURPOSE_TAIL).strip()
    return purpose or None


def _purpose_here(sentence: str, start: int, end: int, hint: int) -> str | None:
    """A purpose stated for this one operation, right after its name or in a clause before it.

    hint: where the sentence first says "order" or "aim" (-1 if nowhere): no clause before a name
    precedes that word."""
    m = _PURPOSE_AFTER.match(sentence, end)
    if m:
        return _clean_purpose(m.group(1))
    if 0 <= hint < start:
        return _purpose_before(sentence, start)
    return None


def _first_hint(sentence: str) -> int:
    """Where "order" or "aim" first ends in the sentence, or -1: a clause before a name holds one."""
    ends = [at + len(word) - 1 for word in ("order", "aim") if (at := sentence.find(word)) >= 0]
    return min(ends, default=-1)


def _purpose_before(sentence: str, start: int) -> str | None:
    """The purpose clause that ends, with "..., the operation", right before sentence[start]."""
    lo = max(0, start - _PURPOSE_BEFORE_WINDOW)
    comma = sentence.rfind(",", lo, start)
    if comma < 0 or _BEFORE_TAIL.match(sentence, comma, start) is None:
        return None
    head = _BEFORE_HEAD.search(sentence, lo, comma)
    if head is None:
        return None
    opened = next(i for i in (1, 2, 3) if head.group(i) is not None)
    if "\n" in sentence[head.end(opened) - 1 : comma]:  # the lazy clause stops at a newline
        b = _PURPOSE_BEFORE.search(sentence, lo, start)
        return _clean_purpose(next(g for g in b.groups() if g)) if b else None
    return _clean_purpose(sentence[head.start(opened) : comma])


def goal_of(sentence: str) -> str | None:
    """The goal clause of a "Their goal is ..." sentence."""
    m = _GOAL.match(sentence)
    return _clean_purpose(m.group(1)) if m else None


def _names_in(sentence: str) -> list[tuple[str, int, int]]:
    """(name, quote start, quote end) for every operation-like quoted name of the sentence."""
    out: list[tuple[str, int, int]] = []
    for m in _QUOTED.finditer(sentence):
        if len(out) >= MAX_NAMES_PER_SENTENCE:
            break
        raw = next(g for g in m.groups() if g is not None)
        name = clean_name(raw)
        if name is None:
            continue
        nxt = _NEXT_WORD.match(sentence, m.end())
        if nxt and nxt.group(1).casefold() in _NOT_OPERATION_HEADS:
            continue
        out.append((name, m.start(), m.end()))
    return out


def find_operations(sentences: Sequence[str]) -> tuple[OperationMention, ...]:
    """Operations of an item's sentences, one mention per (operation, sentence)."""
    out: list[OperationMention] = []
    for idx, sentence in enumerate(sentences):
        if len(sentence) > RULE_SENTENCE_MAX_CHARS or not may_name_operations(sentence):
            continue
        named = _named_operations(sentence)
        if not named:
            continue
        listed, names = named
        shared = goal_of(sentences[idx + 1]) if idx + 1 < len(sentences) else None
        for name, purpose in names:
            if purpose is not None:
                out.append(OperationMention(name, purpose, 2, sentence))
            elif shared is not None:
                out.append(OperationMention(name, shared, 1 if listed > 1 else 2, sentence))
            else:
                out.append(OperationMention(name, None, 0, sentence))
    return tuple(out)


@memo_text(250_000, 2_000)
def _named_operations(sentence: str) -> tuple[int, tuple[tuple[str, str | None], ...]] | None:
    """What one sentence says of operations on its own (template sentences recur, so cached): the
    number of distinct names, and each distinct name (first spelling) with the purpose stated for it.
    None when the sentence names none."""
    if _OPERATION_WORD.search(sentence) is None:
        return None
    names = _names_in(sentence)
    if not names:
        return None
    listed = len({operation_key(n) for n, _, _ in names})  # a goal shared by a list is quality 1
    seen: set[str] = set()
    out: list[tuple[str, str | None]] = []
    hint = _first_hint(sentence)
    for name, start, end in names:
        key = operation_key(name)
        if key in seen:
            continue
        seen.add(key)
        out.append((name, _purpose_here(sentence, start, end, hint)))
    return listed, tuple(out)
