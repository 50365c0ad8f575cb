"""The shortcuts that made the corpus rules fast again give exactly what the longer way gives.

Each shortcut (a few known words found one by one, hint tests spelled out, a memo of quoted names, a
cheaper order of tests) is compared with the formulation it replaced on made-up text; one guard bounds
the new path on a hostile sentence (generously: a linear rule needs a few hundredths of a second).
"""

from __future__ import annotations

import random
import time

from corpus_fixtures import lexicon

from bot.corpus import people_known, people_tokens
from bot.corpus.caches import CharBudget
from bot.corpus.operation_names import (
    EXERCISE_HINTS,
    QUOTE_HINTS,
    Families,
    clean_name,
    has_exercise_hint,
    has_quote,
    may_name_operations,
    may_name_operations_or_exercises,
    read_name,
    read_quoted,
)
from bot.corpus.people_tokens import ACRONYM, NAME, strip_possessive
from bot.corpus.vocab import vocab_for

GUARD_S = 5.0


def test_a_few_known_words_are_found_where_the_one_pass_over_all_words_finds_them() -> None:
    # Up to four wanted words are looked for one by one; absent padding words send the same search
    # down the one-pass path over every whole word of the sentence.
    pieces = ["Petrov", "Petrov's", "Petrov\u2019s", "PETROV", "Ivan", "Ivanov", " ", "-", "_", "'", ".", "x", "7", "(", "\u00e9"]  # fmt: skip
    padding = {"Absentone", "Absenttwo", "Absentthree", "Absentfour"}
    rnd = random.Random(11)
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 16)))
        wanted = set(rnd.sample(["Petrov", "Petrov's", "PETROV", "Ivan", "Ivanov", "x"], rnd.randint(1, 4)))
        few = people_known._occurrences(text, wanted)
        many = people_known._occurrences(text, wanted | padding)
        assert sorted(few) == sorted(many), text


def test_known_names_in_a_sentence_are_the_same_whichever_path_finds_them() -> None:
    index = people_known.build_index(
        [(n, n) for n in ("Ivan Petrov", "Anna Petrova", "Oleg Sidorov", "Maria Ivanova")]
    )
    sentence = (
        "Ivan Petrov met Anna Petrova, then Petrov's deputy Oleg Sidorov and PETROV; "
        "Petrovich and Sidorov-Ivanov were not named, Maria Ivanova was."
    )
    few = people_known.find_known(sentence, [index], {"Petrov", "Petrova", "Petrov's", "PETROV"})
    every = people_known.find_known(sentence, [index])  # all capitalised words: the one-pass path
    assert few == [hit for hit in every if hit[1] in ("Ivan Petrov", "Anna Petrova")]
    assert [name for _, name in every] == [
        "Ivan Petrov",
        "Anna Petrova",
        "Ivan Petrov",
        "Oleg Sidorov",
        "Ivan Petrov",
        "Maria Ivanova",
    ]


def test_a_sentence_full_of_near_misses_of_a_known_word_is_read_in_linear_time() -> None:
    # Every "Petrov" is part of a longer word: each str.find hit is looked at and refused.
    index = people_known.build_index([("Ivan Petrov", "Ivan Petrov"), ("Oleg Sidorov", "Oleg Sidorov")])
    sentence = "Petrovich-Petrovs xPetrov Sidorovna " * 6_000
    started = time.perf_counter()
    found = people_known.find_known(sentence, [index], {"Petrov", "Sidorov"})
    assert time.perf_counter() - started < GUARD_S
    assert found == []


def test_spelled_out_operation_hints_equal_the_hint_lists() -> None:
    hints = [*EXERCISE_HINTS, *QUOTE_HINTS, "perati", "\u043f\u0435\u0440\u0430\u0446\u0438"]
    pieces = [*hints, *(h[:-1] for h in hints if len(h) > 1), "a", " ", "O", "x", "\u0443"]
    rnd = random.Random(5)
    for _ in range(20_000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 4)))
        listed = may_name_operations(text) or any(h in text for h in (*EXERCISE_HINTS, *QUOTE_HINTS))
        assert may_name_operations_or_exercises(text) == listed, text
        assert has_quote(text) == any(q in text for q in QUOTE_HINTS), text
        assert has_exercise_hint(text) == any(h in text for h in EXERCISE_HINTS), text


def test_a_quoted_name_reads_the_same_from_the_memo_as_worked_out() -> None:
    families = vocab_for(lexicon()).families
    raws = [
        "Channel",
        "Channel - Far Eastern Raid",
        "Rubezh-2025",
        "Kanal-Araks",
        "Illegal - 2019.",
        "Interaction",
        "the press",
        "Red dune",
        "  Echelon  ",
        "",
    ]
    for raw in raws * 2:  # the second round comes from the memo
        cleaned = clean_name(raw)
        expected = (cleaned, read_name(cleaned, families)) if cleaned is not None else None
        assert read_quoted(raw, families) == expected, raw
    assert read_quoted("Channel", Families()) == ("Channel", read_name("Channel"))  # memo per Families


def _shouted_surnames_as_before(tokens: list[str], kinds: list[int]) -> list[int]:
    out = list(kinds)
    for i in range(1, len(tokens)):
        token = strip_possessive(tokens[i])[0]
        if out[i] == ACRONYM and out[i - 1] == NAME and len(token) >= 3 and all(p.isalpha() for p in token.split("-")):  # fmt: skip
            out[i] = NAME
    return out


def test_shouted_surnames_with_the_cheap_test_first_are_the_same() -> None:
    words = ["Igor", "PETROV", "CSTO", "UN", "PETROV's", "ABC-DEF", "AB", "X1Y", "Anna", "SIDOROVA"]
    kinds = [NAME, ACRONYM, people_tokens.TITLE, people_tokens.CONN]
    rnd = random.Random(3)
    for _ in range(10_000):
        n = rnd.randint(1, 8)
        tokens = [rnd.choice(words) for _ in range(n)]
        token_kinds = [rnd.choice(kinds) for _ in range(n)]
        assert people_tokens.shouted_surnames(tokens, token_kinds) == _shouted_surnames_as_before(
            tokens, token_kinds
        )


def test_a_char_budget_evicts_the_same_oldest_entries_as_one_by_one() -> None:
    rnd = random.Random(9)
    table: CharBudget[str, int] = CharBudget(len, 200, 40)
    model: dict[str, int] = {}  # the same table, evicted one oldest key at a time
    for step in range(20_000):
        key = "k" * rnd.randint(0, 45) + str(rnd.randint(0, 60))
        table.put(key, step)
        if len(key) <= 40 and key not in model:
            chars = sum(map(len, model))
            if chars + len(key) > 200:
                keep = 200 // 2 - len(key)
                for old in list(model):
                    if chars <= keep:
                        break
                    chars -= len(old)
                    del model[old]
            model[key] = step
        assert list(table.items()) == list(model.items())
        assert table.chars == sum(map(len, model)) <= 200
