"""Shared helpers for the corpus-rule tests: the real seed pages and the shipped lexicon."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from bot.corpus import Lexicon, ParsedItem, decode_page, parse_page
from bot.lexicon import DEFAULT_LEXICON_PATH, load_lexicon

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@functools.cache
def lexicon() -> Lexicon:
    """The curated lexicon shipped in config/corpus.yaml."""
    return load_lexicon(DEFAULT_LEXICON_PATH)


@functools.cache
def lexicon_without_aliases() -> Lexicon:
    """The same lexicon with the curated aliases removed: discovery must not depend on them."""
    return dataclasses.replace(lexicon(), aliases={})


def seed_paths() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")


@functools.cache
def seed_text(name_prefix: str) -> str:
    """Decoded text of the seed page whose file name starts with name_prefix ("000" ... "004")."""
    (path,) = [p for p in seed_paths() if p.name.startswith(name_prefix)]
    return decode_page(path.read_bytes())


@functools.cache
def seed_items(name_prefix: str, aliases: bool = True) -> tuple[ParsedItem, ...]:
    lex = lexicon() if aliases else lexicon_without_aliases()
    return parse_page(seed_text(name_prefix), lex).items


def all_seed_items(aliases: bool = True) -> list[ParsedItem]:
    return [item for p in seed_paths() for item in seed_items(p.name[:3], aliases)]


def article(name_prefix: str) -> ParsedItem:
    (item,) = [i for i in seed_items(name_prefix) if i.kind == "article"]
    return item


def real_page(name: str) -> str:
    """The text of a real page of ../shared/real-pages ("en/004.txt"); the test is skipped without it."""
    import pytest

    from bench import quality

    root = quality.default_corpus()
    path = root / name if root is not None else None
    if path is None or not path.is_file():
        pytest.skip(f"{name}: real pages absent")
    return path.read_text(encoding="utf-8")


def bare_items(text: str) -> list[ParsedItem]:
    """A page's items as the rules read it with an empty lexicon (nothing curated helps)."""
    return list(parse_page(text, Lexicon()).items)
