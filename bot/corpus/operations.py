"""Named operations and exercises: a short capitalised name in quotes (or written after the word
"operation"), in a sentence about operations or exercises, with the purpose the text states for it.

A name is read as a family and an instance: "Channel-2019" is Channel, 2019; "Channel - Far Eastern Raid"
is a phase of Channel; «Канал-Аракс» is Channel, Аракс. The curated lexicon lists the known families with
their spellings in both scripts and says which are exercises; a name it does not know is still found in
the text, and its kind comes from the words around it ("exercise", "учения", "operation")."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .caches import CharBudget
from .keys import operation_key
from .model import OperationMention
from .sentences import RULE_SENTENCE_MAX_CHARS

# \b(?:operations?|операци\w*)\b ignoring case, spelled out: each class holds exactly the characters that
# match its letter ignoring case (so "ı" for "i", "ſ" for "s"), and the word-boundary test sits in a
# lookbehind after the first letter. Opening with a plain class lets the regex engine jump between
# candidate letters, where the ignore-case form attempts a match at every position.
_OPERATION_WORD = re.compile(
    "(?:[Oo](?<!\\w.)[Pp][Ee][Rr][Aa][Tt][Ii\u0130\u0131][Oo][Nn][Ss\u017f]?"
    "|[\u041e\u043e\u1c82](?<![^\\W\u0446].)[\u041f\u043f][\u0415\u0435][\u0420\u0440][\u0410\u0430][\u0426\u0446]"
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
_MAX_PHASE_WORDS = 4  # "Channel - Far Eastern Raid": the dash and up to three words of a phase
_DASHES_ONLY = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
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
    """An operation name from quoted text: trailing punctuation off, 1-3 capitalised words, optionally a
    phase after a dash ("Channel - Far Eastern Raid", "Channel-Red dune", "Nelegal - 2017"), else None."""
    name = raw.strip().rstrip(_TRAILING_PUNCT).strip()
    words = name.split()
    if not words or not words[0][0].isalpha() or len(words) > _MAX_WORDS + _MAX_PHASE_WORDS:
        return None
    phased = False  # past a dash: a phase may go on in lower case ("Red dune", «Красный бархан»)
    family_words = 0
    for word in words:
        if word.strip(_DASHES_ONLY) == "":
            phased = True
            continue
        if not (word[0].isupper() or word[0].isdigit() or phased):
            return None
        family_words += not phased
        phased = phased or any(d in word for d in _DASHES_ONLY)
    if family_words > _MAX_WORDS:
        return None
    return name


def _clean_purpose(text: str) -> str | None:
    purpose = text.strip().rstrip(_PURPOSE_TAIL).strip()
    for opening, closing in (("\u201c", "\u201d"), ("\u00ab", "\u00bb")):  # a quote the cut left open
        if purpose.count(opening) > purpose.count(closing):
            purpose += closing
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


# ----------------------------------------------------------------------------------------- kinds, families

OPERATION = "operation"
EXERCISE = "exercise"
# Words that make a quoted name an exercise: "exercise(s)", "training(s)", "drills", "manoeuvres",
# «учения», «тренировка»; each opens with a plain class so the engine can jump between candidates.
_EXERCISE_WORD = re.compile(
    r"(?:[Ee](?<!\w.)xercises?|[Tt](?<!\w.)rainings?|[Dd](?<!\w.)rills|[Mm](?<!\w.)an(?:oeuvres|euvers)"
    r"|[\u0423\u0443](?<!\w.)\u0447\u0435\u043d\u0438[\u0430-\u044f]*|[\u0422\u0442](?<!\w.)\u0440\u0435\u043d\u0438\u0440\u043e\u0432\u043a[\u0430-\u044f]*)\b"
)
EXERCISE_HINTS = ("xercis", "raining", "rills", "anoeuvre", "aneuver", "учени", "ренировк")
_QUOTE_HINTS = ("\u201c", "\u00ab", '"', "\u201e")
_DASH_CHARS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_NAME_TOKEN = re.compile(r"[^\s\-\u2010-\u2015\u2212]+")
_SEPARATORS = f" {_DASH_CHARS}\u201c\u201d\u00ab\u00bb\"'\u2019.,;:"
# A phase parted from its family by a dash with a space on a side, or by any en or em dash.
_PHASE_SPLIT = re.compile(r"\s*+[\u2013\u2014]\s*+|\s++-\s*+|(?<=\S)-\s++")
_TRAILING_YEAR = re.compile(r"[\s\-\u2013\u2014]++((?:19|20)\d\d)$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def may_name_operations_or_exercises(text: str) -> bool:
    """Cheap test before the rules: a kind word, or a quote (a known family may stand alone in quotes)."""
    return (
        may_name_operations(text)
        or any(hint in text for hint in EXERCISE_HINTS)
        or any(quote in text for quote in _QUOTE_HINTS)
    )


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
SENTENCE_MEMO_CHARS = (250_000, 2_000)


def _sentence_memo() -> CharBudget[str, object]:
    return CharBudget(len, *SENTENCE_MEMO_CHARS)


@dataclass(slots=True)
class Families:
    """The known operation and exercise families of a lexicon, by folded spelling (both scripts)."""

    by_spelling: dict[str, Family] = field(default_factory=dict)
    max_words: int = 0
    memo: CharBudget[str, object] = field(default_factory=_sentence_memo)

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


@dataclass(frozen=True, slots=True)
class Named:
    """A name as written, read as its family and instance; kind is the lexicon's (None: context decides)."""

    written: str
    family: str
    instance: str | None
    kind: str | None


def _instance(rest: str) -> str | None:
    instance = rest.strip(_SEPARATORS)
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


def instance_years(instance: str | None) -> list[int]:
    """The years an instance names ("2019", "Red Dune, 2018")."""
    return [int(y) for y in _YEAR.findall(instance)] if instance else []


# ----------------------------------------------------------------------------------------------- discovery

# A quoted name right after one of these is a route or a place ("along the “Northern Route”"), not an
# operation.
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:hotel|range|ground|polygon|base|camp|complex|sanatorium|cent(?:er|re))\s*+"
    r"|(?<!\w)(?:\u043f\u043e\u043b\u0438\u0433\u043e\u043d|\u0433\u043e\u0441\u0442\u0438\u043d\u0438\u0446"
    r"|\u0431\u0430\u0437|\u043b\u0430\u0433\u0435\u0440|\u0441\u0430\u043d\u0430\u0442\u043e\u0440\u0438)[\u0430-\u044f]*+\s*+"
    r"|\b(?:along|via|through|across|on|into|onto|from|near|at)\s++(?:the\s++)?"
    r"|(?<!\w)(?:\u043f\u043e|\u043d\u0430|\u0432\u0434\u043e\u043b\u044c|\u0447\u0435\u0440\u0435\u0437)\s++)$",
    re.IGNORECASE,
)
_PLACE_WINDOW = 24
# Family — “Phase”: a known family written before a dash and a quoted phase.
_FAMILY_DASH = re.compile(r"([^\W\d_]++)\s*+[\-\u2013\u2014]\s*+$")
_FAMILY_DASH_WINDOW = 40
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
_QUALIFIED = re.compile(
    r"(?<!\w)((?:anti|counter)-?[a-z]++|\u0430\u043d\u0442\u0438[\u0430-\u044f]++|\u043f\u0440\u043e\u0442\u0438\u0432\u043e[\u0430-\u044f]++)"
    r"\s++((?:special\s++)?operations?|(?:\u0441\u043f\u0435\u0446)?\u043e\u043f\u0435\u0440\u0430\u0446[\u0430-\u044f]++)",
    re.IGNORECASE,
)
_KIND_WINDOW = 160  # how far before a name the word that says its kind may stand


@dataclass(frozen=True, slots=True)
class Found:
    """One operation or exercise a sentence names, with the purpose it states for it (quality 2: its own)."""

    named: Named
    kind: str
    purpose: str | None
    quality: int


def _kind_words(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every word that says "operation" or "exercise", in order."""
    words = [(m.start(), m.end(), OPERATION) for m in _OPERATION_WORD.finditer(sentence)]
    if any(hint in sentence for hint in EXERCISE_HINTS):
        words += [(m.start(), m.end(), EXERCISE) for m in _EXERCISE_WORD.finditer(sentence)]
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


def _quoted_names(sentence: str, families: Families, any_kind_word: bool) -> list[tuple[Named, int, int]]:
    """(name, quote start, quote end) for every operation-like quoted name of the sentence."""
    out: list[tuple[Named, int, int]] = []
    for m in _QUOTED.finditer(sentence):
        if len(out) >= MAX_NAMES_PER_SENTENCE:
            break
        raw = next(g for g in m.groups() if g is not None)
        cleaned = clean_name(raw)
        if cleaned is None:
            continue
        start = m.start()
        lead = _FAMILY_DASH.search(sentence, max(0, start - _FAMILY_DASH_WINDOW), start)
        if lead is not None and families.lookup([lead.group(1)]) is not None:
            named = read_name(f"{lead.group(1)} \u2014 {cleaned}", families)
            start = lead.start()
        else:
            named = read_name(cleaned, families)
        place = _PLACE_BEFORE.search(sentence, max(0, start - _PLACE_WINDOW), start)
        if named.kind is None and (not any_kind_word or place):  # unknown: a kind word, no place before
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
            word = token.strip(_SEPARATORS)
            known = families.lookup([word]) if word[:1].isupper() else None
            if known is not None:
                at = sentence.rfind(word, 0, start)
                if not any(a <= at < b for a, b in taken):
                    out.append((read_name(word, families), at, at + len(word)))
                break
    return out


# ------------------------------------------------------------------------------------------------ purposes

# "... was conducted to counter ...": a passive verb before the purpose the after-name rule reads.
_PASSIVE = re.compile(
    r"\s*+,?\s*+(?:was|were|is|are|will\s++be|has\s++been|have\s++been|had\s++been)\s++(?:being\s++)?"
    r"(?=(?:carried\s++out|conducted|held|launched|implemented|organi[sz]ed)\s)",
    re.IGNORECASE,
)
# Words that open a purpose clause wherever it stands; the purpose itself starts at the group that
# matched. Groups 1-4 open a purpose anywhere; 5-6 ("aimed at", «по противодействию ...») also end the
# names of councils and plans, so they are read only after a name, never in a clause before it.
_LINKER = re.compile(
    r"\b(?:in\s++order\s++|so\s++as\s++)(to\s++[^\W\d_])"
    r"|\bwith\s++a\s++view\s++to\s++([^\W\d_])"
    r"|\bwith\s++the\s++(?:aim|purpose|goal)\s++(?:of|to)\s++([^\W\d_])"
    r"|(?<!\w)((?:\u0441\s++\u0446\u0435\u043b\u044c\u044e|\u0432\s++\u0446\u0435\u043b\u044f\u0445)\s)"
    r"|\b(aimed\s++at\s++[^\W\d_])"
    r"|(?<!\w)((?:\u043d\u0430\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d[\u0430-\u044f]*+\s++\u043d\u0430"
    r"|\u043f\u043e\s++(?:\u0431\u043e\u0440\u044c\u0431\u0435|\u043f\u0440\u043e\u0442\u0438\u0432\u043e"
    r"\u0434\u0435\u0439\u0441\u0442\u0432\u0438\u044e|\u043f\u0440\u0435\u0441\u0435\u0447\u0435\u043d\u0438\u044e))\s)",
    re.IGNORECASE,
)
_LINKER_BEFORE_GROUPS = 4  # groups 1..4 may open a purpose clause before a name
_LINKER_WINDOW = 400  # how far after a name (or before it) a purpose clause may open
_CLAUSE_MAX = 300
_CLAUSE_END = re.compile(r"[,;:(\u2014]|\s\u2013\s|$")
# Between the word and the name: "special operations to combat illegal migration “Nelegal - 2017”".
_BETWEEN = re.compile(
    r"\s++((?:to|on|for|against)\s++[^\W\d_][^\u201c\u00ab\"\u201e]{0,200}?)"
    r"(?:\s++(?:under\s++the\s++(?:provisional\s++|code\s++)?name|code-?named|called|named|dubbed))?\s*+$",
    re.IGNORECASE,
)
_BETWEEN_WINDOW = 240
# Goal sentences in Russian: «Ее цель – ...», «Цель операции – ...», «Целью операции является ...».
_GOAL_RU = re.compile(
    r"^(?:(?:\u0435\u0435|\u0435\u0451|\u0435\u0433\u043e|\u0438\u0445)\s++)?(?:[\u0430-\u044f]+\s++)?"
    r"\u0446\u0435\u043b(?:\u044c|\u044c\u044e|\u0438)(?:\s++(?:\u043e\u043f\u0435\u0440\u0430\u0446\u0438\u0438"
    r"|\u0443\u0447\u0435\u043d\u0438\u0439|\u043c\u0435\u0440\u043e\u043f\u0440\u0438\u044f\u0442\u0438\u0439))?"
    r"\s*+(?:[\u2013\u2014-]|\u044f\u0432\u043b\u044f\u0435\u0442\u0441\u044f|\u0431\u044b\u043b\u043e|\u0431\u044b\u043b\u0430)\s*+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
# "The purpose of the set of measures was to ...": a goal sentence about "the measures" of the operation.
_GOAL_MEASURES = re.compile(
    r"^the\s+(?:main\s+)?(?:goal|aim|purpose|objective|intention)\s+of\s+(?:the\s+)?(?:set\s+of\s+measures|"
    r"measures|operation|exercise)\s+(?:is|was)\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)


def _clause(sentence: str, start: int) -> str | None:
    """The purpose clause opening at start: up to the first comma, colon, bracket or dash, bounded."""
    end = _CLAUSE_END.search(sentence, start, min(len(sentence), start + _CLAUSE_MAX))
    stop = end.start() if end is not None and end.group() else min(len(sentence), start + _CLAUSE_MAX)
    return _clean_purpose(sentence[start:stop])


def _linked(sentence: str, lo: int, hi: int, groups: int = 6) -> str | None:
    """The first purpose clause a linker (of the first `groups` kinds) opens between lo and hi."""
    for m in _LINKER.finditer(sentence, lo, hi):
        opened = next(i for i in range(1, 7) if m.group(i) is not None)
        if opened <= groups:
            return _clause(sentence, m.start(opened))
    return None


def _purpose_of(
    sentence: str, start: int, end: int, hint: int, words: Sequence[tuple[int, int, str]], next_start: int
) -> str | None:
    """What the sentence states as this name's purpose: right after it, in a clause before it, after a
    passive verb, between its kind word and it, or opened by a linker later in its clause."""
    purpose = _purpose_here(sentence, start, end, hint)
    if purpose is not None:
        return purpose
    passive = _PASSIVE.match(sentence, end)
    if passive is not None and (m := _PURPOSE_AFTER.match(sentence, passive.end())) is not None:
        return _clean_purpose(m.group(1))
    word = next((w for w in reversed(words) if w[1] <= start), None)
    if word is not None and start - word[1] <= _BETWEEN_WINDOW:
        between = _BETWEEN.match(sentence[word[1] : start])
        if between is not None:
            return _clean_purpose(between.group(1))
    later = _linked(sentence, end, min(next_start, end + _LINKER_WINDOW))
    if later is not None:
        return later
    before = _linked(sentence, max(0, start - _LINKER_WINDOW), start, _LINKER_BEFORE_GROUPS)
    if before is not None and sentence.find(before) + len(before) < start:  # "In order to X, ... operation Y"
        return before
    return None


def goal_of_next(sentence: str) -> str | None:
    """The goal a sentence after a named operation states for it: a goal sentence ("Their goal is ...",
    «Ее цель – ...»), or a sentence about "the operation" with a purpose clause, naming none itself."""
    goal = goal_of(sentence)
    if goal is not None:
        return goal
    for rule in (_GOAL_RU, _GOAL_MEASURES):
        m = rule.match(sentence)
        if m is not None:
            return _clean_purpose(m.group(1))
    if _OPERATION_WORD.search(sentence) is None or any(q in sentence for q in _QUOTE_HINTS):
        return None
    return _linked(sentence, 0, len(sentence))


# --------------------------------------------------------------------------------------------- sentences


def read_sentence(sentence: str, families: Families = NO_FAMILIES) -> tuple[int, tuple[Found, ...]] | None:
    """What one sentence says of operations and exercises on its own: the number of distinct names, and
    each distinct name (first spelling) with its kind and the purpose stated for it. None when it names
    none."""
    words = _kind_words(sentence)
    quoted = (
        _quoted_names(sentence, families, bool(words)) if any(q in sentence for q in _QUOTE_HINTS) else []
    )
    names = quoted + _unquoted_names(sentence, families, words, [(s, e) for _, s, e in quoted])
    if not names:
        return None
    names.sort(key=lambda n: n[1])
    listed = len({operation_key(n.family) for n, _, _ in names})  # a goal shared by a list is quality 1
    hint = _first_hint(sentence)
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
        purpose = _purpose_of(sentence, start, end, hint, words, next_start)
        if purpose is not None:
            out.append(Found(named, kind, purpose, 2))
        elif qualified is not None and kind == OPERATION:  # "anti-drug operation": the kind of goal only
            out.append(Found(named, kind, qualified.group(0), 0))
        else:
            out.append(Found(named, kind, None, 0))
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
        if len(sentence) > RULE_SENTENCE_MAX_CHARS or not may_name_operations_or_exercises(sentence):
            continue
        named = _read_cached(sentence, families)
        if not named:
            continue
        listed, found = named
        shared: str | None = None
        if idx + 1 < len(sentences) and any(f.quality < 2 for f in found):
            following = sentences[idx + 1]
            shared = goal_of_next(following) if len(following) <= RULE_SENTENCE_MAX_CHARS else None
        for f in found:
            purpose, quality = f.purpose, f.quality
            if quality < 2 and shared is not None:
                purpose, quality = shared, 1 if listed > 1 else 2
            n = f.named
            out.append(OperationMention(n.written, purpose, quality, sentence, n.family, n.instance, f.kind))
    return tuple(out)


def instance_phase(instance: str | None) -> str | None:
    """An instance without its years: the phase's name ("Red Dune" of "Red Dune 2018"), or None."""
    if not instance:
        return None
    phase = _YEAR.sub(" ", instance).strip(_SEPARATORS)
    return " ".join(phase.split()) or None
