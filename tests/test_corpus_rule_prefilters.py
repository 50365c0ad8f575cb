"""The operation and people rules' cheaper forms give exactly what the forms they replace give.

A regex rewritten to open with one character class (so the engine skips ahead at C speed), and a cheap
test on lower-cased text before a regex that ignores case, are compared with the plain forms on awkward
random strings (odd case-insensitive characters included) and on the real seed pages.
"""

from __future__ import annotations

import random
import re
import sys

from corpus_fixtures import seed_text

from bot.corpus import operation_names, operation_purposes, operations, operations_unquoted
from bot.corpus.operation_names import Named

_EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
_LETTERS = "abcdefghijklmnopqrstuvwxyz\u0430\u0431\u0432\u0433\u0434\u0435\u0436\u0437\u0438\u0439\u043a\u043b\u043c\u043d\u043e\u043f\u0440\u0441\u0442\u0443\u0444\u0445\u0446\u0447\u0448\u0449\u044a\u044b\u044c\u044d\u044e\u044f\u0451"

# The forms the rules used before (kept here as the reference).
_QUOTED_PLAIN = re.compile(
    "\u201c([^\u201c\u201d\n]{1,60})\u201d"
    "|\u00ab([^\u00ab\u00bb\n]{1,60})\u00bb"
    '|(?<!\\w)"(?!\\s)([^"\n]{1,60})(?<!\\s)"'
    "|\u201e([^\u201e\u201c\u201d\n]{1,60})[\u201c\u201d]"
)
_QUALIFIED_PLAIN = re.compile(
    r"(?<!\w)((?:anti|counter)-?[a-z]++|\u0430\u043d\u0442\u0438[\u0430-\u044f]++|\u043f\u0440\u043e\u0442\u0438"
    r"\u0432\u043e[\u0430-\u044f]++)\s++((?:special\s++)?operations?|(?:\u0441\u043f\u0435\u0446)?\u043e\u043f\u0435"
    r"\u0440\u0430\u0446[\u0430-\u044f]++)",
    re.IGNORECASE,
)

_PIECES = [
    " ", "  ", "\t", "\n", "\u00a0", ",", ".", "-", "\u2013", "\u2014", "_", "1", "x", "Y",
    "\u201c", "\u201d", "\u00ab", "\u00bb", "\u201e", '"', "'", "(", ")",
    "\u0130", "\u0131", "\u017f", "\u212a", "\u1c80", "\u1c82", "\u1c83", "\u1c84",
    "in ", "IN ", "order ", "Order ", "so ", "So ", "as ", "to ", "TO ", "with ", "a ", "view ", "the ",
    "aim ", "AIMED ", "at ", "purpose ", "goal ", "of ", "will ", "practise ", "practice ", "focus ", "on ",
    "provides ", "for ", "Envisages ", "combat ", "anti", "ANTI", "counter", "-drug ", "special ",
    "operation", "Operations", "range ", "Ranges ", "GROUND", "polygon ", "and ", "Channel", "Kobalt",
    "\u0441 ", "\u0421 ", "\u0446\u0435\u043b\u044c\u044e ", "\u0432 ", "\u0446\u0435\u043b\u044f\u0445 ",
    "\u043d\u0430\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d\u044b\u0435 ", "\u043d\u0430 ", "\u043f\u043e ",
    "\u0431\u043e\u0440\u044c\u0431\u0435 ", "\u043f\u0440\u0438\u0437\u0432\u0430\u043d\u0430 ",
    "\u0431\u0443\u0434\u0443\u0442 ", "\u043e\u0442\u0440\u0430\u0431\u0430\u0442\u044b\u0432\u0430\u0442\u044c\u0441\u044f ",
    "\u0430\u043d\u0442\u0438", "\u0410\u043d\u0442\u0438", "\u043f\u0440\u043e\u0442\u0438\u0432\u043e",
    "\u043d\u0430\u0440\u043a\u043e ", "\u0441\u043f\u0435\u0446\u043e\u043f\u0435\u0440\u0430\u0446\u0438\u044f",
    "\u043f\u043e\u043b\u0438\u0433\u043e\u043d\u0435 ", "\u041f\u041e\u041b\u0418\u0413\u041e\u041d ", "\u0438 ",
]  # fmt: skip


# Every linker whole, in some case, the odd characters too ("ſo" is "so" ignoring case): a random text
# seldom spells a phrase of several pieces.
_LINKERS = [
    "so as to act ", "SO AS TO ACT ", "\u017fo as to act ", "in order to act ", "In Order To act ",
    "\u0130n order to act ", "with a view to x ", "With the goal of x ", "with the purpose to x ",
    "aimed at x ", "will practise ", "to practice ", "will aim to ", "will focus on ", "provides for ",
    "ENVISAGES ", "\u0441 \u0446\u0435\u043b\u044c\u044e ", "\u1c83 \u0446\u0435\u043b\u044c\u044e ",
    "\u0412 \u0446\u0435\u043b\u044f\u0445 ", "\u043d\u0430\u043f\u0440\u0430\u0432\u043b\u0435\u043d\u043d\u044b\u0435 \u043d\u0430 ",
    "\u043f\u043e \u0431\u043e\u0440\u044c\u0431\u0435 ", "\u041f\u041e \u043f\u0440\u0435\u0441\u0435\u0447\u0435\u043d\u0438\u044e ",
    "\u043f\u043e \u043f\u0440\u043e\u0442\u0438\u0432\u043e\u0434\u0435\u0439\u1c81\u0442\u0432\u0438\u044e ",
    "\u043d\u0430\u0446\u0435\u043b\u0435\u043d\u043e \u043d\u0430 ", "\u043f\u0440\u0438\u0437\u0432\u0430\u043d\u0430 ",
    "\u043f\u0440\u0435\u0434\u0443\u0441\u043c\u0430\u0442\u0440\u0438\u0432\u0430\u0435\u0442 \u043e\u0442\u0440\u0430\u0431\u043e\u0442\u043a\u0443 ",
    "\u0431\u0443\u0434\u0443\u0442 \u043e\u0442\u0440\u0430\u0431\u0430\u0442\u044b\u0432\u0430\u0442\u044c\u0441\u044f ",
]  # fmt: skip


def _texts(count: int, seed: int, longest: int = 14) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


def _seed_sentences() -> list[str]:
    return [line for i in range(5) for line in seed_text(f"00{i}").splitlines() if line.strip()]


def test_every_character_matching_a_letter_ignoring_case_lowers_to_it_or_is_left_to_the_regex() -> None:
    for letter in _LETTERS:
        for ch in re.findall(re.escape(letter), _EVERY_CHARACTER, re.IGNORECASE):
            assert ch.lower() == letter or operation_names._UNLIKE_LOWER.match(ch), (letter, ch)


def test_may_hold_any_says_yes_whenever_a_word_matches_ignoring_case() -> None:
    words = ("order", "so", "range", "\u043f\u043e\u043b\u0438\u0433\u043e\u043d", "\u0446\u0435\u043b")
    pattern = re.compile("|".join(words), re.IGNORECASE)
    for text in _texts(20_000, 1):
        if pattern.search(text):
            assert operation_names.may_hold_any(text, words), text


def test_quoted_names_pattern_equals_the_plain_one() -> None:
    for text in [*_texts(20_000, 2), *_seed_sentences()]:
        assert [(m.span(), m.groups()) for m in operations._QUOTED.finditer(text)] == [
            (m.span(), m.groups()) for m in _QUOTED_PLAIN.finditer(text)
        ], text


def test_qualified_operation_pattern_equals_the_plain_one() -> None:
    for text in [*_texts(20_000, 3), *_seed_sentences()]:
        new, old = operations._QUALIFIED.search(text), _QUALIFIED_PLAIN.search(text)
        assert (new and new.group(0)) == (old and old.group(0)), text


def test_qualified_operation_pattern_opens_with_every_case_of_its_first_letters() -> None:
    opening = re.compile(operations._QUALIFIED.pattern.split("(?<!")[0])
    wanted = re.compile("[a\u0430c\u043f]", re.IGNORECASE)
    assert opening.findall(_EVERY_CHARACTER) == wanted.findall(_EVERY_CHARACTER)


def _linked_plain(sentence: str, lo: int, hi: int, groups: int) -> str | None:
    for m in operation_purposes._LINKER.finditer(sentence, lo, hi):
        opened = next(i for i in range(1, operation_purposes._LINKER_GROUPS + 1) if m.group(i) is not None)
        if opened <= groups:
            return operation_purposes._clause(sentence, m.start(opened))
    return None


def test_linked_purpose_with_its_cheap_test_equals_the_plain_search() -> None:
    rnd = random.Random(4)
    found = 0
    texts = [*_texts(20_000, 5), *_seed_sentences()]
    texts += [f"{rnd.choice(texts)}{linker}{rnd.choice(texts)}" for linker in _LINKERS for _ in range(50)]
    for text in texts:
        lo = rnd.randint(0, len(text))
        hi = rnd.randint(lo, len(text))
        for window in ((0, len(text)), (lo, hi)):
            for groups in (operation_purposes._LINKER_BEFORE_GROUPS, operation_purposes._LINKER_GROUPS):
                plain = _linked_plain(text, *window, groups)
                assert operation_purposes._linked(text, *window, groups) == plain, (text, window)
                found += plain is not None
    assert found > 1_000  # the random texts do hold linkers


def test_listed_place_with_its_cheap_test_equals_the_plain_search() -> None:
    unknown = Named("X", "X", None, None)
    listed = 0
    for text in _texts(20_000, 6):
        for start in [i for i, ch in enumerate(text) if ch in operations_unquoted._QUOTES]:
            window = max(0, start - operations_unquoted._PLACE_LIST_WINDOW)
            plain = operations_unquoted._PLACE_LIST.search(text, window, start) is not None
            assert operations_unquoted._listed_place(text, unknown, start) is plain, (text, start)
            listed += plain
    assert listed > 100


def test_family_before_a_quote_with_its_cheap_test_equals_the_plain_search() -> None:
    for text in _texts(20_000, 7):
        for start in [i for i, ch in enumerate(text) if ch in '\u201c\u00ab\u201e"']:
            lo = max(0, start - operations._FAMILY_DASH_WINDOW)
            plain = operations._FAMILY_DASH.search(text, lo, start)
            got = operations._family_before(text, start)
            assert (got and got.span()) == (plain and plain.span()), (text, start)


# Every word the place and news-outlet regexes end with, in some case and with the odd characters, and
# the words and marks around them.
_BEFORE_QUOTE_PIECES = [
    " ", "  ", "\n", "\u00a0", ",", ":", ".", "(", "-", "x", "7", "_", "\u00a9", "\u0130", "\u017f", "\u1c82",
    "\u1c83", "\u201c", "\u00ab", '"', "\u201e", "the ", "THE ", "operation ", "on", "ON ", "at ", "near ",
    "through ", "Along ", "via ", "across ", "into ", "onto ", "from ", "hotel", "Range ", "grounds ",
    "camp ", "centre", "CENTER ", "airport ", "city", "Settlement ", "grouping ", "\u0433\u0440\u0443\u043f\u043f\u0438\u0440\u043e\u0432\u043a\u0438 ", "reports", "REPORTED ", "told ",
    "according to ", "tv channel ", "television  channel", "broadcaster ", "radio", "Website ", "magazine",
    "\u043f\u043e\u043b\u0438\u0433\u043e\u043d\u0430 ", "\u041f\u041e\u041b\u0418\u0413\u041e\u041d",
    "\u043f\u043e\u0441\u0451\u043b\u043a\u0435 ", "\u0441\u0435\u043b\u0435 ", "\u043f\u043e ", "\u043d\u0430 ",
    "\u0432\u0434\u043e\u043b\u044c ", "\u0441\u043e\u043e\u0431\u0449\u0430\u0435\u0442 ",
    "\u043f\u0435\u0440\u0435\u0434\u0430\u0451\u0442", "\u043f\u0438\u0448\u0443\u0442 ",
    "\u043f\u043e \u0434\u0430\u043d\u043d\u044b\u043c ", "\u0441\u0441\u044b\u043b\u043a\u043e\u0439 \u043d\u0430 ",
    "\u0438\u043d\u0444\u043e\u0440\u043c\u0430\u0433\u0435\u043d\u0442\u0441\u0442\u0432\u043e ",
    "\u0442\u0435\u043b\u0435\u043a\u0430\u043d\u0430\u043b", "\u0416\u0443\u0440\u043d\u0430\u043b\u0430 ",
]  # fmt: skip


def test_place_or_source_before_a_quote_with_its_cheap_test_equals_the_plain_search() -> None:
    rnd = random.Random(8)
    after = 0
    for _ in range(30_000):
        text = "".join(rnd.choice(_BEFORE_QUOTE_PIECES) for _ in range(rnd.randint(0, 12)))
        for start in [i for i, ch in enumerate(text) if ch in '\u201c\u00ab\u201e"']:
            plain = bool(
                operations._PLACE_BEFORE.search(text, max(0, start - operations._PLACE_WINDOW), start)
                or operations._SOURCE_BEFORE.search(text, max(0, start - operations._SOURCE_WINDOW), start)
            )
            assert operations._after_place_or_source(text, start) is plain, (text, start)
            after += plain
    assert after > 1_000  # the random texts do put places and outlets before quotes
