"""Reading one operation or exercise name: its kind, its family and its instance.

A name is read as a family and an instance: "Channel-2019" is Channel, 2019; "Channel - Far Eastern Raid"
is a phase of Channel; «Канал-Аракс» is Channel, Аракс. The curated lexicon lists the known families with
their spellings in both scripts and says which are exercises (`Families`). Kept apart from finding names in
sentences (operations.py) and from purpose clauses (operation_purposes.py) because the store and the
vocabulary need only this part: kinds, family spellings, years and phases of an instance."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from .caches import CharBudget

# \b(?:operations?|операци\w*)\b ignoring case, spelled out: each class holds exactly the characters that
# match its letter ignoring case (so "ı" for "i", "ſ" for "s"), and the word-boundary test sits in a
# lookbehind after the first letter. Opening with a plain class lets the regex engine jump between
# candidate letters, where the ignore-case form attempts a match at every position.
OPERATION_WORD = re.compile(
    "(?:[Oo](?<!\\w.)[Pp][Ee][Rr][Aa][Tt][Ii\u0130\u0131][Oo][Nn][Ss\u017f]?"
    "|[\u041e\u043e\u1c82](?<![^\\W\u0446].)[\u041f\u043f][\u0415\u0435][\u0420\u0440][\u0410\u0430][\u0426\u0446]"
    "[\u0418\u0438]\\w*)\\b"
)


def may_name_operations(text: str) -> bool:
    """Cheap test before the regexes: no text names an operation without "perati" or "пераци" (in
    lower or upper case)."""
    # Spelled out: four `in` tests are cheaper than any() over a generator.
    return "perati" in text or "PERATI" in text or "пераци" in text or "ПЕРАЦИ" in text


# ----------------------------------------------------------------------------------------- kinds, families

OPERATION = "operation"
EXERCISE = "exercise"
# Words that make a quoted name an exercise: "exercise(s)", "training(s)", "drills", "manoeuvres",
# «учения», «тренировка»; each opens with a plain class so the engine can jump between candidates.
EXERCISE_WORD = re.compile(
    r"(?:[Ee](?<!\w.)xercises?|[Tt](?<!\w.)rainings?|[Dd](?<!\w.)rills|[Mm](?<!\w.)an(?:oeuvres|euvers)"
    r"|[\u0423\u0443](?<!\w.)\u0447\u0435\u043d\u0438[\u0430-\u044f]*|[\u0422\u0442](?<!\w.)\u0440\u0435\u043d\u0438\u0440\u043e\u0432\u043a[\u0430-\u044f]*)\b"
)
EXERCISE_HINTS = ("xercis", "raining", "rills", "anoeuvre", "aneuver", "учени", "Учени", "ренировк")
QUOTE_HINTS = ("\u201c", "\u00ab", '"', "\u201e")
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_NAME_TOKEN = re.compile(r"[^\s\-\u2010-\u2015\u2212]+")
NAME_SEPARATORS = f" {_DASH_CHARS}\u201c\u201d\u00ab\u00bb\"'\u2019.,;:"
# A phase parted from its family by a dash with a space on a side, or by any en or em dash.
_PHASE_SPLIT = re.compile(r"\s*+[\u2013\u2014]\s*+|\s++-\s*+|(?<=\S)-\s++")
_TRAILING_YEAR = re.compile(r"[\s\-\u2013\u2014]++((?:19|20)\d\d)$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TRAILING_PUNCT = ".,;:!?\u2026 "
_MAX_WORDS = 3
_MAX_PHASE_WORDS = 4  # "Channel - Far Eastern Raid": the dash and up to three words of a phase


def clean_name(raw: str) -> str | None:
    """An operation name from quoted text: trailing punctuation off, 1-3 capitalised words, optionally a
    phase after a dash ("Channel - Far Eastern Raid", "Channel-Red dune", "Nelegal - 2017"), else None."""
    name = raw.strip().rstrip(_TRAILING_PUNCT).strip()
    words = name.split()
    if not words or not words[0][0].isalpha() or len(words) > _MAX_WORDS + _MAX_PHASE_WORDS:
        return None
    phased = False  # past a dash: a phase may go on in lower case ("Red dune", «Красный бархан»)
    family_words = 0
    for word in words:
        if word.strip(_DASH_CHARS) == "":
            phased = True
            continue
        if not (word[0].isupper() or word[0].isdigit() or phased):
            return None
        family_words += not phased
        phased = phased or any(d in word for d in _DASH_CHARS)
    if family_words > _MAX_WORDS:
        return None
    return name


def may_name_exercises(text: str) -> bool:
    """Cheap test before the rules: no text names an exercise without one of EXERCISE_HINTS."""
    return has_exercise_hint(text)


def may_name_operations_or_exercises(text: str) -> bool:
    """Cheap test before the rules: a kind word, or a quote (a known family may stand alone in quotes)."""
    return may_name_operations(text) or has_exercise_hint(text) or has_quote(text)


# The hint tests below are EXERCISE_HINTS and QUOTE_HINTS spelled out: they run on every sentence of a
# block that may name an operation, and plain `in` tests cost half of any() over a generator
# (tests/test_corpus_speed_guards.py checks they agree with the tuples).


def has_exercise_hint(text: str) -> bool:
    """Does the text hold one of EXERCISE_HINTS?"""
    return (
        "xercis" in text
        or "raining" in text
        or "rills" in text
        or "anoeuvre" in text
        or "aneuver" in text
        or "\u0443\u0447\u0435\u043d\u0438" in text
        or "\u0423\u0447\u0435\u043d\u0438" in text
        or "\u0440\u0435\u043d\u0438\u0440\u043e\u0432\u043a" in text
    )


def has_quote(text: str) -> bool:
    """Does the text hold one of QUOTE_HINTS?"""
    return "\u201c" in text or "\u00ab" in text or '"' in text or "\u201e" in text


# Characters that match a Latin or Cyrillic letter ignoring case yet do not lower-case to it (dotted and
# dotless I, long s, the old forms of Cyrillic letters): a text holding one is left to the regex.
_UNLIKE_LOWER = re.compile("[\u0130\u0131\u017f\u1c80-\u1c88]")


def lowered_as_ignoring_case(text: str) -> str | None:
    """The text lower-cased, for a cheap test before a regex that ignores case: ignoring case is comparing
    lower-cased letters, except for _UNLIKE_LOWER (None when the text holds one: leave it to the regex)."""
    if not text.isascii() and _UNLIKE_LOWER.search(text) is not None:
        return None
    return text.lower()


def may_hold_any(text: str, words: Sequence[str]) -> bool:
    """Cheap test before a regex that ignores case and needs one of `words` (lower-case letters only):
    may the text hold one of them, in any case? A few substring tests say no for most texts, at C speed."""
    lowered = lowered_as_ignoring_case(text)
    return lowered is None or any([word in lowered for word in words])


def family_fold(text: str) -> str:
    """A family spelling as compared: casefolded, ё as е, dashes and spaces one space."""
    folded = text.casefold().replace("\u0451", "\u0435")
    for dash in _DASH_CHARS:
        if dash in folded:
            folded = folded.replace(dash, " ")
    return " ".join(folded.split())


@dataclass(frozen=True, slots=True)
class Family:
    canonical: str  # the English name the lexicon gives it ("Channel")
    kind: str  # OPERATION | EXERCISE


# Memo of what one sentence says of operations, per Families (template sentences recur from page to page).
SENTENCE_MEMO_CHARS = (1_000_000, 2_000)
# Memo of how a quoted text reads as a name, per Families (the same few names are quoted on many pages).
QUOTED_MEMO_CHARS = (50_000, 64)


def _sentence_memo() -> CharBudget[str, object]:
    return CharBudget(len, *SENTENCE_MEMO_CHARS)


def _quoted_memo() -> CharBudget[str, object]:
    return CharBudget(len, *QUOTED_MEMO_CHARS)


@dataclass(slots=True)
class Families:
    """The known operation and exercise families of a lexicon, by folded spelling (both scripts)."""

    by_spelling: dict[str, Family] = field(default_factory=dict)
    max_words: int = 0
    memo: CharBudget[str, object] = field(default_factory=_sentence_memo)
    quoted: CharBudget[str, object] = field(default_factory=_quoted_memo)  # see read_quoted
    # Every spelling as one regex, alone and followed by a year, for names written without quotes
    # (operations_unquoted.py compiles them on first use; False: the lexicon has no spelling to look for).
    unquoted: tuple[re.Pattern[str], re.Pattern[str]] | Literal[False] | None = None

    def lookup(self, words: Sequence[str]) -> tuple[Family, int] | None:
        """The family spelled by the longest run of leading words, and how many words it takes."""
        for n in range(min(self.max_words, len(words)), 0, -1):
            family = self.by_spelling.get(family_fold(" ".join(words[:n])))
            if family is not None:
                return family, n
        return None


def build_families(
    operations: Mapping[str, Sequence[str]], exercises: Mapping[str, Sequence[str]]
) -> Families:
    """Compile the lexicon's families; an operation's spelling wins over an exercise's on a clash."""
    table: dict[str, Family] = {}
    for kind, families in ((EXERCISE, exercises), (OPERATION, operations)):
        for canonical, spellings in families.items():
            family = Family(canonical, kind)
            for spelling in (canonical, *spellings):
                folded = family_fold(spelling)
                if folded:
                    table[folded] = family
    return Families(table, max((len(k.split()) for k in table), default=0))


NO_FAMILIES = Families()


class Named(NamedTuple):  # a tuple, not a frozen dataclass: made for every name read
    """A name as written, read as its family and instance; kind is the lexicon's (None: context decides)."""

    written: str
    family: str
    instance: str | None
    kind: str | None


def _instance(rest: str) -> str | None:
    instance = rest.strip(NAME_SEPARATORS)
    return instance or None


def read_name(written: str, families: Families = NO_FAMILIES) -> Named:
    """Family and instance of a name: a known family opening it, else a phase after a spaced dash, else a
    trailing year ("Rubezh-2025"); otherwise the whole name is the family."""
    tokens = list(_NAME_TOKEN.finditer(written))
    known = families.lookup([t.group() for t in tokens[: families.max_words]])
    if known is not None:
        family, n = known
        return Named(written, family.canonical, _instance(written[tokens[n - 1].end() :]), family.kind)
    split = _PHASE_SPLIT.search(written)
    if split is not None and split.start() > 0 and _instance(written[split.end() :]):
        head = written[: split.start()]
        year = _TRAILING_YEAR.search(head)
        return Named(written, head[: year.start()] if year else head, _instance(written[split.end() :]), None)
    year = _TRAILING_YEAR.search(written)
    if year is not None and year.start() > 0:
        return Named(written, written[: year.start()], year.group(1), None)
    return Named(written, written, None, None)


def read_quoted(raw: str, families: Families = NO_FAMILIES) -> tuple[str, Named] | None:
    """A quoted text as a name: (clean_name(raw), read_name of it), or None when it is no name.
    Remembered per Families: both are pure functions of the text."""
    memo = families.quoted
    hit = memo.get(raw, _NOT_READ)
    if hit is not _NOT_READ:
        return hit  # type: ignore[return-value]
    cleaned = clean_name(raw)
    read = (cleaned, read_name(cleaned, families)) if cleaned is not None else _read_known(raw, families)
    memo.put(raw, read)
    return read


def _read_known(raw: str, families: Families) -> tuple[str, Named] | None:
    """A quoted known family whose spelling has a word in lower case («Нерушимое братство»), alone or
    with a year: clean_name wants every word of an unknown name capitalised."""
    name = raw.strip().rstrip(_TRAILING_PUNCT).strip()
    if not name[:1].isupper():
        return None
    named = read_name(name, families)
    if named.kind is None or (named.instance is not None and _YEAR.fullmatch(named.instance) is None):
        return None
    return name, named


_NOT_READ = object()


def instance_years(instance: str | None) -> list[int]:
    """The years an instance names ("2019", "Red Dune, 2018")."""
    return [int(y) for y in _YEAR.findall(instance)] if instance else []


def instance_phase(instance: str | None) -> str | None:
    """An instance without its years: the phase's name ("Red Dune" of "Red Dune 2018"), or None."""
    if not instance:
        return None
    phase = _YEAR.sub(" ", instance).strip(NAME_SEPARATORS)
    return " ".join(phase.split()) or None
