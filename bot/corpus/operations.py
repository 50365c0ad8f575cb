"""Named operations and exercises: a short capitalised name in quotes (or written after the word
"operation"), in a sentence about operations or exercises, with the purpose the text states for it.

This module finds the names in a sentence and reads each sentence (with the goal the next one may state);
how one name reads as family and instance is in operation_names.py, the purpose clauses are in
operation_purposes.py. A name the lexicon does not know is still found in the text, and its kind comes
from the words around it ("exercise", "учения", "operation")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

from .keys import operation_key
from .model import OperationMention
from .operation_names import (
    EXERCISE,
    EXERCISE_WORD,
    NAME_SEPARATORS,
    NO_FAMILIES,
    OPERATION,
    OPERATION_WORD,
    Families,
    Named,
    family_fold,
    has_exercise_hint,
    has_quote,
    lowered_as_ignoring_case,
    may_name_operations_or_exercises,
    read_name,
    read_quoted,
)
from .operation_purposes import first_hint, fronted_purpose, goal_of_next, purpose_of
from .operations_unquoted import may_name_known_family, one_per_operation, with_unquoted
from .sentences import RULE_SENTENCE_MAX_CHARS

# Straight quotes do not say which way they face: one that opens follows no letter or digit and
# precedes no space, so the text between a title's closing quote and the next opening one
# (... Terrorism" During Operation "Horizon" ...) is not read as a name. That test sits after the quote
# (the character before it is not \w): every alternative then opens with a quote mark, and the regex
# engine skips to the next quote mark at C speed instead of trying the pattern at every position.
_QUOTED = re.compile(
    "\u201c([^\u201c\u201d\n]{1,60})\u201d"
    "|\u00ab([^\u00ab\u00bb\n]{1,60})\u00bb"
    '|"(?<!\\w.)(?!\\s)([^"\n]{1,60})(?<!\\s)"'
    "|\u201e([^\u201e\u201c\u201d\n]{1,60})[\u201c\u201d]"
)
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
# At most this many quoted names of one sentence are read as operations (a real list names a handful).
MAX_NAMES_PER_SENTENCE = 20

# ----------------------------------------------------------------------------------------------- discovery

# A quoted name right after one of these is a route or a place ("along the “Northern Route”"), not an
# operation.
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:hotel|range|ground|polygon|base|camp|complex|sanatorium|cent(?:er|re)|airfield|airport"
    r"|city|town|village|district|settlement|grouping)\s*+"
    r"|(?<!\w)(?:\u043f\u043e\u043b\u0438\u0433\u043e\u043d|\u0433\u043e\u0441\u0442\u0438\u043d\u0438\u0446"
    r"|\u0431\u0430\u0437|\u043b\u0430\u0433\u0435\u0440|\u0441\u0430\u043d\u0430\u0442\u043e\u0440\u0438"
    r"|\u0446\u0435\u043d\u0442\u0440|\u0430\u044d\u0440\u043e\u0434\u0440\u043e\u043c|\u0433\u043e\u0440\u043e\u0434"
    r"|\u043f\u043e\u0441\u0435\u043b\u043a|\u043f\u043e\u0441\u0451\u043b\u043a|\u0441\u0435\u043b"
    r"|\u0440\u0430\u0439\u043e\u043d|\u0433\u0440\u0443\u043f\u043f\u0438\u0440\u043e\u0432\u043a)[\u0430-\u044f]*+\s*+"
    r"|\b(?:along|via|through|across|on|into|onto|from|near|at)\s++(?:the\s++)?"
    r"|(?<!\w)(?:\u043f\u043e|\u043d\u0430|\u0432\u0434\u043e\u043b\u044c|\u0447\u0435\u0440\u0435\u0437)\s++)$",
    re.IGNORECASE,
)
_PLACE_WINDOW = 24
# A quoted name right after a word that reports or names a news outlet is the outlet, the source of the
# news ("reports “BelaPAN”", «сообщает телеканал «МИР 24»», «агентство «Интерфакс»»), not an exercise.
_SOURCE_BEFORE = re.compile(
    r"(?:\b(?:reports?|reported|told|according\s++to|agency|newspaper|(?:tv|television)\s++channel"
    r"|broadcaster|radio|portal|outlet|website|magazine)"
    r"|(?<!\w)(?:\u0441\u043e\u043e\u0431\u0449[\u0430-\u044f]*+|\u043f\u0435\u0440\u0435\u0434\u0430[\u0435\u0451\u044e]\u0442"
    r"|\u043f\u0438\u0448(?:\u0435\u0442|\u0443\u0442)|\u0438\u043d\u0444\u043e\u0440\u043c\u0438\u0440\u0443[\u0430-\u044f]*+"
    r"|\u043f\u043e\s++\u0434\u0430\u043d\u043d\u044b\u043c|\u0441\u0441\u044b\u043b\u043a[\u0430-\u044f]*+\s++\u043d\u0430"
    r"|(?:\u0438\u043d\u0444\u043e\u0440\u043c)?\u0430\u0433\u0435\u043d\u0442\u0441\u0442\u0432[\u0430-\u044f]*+"
    r"|\u0442\u0435\u043b\u0435\u043a\u0430\u043d\u0430\u043b[\u0430-\u044f]*+|\u0440\u0430\u0434\u0438\u043e[\u0430-\u044f]*+"
    r"|\u0433\u0430\u0437\u0435\u0442[\u0430-\u044f]*+|\u0438\u0437\u0434\u0430\u043d\u0438[\u0430-\u044f]*+"
    r"|\u043f\u043e\u0440\u0442\u0430\u043b[\u0430-\u044f]*+|\u0436\u0443\u0440\u043d\u0430\u043b[\u0430-\u044f]*+)"
    r"|\u00a9)[\s,:]*+$",
    re.IGNORECASE,
)
_SOURCE_WINDOW = 40
# The last word of the window before a quote that each of the two regexes above needs (lower-cased): a
# place word, a preposition (maybe followed by "the"), a word of a news outlet or of reporting, a stem
# of one. The regexes are tried at every position of their window, the words are looked up first.
# fmt: off
_PLACE_PREPOSITIONS = frozenset(("along", "via", "through", "across", "on", "into", "onto", "from", "near", "at"))
_PLACE_WORDS = _PLACE_PREPOSITIONS | frozenset((
    "hotel", "range", "ground", "polygon", "base", "camp", "complex", "sanatorium", "center", "centre",
    "airfield", "airport", "city", "town", "village", "district", "settlement", "grouping",
    "\u043f\u043e", "\u043d\u0430", "\u0432\u0434\u043e\u043b\u044c", "\u0447\u0435\u0440\u0435\u0437",
))
_PLACE_STEMS = (
    "\u043f\u043e\u043b\u0438\u0433\u043e\u043d", "\u0433\u043e\u0441\u0442\u0438\u043d\u0438\u0446",
    "\u0431\u0430\u0437", "\u043b\u0430\u0433\u0435\u0440", "\u0441\u0430\u043d\u0430\u0442\u043e\u0440\u0438",
    "\u0446\u0435\u043d\u0442\u0440", "\u0430\u044d\u0440\u043e\u0434\u0440\u043e\u043c",
    "\u0433\u043e\u0440\u043e\u0434", "\u043f\u043e\u0441\u0435\u043b\u043a", "\u043f\u043e\u0441\u0451\u043b\u043a",
    "\u0441\u0435\u043b", "\u0440\u0430\u0439\u043e\u043d",
    "\u0433\u0440\u0443\u043f\u043f\u0438\u0440\u043e\u0432\u043a",  # a force: группировка «Восток»
)
_SOURCE_WORDS = frozenset((
    "report", "reports", "reported", "told", "to", "agency", "newspaper", "channel", "broadcaster", "radio",
    "portal", "outlet", "website", "magazine", "\u0434\u0430\u043d\u043d\u044b\u043c", "\u043d\u0430",
))
_SOURCE_STEMS = (
    "\u0441\u043e\u043e\u0431\u0449", "\u043f\u0435\u0440\u0435\u0434\u0430", "\u043f\u0438\u0448",
    "\u0438\u043d\u0444\u043e\u0440\u043c", "\u0430\u0433\u0435\u043d\u0442\u0441\u0442\u0432",
    "\u0442\u0435\u043b\u0435\u043a\u0430\u043d\u0430\u043b", "\u0440\u0430\u0434\u0438\u043e",
    "\u0433\u0430\u0437\u0435\u0442", "\u0438\u0437\u0434\u0430\u043d\u0438",
    "\u043f\u043e\u0440\u0442\u0430\u043b", "\u0436\u0443\u0440\u043d\u0430\u043b",
)
# fmt: on
_WORD = re.compile(r"\w+")
# Family — “Phase”: a known family written before a dash and a quoted phase.
_FAMILY_DASH = re.compile(r"([^\W\d_]++)\s*+[\-\u2013\u2014]\s*+$")
_FAMILY_DASH_WINDOW = 40
_DASHES = ("-", "\u2013", "\u2014")

# Operation Canal Volga Frontier, operation Channel-Volga Border, Operation Nelegal - 2017: capitalised
# words (or a year after a dash) right after the word, past an optional "(of the) CSTO".
_UNQUOTED_AFTER = re.compile(
    r"(?>\s++(?:of\s++the\s++)?CSTO)?\s++"
    r"([A-Z\u0410-\u042f\u0401][\w\u2019']*+"
    r"(?:(?:\s*+[\u2013\u2014]\s*+|\s++-\s*+|-|\s++)(?:[A-Z\u0410-\u042f\u0401][\w\u2019']*+|(?:19|20)\d\d\b)){0,4})"
)
# Words that end an organisation's name, never an operation's ("the Operations Department").
# fmt: off
_ORGANISATION_HEADS = frozenset((
    "department", "directorate", "center", "centre", "headquarters", "group", "command", "staff", "council",
    "committee", "service", "division", "unit", "room", "office", "section", "administration", "ministry",
))
# fmt: on
# The goal an operation's own name gives it: "anti-drug operation", «антинаркотическая спецоперация».
# Ignoring case, spelled to open with one character class (each letter with every character that matches
# it ignoring case) and the word-start test after it: the regex engine then skips to the next candidate
# letter at C speed, where a leading lookbehind or alternation is tried at every position.
_QUALIFIED = re.compile(
    r"[AaCc\u0410\u0430\u041f\u043f](?<!\w.)"
    r"(?i:(?<=a)nti-?[a-z]++|(?<=c)ounter-?[a-z]++|(?<=\u0430)\u043d\u0442\u0438[\u0430-\u044f]++"
    r"|(?<=\u043f)\u0440\u043e\u0442\u0438\u0432\u043e[\u0430-\u044f]++)"
    r"(?i:\s++(?:(?:special\s++)?operations?|(?:\u0441\u043f\u0435\u0446)?\u043e\u043f\u0435\u0440\u0430\u0446[\u0430-\u044f]++))"
)
_KIND_WINDOW = 160  # how far before a name the word that says its kind may stand


class Found(NamedTuple):  # a tuple, not a frozen dataclass: made for every name a sentence gives
    """One operation or exercise a sentence names, with the purpose it states for it (quality 2: its own)."""

    named: Named
    kind: str
    purpose: str | None
    quality: int
    start: int  # where the name stands in its sentence
    end: int


def _kind_words(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every word that says "operation" or "exercise", in order."""
    words = [(m.start(), m.end(), OPERATION) for m in OPERATION_WORD.finditer(sentence)]
    if has_exercise_hint(sentence):
        words += [(m.start(), m.end(), EXERCISE) for m in EXERCISE_WORD.finditer(sentence)]
        words.sort()
    return words


def _kind_at(sentence: str, start: int, end: int, words: Sequence[tuple[int, int, str]]) -> str:
    """The kind of an unknown name: the nearest kind word before it, else one right after it, else
    exercise in a sentence that speaks only of exercises, else operation."""
    before = [w for w in words if w[1] <= start and start - w[1] <= _KIND_WINDOW]
    if before:
        return before[-1][2]
    after = next((w for w in words if w[0] >= end), None)
    if after is not None and after[0] - end <= 3:
        return after[2]
    kinds = {w[2] for w in words}
    return EXERCISE if kinds == {EXERCISE} else OPERATION


def _family_before(sentence: str, start: int) -> re.Match[str] | None:
    """The word and dash right before a quote at `start` (_FAMILY_DASH), looked for only when the text
    before the quote ends with a dash (\\s and str.rstrip agree on what is a space): most quotes follow
    a word, and the slice costs less than the search."""
    lo = max(0, start - _FAMILY_DASH_WINDOW)
    if not sentence[lo:start].rstrip().endswith(_DASHES):
        return None
    return _FAMILY_DASH.search(sentence, lo, start)


def _after_place_or_source(sentence: str, start: int) -> bool:
    """A place (_PLACE_BEFORE) or a news outlet (_SOURCE_BEFORE) right before the quote at start. Each
    regex is tried only when the window's last word is one it ends with (_PLACE_WORDS, _SOURCE_WORDS)."""
    window = sentence[max(0, start - _SOURCE_WINDOW) : start]
    lowered = lowered_as_ignoring_case(window)
    if lowered is None:
        place = source = True
    else:
        words = _WORD.findall(lowered)
        last = words[-1] if words else ""
        place = (
            last in _PLACE_WORDS
            or last.startswith(_PLACE_STEMS)
            or (last == "the" and len(words) > 1 and words[-2] in _PLACE_PREPOSITIONS)
        )
        source = last in _SOURCE_WORDS or last.startswith(_SOURCE_STEMS) or "\u00a9" in window
    return (place and _PLACE_BEFORE.search(sentence, max(0, start - _PLACE_WINDOW), start) is not None) or (
        source and _SOURCE_BEFORE.search(sentence, max(0, start - _SOURCE_WINDOW), start) is not None
    )


def _quoted_names(sentence: str, families: Families, any_kind_word: bool) -> list[tuple[Named, int, int]]:
    """(name, quote start, quote end) for every operation-like quoted name of the sentence."""
    out: list[tuple[Named, int, int]] = []
    for m in _QUOTED.finditer(sentence):
        if len(out) >= MAX_NAMES_PER_SENTENCE:
            break
        quoted = read_quoted(m.group(m.lastindex or 0), families)  # the one alternative that matched
        if quoted is None:
            continue
        cleaned, named = quoted
        start = m.start()
        lead = _family_before(sentence, start)
        if lead is not None and families.lookup([lead.group(1)]) is not None:
            named = read_name(f"{lead.group(1)} \u2014 {cleaned}", families)
            start = lead.start()
        # unknown: a kind word, no place or news outlet before (looked for only then)
        if named.kind is None and (not any_kind_word or _after_place_or_source(sentence, start)):
            continue
        nxt = _NEXT_WORD.match(sentence, m.end())
        if nxt and nxt.group(1).casefold() in _NOT_OPERATION_HEADS:
            continue
        out.append((named, start, m.end()))
    return out


def _unquoted_names(
    sentence: str, families: Families, words: Sequence[tuple[int, int, str]], taken: Sequence[tuple[int, int]]
) -> list[tuple[Named, int, int]]:
    """Names written without quotes: after "operation" (a known family, or any capitalised name after a
    capitalised "Operation" inside a sentence), and a known family right before "operation"."""
    out: list[tuple[Named, int, int]] = []
    for start, end, kind in words:
        if kind != OPERATION or len(out) >= MAX_NAMES_PER_SENTENCE:
            continue
        m = _UNQUOTED_AFTER.match(sentence, end)
        if m is not None and not any(a <= m.start(1) < b for a, b in taken):
            named = read_name(m.group(1), families)
            last = named.family.split()[-1].casefold()
            proper = start > 0 and sentence[start].isupper() and sentence[end - 1] != "s"
            first = named.family.split()[0]
            acronym = first.isupper() and len(first) <= 5
            if named.kind is not None or (proper and not acronym and last not in _ORGANISATION_HEADS):
                out.append((named, m.start(1), m.end(1)))
                continue
        before = sentence[max(0, start - _FAMILY_DASH_WINDOW) : start].split()[-2:]
        for token in reversed(before):
            word = token.strip(NAME_SEPARATORS)
            known = families.lookup([word]) if word[:1].isupper() else None
            if known is not None:
                at = sentence.rfind(word, 0, start)
                if not any(a <= at < b for a, b in taken):
                    out.append((read_name(word, families), at, at + len(word)))
                break
    return out


# --------------------------------------------------------------------------------------------- sentences


def read_sentence(sentence: str, families: Families = NO_FAMILIES) -> tuple[int, tuple[Found, ...]] | None:
    """What one sentence says of operations and exercises on its own: the number of distinct names, and
    each distinct name (first spelling) with its kind and the purpose stated for it. None when it names
    none."""
    words = _kind_words(sentence)
    quoted = _quoted_names(sentence, families, bool(words)) if has_quote(sentence) else []
    names = quoted + _unquoted_names(sentence, families, words, [(s, e) for _, s, e in quoted])
    names = with_unquoted(sentence, families, words, names)  # known names without quotes, listed places out
    if not names:
        return None
    names.sort(key=itemgetter(1))  # by where each stands
    listed = len({operation_key(n.family) for n, _, _ in names})  # a goal shared by a list is quality 1
    hint = first_hint(sentence)
    qualified = _QUALIFIED.search(sentence)
    seen: set[str] = set()
    out: list[Found] = []
    for i, (named, start, end) in enumerate(names):
        key = family_fold(named.written)
        if key in seen:
            continue
        seen.add(key)
        kind = named.kind or _kind_at(sentence, start, end, words)
        next_start = names[i + 1][1] if i + 1 < len(names) else len(sentence)
        purpose = purpose_of(sentence, start, end, hint, words, next_start)
        if purpose is not None:
            out.append(Found(named, kind, purpose, 2, start, end))
        elif qualified is not None and kind == OPERATION:  # "anti-drug operation": the kind of goal only
            out.append(Found(named, kind, qualified.group(0), 0, start, end))
        else:
            out.append(Found(named, kind, None, 0, start, end))
    return listed, tuple(out)


def _read_cached(sentence: str, families: Families) -> tuple[int, tuple[Found, ...]] | None:
    memo = families.memo
    hit = memo.get(sentence, _NOT_READ)
    if hit is _NOT_READ:
        return memo.put(sentence, read_sentence(sentence, families))  # type: ignore[return-value]
    return hit  # type: ignore[return-value]


_NOT_READ = object()


def find_operations(
    sentences: Sequence[str], families: Families = NO_FAMILIES
) -> tuple[OperationMention, ...]:
    """Operations and exercises of an item's sentences, one mention per (name as written, sentence). A
    goal stated in the next sentence ("Their goal is ...", «Ее цель – ...», "the operation was held in
    order to ...") is shared by the names of the sentence before it."""
    out: list[OperationMention] = []
    for idx, sentence in enumerate(sentences):
        if len(sentence) > RULE_SENTENCE_MAX_CHARS or not (
            may_name_operations_or_exercises(sentence) or may_name_known_family(sentence, families)
        ):
            continue
        named = _read_cached(sentence, families)
        if not named:
            continue
        listed, found = named
        shared: str | None = None
        if idx + 1 < len(sentences) and any(f.quality < 2 for f in found):
            following = sentences[idx + 1]
            shared = goal_of_next(following) if len(following) <= RULE_SENTENCE_MAX_CHARS else None
        opening = found[0]
        fronted = (
            fronted_purpose(sentences[idx - 1], sentence, opening.start, opening.end)
            if idx > 0 and opening.kind == OPERATION
            else None
        )
        for f in found:
            purpose, quality = f.purpose, f.quality
            if f is opening and fronted is not None:
                purpose, quality = fronted, 2
            elif quality < 2 and shared is not None:
                purpose, quality = shared, 1 if listed > 1 else 2
            n = f.named
            out.append(OperationMention(n.written, purpose, quality, sentence, n.family, n.instance, f.kind))
    return one_per_operation(out, sentences)
