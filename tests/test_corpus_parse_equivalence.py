"""The corpus rules' fast paths give exactly what the plain formulations they replace give.

Each fast path (string methods instead of a regex, a cheap pre-check before one, a regex rewritten so the
engine can skip ahead) is compared with the straightforward version on awkward random strings.
"""

from __future__ import annotations

import random
import re
import sys

import pytest
from corpus_fixtures import lexicon, seed_text

from bot.corpus import (
    dates,
    keys,
    operation_names,
    people_known,
    people_runs,
    people_tokens,
    sentences,
    split,
    summary,
)
from bot.corpus.clean import (
    _BACK_TO,
    _CONTROL,
    _CYRILLIC,
    _INVISIBLE,
    _SPACES,
    _unglued,
    clean_lines,
    is_debris,
    is_navigation,
    strip_stray_cyrillic,
)
from bot.corpus.vocab import navigation_form, vocab_for

_PIECES = [
    " ", "  ", "\t", "\u00a0", "\u2028", "\n", "\n\n", ".", "!", "?", "\u2026", "\u201d", "\u2019", ")", "'",
    '"', ",", "-", "\u2013", "a", "B", "ß", "\u0130", "\u0131", "\u017f", "\u1c82", "\u200b", "\x07", "7",
    "2025", "07.07.2025", "2025-10-31", "May", "october", "SEPT", "Aprıl", "июня", "31 октября 2025",
    "ſept", "5", "1st", "3RD", "Dec", "14-15",
    "operation", "Operations", "cooperation", "OPERATIONAL", "операция", "\u1c82перации", "Back",
    "Go back", "Print", "Dear", "Ivan", "Petrov's", "(CSTO)", "of", "the", "\u00bb", "\u2192",
]  # fmt: skip


def _texts(count: int, seed: int, longest: int = 12) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, longest))) for _ in range(count)]


_EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))


def test_the_spelled_out_operation_word_matches_what_ignoring_case_matches() -> None:
    # The classes in operation_names.OPERATION_WORD list every character that matches each letter.
    for letter in "operatinsоперацио":
        for char in re.findall(re.escape(letter), _EVERY_CHARACTER, re.IGNORECASE):
            assert char in operation_names.OPERATION_WORD.pattern, (letter, char)
    reference = re.compile(r"\b(?:operations?|операци\w*)\b", re.IGNORECASE)
    for text in _texts(20_000, 1, 6):
        got, want = operation_names.OPERATION_WORD.search(text), reference.search(text)
        assert (got and got.span()) == (want and want.span()), text


def test_month_first_letters_are_every_character_matching_one_ignoring_case() -> None:
    firsts = {name[0] for name in dates.MONTHS}
    for char in re.findall(f"[{''.join(firsts)}]", _EVERY_CHARACTER, re.IGNORECASE):
        assert char in dates._MONTH_FIRST


def test_date_patterns_rewritten_so_the_regex_engine_can_skip_ahead() -> None:
    references = {
        "_MDY": re.compile(
            rf"\b({dates._EN})\.?\s+(\d{{1,2}}){dates._ORD}\b{dates._RANGE},?\s+(\d{{4}})\b", re.IGNORECASE
        ),
        "_DMY": re.compile(
            rf"\b(\d{{1,2}}){dates._ORD}{dates._RANGE}\s+(?:of\s+)?({dates._EN})\b\.?,?\s+(\d{{4}})\b",
            re.IGNORECASE,
        ),
        "_RU_DMY": re.compile(
            rf"(?<!\d)(\d{{1,2}}){dates._RANGE}\s+({dates._RU})\s+(\d{{4}})(?!\d)", re.IGNORECASE
        ),
        "_NUMERIC": re.compile(r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\w)"),
        "_ISO": re.compile(r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])"),
        "_YEAR": re.compile(r"\d{4}"),
    }
    for text in _texts(20_000, 2):
        for name, reference in references.items():
            got = [(m.span(), m.groups()) for m in getattr(dates, name).finditer(text)]
            assert got == [(m.span(), m.groups()) for m in reference.finditer(text)], (name, text)


def test_date_pre_checks_skip_only_texts_without_a_date() -> None:
    for text in _texts(20_000, 3):
        try:
            found = dates._scan(text)
        except KeyError:  # a dotless "ı" month: the month table has no such key (an older quirk)
            continue
        folded = text.casefold()
        if any(m.group(1) for m in dates._MDY.finditer(text)):
            assert any(start in folded for start in dates._MONTH_STARTS)
        for _start, end, _ in found:
            assert text[end - 1].isdigit()
        tail = dates.trailing_date(text)
        if tail is not None:
            assert text.rstrip(" .,)")[-1].isdigit()


def test_ends_sentence_equals_its_regex() -> None:
    reference = re.compile("[.!?\u2026][\"'\u201d\u2019\u00bb)\\]]*$")
    for text in _texts(20_000, 4, 6):
        assert sentences.ends_sentence(text) is (reference.search(text) is not None), text


def test_sentence_boundary_with_its_first_character_spelled_out() -> None:
    reference = re.compile(sentences._BOUNDARY.pattern.replace("[.!?\u2026][.!?\u2026]*", "[.!?\u2026]+", 1))
    for text in _texts(20_000, 5, 20):
        assert [m.span() for m in sentences._BOUNDARY.finditer(text)] == [
            m.span() for m in reference.finditer(text)
        ]


def test_word_counts_by_split_equal_the_regex_count() -> None:
    words = re.compile(r"\S+")
    for text in _texts(5_000, 6):
        n = len(words.findall(text))
        assert (len(text.split(None, 3)) < 4) is (n < 4)
        assert (len(text.split(None, 2)) > 2) is (n > 2)


def test_item_key_normalisation_fast_path() -> None:
    quotes = re.compile("['\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a`\u00b4]")
    for text in _texts(20_000, 7, 16):
        folded = quotes.sub('"', text.casefold())
        assert keys.normalise_item_text(text) == " ".join(folded.split()), text


def test_summary_space_collapsing_fast_path() -> None:
    for text in _texts(20_000, 8):
        assert summary._collapse_spaces(text) == " ".join(text.split())
        assert split._spaced(text) == re.sub(r"\s+", " ", text)


def test_salutation_pre_check() -> None:
    for text in [*_texts(5_000, 9), "Dear colleagues!", "Dear colleagues!\n", "Уважаемые коллеги!"]:
        assert summary.is_salutation_sentence(text) is (summary._SALUTATION_SENTENCE.match(text) is not None)


def test_navigation_pre_check_never_skips_a_listed_line() -> None:
    vocab = vocab_for(lexicon())
    for text in _texts(20_000, 10, 5):
        line = text.strip()
        listed = navigation_form(line) in vocab.navigation
        back = len(line) <= 60 and _BACK_TO.match(line) is not None
        assert is_navigation(line, vocab) is (listed or back), line


def test_line_cleaning_line_by_line_equals_the_whole_text_passes() -> None:
    vocab = vocab_for(lexicon())

    def reference(text: str) -> list[str]:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _SPACES.sub(" ", _CONTROL.sub("", _INVISIBLE.sub("", text)))
        out = []
        for raw in text.split("\n"):
            for line in _unglued(raw.strip()) if raw.strip() else ():  # a glued date line is two lines
                if is_navigation(line, vocab) or is_debris(line):
                    continue
                if not line.isascii() and _CYRILLIC.search(line) is not None:
                    line = strip_stray_cyrillic(line)
                    if not line:
                        continue
                out.append(line)
        return out

    for text in _texts(5_000, 11, 30):
        assert clean_lines(text, vocab) == reference(text), text


def test_run_words_read_off_tokens_equal_the_regex() -> None:
    vocab = vocab_for(lexicon())
    texts = [seed_text(f"00{i}") for i in range(5)] + _texts(3_000, 12, 30)
    for text in texts:
        for m in people_runs._RUN.finditer(text):
            run = people_runs._run_info(m.group(), vocab)
            assert set(run.words) == set(people_runs._CAPWORD_RE.findall(m.group()))
            assert len(run.words) == len(set(run.words))


def test_possessive_run_pattern_equals_the_backtracking_one() -> None:
    reference = re.compile(
        rf"{people_runs._FIRST_ITEM}(?: (?:(?:{'|'.join(people_tokens.CONNECTORS)}) )*{people_runs._ITEM})*"
    )
    texts = [seed_text(f"00{i}") for i in range(5)] + _texts(20_000, 13, 16)
    for text in texts:
        assert [m.span() for m in people_runs._RUN.finditer(text)] == [
            m.span() for m in reference.finditer(text)
        ]


def test_run_pattern_reads_abbreviated_ranks_and_initials_as_the_backtracking_one() -> None:
    # _RUN reads a rank's letters before the lookbehind that checks its capital ("ol(?<=Col)")
    reference = re.compile(
        rf"{people_runs._FIRST_ITEM}(?: (?:(?:{'|'.join(people_tokens.CONNECTORS)}) )*{people_runs._ITEM})*"
    )
    pieces = ["A", "B", "C", "L", "M", "ol", "rig", "t", "aj", ". ", ".-", "Gen.", "Ivan", " ", "of "]
    rnd = random.Random(14)
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14)))
        assert [m.span() for m in people_runs._RUN.finditer(text)] == [
            m.span() for m in reference.finditer(text)
        ], text


@pytest.mark.parametrize("seed", range(3))
def test_preceding_words_by_rsplit(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(5_000):
        text = "".join(
            rnd.choice(["Ivan", " ", "  ", "\t", "the", "\u00a0"]) for _ in range(rnd.randint(1, 12))
        )
        pos = len(text)
        got = people_known._preceding_words(text + "X", pos)
        want = text[max(0, pos - 80) : pos].split()[-3:] if pos and text[pos - 1] == " " else []
        assert got == want


_SCRIPT_PIECES = [
    "H", "иколай", "Т", "ashkent", "C", "овета", "a", "б", "ab", "яя", " ", ".", "-", "\n", "7", "_",
    "Sh.", "J.", "T.", "S.", "Faizullozoda", "Sultanov", "U.", "e.", "g.", "(", "X", "Ab", "Ch.",
]  # fmt: skip


def test_the_script_change_and_glued_initial_scans_find_what_the_plain_patterns_find() -> None:
    # decode's patterns open with a character class and look back after it, so a search skips ahead;
    # the plain forms look back (or try two alternatives) at every character.
    from bot.corpus import decode

    script_change = re.compile("[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")
    glued = re.compile(r"(?<![\w.])((?:[A-Z][hua]?\.){1,3})(?=[A-Z][a-z])")
    rnd = random.Random(7)
    for _ in range(20_000):
        text = "".join(rnd.choice(_SCRIPT_PIECES) for _ in range(rnd.randint(0, 10)))
        assert (decode._SCRIPT_CHANGE.search(text) is None) == (script_change.search(text) is None), text
        plain = [m.group(1) for m in glued.finditer(text)]
        assert [m.group(1) for m in decode._GLUED_INITIALS.finditer(text)] == plain, text
        assert (decode._DOT_CAPITAL.search(text) is None) <= (not plain), text
