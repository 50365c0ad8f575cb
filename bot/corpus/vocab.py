"""A lexicon compiled for fast lookups (casefolded sets, title forms, alias keys), cached per Lexicon."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .caches import CharBudget
from .keys import person_key
from .model import Lexicon
from .operation_names import Families, build_families

PUNCT_TAIL = " .:;!>»→›-"  # stripped off the end of a line before comparing it with navigation lines


def singular(word: str) -> str:
    """Crude English singular so "Secretaries"/"Councils" hit the "Secretary"/"Council" entries."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def navigation_form(line: str) -> str:
    """How a line is compared with the lexicon's navigation lines."""
    return line.casefold().rstrip(PUNCT_TAIL).strip()


@dataclass(frozen=True, slots=True)
class Vocab:
    """Lookup tables derived from a Lexicon; build with vocab_for()."""

    navigation: frozenset[str]
    title_words: frozenset[str]  # casefolded, singular
    non_name_words: frozenset[str]  # casefolded (as listed and singular)
    aliases: dict[str, str]  # person_key(alias) -> canonical name
    alias_pairs: tuple[tuple[str, str], ...]  # (alias as written, canonical name)
    title_forms: frozenset[str]  # title words as capitalised in text, with plurals
    title_tokens: frozenset[str]  # title_forms, also with a possessive ("Minister's")
    kind_cache: CharBudget[str, int]  # token -> kind, filled by bot.corpus.people (tokens repeat a lot)
    run_cache: CharBudget[str, Any]  # capitalised run -> what it says, filled by bot.corpus.people
    block_cache: CharBudget[Any, Any]  # page block -> its draft, filled by bot.corpus.page
    sentence_cache: CharBudget[str, Any]  # sentence -> its persons and capitalised words, ditto
    line_cache: CharBudget[str, tuple[str, ...]]  # raw line -> the lines it reads as, by bot.corpus.clean
    navigation_max_chars: int = 1 << 30  # the longest navigation form: longer lines need no lookup
    families: Families = field(default_factory=Families)  # known operation and exercise families, by spelling

    def is_title_word(self, token: str) -> bool:
        folded = token.casefold()
        return folded in self.title_words or singular(folded) in self.title_words

    def is_non_name_word(self, token: str) -> bool:
        folded = token.casefold()
        return folded in self.non_name_words or singular(folded) in self.non_name_words

    def canonical(self, name: str) -> str:
        return self.aliases.get(person_key(name), name)


# Character budgets of the rule caches (each parsing process keeps its own): (all keys, longest key).
# A longer key is worked out every time: a token, run or sentence that long is junk and seldom recurs.
KIND_CACHE_CHARS = (200_000, 64)
RUN_CACHE_CHARS = (300_000, 1_000)
SENTENCE_CACHE_CHARS = (500_000, 2_000)
# Teasers and salutations repeat on neighbouring pages; a page's main article does not.
BLOCK_CACHE_CHARS = (200_000, 1_500)
# Menus, sidebars and teaser lines repeat from page to page; an article's paragraphs are long and do not.
LINE_CACHE_CHARS = (150_000, 300)


def block_chars(block: Any) -> int:
    """The characters of a page block (bot.corpus.split.Block): its paragraphs and headline line."""
    return sum(map(len, block.paragraphs)) + len(block.headline_line or "")


def _title_forms(word: str) -> set[str]:
    forms = {word, word + "s"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return forms


def build_vocab(lexicon: Lexicon) -> Vocab:
    """Compile a lexicon; pure, so tests can build one from literals."""
    titles = [w.strip() for w in lexicon.title_words if w.strip()]
    forms: set[str] = set()
    for word in titles:
        capital = word[:1].upper() + word[1:]
        forms |= _title_forms(capital)
    non_name: set[str] = set()
    for word in lexicon.non_name_words:
        folded = word.strip().casefold()
        if folded:
            non_name.add(folded)
            non_name.add(singular(folded))
    pairs = tuple((a.strip(), c.strip()) for a, c in lexicon.aliases.items() if a.strip() and c.strip())
    navigation = frozenset(navigation_form(n) for n in lexicon.navigation_lines if n.strip())
    return Vocab(
        navigation=navigation,
        title_words=frozenset(singular(w.casefold()) for w in titles)
        | frozenset(w.casefold() for w in titles),
        non_name_words=frozenset(non_name),
        aliases={person_key(a): c for a, c in pairs},
        alias_pairs=pairs,
        title_forms=frozenset(forms),
        title_tokens=frozenset(f + p for f in forms for p in ("", "'s", "\u2019s")),
        kind_cache=CharBudget(len, *KIND_CACHE_CHARS),
        run_cache=CharBudget(len, *RUN_CACHE_CHARS),
        block_cache=CharBudget(block_chars, *BLOCK_CACHE_CHARS),
        sentence_cache=CharBudget(len, *SENTENCE_CACHE_CHARS),
        line_cache=CharBudget(len, *LINE_CACHE_CHARS),
        navigation_max_chars=max(map(len, navigation), default=0),
        families=build_families(lexicon.operation_families, lexicon.exercise_families),
    )


_CACHE: dict[int, tuple[Lexicon, Vocab]] = {}
_CACHE_SIZE = 8


def vocab_for(lexicon: Lexicon) -> Vocab:
    """The compiled form of a lexicon, built once per Lexicon object (the loader reuses one for all pages)."""
    hit = _CACHE.get(id(lexicon))
    if hit is not None and hit[0] is lexicon:
        return hit[1]
    vocab = build_vocab(lexicon)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[id(lexicon)] = (lexicon, vocab)
    return vocab
