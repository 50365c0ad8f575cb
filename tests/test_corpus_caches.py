"""The corpus rules' caches (known names, blocks, sentences, runs) never change what a page parses to."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from corpus_fixtures import lexicon, seed_paths, seed_text

from bot.corpus import parse_page

ROOT = Path(__file__).resolve().parent.parent


def test_cached_parsing_equals_fresh_parsing_with_growing_known_names() -> None:
    known: set[str] = set()
    for path in seed_paths() * 2:  # the second round hits every cache
        text = seed_text(path.name[:3])
        cached = parse_page(text, lexicon(), frozenset(known))
        fresh_lexicon = dataclasses.replace(lexicon())  # a new Lexicon object: cold caches
        assert cached == parse_page(text, fresh_lexicon, frozenset(known))
        known.update(m.name for item in cached.items for m in item.people)


def test_equal_known_names_in_a_new_object_are_recognised() -> None:
    text = "The meeting was chaired by Ivan Kim. Kim thanked the participants."  # no title: known or no one
    names = frozenset({"Ivan Kim", "Anna Sidorova"})
    first = parse_page(text, lexicon(), names)
    assert parse_page(text, lexicon(), frozenset(set(names))) == first
    assert parse_page(text, lexicon(), set(names)) == first
    assert parse_page(text, lexicon(), frozenset({"Anna Sidorova"})).items[0].people == ()


def test_summary_does_not_depend_on_the_hash_seed() -> None:
    code = "from tests.corpus_fixtures import all_seed_items; print([i.summary for i in all_seed_items()])"
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
        run = subprocess.run(
            [sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1


def test_the_known_spelling_of_a_person_does_not_depend_on_the_hash_seed() -> None:
    code = (
        "from tests.corpus_fixtures import lexicon; from bot.corpus import parse_page; "
        "names = frozenset({'Yerlan Dosmukhamedov', 'Erlan Dosmukhamedov', 'Anna Sidorova'}); "
        "page = parse_page('The meeting was chaired by Dosmukhamedov. Erlan Dosmukhamedov spoke.', lexicon(), names); "
        "print([p.name for item in page.items for p in item.people])"
    )
    outputs = set()
    for seed in ("1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
        run = subprocess.run(
            [sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        outputs.add(run.stdout)
    assert len(outputs) == 1, outputs
