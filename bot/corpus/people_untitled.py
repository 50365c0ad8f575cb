"""People named without a title in English text: "Sergey Lavrov met ...", "according to Ivan Petrov".

A capitalised pair is a person's name only when its first word is a given name and its second has a
surname's ending (-ov, -enko, -yan, ...): "Victory Park" or "Nur Sultan" are not. A pair that opens a
quote ("Name: words") needs no such ending. The given names are
not a list kept here: the Russian morphology dictionary (pymorphy3) knows some ten thousand of them, so a
Latin given name is spelled back in Cyrillic in the few ways transliteration allows ("Sergey", "Sergei"
-> "Сергей") and looked up. Central Asian given names, which the dictionary mostly lacks, are told by
their compound endings (-bek, -ali, -jon, ...); the rest are left to the titled rules and to the names
the corpus already knows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from .name_keys import has_cyrillic
from .people_ru_morph import analyzer
from .people_runs import Run, RunAt, lowercase_office_after
from .people_tokens import CONNECTOR_SET, Found, is_patronymic, strip_possessive
from .vocab import Vocab

if TYPE_CHECKING:
    from pymorphy3.analyzer import Parse

# Latin letter groups and the Cyrillic they may stand for, longest first (the usual ways Russian names
# are written in English: BGN/PCGN, passports, the press). Each group may have two readings.
# fmt: off
_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)), ("yev", ("ев",)), ("iya", ("ия",)), ("iy", ("ий",)), ("yy", ("ый", "ий")),
    ("zh", ("ж",)), ("kh", ("х",)), ("ts", ("ц",)), ("ch", ("ч",)), ("sh", ("ш",)), ("yu", ("ю",)),
    ("ya", ("я",)), ("yo", ("ё", "йо")), ("ye", ("е", "ье")), ("ei", ("ей",)), ("ey", ("ей",)),
    ("ai", ("ай",)), ("ay", ("ай",)), ("oi", ("ой",)), ("oy", ("ой",)), ("ui", ("уй",)), ("iu", ("ю",)),
    ("ia", ("я", "ия")), ("ie", ("ье", "ие")), ("a", ("а",)), ("b", ("б",)), ("c", ("к", "ц")),
    ("d", ("д",)), ("e", ("е", "э")), ("f", ("ф",)), ("g", ("г",)), ("h", ("х",)), ("i", ("и", "й")),
    ("j", ("дж", "ж")), ("k", ("к",)), ("l", ("л",)), ("m", ("м",)), ("n", ("н",)), ("o", ("о",)),
    ("p", ("п",)), ("q", ("к",)), ("r", ("р",)), ("s", ("с",)), ("t", ("т",)), ("u", ("у",)),
    ("v", ("в",)), ("w", ("в",)), ("x", ("кс",)), ("y", ("ий", "ы", "й", "и")), ("z", ("з",)),
)
# fmt: on
_MAX_SPELLINGS = 16  # readings tried for one word (a short given name has a handful)
_GIVEN_NAME = re.compile(r"[A-Z][a-z]{2,11}")
# Kazakh, Kyrgyz, Tajik and Uzbek given names built with a second part ("Talatbek", "Imangali",
# "Rustamjon", "Kairzhan"): a stem of at least three letters before it, so "Uzbek", "Dubai" or "Somali"
# are not names; a place's name is no worry, as the surname after it must still end like a surname.
_CENTRAL_ASIAN_GIVEN = re.compile(
    r"[A-Z][a-z]{2,}(?:bek|bai|bay|zhan|jan|jon|khan|gul|bol)|[A-Z][a-z]{3,}(?:ali|iddin|uddin|ullo)"
)
# A surname's usual endings in English spelling (Russian, Ukrainian, Belarusian, Caucasian, Central Asian).
_SURNAME_ENDING = re.compile(
    r"[A-Z][a-z'\u2019-]{2,20}(?:ov|ev|yov|iev|in|yn|ova|eva|ina|sky|skiy|skii|ski|skaya|enko|ko|yan|ian"
    r"|dze|shvili|uk|yuk|ich|bek|bekov|aev|ayev|uly|zoda|zade|ovna|evna)"
)


# A credit, not a person of the story: "ITAR-TASS/Name", "© Name", "Photo: Name", "Editor: Name",
# "Authored by Name", a byline "By Name".
_CREDIT_BEFORE = re.compile(
    r"(?:[/\u00a9]\s?|\b(?:[Pp]hotos?|[Aa]uthor|[Tt]ext|[Ss]ource|[Ee]ditor|[Tt]ranslator)\s?:\s?"
    r"|\b(?:[Aa]uthored|[Ww]ritten|[Pp]hoto(?:graph)?s?|[Rr]eported)\s+by\s+|^[Bb]y\s+)$"
)
_CREDIT_WINDOW = 24


def _spellings(word: str) -> list[str]:
    """The Cyrillic spellings a Latin name may stand for, at most _MAX_SPELLINGS of them."""
    out = [""]
    low = word.casefold()
    i = 0
    while i < len(low):
        for latin, readings in _GROUPS:
            if low.startswith(latin, i):
                out = [s + r for s in out for r in readings][:_MAX_SPELLINGS]
                i += len(latin)
                break
        else:
            return []  # a letter no name of the dictionary's is written with
    return out


@functools.lru_cache(maxsize=4_096)
def is_given_name(word: str) -> bool:
    """Is this Latin-spelled word a given name: a Central Asian compound, or one the morphology dictionary
    knows (in the nominative)?"""
    if _GIVEN_NAME.fullmatch(word) is None:
        return False
    if _CENTRAL_ASIAN_GIVEN.fullmatch(word) is not None:
        return True
    return any(
        p.is_known
        and "Name" in p.tag
        and p.tag.case == "nomn"
        and p.tag.number == "sing"
        and p.word == spelling
        for spelling, p in _dictionary_parses(word)
    )


def _dictionary_parses(word: str) -> Iterator[tuple[str, Parse]]:
    """(spelling, parse) for each Cyrillic spelling of a Latin word that the dictionary holds. A spelling
    it lacks has no known parse (a parse is known when its word is in the dictionary, and a parse's word is
    the spelling or its ё form): it is not parsed, as guessing an unknown word's forms is the costly part."""
    morph = analyzer()
    for spelling in _spellings(word):
        if morph.word_is_known(spelling):
            yield from ((spelling, p) for p in morph.parse(spelling))


def _speaker(sentence: str, start: int, end: int) -> bool:
    """The name opens the sentence and a colon follows it: the speaker of a quote ("Name: words ..."), a
    headline's usual shape, where any surname is a surname (the given name is still looked up)."""
    return (
        start == 0 and sentence.startswith(":", end) and not is_common_word(sentence[start:end].split()[-1])
    )


@functools.lru_cache(maxsize=1_024)
def is_common_word(word: str) -> bool:
    """Does the word, spelled back in Cyrillic, read as a word of the dictionary that is no surname
    ("Park" -> «парк»)? Such a word after a given name makes a place's name ("Victory Park"), not a
    person's."""
    return any(
        p.is_known and "Surn" not in p.tag and "Name" not in p.tag for _, p in _dictionary_parses(word)
    )


def untitled_people(
    sentence: str, runs: Sequence[RunAt], found: Sequence[Found], vocab: Vocab
) -> list[Found]:
    """Persons named by a given name and a surname alone ("Sergey Lavrov"), in a Latin sentence, where
    no titled rule found them already: a run that is the name, or that opens with it before "of the
    ..." ("Vyacheslav Volodin of the State Duma")."""
    if has_cyrillic(sentence):
        return []  # curly quotes and apostrophes are English text's too
    taken = {f.offset for f in found}
    out: list[Found] = []
    for start, _, run in runs:
        if run.inner or run.title_after or not _may_pair(run):
            continue
        for index, name in _name_pairs(run, start):
            given, surname = run.tokens[index : index + 2]
            at = start + run.offsets[index]
            surname_end = start + run.offsets[index + 1] + len(surname)
            if at in taken or not is_given_name(given):
                continue
            if _SURNAME_ENDING.fullmatch(strip_possessive(surname)[0]) is None and not _speaker(
                sentence, at, surname_end
            ):
                continue
            if _CREDIT_BEFORE.search(sentence, max(0, at - _CREDIT_WINDOW), at) is not None:
                continue
            if is_patronymic(surname) and _addressed(sentence, at, surname_end):
                continue  # "— Imangali Nurgaliyevich, you have ...": a given name and a patronymic
            # ", a spokesman for the CSTO Joint Staff": the office after the name is its title
            out.append(Found(name, lowercase_office_after(sentence, surname_end, vocab), at))
    return out


# What follows a person addressed by given name and patronymic: "!", "?", ", you ...", ", thank you".
_ADDRESSED_AFTER = re.compile(
    r"\s*(?:[!?]|,\s+(?i:you|thank|I|we|please|let|tell|how|what|why|do|does|can|could|would|is|are|may)\b)"
)


def _addressed(sentence: str, start: int, end: int) -> bool:
    """Is the name at sentence[start:end] someone spoken to: an interview's question opens with it after a
    dash, or "!", "?" or ", you ..." follows it?"""
    return sentence[:start].strip() in _DIALOGUE_DASHES or _ADDRESSED_AFTER.match(sentence, end) is not None


_DIALOGUE_DASHES = ("\u2014", "\u2013", "-")


def _may_pair(run: Run) -> bool:
    """Can _name_pairs find a pair in the run: a name at its end, or three words at least? Most runs are one
    or two words that name no one ("The", "CSTO"): they are passed over without building anything."""
    return run.tail is not None or run.titled_tail is not None or len(run.tokens) > 2


def _name_pairs(run: Run, start: int) -> list[tuple[int, str]]:
    """(token index, name) of the given name and surname a run may be: its last two words (a surname
    shaped like a patronymic too, "Vladislav Shchegrikovich"), or its first two before a connector
    ("Vyacheslav Volodin of the ..."). Sentence-initial connectors may stand before ("According to")."""
    tokens = run.tokens
    first = 0
    if start == 0:  # "According to Name": the sentence's first word and the connectors after it
        first = 1
        while first < len(tokens) and tokens[first] in CONNECTOR_SET:
            first += 1
    pairs: list[tuple[int, str]] = []
    for k in (0, first) if first else (0,):
        if k + 2 < len(tokens) and tokens[k + 2] in CONNECTOR_SET:
            pairs.append((k, f"{tokens[k]} {strip_possessive(tokens[k + 1])[0]}"))
            break
    tail = run.tail or run.titled_tail
    # the run's last two words, when they are all of it, or follow "Name Surname and" ("... and Ivan Petrov")
    joined = bool(pairs) and tail is not None and tail[0] == pairs[0][0] + 3 and tokens[tail[0] - 1] == "and"
    if tail is not None and len(tokens) - tail[0] == 2 and (tail[0] in (0, first) or joined):
        pairs.append(tail)
    return pairs
