"""Russian words for the people rules (people_ru): tokens, what pymorphy3 says of each word, and the
nominative of given names, surnames and titles.

pymorphy3 with its Russian dictionary (OpenCorpora) tells given names (Name), patronymics (Patr),
known surnames (Surn), title nouns, and their case and gender. Its guesses for surnames it does not
know are unreliable ("Тасмагамбетов" reads as a plural genitive of "тасмагамбет"), so an unknown
surname is brought to the nominative by the paradigm of Russian surnames in the case and gender that
the given name (or the title's head noun) shows: a surname agrees with the given name it follows.

Split from people_ru because this is the morphology (one word at a time, with no sentence in view),
and people_ru is the reading of sentences that uses it. The analyzer is loaded lazily, once per
process (`analyzer()`); every word's analysis is cached. Pure apart from loading the library's
packaged dictionary.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pymorphy3

# Head nouns of titles (normal forms). A title is the phrase led by one of these right before a name.
# fmt: off
DEFAULT_TITLE_HEADS = frozenset((
    "секретарь", "генсек", "министр", "замминистра", "заместитель", "начальник", "председатель",
    "зампредседателя", "президент", "премьер-министр", "премьер", "вице-премьер", "вице-президент",
    "командующий", "главнокомандующий", "директор", "посол", "помощник", "советник", "руководитель",
    "глава", "спикер", "представитель", "полпред", "постпред", "пресс-секретарь", "генерал",
    "генерал-полковник", "генерал-лейтенант", "генерал-майор", "генерал-армия", "полковник",
    "подполковник", "адмирал", "вице-адмирал", "контр-адмирал", "маршал", "член", "депутат",
    "губернатор", "мэр", "сенатор", "канцлер", "консул", "атташе", "дипломат", "лидер", "ректор",
    "профессор", "эксперт", "политолог", "координатор", "уполномоченный", "прокурор", "генпрокурор",
    "судья", "деятель", "комиссар", "военачальник", "шеф", "главком", "начштаба", "командир",
    "исполняющий", "врио", "управляющий", "инспектор", "атаман", "омбудсмен", "президенты",
    "госсекретарь",
))
# fmt: on
LEFT_MODIFIER_POS = frozenset(("ADJF", "PRTF"))  # "Генеральный", "бывший", "исполняющий"
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

_UPPER = "А-ЯЁ"
_LOWER = "а-яё"
_LETTER = "А-ЯЁа-яёA-Za-z\u04d8\u04d9\u0492\u0493\u049a\u049b\u04a2\u04a3\u04e8\u04e9\u04b0\u04b1\u04ae\u04af\u04ba\u04bb\u0406\u0456"
# Initials glued to a surname: "И.Тасмагамбетов", "В. В. Путин", "Ш.Д.Файзуллозода".
_INITIALS = rf"(?:[{_UPPER}][{_LOWER}]?\.\s?){{1,2}}[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_WORD = rf"[{_LETTER}]+(?:-[{_LETTER}]+)*"
_TOKEN = re.compile(rf"({_INITIALS})|({_WORD})")
INITIALS_SPLIT = re.compile(rf"((?:[{_UPPER}][{_LOWER}]?\.\s?)+)(.+)$")


_lock = threading.Lock()


@functools.cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The one Russian analyzer of this process (loading its dictionary takes a noticeable moment and
    memory, so only a process that reads Russian pays for it)."""
    with _lock:
        import pymorphy3  # loaded on first use only

        return pymorphy3.MorphAnalyzer(lang="ru")


class WordInfo(NamedTuple):
    """What the rules need of one word's analyses."""

    name_cases: frozenset[tuple[str, str]]  # (case, gender) of known given-name readings, singular
    # (case, gender) of the given-name guesses of a word the dictionary does not know at all, when its best
    # guess is a given name ("Таалатбек", "Таалатбека"); empty otherwise
    guessed_name_cases: frozenset[tuple[str, str]]
    patronymic_cases: frozenset[str]
    title_head: bool
    title_cases: frozenset[str]  # cases of the title-noun reading
    pos: frozenset[str]  # parts of speech of its readings
    known: bool  # in the dictionary
    place: bool  # a known place or organisation name (Geox, Orgn), not a person
    modifier_cases: frozenset[str]  # cases of its adjective and participle readings
    surname: bool  # a known surname reading, Fixd ones too ("Шойгу", "Иванова")
    fixed_surname: bool  # a known surname that does not decline ("Шойгу")
    thing: bool  # known only as a common inanimate noun or another part of speech ("Организации")


_WORD_CACHE_MAX = 50_000
# Last elements of Turkic given names: an unknown word pymorphy may read as a given name ("Камчыбек") is
# one when it ends so, even where its first guess is another noun
_GIVEN_NAME_ELEMENTS = ("бек", "бай", "жан", "хан", "мурат", "али", "улло", "улла", "гуль", "гүл")


# a plural given name of this shape is a surname: "Джумабеков", "Ахмедов" (of "Джумабек", "Ахмед")
_PLURAL_NAME_SURNAMES = ("ов", "ев", "ёв", "ова", "ева", "ову", "еву", "овым", "евым", "ове", "еве")


@functools.lru_cache(maxsize=_WORD_CACHE_MAX)
def word_info(word: str, heads: frozenset[str]) -> WordInfo:
    parses = analyzer().parse(word)
    name_cases: set[tuple[str, str]] = set()
    guessed: set[tuple[str, str]] = set()
    patr: set[str] = set()
    title_cases: set[str] = set()
    head = False
    pos: set[str] = set()
    known = False
    place = False
    modifier_cases: set[str] = set()
    surname = fixed = False
    plural_names = 0  # known readings as a plural given name: "Джумабеков" (of "Джумабек") is a surname
    personal = False  # some reading may name a person: animate, a name, a surname or an unknown word
    if not any(p.is_known for p in parses):
        names = [p for p in parses if "Name" in p.tag and p.tag.number == "sing"]
        if names and ("Name" in parses[0].tag or names[0].normal_form.endswith(_GIVEN_NAME_ELEMENTS)):
            guessed = {(str(p.tag.case), str(p.tag.gender)) for p in names}
    for p in parses:
        tag = p.tag
        pos.add(str(tag.POS))
        known = known or p.is_known
        if "Name" in tag and tag.number == "sing":
            if p.is_known:
                name_cases.add((str(tag.case), str(tag.gender)))
        elif "Name" in tag and p.is_known:
            plural_names += 1
        if "Patr" in tag and p.is_known:
            patr.add(str(tag.case))
        if "Surn" in tag and p.is_known:
            surname = True
            fixed = fixed or "Fixd" in tag
        if tag.POS in LEFT_MODIFIER_POS:
            modifier_cases.add(str(tag.case))
        if not p.is_known or "anim" in tag or "Name" in tag or "Surn" in tag:
            personal = True
        if ("Geox" in tag or "Orgn" in tag) and p.is_known:
            place = True
        if tag.POS == "NOUN" and is_title_head(p.normal_form, heads):
            head = True
            title_cases.add(str(tag.case))
    if (
        plural_names
        and plural_names == sum(p.is_known for p in parses)
        and word.endswith(_PLURAL_NAME_SURNAMES)
    ):
        surname = True  # known only as given names in the plural, with a surname's ending: a surname
    return WordInfo(
        frozenset(name_cases),
        frozenset(guessed),
        frozenset(patr),
        head,
        frozenset(title_cases),
        frozenset(pos),
        known,
        place,
        frozenset(modifier_cases),
        surname,
        fixed,
        not personal,
    )


# Short heads of news text: "экс-генсек", "замглавы", "замгенсека", "замначальника" (the "зам-" words are
# indeclinable or unknown to the dictionary; what follows "зам" is a head in the genitive or nominative)
_FORMER_PREFIX = "экс-"
# the first parts of compound posts whose last part is the head ("статс-секретарь", "вице-спикер"); a
# "государств-членов" is member states, not members
_POST_PREFIXES = frozenset(("статс", "вице", "обер", "унтер", "контр", "генерал", "лейб"))
_DEPUTY_PREFIX = "зам"
_DEPUTY_MIN_REST = 4  # "замглавы" -> "главы"; shorter rests ("зам", "замок") are not heads


@functools.lru_cache(maxsize=1_024)
def is_title_head(normal_form: str, heads: frozenset[str]) -> bool:
    """Is this normal form a title's head noun: one of `heads`, or one with "экс-" or "зам" before it?"""
    if normal_form in heads:
        return True
    if normal_form.startswith(_FORMER_PREFIX):
        return is_title_head(normal_form[len(_FORMER_PREFIX) :], heads)
    if "-" in normal_form:  # "статс-секретарь", "советник-посланник": a compound post
        parts = normal_form.split("-")
        return parts[0] in heads or (parts[-1] in heads and parts[0] in _POST_PREFIXES)
    rest = normal_form[len(_DEPUTY_PREFIX) :]
    if normal_form.startswith(_DEPUTY_PREFIX) and len(rest) >= _DEPUTY_MIN_REST:
        return rest in heads or any(
            p.tag.POS == "NOUN" and p.normal_form in heads for p in analyzer().parse(rest)
        )
    return False


class Token(NamedTuple):
    """A word or an initials-and-surname group of a sentence, where it stands."""

    text: str
    start: int
    end: int
    initials: bool  # "И.Тасмагамбетов"


def tokenize(sentence: str) -> list[Token]:
    """The words of a sentence, an initials-and-surname group ("И.Тасмагамбетов") as one."""
    return [Token(m.group(), m.start(), m.end(), m.group(1) is not None) for m in _TOKEN.finditer(sentence)]


def is_capitalised(word: str) -> bool:
    return word[0].isupper() and any(c.islower() for c in word[1:])


def is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


# ------------------------------------------------------------------ surnames to the nominative

_SOFT_OR_HISSING = "жшчщц"
_CONSONANTS = "бвгджзйклмнпрстфхцчшщ"
_VOWELS = "аеёиоуыэюя"


def _recase(model: str, word: str) -> str:
    """word (lower case) written with model's capitals: per hyphen part, first letter."""
    out = []
    for m_part, w_part in zip(model.split("-"), word.split("-"), strict=False):
        out.append(w_part[:1].upper() + w_part[1:] if m_part[:1].isupper() else w_part)
    return "-".join(out) if len(out) == len(word.split("-")) else word.capitalize()


def _masculine_nominative(w: str, case: str) -> str:
    """A masculine surname (lower case) in `case` brought to the nominative by the paradigms of Russian
    surnames: -ов/-ин and consonant stems (Сердюкова, Асряном), soft stems (Зася, Засем, Макеем),
    adjectival ones (Вишневского), a-stems (Бордюжи, Бордюжей). Anything else (Шойгу, Лукашенко) is
    indeclinable and stays as written. A consonant stem gets back the vowel its nominative drops in the
    other cases (Руденка -> Руденок, Кравца -> Кравец)."""
    if w.endswith(INDECLINABLE_ENDINGS):
        return w
    nominative = _masculine_ending_undone(w, case)
    return _fleeting_vowel(nominative) if nominative != w and w.startswith(nominative) else nominative


INDECLINABLE_ENDINGS = ("зода", "заде")  # Tajik and Azerbaijani surnames: Салимзода, Назарзода
# Stem ends whose nominative has a vowel the other cases drop: the Belarusian -ёнок/-енок (Руденка,
# Ковалёнка). Only these: a foreign stem in -нк or -ц keeps its letters (Франка, Шольца, Шварца).
_FLEETING = (("ёнк", "ёнок"), ("енк", "енок"))


def _fleeting_vowel(stem: str) -> str:
    for end, nominative in _FLEETING:
        if stem.endswith(end) and len(stem) > len(end) + 1:
            return stem[: -len(end)] + nominative
    return stem


def _masculine_ending_undone(w: str, case: str) -> str:  # noqa: C901 - a table of Russian endings, case by case
    """_masculine_nominative before its fleeting vowel: the case ending taken off or replaced."""

    def ends(suffix: str) -> bool:
        return w.endswith(suffix) and len(w) > len(suffix) + 1

    def before(suffix: str) -> str:
        return w[-len(suffix) - 1] if len(w) > len(suffix) else ""

    if case in ("gent", "accs"):
        for adj, nom in (("ского", "ский"), ("цкого", "цкий")):
            if ends(adj):
                return w[: -len(adj)] + nom
        if ends("я"):
            return w[:-1] + ("й" if before("я") in _VOWELS else "ь")
        if ends("и") and before("и") in "гкхжшчщ" or ends("ы") and before("ы") in _CONSONANTS:
            return w[:-1] + "а"
        if case == "accs" and ends("у") and before("у") in _CONSONANTS and not w.endswith(("ову", "ину")):
            return w[:-1] + "а"
        if ends("а") and before("а") in _CONSONANTS:
            return w[:-1]
    elif case == "datv":
        for adj, nom in (("скому", "ский"), ("цкому", "цкий")):
            if ends(adj):
                return w[: -len(adj)] + nom
        if ends("ю"):
            return w[:-1] + ("й" if before("ю") in _VOWELS else "ь")
        if ends("у") and before("у") in _CONSONANTS:
            return w[:-1]
        if ends("е") and before("е") in _CONSONANTS:
            return w[:-1] + "а"
    elif case == "ablt":
        for adj, nom in (("ским", "ский"), ("цким", "цкий")):
            if ends(adj):
                return w[: -len(adj)] + nom
        if ends("ым") and w[:-2].endswith(("ов", "ев", "ёв", "ин", "ын")):
            return w[:-2]
        if ends("ом") and before("ом") in _CONSONANTS:
            return w[:-2]
        if ends("ей") and before("ей") in _SOFT_OR_HISSING or ends("ой") and before("ой") in _CONSONANTS:
            return w[:-2] + "а"
        if ends("ем"):
            b = before("ем")
            if b in _VOWELS:
                return w[:-2] + "й"
            if b in _SOFT_OR_HISSING:
                return w[:-2]
            if b in _CONSONANTS:
                return w[:-2] + "ь"
    elif case == "loct":
        for adj, nom in (("ском", "ский"), ("цком", "цкий")):
            if ends(adj):
                return w[: -len(adj)] + nom
        if ends("е") and before("е") in _VOWELS:
            return w[:-1] + "й"
        if ends("е") and before("е") in _CONSONANTS:
            return w[:-1]
    return w


def _feminine_nominative(w: str, case: str) -> str:
    """A feminine surname in `case` to the nominative: -ова/-ина (Ивановой, Иванову) and adjectival
    -ская (Вишневской, Вишневскую); any other (Йенча aside, foreign ones) does not decline."""
    if case == "accs":
        if w.endswith(("ову", "еву", "ёву", "ину", "ыну")):
            return w[:-1] + "а"
        if w.endswith(("скую", "цкую")):
            return w[:-2] + "ая"
    elif case in ("gent", "datv", "ablt", "loct"):
        if w.endswith(("овой", "евой", "ёвой", "иной", "ыной")):
            return w[:-2] + "а"
        if w.endswith(("ской", "цкой")):
            return w[:-2] + "ая"
    return w


@functools.lru_cache(maxsize=_WORD_CACHE_MAX)
def surname_nominative(surname: str, case: str, gender: str) -> str:
    """The nominative of a surname written in `case` for a person of `gender` ("masc"/"femn").

    A surname pymorphy's dictionary knows (Шойгу, Сердюков) is inflected by pymorphy, reading only
    analyses that agree in case and gender; an unknown one follows the surname paradigms above.
    """
    if case == "nomn" or not surname:
        return surname
    if word_info(surname, DEFAULT_TITLE_HEADS).fixed_surname:
        return surname
    parts = surname.split("-")
    out = []
    for part in parts:
        low = part.casefold()
        nominative: str | None = None
        for p in analyzer().parse(low):
            tag = p.tag
            if "Surn" in tag and p.is_known and tag.case == case and tag.gender in (gender, "ms-f"):
                inflected = p.inflect({"nomn", "sing"})
                if inflected is not None:
                    nominative = inflected.word
                    break
        if nominative is None:
            nominative = (_feminine_nominative if gender == "femn" else _masculine_nominative)(low, case)
        out.append(_recase(part, nominative))
    return "-".join(out)


_OBLIQUE_MASCULINE = (  # endings a masculine nominative -ов/-ин surname never has: the case they show
    (("овым", "евым", "ёвым", "иным", "ыным", "ским", "цким"), "ablt"),
    (("ову", "еву", "ёву", "ину", "ыну", "скому", "цкому"), "datv"),
    (("ове", "еве", "ёве", "ине", "ыне"), "loct"),
    (("ова", "ева", "ёва", "ина", "ына", "ского", "цкого"), "gent"),
    (("у", "ю"), "accs"),  # a-stems: "Николая Бордюжу" (a genitive would be "Бордюжи")
)


def case_from_surname(surname: str, cases: Iterable[str]) -> str:
    """Of the cases a given name allows (an indeclinable "Имангали" allows all), the one a masculine
    surname's ending shows; the nominative when the ending says nothing."""
    allowed = set(cases)
    low = surname.casefold()
    for endings, case in _OBLIQUE_MASCULINE:
        if case in allowed and low.endswith(endings):
            return case
    return "nomn" if "nomn" in allowed or not allowed else min(allowed, key=CASES.index)


def oblique_masculine_case(surname: str) -> str | None:
    """The oblique case a man's surname shows by an ending no nominative has ("Лаврова": genitive;
    "Иванову": dative), or None ("Шойгу", "Лукашенко", "Лавров" say nothing)."""
    low = surname.casefold()
    if len(low) < 5 or word_info(surname, DEFAULT_TITLE_HEADS).fixed_surname:
        return None
    return next((case for endings, case in _OBLIQUE_MASCULINE[:-1] if low.endswith(endings)), None)


# ------------------------------------------------------------------ titles


def _head_nominative(word: str, gender: str | None = None) -> str:
    """A title word (noun, or adjective/participle before it) to the nominative singular."""
    best = None
    for p in analyzer().parse(word.casefold()):
        if p.tag.POS in ("NOUN", "ADJF", "PRTF"):
            best = p
            break
    if best is None:
        return word
    grammemes = {"nomn", "sing"}
    if best.tag.POS != "NOUN":
        grammemes.add(gender or "masc")
    inflected = best.inflect(grammemes)
    return _recase(word, inflected.word) if inflected is not None else word


_TITLE_JOINS = re.compile(
    r"(,\s|\s[–—-]\s)"
)  # "статс-секретаря – заместителя ...", "председателя ..., председателя"


def title_nominative(title: str, heads: frozenset[str] = DEFAULT_TITLE_HEADS) -> str:
    """The title with its head noun and the words before it in the nominative singular, the rest (its
    genitive complement) as written: "начальника Объединенного штаба ОДКБ" -> "начальник Объединенного
    штаба ОДКБ", "министрами обороны Беларуси" -> "министр обороны Беларуси". Two titles joined by a dash
    or a comma ("статс-секретаря – заместителя Министра") each go to the nominative."""
    parts = _TITLE_JOINS.split(title)
    if len(parts) == 1:
        return _one_title_nominative(title, heads)
    out = [_one_title_nominative(parts[0], heads)]
    first_cases = _leading_head_cases(parts[0], heads)
    for join, part in zip(parts[1::2], parts[2::2], strict=True):
        joined = bool(first_cases & _leading_head_cases(part, heads))
        out.append(join + (_one_title_nominative(part, heads) if joined else part))
    return "".join(out)


def _leading_head_cases(title: str, heads: frozenset[str]) -> frozenset[str]:
    """The cases of the head a title opens with (after its adjectives); empty when it opens otherwise."""
    for word in title.split(" "):
        if not _is_word(word):
            return frozenset()
        info = word_info(word, heads)
        if info.title_head:  # singular readings only: "государств – членов ОДКБ" is no second title
            return frozenset(
                str(p.tag.case)
                for p in analyzer().parse(word.casefold())
                if p.tag.POS == "NOUN" and p.tag.number == "sing" and is_title_head(p.normal_form, heads)
            )
        if not info.pos & LEFT_MODIFIER_POS and word != "и":  # "Чрезвычайного и Полномочного Посла"
            return frozenset()
    return frozenset()


def _one_title_nominative(title: str, heads: frozenset[str]) -> str:
    words = title.split(" ")
    head_at = next((i for i, w in enumerate(words) if _is_word(w) and word_info(w, heads).title_head), None)
    if head_at is None:
        return title
    out = [
        _head_nominative(w)
        if _is_word(w) and w.casefold() != "обязанности" and not _deputy_compound(w)
        else w
        for w in words[: head_at + 1]
    ]
    first = words[0].casefold()
    if _ACTING_ABBREVIATION.match(first):  # "и.о. генсека организации": what follows "и.о." stays as written
        return title
    if first.startswith("исполняющ") or first == "временно":
        out = [_head_nominative(words[0]) if first != "временно" else words[0], *words[1:]]
        return " ".join(out)
    return " ".join(out + _trailing_ranks_nominative(words[head_at + 1 :], word_info(words[head_at], heads)))


_ACTING_ABBREVIATION = re.compile(r"и\.\s?(?:о\.)?$")  # "и.о." (or "и." before "о." as its own word)
# Military ranks that follow a post in the same case: "начальника Объединенного штаба генерал-полковника"
_RANK_PREFIXES = (
    "генерал",
    "полковник",
    "подполковник",
    "адмирал",
    "вице-адмирал",
    "контр-адмирал",
    "маршал",
)


def _trailing_ranks_nominative(rest: list[str], head: WordInfo) -> list[str]:
    """The words after a title's head, a military rank at their end brought to the nominative when it
    stands in the head's (oblique) case: a rank in apposition, not a genitive complement."""
    if not rest or "nomn" in head.title_cases:
        return rest
    last = rest[-1]
    if not _is_word(last):
        return rest
    for p in analyzer().parse(last.casefold()):
        if (
            p.tag.POS == "NOUN"
            and p.normal_form.startswith(_RANK_PREFIXES)
            and p.tag.case in head.title_cases
        ):
            inflected = p.inflect({"nomn", "sing"})
            if inflected is not None:
                return [*rest[:-1], _recase(last, inflected.word)]
    return rest


def _deputy_compound(word: str) -> bool:
    """ "замначальника", "замглавы": "зам" and a head in the genitive, one word that does not decline."""
    low = word.casefold()
    return low.startswith(_DEPUTY_PREFIX) and not low.startswith("замест")


def _is_word(text: str) -> bool:
    return bool(text) and _TOKEN.fullmatch(text) is not None


_FEMININE_NOMINATIVE = ("ова", "ева", "ёва", "ина", "ына", "ая")


def plausible_surname(surname: str, case: str, gender: str) -> bool:
    """Can a surname be in this case and gender? A woman's nominative surname ends in -ова/-ина/-ая or
    does not decline (consonant, -о, -у, -и, -е): "Станислава Зася" is Станислав Зась in the genitive,
    not a woman called Зася; "Александра Иванова" stays a woman."""
    if case != "nomn" or gender != "femn":
        return True
    low = surname.casefold()
    return low.endswith(_FEMININE_NOMINATIVE) or low[-1:] not in "ая"


def agreeing_cases(
    name_cases: Iterable[tuple[str, str]], patronymic: frozenset[str] | None
) -> list[tuple[str, str]]:
    cases = sorted(set(name_cases), key=lambda cg: CASES.index(cg[0]) if cg[0] in CASES else 9)
    if patronymic is not None:
        cases = [cg for cg in cases if cg[0] in patronymic] or cases
    return cases


def given_nominative(word: str, case: str, gender: str) -> str:
    if case == "nomn":
        return word
    for p in analyzer().parse(word.casefold()):
        if "Name" in p.tag and p.tag.case == case and p.tag.gender == gender:
            inflected = p.inflect({"nomn", "sing"})
            if inflected is not None:
                return _recase(word, inflected.word)
    # a given name the dictionary does not know ("Николом") declines like a surname of its gender
    nominative = (_feminine_nominative if gender == "femn" else _masculine_nominative)(word.casefold(), case)
    return _recase(word, nominative)
