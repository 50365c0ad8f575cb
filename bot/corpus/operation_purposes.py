"""The purpose a text states for a named operation: the clause right after its name ("to combat ..."),
a clause before it ("In order to ..., the operation ..."; "operation aimed at ... (Operation PROXY)",
«операции по противодействию ... «Нелегал-2018»»), a passive verb or a linker later in its clause, a goal
sentence that follows or says it back ("Their goal is ...", «Ее целью являлось ...»), or a purpose clause
a translation cut off with a full stop before the sentence that names it. A clause that runs on past a
finite verb ends there.

Apart from finding the names (operations.py) because these rules are the largest part and change on
their own: each reads a bounded window around one name, so a sentence costs linear time."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .operation_names import (
    EXERCISE,
    OPERATION,
    OPERATION_WORD,
    has_quote,
    may_hold_any,
    may_name_exercises,
    may_name_operations,
)
from .sentences import RULE_SENTENCE_MAX_CHARS

_ARTICLES = r"(?:the|a|an|its|their|this|these|our|his|her|that|be|have|date|which|whom)"
# The longest purpose read after a name (real ones are a clause), and the furthest back before a name a
# purpose clause is looked for: each quoted name costs at most this much reading, whatever the sentence.
PURPOSE_MAX_CHARS = 1_000
_PURPOSE_BEFORE_WINDOW = 1_200
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


def first_hint(sentence: str) -> int:
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


# "... was conducted to counter ...": a passive verb before the purpose the after-name rule reads.
_PASSIVE = re.compile(
    r"\s*+,?\s*+(?:was|were|is|are|will\s++be|has\s++been|have\s++been|had\s++been)\s++(?:being\s++)?"
    r"(?=(?:carried\s++out|conducted|held|launched|implemented|organi[sz]ed)\s)",
    re.IGNORECASE,
)
# What may stand between a name and the purpose the after-name rule reads: the name's other spelling in
# brackets (“Combat Brotherhood” ("Boevoe Bratstvo") is intended to ...), "is/are" before "intended to",
# and the agent of the verb ("conducted by the drug control services of the member states to fight ...").
# Always matches (maybe nothing); each part is bounded, so it reads at most a few hundred characters.
_LEAD_IN = re.compile(
    r"[\u201d\"\u00bb]?(?:\s*+\([^()\n]{1,80}\))?\s*+"
    # its kind word and "aims to" / "is aimed at": "The “Interaction-2025” exercise aims to ..."
    r"(?:(?:(?:exercises?|drills|training|operations?)\s++)?(?:also\s++)?aims?\s++(?=to\s)"
    r"|(?:exercises?|drills|training|operations?)\s++(?:is|are|was|were)\s++(?=aimed\s++at\s)"
    r"|(?:is|was|are|were|will\s++be)\s++(?=(?:aimed|intended|designed)\s)"
    r"|(?:carried\s++out|conducted|held|launched|implemented|organi[sz]ed)\s++by\s++"
    r"[^,;:.!?()\n]{1,120}?(?:\([^()\n]{1,20}\)[^,;:.!?()\n]{0,60}?)?(?=\s++to\s))?",
    re.IGNORECASE,
)
# «по борьбе/противодействию/пресечению/перекрытию/выявлению/предупреждению ...»: the nouns that make
# «по ...» a purpose.
_RU_PURPOSE_NOUNS = (
    r"(?:\u0431\u043e\u0440\u044c\u0431\u0435|\u043f\u0440\u043e\u0442\u0438\u0432\u043e\u0434\u0435\u0439\u0441\u0442\u0432\u0438\u044e"
    r"|\u043f\u0440\u0435\u0441\u0435\u0447\u0435\u043d\u0438\u044e|\u043f\u0435\u0440\u0435\u043a\u0440\u044b\u0442\u0438\u044e"
    r"|\u0432\u044b\u044f\u0432\u043b\u0435\u043d\u0438\u044e|\u043f\u0440\u0435\u0434\u0443\u043f\u0440\u0435\u0436\u0434\u0435\u043d\u0438\u044e)"
)
# Words that open a purpose clause wherever it stands; the purpose itself starts at the group that
# matched. Groups 1-4 open a purpose anywhere; 5-6 ("aimed at", «по противодействию ...») also end the
# names of councils and plans, and 7 says what the named exercise practises («нацелено на отработку»,
# «предусматривает отработку», «будут отрабатываться», "will practise", "provides for", "will focus on",
# "will concentrate on", "focusing on"),
# so they are read only after a name, never in a clause before it.
_LINKER = re.compile(
    r"\b(?:in\s++order\s++|so\s++as\s++)(to\s++[^\W\d_])"
    r"|\bwith\s++a\s++view\s++to\s++([^\W\d_])"
    r"|\bwith\s++the\s++(?:aim|purpose|goal)\s++(?:of|to)\s++([^\W\d_])"
    r"|(?<!\w)((?:\u0441\s++\u0446\u0435\u043b\u044c\u044e|\u0432\s++\u0446\u0435\u043b\u044f\u0445)\s)"
    r"|\b(aimed\s++at\s++[^\W\d_])"
    r"|(?<!\w)((?:\u043d\u0430\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d[\u0430-\u044f]*+\s++\u043d\u0430"
    rf"|\u043f\u043e\s++{_RU_PURPOSE_NOUNS})\s)"
    r"|(?<!\w)((?:\u043d\u0430\u0446\u0435\u043b\u0435\u043d"
    r"[\u0430\u043e\u044b]?\s++\u043d\u0430|\u043f\u0440\u0438\u0437\u0432\u0430\u043d[\u0430\u043e\u044b]?"
    r"|\u043f\u0440\u0435\u0434\u0443\u0441\u043c\u0430\u0442\u0440\u0438\u0432\u0430[\u0430-\u044f]*+\s++"
    r"\u043e\u0442\u0440\u0430\u0431\u043e\u0442\u043a\u0443"
    r"|(?:\u0431\u0443\u0434\u0443\u0442|\u0431\u0443\u0434\u0435\u0442)\s++\u043e\u0442\u0440\u0430\u0431\u0430"
    r"\u0442\u044b\u0432\u0430[\u0430-\u044f]*+"
    r"|(?:will\s++|to\s++)practi[cs]e|will\s++(?:aim\s++to|focus\s++on|concentrate\s++on)|focus(?:es|ing)\s++on"
    r"|provides\s++for|envisages)\s)",
    re.IGNORECASE,
)
_LINKER_GROUPS = 7
# A word each linker above holds, lower-cased ("in order to", "so as to", "with a view to", "with the
# aim/purpose/goal", «с целью», «в целях», "aimed at", «направленные на», «по борьбе/противодействию/
# пресечению/перекрытию/выявлению/предупреждению», «нацелено на», «призвана», «предусматривает
# отработку», «будут отрабатываться», "will/to practise", "will aim to", "will focus on", "provides for",
# "envisages"): _linked's cheap test.
_LINKER_WORDS = (
    "order", "so", "view", "aim", "purpose", "goal", "practi", "focus", "concentrate", "provides", "envisages",
    "\u0446\u0435\u043b", "\u043d\u0430\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d",
    "\u0431\u043e\u0440\u044c\u0431\u0435", "\u043f\u0440\u043e\u0442\u0438\u0432\u043e\u0434\u0435\u0439\u0441\u0442\u0432",
    "\u043f\u0440\u0435\u0441\u0435\u0447\u0435\u043d\u0438", "\u043f\u0440\u0438\u0437\u0432\u0430\u043d",
    "\u043f\u0435\u0440\u0435\u043a\u0440\u044b\u0442\u0438", "\u0432\u044b\u044f\u0432\u043b\u0435\u043d\u0438",
    "\u043f\u0440\u0435\u0434\u0443\u043f\u0440\u0435\u0436\u0434\u0435\u043d\u0438",
    "\u043f\u0440\u0435\u0434\u0443\u0441\u043c\u0430\u0442\u0440\u0438\u0432\u0430",
    "\u043e\u0442\u0440\u0430\u0431\u0430\u0442\u044b\u0432\u0430",
)  # fmt: skip
_LINKER_BEFORE_GROUPS = 4  # groups 1..4 may open a purpose clause before a name
_LINKER_WINDOW = 400  # how far after a name (or before it) a purpose clause may open
_CLAUSE_MAX = 300
_CLAUSE_END = re.compile(r"[,;:(\u2014]|\s\u2013\s|$")
# Between the word and the name: "special operations to combat illegal migration “Nelegal - 2017”",
# «операции по противодействию незаконной миграции «Нелегал-2018»». Right after the word any of "to",
# "on", "for", "against" opens the purpose; past a few words that qualify the operation ("of the CSTO",
# «постоянного действия ОДКБ») only a clause that can be nothing but a purpose does ("to combat ...",
# "aimed at ...", "on countering ...", «по противодействию ...», «направленной на ...»).
_PURPOSE_VERBS = (
    r"(?:combat|counter|counteract|fight|prevent|suppress|curb|block|stop|cut|detect|identify|eliminate"
    r"|disrupt|ensure|protect|neutrali[sz]e|intercept|reduce|tackle|destroy|close)\b"
)
_QUOTE_CHARS = '\u201c\u00ab"\u201e'
_BETWEEN = re.compile(
    r"\s++(?:((?:to|on|for|against)\s++[^\W\d_][^" + _QUOTE_CHARS + r"]{0,200}?)"
    r"|(?:[^\W\d_][\w\u2019'-]*+\s++){0,10}?("
    rf"(?:to\s++{_PURPOSE_VERBS}|aimed\s++at\s|(?:on|for)\s++[a-z]+ing\s|against\s"
    rf"|\u043f\u043e\s++{_RU_PURPOSE_NOUNS}\s"
    r"|\u043d\u0430\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d[\u0430-\u044f]*+\s++\u043d\u0430\s)"
    r"[^" + _QUOTE_CHARS + r"]{0,200}?))"
    r"(?:\s++(?:under\s++the\s++(?:provisional\s++|code\s++)?name|code-?named|called|named|dubbed"
    r"|\u043f\u043e\u0434\s++(?:\u0443\u0441\u043b\u043e\u0432\u043d\u044b\u043c\s++)?"
    r"(?:\u043d\u0430\u0438\u043c\u0435\u043d\u043e\u0432\u0430\u043d\u0438\u0435\u043c|\u043d\u0430\u0437\u0432\u0430\u043d\u0438\u0435\u043c)))?\s*+$",
    re.IGNORECASE,
)
# A name in a bracket after its kind word, "(Operation PROXY)", «(операция "ПРОКСИ")»: the purpose is
# read between the kind word before the bracket and the bracket.
_KIND_IN_BRACKET = re.compile(
    r"\(\s*+(?:operations?|(?:\u0441\u043f\u0435\u0446)?\u043e\u043f\u0435\u0440\u0430\u0446\u0438[\u0430-\u044f]*+)"
    r"\s*+[\u201c\u00ab\"\u201e]?$",
    re.IGNORECASE,
)
_KIND_IN_BRACKET_WINDOW = 24
# A finite verb ends a purpose clause that ran on into the rest of the sentence ("operation on countering
# illegal migration agreed on a plan for ..."; «по противодействию незаконной миграции были проведены ...»),
# unless it opens a relative clause ("drugs that are smuggled").
_FINITE = re.compile(
    r"(?<!\bthat)(?<!\bwhich)(?<!\bwho)(?<!\u043a\u043e\u0442\u043e\u0440\u044b\u0435)(?<!\u043a\u043e\u0442\u043e\u0440\u044b\u0439)"
    r"(?<!\u043a\u043e\u0442\u043e\u0440\u0430\u044f)(?<!\u043a\u043e\u0442\u043e\u0440\u043e\u0435)"
    r"\s++(?:has|have|had|was|were|is|are|will|agreed|approved|adopted|discussed|considered|reviewed|decided"
    r"|summed|met|began|started|ended|completed"
    r"|\u0431\u044b\u043b[\u0430\u043e\u0438]?|\u0431\u0443\u0434(?:\u0435\u0442|\u0443\u0442)|\u044f\u0432\u043b\u044f[\u0430-\u044f]*+"
    r"|\u0441\u0442\u0430\u043b[\u0430\u043e\u0438]?|\u043f\u0440\u043e\u0432\u0435\u043b[\u0430\u043e\u0438]?"
    r"|\u043f\u043e\u0434\u0432\u0435\u043b[\u0430\u043e\u0438]?|\u0443\u0442\u0432\u0435\u0440\u0434\u0438\u043b[\u0430\u043e\u0438]?"
    r"|\u0441\u043e\u0433\u043b\u0430\u0441\u043e\u0432\u0430\u043b[\u0430\u043e\u0438]?|\u043e\u0431\u0441\u0443\u0434\u0438\u043b[\u0430\u043e\u0438]?"
    r"|\u0440\u0430\u0441\u0441\u043c\u043e\u0442\u0440\u0435\u043b[\u0430\u043e\u0438]?)(?!\w)",
    re.IGNORECASE,
)
_BETWEEN_WINDOW = 240
# «... – ...», «... является/являлось/было/стала ...»: what joins a goal to what it is.
_GOAL_RU_VERB = (
    r"(?:[\u2013\u2014-]|\u044f\u0432\u043b\u044f[\u0430-\u044f]*+|\u0431\u044b\u043b[\u0430\u043e\u0438]?"
    r"|\u0441\u0442\u0430\u043b[\u0430\u043e\u0438]?)"
)
# Goal sentences in Russian: «Ее цель – ...», «Цель операции – ...», «Целью операции является ...».
_GOAL_RU = re.compile(
    r"^(?:(?:\u0435\u0435|\u0435\u0451|\u0435\u0433\u043e|\u0438\u0445)\s++)?(?:[\u0430-\u044f]+\s++)?"
    r"\u0446\u0435\u043b(?:\u044c|\u044c\u044e|\u0438)(?:\s++(?:\u043e\u043f\u0435\u0440\u0430\u0446\u0438\u0438"
    r"|\u0443\u0447\u0435\u043d\u0438\u0439|\u043c\u0435\u0440\u043e\u043f\u0440\u0438\u044f\u0442\u0438\u0439))?"
    rf"\s*+{_GOAL_RU_VERB}\s*+(.+)$",
    re.IGNORECASE | re.DOTALL,
)
# "The purpose of the set of measures was to ...": a goal sentence about "the measures" of the operation.
_GOAL_MEASURES = re.compile(
    r"^the\s+(?:main\s+)?(?:goal|aim|purpose|objective|intention)\s+of\s+(?:the\s+)?(?:set\s+of\s+measures|"
    r"measures|operation|exercise)\s+(?:is|was)\s+(.+)$",
    re.IGNORECASE | re.DOTALL,
)


def _clause(sentence: str, start: int) -> str | None:
    """The purpose clause opening at start: up to the first comma, colon, bracket or dash, or a finite
    verb past its opening word, bounded."""
    end = _CLAUSE_END.search(sentence, start, min(len(sentence), start + _CLAUSE_MAX))
    stop = end.start() if end is not None and end.group() else min(len(sentence), start + _CLAUSE_MAX)
    return _until_finite_verb(sentence[start:stop])


def _linked(sentence: str, lo: int, hi: int, groups: int = _LINKER_GROUPS) -> str | None:
    """The first purpose clause a linker (of the first `groups` kinds) opens between lo and hi. Most
    windows hold none, and _LINKER (ignoring case, opening with word-start tests) is tried at every
    position: the window is first checked for the words the linkers hold."""
    if not may_hold_any(sentence[lo:hi], _LINKER_WORDS):
        return None
    for m in _LINKER.finditer(sentence, lo, hi):
        opened = next(i for i in range(1, _LINKER_GROUPS + 1) if m.group(i) is not None)
        if opened <= groups:
            return _clause(sentence, m.start(opened))
    return None


def _until_finite_verb(clause: str) -> str | None:
    """A purpose clause without the rest of the sentence it ran on into past a finite verb."""
    verb = _FINITE.search(clause)
    return _clean_purpose(clause[: verb.start()] if verb is not None else clause)


def _between(sentence: str, start: int, words: Sequence[tuple[int, int, str]]) -> str | None:
    """The purpose written between the name's kind word and the name (or the bracket that holds the
    name and its own kind word: "... operation aimed at countering cybercrime (Operation PROXY)")."""
    anchor = start
    bracket = _KIND_IN_BRACKET.search(sentence, max(0, start - _KIND_IN_BRACKET_WINDOW), start)
    if bracket is not None:
        anchor = bracket.start()
    word = next((w for w in reversed(words) if w[1] <= anchor), None)
    if word is None or anchor - word[1] > _BETWEEN_WINDOW:
        return None
    between = _BETWEEN.match(sentence[word[1] : anchor])
    if between is None:
        return None
    return _until_finite_verb(between.group(1) or between.group(2))


def purpose_of(
    sentence: str, start: int, end: int, hint: int, words: Sequence[tuple[int, int, str]], next_start: int
) -> str | None:
    """What the sentence states as this name's purpose: right after it, in a clause before it, after a
    passive verb, between its kind word and it, or opened by a linker later in its clause."""
    purpose = _purpose_here(sentence, start, end, hint)
    if purpose is not None:
        return purpose
    lead = _LEAD_IN.match(sentence, end)
    if (
        lead is not None
        and lead.end() > end
        and (m := _PURPOSE_AFTER.match(sentence, lead.end())) is not None
    ):
        return _clean_purpose(m.group(1))
    passive = _PASSIVE.match(sentence, end)
    if passive is not None and (m := _PURPOSE_AFTER.match(sentence, passive.end())) is not None:
        return _clean_purpose(m.group(1))
    between = _between(sentence, start, words)
    if between is not None:
        return between
    later = _linked(sentence, end, min(next_start, end + _LINKER_WINDOW))
    if later is not None:
        return later
    before = _linked(sentence, max(0, start - _LINKER_WINDOW), start, _LINKER_BEFORE_GROUPS)
    if before is not None and sentence.find(before) + len(before) < start:  # "In order to X, ... operation Y"
        return before
    return None


# A sentence of adverbials only, cut off by a full stop from the sentence it opens (machine translation
# of one long sentence): "In accordance with the Plan ..., in the period from ..., with the aim of X."
# followed by "The subregional operation “Y” was carried out ...". Each part before the purpose clause
# opens with a preposition, and the purpose clause opens a part of its own.
_FRONTED_LINKER = (
    r"(?:in\s++order\s++to\s|so\s++as\s++to\s"
    r"|with\s++a\s++view\s++to\s|with\s++the\s++(?:aim|purpose|goal)\s)"
)
_PREAMBLE = re.compile(
    rf"(?:(?!{_FRONTED_LINKER})(?:in|on|from|during|within|with|according|pursuant|under|at|for|by|between"
    rf"|throughout)\b[^,]*+,\s*+)*+(?={_FRONTED_LINKER})",
    re.IGNORECASE,
)
# The name at the opening of its sentence, after its kind word: "The subregional anti-drug operation “Y”".
_NAME_OPENS = re.compile(
    r"(?:the\s++)?(?:[\w-]++\s++){0,4}?operations?\s*+[\u201c\u00ab\"\u201e]?", re.IGNORECASE
)


def fronted_purpose(previous: str, sentence: str, start: int, end: int) -> str | None:
    """The purpose a preamble sentence states for the operation the next sentence opens with, in the
    passive ("... was carried out"): the sentence the translation cut in two, whose fronted purpose
    clause is the operation's, as "With the aim of X, the operation Y was carried out" in one sentence
    (where the clause before the name wins over a later one). The preamble names no operation and has
    no finite verb: it is no sentence of its own."""
    if (
        len(previous) > RULE_SENTENCE_MAX_CHARS
        or _NAME_OPENS.fullmatch(sentence, 0, start) is None
        or _PASSIVE.match(sentence, end) is None
        or may_name_operations(previous)
        or (preamble := _PREAMBLE.match(previous)) is None
        or _FINITE.search(previous) is not None
    ):
        return None
    return _linked(previous, preamble.end(), len(previous), _LINKER_BEFORE_GROUPS)


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
    if OPERATION_WORD.search(sentence) is None or has_quote(sentence):
        return None
    return _linked(sentence, 0, len(sentence))


# "The main aim of the operation was to ...", «основной целью операции было ...» anywhere in a sentence:
# a goal said of "the operation" (or "the exercise"), which is named by its kind, not by its own name.
_GOAL_OF_KIND = {
    OPERATION: re.compile(
        r"\b(?:goal|aim|purpose|objective)\s++of\s++the\s++(?:special\s++)?operation\s++(?:is|was)\s++"
        r"|(?<!\w)\u0446\u0435\u043b(?:\u044c\u044e|\u044c)\s++(?:\u0441\u043f\u0435\u0446)?\u043e\u043f\u0435"
        r"\u0440\u0430\u0446\u0438\u0438\s*+(?:\u044f\u0432\u043b\u044f\u0435\u0442\u0441\u044f|\u0431\u044b\u043b[\u0430\u043e]"
        r"|\u0441\u0442\u0430\u043b[\u0430\u043e]|[\u2013\u2014-])\s*+"
        # what "the operation" was meant to do: "the operation was designed to ...", «этап спецоперации
        # проводился ... и был призван выявить ...» (the purpose opens at "to", "aimed at", the infinitive)
        r"|\boperation\s++(?:was|is)\s++(?:(?:designed|intended|meant)\s++(?=to\s)|(?=aimed\s++at\s))"
        r"|(?<!\w)(?:\u0441\u043f\u0435\u0446)?\u043e\u043f\u0435\u0440\u0430\u0446\u0438[\u0430-\u044f]*+"
        r"(?:\s++[^\W\d_]++){0,6}?\s++(?:\u0431\u044b\u043b[\u0430\u043e\u0438]?\s++)?"
        r"\u043f\u0440\u0438\u0437\u0432\u0430\u043d[\u0430\u043e\u044b]?\s++",
        re.IGNORECASE,
    ),
    EXERCISE: re.compile(
        # "The main goal of the (“Name”) training is to ...", "The exercise also aims to ...", "the drills
        # are aimed at ..."
        # "The primary objectives of this exercise, under ...'s chairmanship, include ..."
        r"\b(?:goal|aim|purpose|objective)s?\s++of\s++(?:the|this)\s++"
        r"(?:[\"\u201c\u00ab][^\"\u201d\u00bb]{1,60}[\"\u201d\u00bb]\s++)?"
        r"(?:exercises?|drills|training)(?:,[^,]{1,80},)?\s++(?:is|was|are|were|includes?)\s++"
        r"|\bthe\s++(?:exercises?|drills|training)\s++(?:also\s++)?"
        r"(?:aims?\s++(?=to\s)|(?:is|are|was|were)\s++(?=aimed\s++at\s))"
        r"|(?<!\w)\u0446\u0435\u043b(?:\u044c\u044e|\u044c)\s++(?:\u0443\u0447\u0435\u043d\u0438[\u0439\u044f]"
        r"|\u0442\u0440\u0435\u043d\u0438\u0440\u043e\u0432\u043a\u0438)\s*+(?:\u044f\u0432\u043b\u044f\u0435\u0442"
        r"\u0441\u044f|\u0431\u044b\u043b[\u0430\u043e]|\u0441\u0442\u0430\u043b[\u0430\u043e]|[\u2013\u2014-])\s*+"
        # what it will practise: "participants in the exercise will practise ...", «в ходе учения будут
        # отработаны ...» (the purpose opens at the verb)
        r"|\bthe\s++(?:exercise|drills|training)\s++will\s++(?=practi[cs]e\s)"
        # "The exercise focuses on ...", "the drills will concentrate on ..."
        r"|\bthe\s++(?:exercise|drills|training)\s++(?:also\s++)?(?:will\s++)?(?=(?:focus(?:es)?|concentrates?)\s++on\s)"
        r"|(?<!\w)\u0432\s++\u0445\u043e\u0434\u0435\s++\u0443\u0447\u0435\u043d\u0438[\u0439\u044f]\s++"
        r"(?=(?:\u0431\u0443\u0434\u0443\u0442|\u0431\u0443\u0434\u0435\u0442)\s++\u043e\u0442\u0440\u0430\u0431)",
        re.IGNORECASE,
    ),
}
_GOAL_SENTENCES_AFTER = 4  # how many sentences after its name a goal of "the operation" may come
_SENTENCE_MIN_SPACES = 3  # fewer words make a page's debris line, not a sentence between the two
# A goal sentence that points back with a pronoun: "Its aim was ...", «Ее целью являлось ...»; said of
# "the operation" when the sentence before it speaks of one.
_GOAL_BACK = re.compile(
    r"(?:its|their)\s++(?:main\s++|primary\s++)?(?:goal|aim|purpose|objective|task|mission)s?\s++"
    r"(?:is|are|was|were)\s++"
    r"|(?:\u0435\u0435|\u0435\u0451|\u0435\u0433\u043e|\u0438\u0445)\s++(?:[\u0430-\u044f]+\s++)?"
    rf"\u0446\u0435\u043b(?:\u044c|\u044c\u044e)\s*+{_GOAL_RU_VERB}\s*+",
    re.IGNORECASE,
)


def goal_in_item(sentences: Sequence[str], named_in: str, kind: str) -> str | None:
    """The goal a later sentence of the item states for "the operation" (or "the exercise") named in
    the sentence named_in, within a few sentences; the caller makes sure the item names only one."""
    rule = _GOAL_OF_KIND.get(kind)
    if rule is None or named_in not in sentences:
        return None
    at = sentences.index(named_in)
    names_kind = may_name_operations if kind == OPERATION else may_name_exercises
    counted = 0  # sentences read so far; a line of a few words ("Rate this item", "(0 votes)") is none
    for j in range(at + 1, len(sentences)):
        sentence = sentences[j]
        if sentence.count(" ") >= _SENTENCE_MIN_SPACES:
            counted += 1
            if counted > _GOAL_SENTENCES_AFTER:
                break
        if len(sentence) > RULE_SENTENCE_MAX_CHARS:
            continue
        if names_kind(sentence):  # the cheap test first
            m = rule.search(sentence)
        else:  # "Its aim was ..." after a sentence about the operation
            m = _GOAL_BACK.match(sentence) if names_kind(sentences[j - 1]) else None
        if m is not None:
            return _clause(sentence, m.end())
    return None
