"""One key per person across spellings and scripts.

Pages spell one person many ways: "Andrei"/"Andrey", "Shoigu"/"Shoygu", "Khasan"/"Hassan", "Zas’",
"Stanislav ZAS", and in Russian "Станислав Зась". This module turns any such spelling (nominative: Russian
inflection is undone by people_ru_morph) into one key:

1. Cyrillic is transliterated to Latin with one simple scheme (х=kh, ж=zh, ю=yu, я=ya, й=y, ъ/ь dropped,
   plus the Kazakh, Kyrgyz, Tajik and Belarusian letters);
2. the Latin spelling is folded so that the usual transliteration variants meet (see `fold_word`);
3. the key is "first last": the given name's fold and the surname's fold. Every middle word (a patronymic,
   a middle name or initial) is dropped, a surname-first order is put back ("Семериков Валерий Анатольевич",
   "ZAS Stanislav"), and two people sharing a surname stay apart ("sergei patrushev" is not
   "nikolai patrushev").

A feminine surname is a different key from the masculine one ("Ivanova" is not "Ivanov"): they are
different people (a wife, a daughter, a colleague), and Russian text brought to the nominative writes a
woman's surname in its feminine form.

Initials ("S. Ordabayev", "Sh.J.Faizullozoda", "И.Тасмагамбетов") have no key of their own: they are
resolved against the keys a corpus knows, and match only when exactly one known person fits
(`resolve_initials`).

Pure: no I/O, every function linear in its input.
"""

from __future__ import annotations

import functools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from .caches import memo_text

# fmt: off
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Kyrgyz, Tajik, Belarusian, Ukrainian letters met in the names of the CSTO's member states
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "u",
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ї": "yi", "є": "ye", "ґ": "g",
}
# fmt: on
_TRANSLIT = str.maketrans(_CYRILLIC)
# Stray marks inside or after a word: apostrophes (a transliterated soft sign), backticks, accents.
_APOSTROPHES = "'\u2018\u2019\u02bc\u02b9`\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015-"
_MARKS = _APOSTROPHES + _DASHES + "."  # dropped from a word before it is folded
_INITIAL = re.compile(r"^([^\W\d_]{1,2})\.$")  # "S." "Sh." "И."
_TOKEN = re.compile(r"[^\W\d_]+(?:[" + _APOSTROPHES + _DASHES + r"][^\W\d_]+)*[" + _APOSTROPHES + r"]?\.?")
_DOUBLE = re.compile(r"(.)\1+")
# The letter a doubled run is made of: a C-level replacement (a template such as r"\1" is expanded by
# Python code of the re module on every call).
_FIRST_GROUP = operator.itemgetter(1)
_YO_AFTER_CONSONANT = re.compile(r"(?<=[bcdfghjklmnpqrstvwz])yo")
_DOT_BEFORE_WORD = re.compile(r"\.(?=\S)")  # "Sh.J.Faizullozoda": initials written without spaces
_SPACES_AND_DASHES = re.compile(r"[\s" + _DASHES + "]+")
# Latin endings of patronymics (after folding): -ovich, -evich, -ich, -ovna, -evna, -ichna; Turkic
# -ogly/-uly/-kyzy are written as separate words and count too.
_PATRONYMIC_FOLDED = re.compile(r"(?:vich|vna|ichna|ich)$")
_PATRONYMIC_WORDS = frozenset(("ogli", "ugli", "ogl", "uli", "kizi"))
# English forms of Russian given names that no letter rule reaches (Alexander has an "e" Aleksandr lacks).
_GIVEN_NAME_FORMS = {"aleksander": "aleksandr", "aleksandar": "aleksandr", "peter": "petr"}


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def transliterate(text: str) -> str:
    """Cyrillic letters to Latin (lower case in, lower case out; other characters kept).

    "й" after "и"/"ы" is one sound with it ("Валерий" -> "valeriy"), the rest letter by letter.
    """
    return text.translate(_TRANSLIT)


@functools.lru_cache(maxsize=1 << 14)
def fold_word(word: str) -> str:
    """One word of a name as keys compare it: transliterated, then transliteration variants folded.

    Rules, in order (each a plain string replacement, so linear):
    lower case, accents and apostrophes dropped, hyphens joined ("Kassym-Jomart" = "Kassymjomart");
    x = ks (Alexei = Aleksei); ct = kt (Victor = Viktor); dzh/zh = j (Zhaksylykov = Jaksylykov); kh = h (Khasan = Hasan,
    Rakhmon = Rahmon); gh = g (Baghdasaryan = Багдасарян); "yo" after a consonant = e (Fyodor = Fedor); y = i (Andrey = Andrei,
    Shoygu = Shoigu, Yuri = Iuri, Masadykov = Masadikov); a leading "ie" = e (Yevgeny = Evgeny);
    "iev" = "ev" (Sergeyev = Sergeev, Ordabayev = Ordabaev); doubled letters once
    (Hassan = Hasan, Taalatbek = Talatbek, Dmitriy = Dmitri); a few English forms of given names
    (Alexander = Aleksandr, Peter = Pyotr).

    What letters cannot know stays apart and belongs in the curated lexicon: Vahe/Ваге, Ibrahim/Ибрагим
    (a foreign h written г), Jenca/Йенча (a Slovak j).
    """
    w = _strip_accents(word.casefold()) if not word.isascii() else word.casefold()
    w = transliterate(w)
    for mark in _MARKS:
        if mark in w:
            w = w.replace(mark, "")
    w = w.replace("x", "ks").replace("dzh", "j").replace("zh", "j").replace("kh", "h").replace("gh", "g")
    w = w.replace("ct", "kt")
    if "yo" in w:
        w = _YO_AFTER_CONSONANT.sub("e", w)
    w = w.replace("y", "i")
    if w.startswith("ie"):
        w = w[1:]
    w = w.replace("iev", "ev")
    w = _DOUBLE.sub(_FIRST_GROUP, w)
    return _GIVEN_NAME_FORMS.get(w, w)


def _is_patronymic_fold(folded: str) -> bool:
    return (len(folded) >= 5 and _PATRONYMIC_FOLDED.search(folded) is not None) or folded in _PATRONYMIC_WORDS


class NameParts(NamedTuple):  # a tuple, not a frozen dataclass: one is made for every new name, and faster
    """A written name read into its parts: initials (as folded letters), given name, surname (folds)."""

    initials: tuple[str, ...]  # folded initials, in order ("sh", "j") — empty for a full name
    given: str | None  # folded given name; None when only initials or a surname are written
    surname: str | None  # folded surname


def _tokens(name: str) -> list[str]:
    """The words of a name; "Sh.J.Faizullozoda" is three tokens, "Zas’," one, stray punctuation dropped."""
    spaced = name.strip()
    if "." in spaced:
        spaced = _DOT_BEFORE_WORD.sub(". ", spaced)
    return _TOKEN.findall(spaced)


@functools.lru_cache(maxsize=1 << 14)
def name_parts(name: str) -> NameParts:
    """Read a name: "Andrei Nikolayevich Serdyukov", "Семериков Валерий Анатольевич", "ZAS Stanislav",
    "S. Ordabayev", "И.Тасмагамбетов", "Tasmagambetov I."."""
    tokens = _tokens(name)
    initials: list[str] = []
    words: list[str] = []  # the written full words, in order
    for token in tokens:
        m = _INITIAL.match(token)
        if m:
            initials.append(fold_word(m.group(1)))
        elif token.endswith(".") and len(token) > 3:
            words.append(token[:-1])  # a name at the end of a sentence
        else:
            words.append(token)
    kept = [(w, fold_word(w)) for w in words]
    kept = [(w, f) for w, f in kept if f]
    if not kept:
        return NameParts(tuple(initials), None, None)
    if len(kept) == 1:  # "S. Ordabayev", "Ordabayev S.", "Serdyukov": a surname
        return NameParts(tuple(initials), None, kept[-1][1])
    if initials:  # "Alexander G. Lukashenko": a middle initial, dropped as a patronymic is
        return NameParts((), kept[0][1], kept[-1][1])
    folds = [f for _, f in kept]
    given, surname = folds[0], folds[-1]
    surname_first = (
        len(folds) >= 3 and _is_patronymic_fold(folds[-1])
    ) or (  # "Семериков Валерий Анатольевич"
        len(folds) == 2 and _shouted(kept[0][0]) and not _shouted(kept[1][0])  # "ZAS Stanislav"
    )
    if surname_first:
        given, surname = folds[1], folds[0]
    return NameParts((), given, surname)


def _shouted(word: str) -> bool:
    return len(word) > 1 and word.isupper()


@memo_text(300_000, 200)
def person_key(name: str) -> str:
    """The identity of a person across spellings and scripts: "given surname", both folded.

    "Andrei Nikolayevich Serdyukov", "Andrey Serdyukov", "Андрей Сердюков", "SERDYUKOV Andrei" all give
    "andrei serdiukov". A name written with initials or a surname alone gives just the surname's fold
    (resolve it with `resolve_initials` / `resolve_surname` before keying); "" when nothing name-like
    is left.
    """
    parts = name_parts(name)
    if parts.surname is None:
        return parts.given or ""
    if parts.given is None:
        return parts.surname
    return f"{parts.given} {parts.surname}"


@memo_text(300_000, 200)
def has_initials(name: str) -> bool:
    """True when the given name is written as initials only ("S. Ordabayev", "И.Тасмагамбетов")."""
    parts = name_parts(name)
    return bool(parts.initials) and parts.given is None and parts.surname is not None


def initials_match(name: str, key: str) -> bool:
    """Can the initials-form `name` stand for the person keyed `key`? Same surname fold, and the given
    name's fold starts with the first initial's fold ("Sh." fits "shohin", "И." fits "imangali",
    "Kh." fits "hasan"). A further initial (the patronymic's) is not checked: keys hold no patronymic."""
    parts = name_parts(name)
    if not parts.initials or parts.surname is None:
        return False
    given, _, surname = key.rpartition(" ")
    return bool(given) and surname == parts.surname and given.startswith(parts.initials[0])


def resolve_initials(name: str, known_keys: Iterable[str]) -> str | None:
    """The one known key an initials-form name stands for ("S. Ordabayev" -> "samat ordabaev"), or None
    when no known person fits or more than one does (never guess between two Patrushevs)."""
    match: str | None = None
    for key in known_keys:
        if initials_match(name, key):
            if match is not None and match != key:
                return None
            match = key
    return match


def resolve_surname(surname: str, known_keys: Iterable[str]) -> str | None:
    """The one known key whose surname is `surname` (any spelling or script), or None if none or several."""
    folded = name_parts(surname).surname
    if folded is None:
        return None
    match: str | None = None
    for key in known_keys:
        if key.rpartition(" ")[2] == folded:
            if match is not None and match != key:
                return None
            match = key
    return match


def same_person(a: str, b: str) -> bool:
    """Do two written names name the same person? Equal keys, or one is an initials form that fits the
    other's key ("S. Ordabayev" and "Samat Ordabaev"). A surname alone is never enough here (only a
    corpus knows whether a surname is unique: see `resolve_surname`)."""
    key_a, key_b = person_key(a), person_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b and " " in key_a:
        return True
    if has_initials(a) and " " in key_b:
        return initials_match(a, key_b)
    if has_initials(b) and " " in key_a:
        return initials_match(b, key_a)
    return False


_TRAILING_MARKS = _APOSTROPHES + '.,;:!?"»«)(' + _DASHES


def tidy_name(name: str) -> str:
    """A written name made fit to show: stray trailing marks dropped ("Zas’" -> "Zas"), spacing single,
    a surname in capitals in title case ("Stanislav ZAS" -> "Stanislav Zas")."""
    words = []
    for word in name.split():
        word = word.strip(_TRAILING_MARKS) if len(word) > 2 else word
        if len(word) > 2 and word.isupper() and "." not in word:
            word = "-".join(part.capitalize() for part in word.split("-"))
        if word:
            words.append(word)
    return " ".join(words)


# The UTF-8 lead bytes of the Cyrillic block (U+0400-U+04FF): no other character's encoding holds them.
_CYRILLIC_LEAD_BYTES = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")


def has_cyrillic(text: str) -> bool:
    """Does text hold a character of the Cyrillic block (U+0400-U+04FF)? As `[\u0400-\u04ff]` searched,
    but English text with curly quotes or dashes is read by C-speed byte scans, not a regex's per-character
    class test."""
    if text.isascii():
        return False
    raw = text.encode("utf-8", "surrogatepass")
    return any(lead in raw for lead in _CYRILLIC_LEAD_BYTES)


def is_cyrillic(text: str) -> bool:
    """True when most letters of text are Cyrillic."""
    cyr = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return cyr > lat


@dataclass(frozen=True, slots=True)
class MergedName:
    """The names of one person: the one to show and every other spelling seen (aliases)."""

    display: str
    aliases: tuple[str, ...]


def display_name(spellings: Sequence[str], language: str = "en") -> MergedName:
    """Choose what to call a merged person: the most frequent tidy spelling in the page language's
    script (Cyrillic for "ru", Latin otherwise), full given names before initials, the first seen on a
    tie; every other distinct spelling as written is kept as an alias.

    `spellings` holds one entry per mention (repeats count), in the order seen.
    """
    if not spellings:
        raise ValueError("display_name needs at least one spelling")
    want_cyrillic = language == "ru"
    counts = Counter(tidy_name(s) for s in spellings)
    first_seen = {name: i for i, name in reversed(list(enumerate(tidy_name(s) for s in spellings)))}

    def rank(name: str) -> tuple[int, int, int, int]:
        return (
            is_cyrillic(name) == want_cyrillic,
            not has_initials(name) and " " in name.strip(),
            counts[name],
            -first_seen[name],
        )

    display = max(counts, key=rank)
    aliases = tuple(dict.fromkeys(s for s in spellings if s != display))
    return MergedName(display, aliases)


def written_key(name: str) -> str:
    """The key of a name as written (case, accents and spacing aside): what a name with no given name and
    surname of its own is filed under ("N. Patrushev" unresolved stays apart from every Patrushev)."""
    folded = _strip_accents(name.casefold()) if not name.isascii() else name.casefold()
    return " ".join(_SPACES_AND_DASHES.sub(" ", folded).split())


@memo_text(300_000, 200)  # names recur on every page; a plain dict table keeps the collector out of it
def row_key(name: str) -> str:
    """The key a person row is filed under: `person_key` when the name gives a given name and a surname,
    else the name as written (initials that found no owner, a single word)."""
    key = person_key(name)
    return key if " " in key else written_key(name)


def surname_of(name: str) -> str | None:
    """The folded surname of a written name ("S. Ordabayev" -> "ordabaev"), or None."""
    return name_parts(name).surname


def is_full_key(key: str) -> bool:
    """A key made of a given name and a surname (not a written-form fallback with initials)."""
    return " " in key and "." not in key
