"""Known operations and exercises named without quotes, places in a quoted list, and one mention per
operation in an item.

News agencies write the CSTO's exercises without quotes ("the Cobalt-2024 special exercise", "Grom 2021
… Kobalt 2021", "the Rubezh joint exercise") or inside a bracket the quoted-name rule cannot read
(«Нерушимое братство-2025»). A name of a family the lexicon knows, in any of its spellings, is an
operation or exercise here when it carries a year (after a dash or a space) or stands a few words from a
word that says "operation" or "exercise"; a name the lexicon does not know still needs quotes
(operations.py). The lexicon gives the kind, so an exercise is never taken for an operation.

Kept apart from operations.py, which finds quoted names and names after "operation", so that file only
calls in here: `with_unquoted` per sentence, `may_name_known_family` as its cheap test, `one_per_operation`
per item."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from .keys import operation_key
from .model import OperationMention
from .operation_names import EXERCISE_WORD, Families, Named, family_fold, may_hold_any, read_name
from .operation_purposes import goal_in_item

# A name found in a sentence: what it reads as, where it starts and where it ends.
Span = tuple[Named, int, int]
MAX_UNQUOTED_PER_SENTENCE = 20  # as for quoted names: a real list names a handful

_DASHES = r"\-\u2010-\u2015\u2212"  # a character class's body
# A year right after a family: "Cobalt-2024", "Grom 2021", "Combat Brotherhood - 2019", "Рубеж–2025";
# not a date or a decade («Рубеж 2000-х годов», «Поиск 2021 года», "the 2020s").
_YEAR_AFTER = re.compile(
    rf"(?:\s*+[{_DASHES}]\s*+|[ \u00a0]++)(?:19|20)\d\d(?!\d)"
    rf"(?!\s*+(?:\u0433\u043e\u0434|\u0433\u0433?\.)|[{_DASHES}]?(?:\u0445|s)\b)"
)
# How near a kind word must stand to a bare family name: at most this many words (and characters)
# between them ("the Interaction command and staff exercise", "exercises Rubezh, Search and Echelon").
_WORDS_AFTER = 3
_WORDS_BEFORE = 3
_GAP_CHARS = 48
_GAP_BREAK = re.compile(r"[.;:!?()\[\]\u00ab\u00bb\u201c\u201d\"]")
# A word after the name that makes it a place, a body or an event of another kind ("the Rubezh training
# ground", "the Interaction Department", "the Combat Brotherhood medal"); Russian by stem.
# fmt: off
_NOT_AN_EXERCISE_AFTER = frozenset((
    "ground", "grounds", "range", "ranges", "polygon", "area", "base", "camp", "centre", "center", "hotel",
    "park", "department", "directorate", "council", "committee", "service", "group", "unit",
    "office", "ministry", "agreement", "programme", "program", "project", "initiative", "conference",
    "forum", "medal", "award", "prize", "festival", "club", "company", "newspaper", "magazine", "fund",
))
_NOT_AN_EXERCISE_AFTER_RU = ("полигон", "центр", "комитет", "совет", "управлени", "департамент", "медал",
                             "фонд", "клуб", "газет", "журнал", "компани", "программ", "проект", "конференц")
# fmt: on
# A word for a training ground, in any number and case: "range(s)", "ground(s)", «полигон(ах)».
_PLACE_WORD = (
    r"(?:\b(?:ranges?|grounds?|polygons?)|(?<!\w)\u043f\u043e\u043b\u0438\u0433\u043e\u043d[\u0430-\u044f]*+)"
)
_PLACE_WORDS = (
    "range",
    "ground",
    "polygon",
    "\u043f\u043e\u043b\u0438\u0433\u043e\u043d",
)  # _PLACE_WORD's, lower-cased
_PLACE_BEFORE = re.compile(rf"{_PLACE_WORD}[\s\u00ab\u201c\u201e\"]*+$", re.IGNORECASE)
_PLACE_BEFORE_WINDOW = 16
_NEXT_WORD = re.compile(r"\s++([^\W\d_]++)")
_NEXT_WORDS = re.compile(r"[\s\-\u2013\u2014,]*+(?:training\s++)?([^\W\d_]++)")
# A quoted name right after a place word, plural or in any case ("at the ranges “A”", «на полигонах «А»»),
# or later in a list of quoted names after one («А» и «Б» after «на полигонах»): a place, not an exercise.
_PLACE_LIST = re.compile(
    rf"{_PLACE_WORD}\s*+"
    r"(?:[\u00ab\u201c\u201e\"][^\u00ab\u00bb\u201c\u201d\"\n]{1,60}[\u00bb\u201d\u201c\"]\s*+"
    r"(?:,|\band\b|(?<!\w)\u0438(?!\w))\s*+)*+$",
    re.IGNORECASE,
)
_PLACE_LIST_WINDOW = 200
_QUOTES = '\u00ab\u201c\u201e"'
_SENTENCE_OPENING = " \t\n\u00a0" + _QUOTES + "(['\u2018"


def _first_letter_pattern(spellings: Sequence[str]) -> str:
    """One alternative per first letter: the capital itself, a word start, then the rest of every
    spelling ignoring case (longest first), dashes and spaces alike, е also ё."""
    by_letter: dict[str, list[str]] = {}
    for spelling in spellings:
        by_letter.setdefault(spelling[0].upper(), []).append(spelling[1:])
    alternatives = []
    for letter, rests in sorted(by_letter.items()):
        bodies = []
        for rest in sorted(set(rests), key=len, reverse=True):
            body = "".join(
                rf"[\s{_DASHES}]+" if ch == " " else "[\u0435\u0451]" if ch == "\u0435" else re.escape(ch)
                for ch in rest
            )
            bodies.append(body)
        alternatives.append(f"{re.escape(letter)}(?<!\\w.)(?i:{'|'.join(bodies)})(?!\\w)")
    return "|".join(alternatives)


def _scanners(families: Families) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The lexicon's spellings as one regex, and the same followed by a year (the cheap test's), compiled
    once per Families and kept on it."""
    if families.unquoted is None:
        spellings = [s for s in families.by_spelling if s[:1].isalpha()]
        if spellings:
            names = _first_letter_pattern(spellings)
            families.unquoted = (re.compile(names), re.compile(f"(?:{names}){_YEAR_AFTER.pattern}"))
        else:
            families.unquoted = False
    return families.unquoted or None


def may_name_known_family(sentence: str, families: Families) -> bool:
    """Cheap test for a sentence with no kind word and no quote: it names a known family with a year
    ("Those are Grom 2021 in Armenia, Rubezh 2021 …")."""
    if not families.by_spelling or ("20" not in sentence and "19" not in sentence):
        return False
    scanners = _scanners(families)
    return scanners is not None and scanners[1].search(sentence) is not None


def _opens_sentence(sentence: str, start: int) -> bool:
    """A capital that may be only the sentence's (or a headline line's) first letter."""
    before = sentence[max(0, start - 8) : start].rstrip(_SENTENCE_OPENING)
    return not before or before[-1] in ".!?:\n"


def _near(gap: str, words: int) -> bool:
    """A short run of words with no sentence or bracket break in it."""
    return len(gap) <= _GAP_CHARS and not _GAP_BREAK.search(gap) and len(gap.split()) <= words


def _kind_word_near(
    sentence: str, start: int, end: int, kind_words: Sequence[tuple[int, int, str]], starts: Sequence[int]
) -> bool:
    """A word saying "operation" or "exercise" a few words after the name or right before it (the
    nearest on each side, found by bisection in the words' starts)."""
    after = bisect_left(starts, end)
    if after < len(kind_words) and _near(sentence[end : kind_words[after][0]], _WORDS_AFTER):
        return True
    before = bisect_left(starts, start) - 1
    return (
        before >= 0
        and kind_words[before][1] <= start
        and _near(sentence[kind_words[before][1] : start], _WORDS_BEFORE)
    )


def _names_another_thing(sentence: str, start: int, end: int) -> bool:
    """The name heads a place, a body or an award ("Rubezh training ground", "Рубеж полигон"), or
    follows a place word ("at the range Rubezh-2021", «на полигоне Рубеж»)."""
    if _PLACE_BEFORE.search(sentence, max(0, start - _PLACE_BEFORE_WINDOW), start) is not None:
        return True
    m = _NEXT_WORDS.match(sentence, end)
    if m is None:
        return False
    word = m.group(1).casefold()
    return word in _NOT_AN_EXERCISE_AFTER or word.startswith(_NOT_AN_EXERCISE_AFTER_RU)


_SINGLE_CLOSE = re.compile("[.,;:!?]?['\u2019](?!\\w)")


def _in_single_quotes(sentence: str, start: int, end: int) -> bool:
    """A name in single quotes, a full stop maybe inside the closing one ('Kobalt.', \u2018Search\u2019):
    quoted as a name, though the quote marks the other rules read are double."""
    if start == 0 or sentence[start - 1] not in "'\u2018":
        return False
    if start >= 2 and (sentence[start - 2].isalnum() or sentence[start - 2] in "'\u2019"):
        return False  # an apostrophe inside a word
    return _SINGLE_CLOSE.match(sentence, end) is not None


# A word that gives a name: "codenamed Nerushimoe Bratstvo", "dubbed Channel", «под условным
# наименованием Наемник»; the name after it needs no kind word near it.
_NAMING_BEFORE = re.compile(
    r"(?:\b(?:code-?named|dubbed|called|named|under\s++the\s++(?:code\s++)?name)"
    r"|(?<!\w)\u043f\u043e\u0434\s++(?:\u0443\u0441\u043b\u043e\u0432\u043d\u044b\u043c\s++|\u043a\u043e\u0434\u043e\u0432\u044b\u043c\s++)?"
    r"(?:\u043d\u0430\u0438\u043c\u0435\u043d\u043e\u0432\u0430\u043d\u0438\u0435\u043c|\u043d\u0430\u0437\u0432\u0430\u043d\u0438\u0435\u043c))"
    r"\s++$",
    re.IGNORECASE,
)
_NAMING_WINDOW = 40


def _named_so(sentence: str, start: int) -> bool:
    """A name right after a word that gives it ("codenamed", "dubbed", «под наименованием»)."""
    return _NAMING_BEFORE.search(sentence, max(0, start - _NAMING_WINDOW), start) is not None


def _in_title_case(sentence: str, end: int) -> bool:
    """A bare name followed by another capitalised word: a headline in title case ("Holds Search And
    Rescue Exercise"), where a capital says nothing of a name."""
    m = _NEXT_WORD.match(sentence, end)
    return m is not None and m.group(1)[0].isupper() and EXERCISE_WORD.fullmatch(m.group(1)) is None


def unquoted_names(
    sentence: str,
    families: Families,
    kind_words: Sequence[tuple[int, int, str]],
    taken: Sequence[tuple[int, int]],
) -> list[Span]:
    """Names of known families outside the spans already read: with a year, or bare beside a kind word
    (not at the sentence's opening, where any word is capitalised)."""
    scanners = _scanners(families) if families.by_spelling else None
    if scanners is None:
        return []
    starts = [w[0] for w in kind_words]  # in order: the kind words are listed by position
    out: list[Span] = []
    for m in scanners[0].finditer(sentence):
        if len(out) >= MAX_UNQUOTED_PER_SENTENCE:
            break
        start, end = m.span()
        if any(a <= start < b or a < end <= b for a, b in taken):
            continue
        year = _YEAR_AFTER.match(sentence, end)
        if year is not None:
            end = year.end()
        elif not (_in_single_quotes(sentence, start, end) or _named_so(sentence, start)) and (
            _opens_sentence(sentence, start)
            or _in_title_case(sentence, end)
            or not _kind_word_near(sentence, start, end, kind_words, starts)
        ):
            continue
        if _names_another_thing(sentence, start, end):
            continue
        out.append((read_name(sentence[start:end], families), start, end))
    return out


def _listed_place(sentence: str, named: Named, start: int) -> bool:
    """An unknown quoted name that follows other quoted names after a place word: a place of the list."""
    if named.kind is not None or sentence[start : start + 1] not in _QUOTES:
        return False
    lo = max(0, start - _PLACE_LIST_WINDOW)
    if not may_hold_any(sentence[lo:start], _PLACE_WORDS):  # the cheap test: no place word, no list
        return False
    return _PLACE_LIST.search(sentence, lo, start) is not None


def with_unquoted(
    sentence: str, families: Families, kind_words: Sequence[tuple[int, int, str]], names: list[Span]
) -> list[Span]:
    """The names a sentence gives, read so far, without places listed after a place word, and with the
    known families it names without quotes."""
    kept = [n for n in names if not _listed_place(sentence, n[0], n[1])] if names else names
    return kept + unquoted_names(sentence, families, kind_words, [(s, e) for _, s, e in kept])


def _operation_of(mention: OperationMention) -> tuple[str, str]:
    """Which operation a mention names: its family and instance, folded."""
    instance = family_fold(mention.instance) if mention.instance else ""
    return operation_key(mention.family_name), instance


def _better_purpose(kept: OperationMention, other: OperationMention) -> OperationMention:
    """kept, with other's purpose when other states a better one."""
    if other.purpose_quality > kept.purpose_quality:
        return replace(kept, purpose=other.purpose, purpose_quality=other.purpose_quality)
    return kept


def one_per_operation(
    mentions: Sequence[OperationMention], sentences: Sequence[str]
) -> tuple[OperationMention, ...]:
    """One mention per operation (family and instance) and spelling in an item.

    The first mention of an operation (the headline's when it names it) carries the best purpose any of
    its mentions states. Another spelling of it (Kobalt-2021 beside Cobalt-2021) stays a mention of its
    own: the store shows the item once under the operation and keeps the spelling as an alias ("Also
    written"). A family named bare ("the Echelon special exercise") in an item that names one instance
    of it ("Echelon 2025") is that instance. An operation still without a purpose takes the goal a later
    sentence states for "the operation" when the item names no other of that kind."""
    if len(mentions) <= 1:
        return tuple(_with_later_goal(m, sentences) for m in mentions)
    operations = [_operation_of(mention) for mention in mentions]
    instances: dict[str, set[str]] = {}
    for family, instance in operations:
        instances.setdefault(family, set()).add(instance)
    first_at: dict[tuple[str, str], int] = {}  # operation -> index of its first mention in out
    spelled_at: dict[tuple[str, str, str], int] = {}  # (operation, folded spelling) -> index in out
    out: list[OperationMention] = []
    bare: list[tuple[tuple[str, str], OperationMention]] = []  # a bare family: the item's one instance
    for mention, operation in zip(mentions, operations, strict=True):
        named = instances[operation[0]] - {""}
        if not operation[1] and len(named) == 1:
            bare.append(((operation[0], next(iter(named))), mention))
            continue
        spelling = (*operation, operation_key(mention.name))
        at = first_at.get(operation)
        if at is not None:
            out[at] = _better_purpose(out[at], mention)
        same = spelled_at.get(spelling)
        if same is not None:
            if out[same].name.isupper() and not mention.name.isupper():  # "Proxy" reads better than "PROXY"
                out[same] = replace(
                    out[same], name=mention.name, family=mention.family, instance=mention.instance
                )
            continue
        spelled_at[spelling] = len(out)
        if at is None:
            first_at[operation] = len(out)
        out.append(mention)
    for operation, mention in bare:
        at = first_at[operation]
        out[at] = _better_purpose(out[at], mention)
    kinds: dict[str, int] = {}  # operations per kind (a plain dict: cheaper to make than a Counter)
    for at in first_at.values():
        kinds[out[at].kind] = kinds.get(out[at].kind, 0) + 1
    for at in first_at.values():
        if kinds[out[at].kind] == 1:
            out[at] = _with_later_goal(out[at], sentences)
    return tuple(out)


def _with_later_goal(mention: OperationMention, sentences: Sequence[str]) -> OperationMention:
    """The mention, with the goal a later sentence states for "the operation" when it states none."""
    if mention.purpose_quality == 2:
        return mention
    goal = goal_in_item(sentences, mention.sentence, mention.kind)
    return mention if goal is None else replace(mention, purpose=goal, purpose_quality=2)
