"""People named in Russian text, with their titles, brought to the nominative.

"Генеральный секретарь ОДКБ Имангали Тасмагамбетов", "с начальником Объединенного штаба ОДКБ Андреем
Сердюковым" (-> Андрей Сердюков), "И.Тасмагамбетов", "Станиславом Засем" (-> Станислав Зась),
"Андрей Николаевич Сердюков", "Семериков Валерий Анатольевич", "президенты России Владимир Путин,
Белоруссии Александр Лукашенко" (the title carried along the list); with no title, a given name the
dictionary does not know before a surname-shaped word ("станет Таалатбек Масадыков"); the short titles of
news text ("и.о. генсека", "замглавы", "экс-генсек"); surname first in any case ("Хачатурова Юрия
Григорьевича" -> Юрий Хачатуров). Bylines ("Автор: ...") name no one the story is about.

This module reads sentences: where a name starts, the title before or after it, a title carried along
a list. What each word is and how it goes to the nominative is people_ru_morph's (pymorphy3).
Linear in the sentence (a bounded look-back per name; sentences are cut at SENTENCE_MAX_CHARS, a page
at PAGE_PEOPLE_MAX finds).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from .decode import TO_CYRILLIC
from .people_ru_morph import (
    CASES,
    DEFAULT_TITLE_HEADS,
    INDECLINABLE_ENDINGS,
    INITIALS_SPLIT,
    LEFT_MODIFIER_POS,
    Token,
    WordInfo,
    agreeing_cases,
    analyzer,
    case_from_surname,
    given_nominative,
    is_acronym,
    is_capitalised,
    is_title_head,
    oblique_masculine_case,
    plausible_surname,
    surname_nominative,
    title_nominative,
    tokenize,
    word_info,
)

SENTENCE_MAX_CHARS = 2_000  # a longer "sentence" is a table or a run-on list: only its start is read
PAGE_PEOPLE_MAX = 200  # finds per page, like the English rules' cap on candidates
_TITLE_LOOKBACK = 16  # words looked at before a name for its title
# inside titles: "по делам", "в Армении", "Договора о коллективной безопасности", "представитель от Беларуси"
_ALLOWED_PREPOSITIONS = frozenset(("по", "при", "в", "во", "на", "о", "об", "от"))
_STOP_POS = frozenset(
    ("VERB", "INFN", "GRND", "PRTS", "ADJS", "ADVB", "NPRO", "PRED", "CONJ", "PRCL", "INTJ")
)
# Endings of surnames (any case of the usual ones): a word the dictionary knows as a common noun is still
# a surname after a given name when it ends so ("Токаев").
# fmt: off
_SURNAME_ENDINGS = (
    "ов", "ев", "ёв", "ин", "ын", "ова", "ева", "ина", "ым", "ому", "ский", "цкий",
    "ская", "ян", "яна", "яном", "янц", "енко", "дзе", "швили", "ук", "юк", "бек", "бекова",
)
# The same and their oblique cases, for a surname the dictionary does not know after a given name it
# does not know either: both unknown, only a surname's ending tells a person from a name of a thing.
_SURNAME_ENDINGS_ANY_CASE = (
    "ов", "ев", "ёв", "ин", "ова", "ева", "ёва", "ина", "ову", "еву", "ину", "овым", "евым", "иным",
    "ове", "еве", "ине", "ский", "ского", "скому", "ским", "ском", "цкий", "цкого", "цкому", "цким",
    "енко", "ян", "яна", "яну", "яном", "яне", "янц", "швили", "дзе", "заде", "зода", "ук", "юк", "бек",
    "бека", "беку", "беком", "беке", "уллаев", "улы", "кызы",
)
# fmt: on
# fmt: off
_NEWS_ADJECTIVES = frozenset((
    "новый", "нового", "новому", "новым", "новом", "новая", "новой", "новую",
    "нынешний", "нынешнего", "нынешнему", "нынешним", "нынешнем", "нынешняя", "нынешней", "нынешнюю",
))
# fmt: on
# fmt: off
_MONTHS = frozenset((
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
    "ноябрь", "декабрь",
))
# fmt: on
_VOWEL_OR_SOFT = "аяоеёиыуюэьй"  # a nominative ending so is no man's given name of the usual shape
_TITLE_GAPS = frozenset(("", "–", "-", "—", ",", "(", ")"))  # what may stand between two words of a title
# A body's name in quotes inside a title: "руководитель фракции «Единая Россия» Сергей Неверов".
_QUOTE_GAPS = frozenset(('"', "«", "»", "“", "”", "„"))


class RuFound(NamedTuple):
    """A person found in one Russian sentence. The page keeps the title in the nominative (one title on a
    person's card, whatever case each sentence wrote it in); `title` is the span as written."""

    name: str  # nominative: "Андрей Сердюков", "И.Тасмагамбетов" (initials kept as written)
    title: str | None  # as written: "начальника Объединенного штаба ОДКБ"
    offset: int  # where the name starts in the sentence
    end: int  # where it ends
    title_nominative: str | None  # the title's head brought to the nominative singular
    written: str  # the name as written: "Андрея Сердюкова"


class _Name(NamedTuple):
    first: int  # token index where the name starts
    last: int  # token index where it ends (inclusive)
    name: str  # nominative
    case: str | None  # the case the name is written in, when known


def _gap(sentence: str, a: Token, b: Token) -> str:
    return sentence[a.end : b.start]


def _surname_shaped(tok: Token, info: WordInfo) -> bool:
    """Could this capitalised word be a surname? Not a title word, place, acronym, given name or
    patronymic, nor two words glued together."""
    return (
        is_capitalised(tok.text)
        and not info.title_head
        and (not info.place or info.surname)
        and not info.patronymic_cases
        and not is_acronym(tok.text)
        and not _glued(tok.text)
    )


_GLUED = re.compile("[а-яё][А-ЯЁ]")


def _glued(word: str) -> bool:
    """Two words run together by a page's markup ("ГриневичАлександр"): no name."""
    return _GLUED.search(word) is not None


def _own_patronymic(given: str, patronymic: str) -> bool:
    """Is the patronymic made of the given name itself ("Иван Иванович", "Владимир Владимирович")? Then it
    is the father's name, no surname."""
    stem = given.casefold().rstrip("йьа")
    return len(stem) >= 3 and patronymic.casefold().startswith(stem)


# Nouns that name a state or a body, never a surname: "Маджлиси Оли Республики Таджикистан" (Оли is also
# the genitive of the given name Оля).
_BODY_NOUNS = frozenset(
    (
        "республика",
        "федерация",
        "королевство",
        "государство",
        "организация",
        "ассамблея",
        "парламент",
        "палата",
        "дума",
        "собрание",
        "совет",
        "союз",
        "содружество",
        "комитет",
        "министерство",
    )
)


@functools.lru_cache(maxsize=1_024)
def _names_a_body(word: str) -> bool:
    low = word.casefold()
    if low.endswith(_SURNAME_ENDINGS_ANY_CASE):  # "Советов", "Союзов": surnames as well as plurals
        return False
    return any(p.normal_form in _BODY_NOUNS and p.is_known for p in analyzer().parse(low))


def _place_named_surname(tok: Token, info: WordInfo) -> bool:
    """A word the dictionary knows as a place, with a surname's ending, after a given name it knows: a
    surname ("Сергей Абовян": Абовян is also a town in Armenia)."""
    return (
        info.place
        and is_capitalised(tok.text)
        and not info.title_head
        and not info.patronymic_cases
        and not _glued(tok.text)
        and tok.text.casefold().endswith(_SURNAME_ENDINGS_ANY_CASE)
    )


def _man_before_woman(
    cases: list[tuple[str, str]], surname: str, toks: Sequence[Token], first: int, last: int, sentence: str
) -> list[tuple[str, str]]:
    """A given name that is a woman's nominative or a man's oblique case ("Вячеслава", "Анатолия") before
    a surname whose ending shows the same oblique case for a man ("Володина", "Сидорова"): the man's
    reading, the far more frequent one in the news ("с участием Вячеслава Володина"), unless a feminine
    verb or short adjective stands beside the name ("заявила Валерия Иванова")."""
    if not cases or cases[0] != ("nomn", "femn"):
        return cases
    oblique = oblique_masculine_case(surname)
    if oblique is None or (oblique, "masc") not in cases or _feminine_beside(toks, first, last, sentence):
        return cases
    return [(oblique, "masc"), *[cg for cg in cases if cg != (oblique, "masc")]]


def _feminine_beside(toks: Sequence[Token], first: int, last: int, sentence: str) -> bool:
    """Does a feminine singular verb or short form stand one space before or after the name?"""
    neighbours = []
    if first > 0 and _gap(sentence, toks[first - 1], toks[first]).strip() == "":
        neighbours.append(toks[first - 1].text)
    if last + 1 < len(toks) and _gap(sentence, toks[last], toks[last + 1]).strip() == "":
        neighbours.append(toks[last + 1].text)
    return any(_feminine_predicate(word.casefold()) for word in neighbours)


@functools.lru_cache(maxsize=1_024)
def _feminine_predicate(word: str) -> bool:
    return any(
        p.tag.POS in ("VERB", "PRTS", "ADJS") and p.tag.gender == "femn" and p.tag.number == "sing"
        for p in analyzer().parse(word)
    )


def _surname_case(surname: str, case: str, gender: str, given: WordInfo) -> str:
    """The case to read a surname in: the given name's, except that a man's nominative given name before
    a surname only a man's oblique case ends so ("Сергей Лаврова", a slip of the writer's) takes the
    surname's case."""
    if case != "nomn" or gender != "masc" or any(g == "femn" for _, g in given.name_cases):
        return case
    if not given.name_cases:
        return case
    return oblique_masculine_case(surname) or case


def _unknown_surname(tok: Token, heads: frozenset[str]) -> bool:
    """A capitalised word that reads as a surname the dictionary may not know: surname-shaped, not a
    common noun or place, with a surname's ending ("Масадыков", "Ходжаева", "Файзуллозода")."""
    if tok.initials:
        return False
    info = word_info(tok.text, heads)
    return (
        _surname_shaped(tok, info)
        and not info.thing
        and not info.name_cases
        and (info.surname or not info.known)
        and tok.text.casefold().endswith(_SURNAME_ENDINGS_ANY_CASE)
    )


@functools.lru_cache(maxsize=1_024)
def _named_like_a_man(word: str, title_cases: frozenset[str]) -> bool:
    """Can a word the dictionary knows as a place or thing be a man's given name after this title? In
    the title's case, with a man's nominative shape (a final consonant): "министром Араратом Мирзояном"
    (Арарат is a mountain to the dictionary), but not "премьер-министр Армении Пашинян" (genitive) nor
    "главе Армении" (a woman's shape)."""
    return any(
        str(p.tag.case) in title_cases and p.tag.number == "sing" and p.normal_form[-1:] not in _VOWEL_OR_SOFT
        for p in analyzer().parse(word)
    )


def _guessed_cases(info: WordInfo, titled: bool) -> frozenset[tuple[str, str]]:
    """The cases of a given name the dictionary does not know, from pymorphy's guesses, when no title
    tells them; a man's readings first (the guesses give "Имангали" a woman's genitive too)."""
    if titled:
        return frozenset()
    masculine = frozenset(cg for cg in info.guessed_name_cases if cg[1] == "masc")
    return masculine or info.guessed_name_cases


def _surname_first_ahead(toks: Sequence[Token], i: int, sentence: str, heads: frozenset[str]) -> bool:
    """Does a surname-first name start at token i: a surname-shaped word that is no given name, then a
    given name and a patronymic that agree ("Семериков Валерий Анатольевич", "Хачатурова Юрия
    Григорьевича")?"""
    if i + 2 >= len(toks) or any(t.initials for t in toks[i : i + 3]):
        return False
    if _gap(sentence, toks[i], toks[i + 1]) != " " or _gap(sentence, toks[i + 1], toks[i + 2]) != " ":
        return False
    info = word_info(toks[i].text, heads)
    if not _surname_shaped(toks[i], info) or info.name_cases:
        return False
    given = word_info(toks[i + 1].text, heads).name_cases
    patronymic = word_info(toks[i + 2].text, heads).patronymic_cases
    return bool(given and patronymic and {c for c, _ in given} & patronymic)


# A Tajik surname in -зода (an Azerbaijani one in -заде) written first, as Tajik usage has it: "генерал-майора
# Абдуллозода Саидасрора Саида" (surname, given name, father's name). The surname does not decline
# (INDECLINABLE_ENDINGS), so the given name after it tells the case.


def _indeclinable_surname_first(
    toks: Sequence[Token], i: int, sentence: str, heads: frozenset[str], title_cases: frozenset[str]
) -> _Name | None:
    """ "Given Surname" of a -зода surname at token i followed by a given name, else None."""
    if i + 1 >= len(toks) or toks[i].initials or toks[i + 1].initials:
        return None
    if (
        not toks[i].text.casefold().endswith(INDECLINABLE_ENDINGS)
        or _gap(sentence, toks[i], toks[i + 1]) != " "
    ):
        return None
    word = toks[i + 1].text
    info = word_info(word, heads)
    if (
        not _surname_shaped(toks[i + 1], info)
        or info.place
        or (info.thing and not info.name_cases)
        or word.casefold().endswith(
            _SURNAME_ENDINGS_ANY_CASE
        )  # a surname: "Rahmonzoda Karimov" is two people
    ):
        return None
    cases = info.name_cases or info.guessed_name_cases
    # the title's case, when the given name has it (a title read wrong may tell another)
    cases = frozenset(cg for cg in cases if cg[0] in title_cases) or cases
    if not cases:
        return None
    case, gender = min(
        cases, key=lambda cg: (cg[1] != "masc", cg[0] != "nomn", cg)
    )  # a man's, nominative first
    gender = gender if gender in ("masc", "femn") else "masc"
    return _Name(i, i + 1, f"{given_nominative(word, case, gender)} {toks[i].text}", case)


def _compound_given_name(word: str, info: WordInfo) -> bool:
    """A hyphenated given name of two capitalised parts the dictionary does not know ("Касым-Жомарт",
    "Абдул-Азиз"), no place ("Нур-Султан")."""
    parts = word.split("-")
    return (
        len(parts) == 2
        and all(is_capitalised(p) and len(p) > 1 for p in parts)
        and bool(info.guessed_name_cases)
        and not info.place
        and not info.known
    )


def _read_name(
    toks: Sequence[Token],
    i: int,
    sentence: str,
    heads: frozenset[str],
    titled: bool,
    title_cases: frozenset[str],
) -> _Name | None:
    """The person's name starting at token i, if one starts there."""
    tok = toks[i]
    n = len(toks)

    def joined(j: int) -> bool:  # tokens j and j+1 are one space apart
        return j + 1 < n and _gap(sentence, toks[j], toks[j + 1]) == " "

    if _glued(tok.text):
        return None

    if tok.initials:
        # Initials tell no gender: masculine is assumed, and without a title only endings that no
        # nominative has ("-ым", "-ову", "-ове") undo a case ("-ова" may be a woman's nominative).
        case = case_from_surname(tok.text, title_cases or ("nomn", "ablt", "datv", "loct"))
        m = INITIALS_SPLIT.match(tok.text)
        assert m is not None  # the token matched _INITIALS
        return _Name(i, i, m.group(1).replace(" ", "") + surname_nominative(m.group(2), case, "masc"), case)
    if not is_capitalised(tok.text):
        return None
    surname_first_tajik = _indeclinable_surname_first(toks, i, sentence, heads, title_cases)
    if surname_first_tajik is not None:
        return surname_first_tajik
    info = word_info(tok.text, heads)
    # a given name the dictionary does not know, with no title, counts only before a surname-shaped word
    # ("станет Таалатбек Масадыков"; Central Asian given names are often missing from it)
    guessed = bool(info.guessed_name_cases) and joined(i) and _unknown_surname(toks[i + 1], heads)
    # after a title, a given name the dictionary knows only as a place or thing ("Араратом": a mountain)
    # when a word with a surname's ending follows ("министром Араратом Мирзояном")
    guessed = guessed or (
        titled
        and (info.place or info.thing)
        and joined(i)
        and _unknown_surname(toks[i + 1], heads)
        and _named_like_a_man(tok.text, title_cases)
    )
    # a compound given name the dictionary does not know ("Касым-Жомарт Токаев"), before a word with a
    # surname's ending even if the dictionary knows that word as a thing ("токаев": a wine's plural)
    guessed = guessed or (
        _compound_given_name(tok.text, info)
        and joined(i)
        and _surname_shaped(toks[i + 1], word_info(toks[i + 1].text, heads))
        and toks[i + 1].text.casefold().endswith(_SURNAME_ENDINGS_ANY_CASE)
    )
    # a month's name is a given name in Central Asia ("полковник милиции Октябрь Урмамбетов")
    guessed = guessed or (
        titled and tok.text.casefold() in _MONTHS and joined(i) and _unknown_surname(toks[i + 1], heads)
    )
    surname_first = _surname_first_ahead(toks, i, sentence, heads)
    # Given name [patronymic] surname; after a title any capitalised word may be a given name the
    # dictionary does not know ("пресс-секретарь МИД Азербайджана Хазар Ибрагим")
    if not surname_first and (
        info.name_cases or guessed or (titled and _surname_shaped(tok, info) and not info.thing)
    ):
        j = i + 1
        patronymic = None
        if joined(i) and word_info(toks[j].text, heads).patronymic_cases and not toks[j].initials:
            patronymic = word_info(toks[j].text, heads).patronymic_cases
            j += 1
        surname_at: int | None = None
        if j < n and (j == i + 1 and joined(i) or j > i + 1 and joined(j - 1)) and not toks[j].initials:
            sinfo = word_info(toks[j].text, heads)
            if (
                (
                    _surname_shaped(toks[j], sinfo)
                    and (
                        info.name_cases
                        or not sinfo.thing
                        or toks[j].text.casefold().endswith(_SURNAME_ENDINGS)
                    )
                )
                or (info.name_cases and _place_named_surname(toks[j], sinfo))
            ) and not _names_a_body(toks[j].text):
                surname_at = j
        if (
            surname_at is None
            and patronymic is not None
            and titled
            and not _own_patronymic(tok.text, toks[i + 1].text)
        ):
            # a title, a given name and an -ович word with no surname after it: the -ович word is the
            # surname ("министр обороны Александр Вольфович", "замминистра Геннадий Казакевич")
            surname_at, patronymic = i + 1, None
        if surname_at is not None:
            surname_word = toks[surname_at].text
            cases = agreeing_cases(info.name_cases or _guessed_cases(info, titled), patronymic) or [
                (c, "masc") for c in (title_cases or {"nomn"})
            ]
            if title_cases:
                cases = [cg for cg in cases if cg[0] in title_cases] or cases
            cases = [cg for cg in cases if plausible_surname(surname_word, *cg)] or cases
            cases = _man_before_woman(cases, surname_word, toks, i, surname_at, sentence)
            gender = cases[0][1] if cases[0][1] in ("masc", "femn") else "masc"
            possible = [c for c, g in cases if g == gender]
            case = possible[0] if len(possible) == 1 else case_from_surname(surname_word, possible)
            given = given_nominative(tok.text, case, gender)
            surname = surname_nominative(
                surname_word, _surname_case(surname_word, case, gender, info), gender
            )
            return _Name(i, surname_at, f"{given} {surname}", case)
    # Surname given-name patronymic ("Семериков Валерий Анатольевич", "Хачатурова Юрия Григорьевича")
    if surname_first:
        given_info = word_info(toks[i + 1].text, heads)
        patr = word_info(toks[i + 2].text, heads).patronymic_cases
        if given_info.name_cases and patr:
            cases = agreeing_cases(given_info.name_cases, patr)
            case, gender = cases[0]
            gender = gender if gender in ("masc", "femn") else "masc"
            given = given_nominative(toks[i + 1].text, case, gender)
            return _Name(i, i + 2, f"{given} {surname_nominative(tok.text, case, gender)}", case)
    return None


def _title_before(
    toks: Sequence[Token], first: int, floor: int, sentence: str, heads: frozenset[str]
) -> tuple[int, frozenset[str]] | None:
    """The token where the title before a name starts, and the cases of its head; None if no title.

    Looks back over words that can sit in a title (nouns, adjectives, acronyms, capitalised names of
    bodies and places, "по"/"в"/"при", "по борьбе с", "и" or a comma between capitalised words, a dash in
    "статс-секретарь – заместитель", one comma between two titles of one person) to the leftmost head
    noun, then over the adjectives right before it. The head agrees with the name: a head in another case
    is a verb's complement ("избрала своим председателем ... спикера Госдумы Вячеслава Володина"), and
    after "на должность" the post is no title of the person's."""
    found: list[int] = []  # title heads, right to left
    attached: set[int] = set()  # heads that are the object of "при" ("... при Президенте Таджикистана")
    comma_at: int | None = None  # the token after a comma that joins two titles
    k = first - 1
    lowest = max(floor, first - _TITLE_LOOKBACK)
    while k >= lowest:
        tok = toks[k]
        gap = _gap(sentence, tok, toks[k + 1]).strip()
        if not _title_gap(gap, tok, toks[k + 1]):
            break
        low = tok.text.casefold()
        if gap == "," and (
            not (is_capitalised(tok.text) and is_capitalised(toks[k + 1].text)) or toks[k + 1].initials
        ):
            if comma_at is not None or not found or not _opens_title(toks, k + 1, found[-1], sentence, heads):
                break
            comma_at = k + 1
        if tok.initials:
            break
        info = word_info(tok.text, heads)
        if info.title_head:
            found.append(k)
        elif low in ("и",):
            if not (k > lowest and is_capitalised(toks[k - 1].text) and is_capitalised(toks[k + 1].text)):
                break
        elif low in _POST_NOUNS and k > lowest and toks[k - 1].text.casefold() == "на":
            found = _person_after_post(found, toks, heads)  # "на должность начальника штаба ОДКБ ..."
            lowest = k + 1
            break
        elif _title_preposition(toks, k, lowest) or low == "обязанности" or is_acronym(tok.text):
            if low == "при" and found and _opens_title(toks, k + 1, found[-1], sentence, heads):
                attached.add(found[-1])
        elif (info.pos & _STOP_POS and not info.pos & {"NOUN", "ADJF", "PRTF"}) or "PREP" in info.pos:
            break
        k -= 1
    if comma_at is not None:
        found = _joined_titles(found, comma_at, toks, heads)
    found = _from_nominative_head(found, toks, heads)
    found = _agreeing_heads(found, attached, _name_cases(toks, first, heads), toks, heads)
    if not found:
        return None
    head = found[-1]
    head_cases = word_info(toks[head].text, heads).title_cases
    start = _title_start(toks, head, head_cases, lowest, sentence, heads)
    # quotes that do not pair end a quotation, not a body's name: «... безопасности» Иван Петров
    return (start, head_cases) if _quotes_balanced(sentence[toks[start].start : toks[first].start]) else None


def _title_gap(gap: str, left: Token, right: Token) -> bool:
    """May `gap` stand between two words of a title? A quote only beside a capitalised word (a body's name)."""
    if gap in _TITLE_GAPS:
        return True
    return gap in _QUOTE_GAPS and (is_capitalised(left.text) or is_capitalised(right.text))


def _quotes_balanced(text: str) -> bool:
    return (
        text.count('"') % 2 == 0 and text.count("«") == text.count("»") and text.count("“") == text.count("”")
    )


_POST_NOUNS = frozenset(("должность", "пост"))  # "на должность X": X is the post, not the person's title
_PO_OBJECT_PREPOSITIONS = frozenset(("с", "со", "за"))  # "по борьбе с", "по контролю за", "по связям со"


def _title_preposition(toks: Sequence[Token], k: int, lowest: int) -> bool:
    """Can the preposition at token k sit inside a title: "по", "при", "в" ... or a "с"/"за" after
    "по" and a noun ("Агентства по контролю за наркотиками", "управления по борьбе с терроризмом")?"""
    low = toks[k].text.casefold()
    if low in _ALLOWED_PREPOSITIONS:
        return True
    return low in _PO_OBJECT_PREPOSITIONS and k - 2 >= lowest and toks[k - 2].text.casefold() == "по"


def _opens_title(toks: Sequence[Token], start: int, head: int, sentence: str, heads: frozenset[str]) -> bool:
    """Do the words from token `start` to the head at `head` open a title (the head and the adjectives
    that agree with it, nothing else)?"""
    if start > head:
        return False
    cases = word_info(toks[head].text, heads).title_cases
    return _title_start(toks, head, cases, start, sentence, heads) == start


def _person_after_post(found: list[int], toks: Sequence[Token], heads: frozenset[str]) -> list[int]:
    """The heads of a person's own title after "на должность <post>": the post is its first head with the
    heads and words it governs; a head after a word of the post's complement starts the person's title
    ("на должность начальника штаба ОДКБ представителя России генерал-полковника X")."""
    ordered = sorted(found)
    for at, head in enumerate(ordered[1:], start=1):
        before = word_info(toks[head - 1].text, heads)
        if not before.title_head and not before.modifier_cases:
            return sorted(ordered[at:], reverse=True)
    return []


def _joined_titles(
    found: list[int], comma_at: int, toks: Sequence[Token], heads: frozenset[str]
) -> list[int]:
    """The heads kept when a comma stands between two titles: both, when the one before the comma is led
    by a singular head in the case of the one after it ("председатель ПА ОДКБ, председатель Госдумы X");
    else only those after the comma."""
    right = [h for h in found if h >= comma_at]
    if len(right) == len(found):
        return found
    left_cases = word_info(toks[found[-1]].text, heads).title_cases
    right_cases = word_info(toks[right[-1]].text, heads).title_cases
    if left_cases & right_cases and _singular_head(toks[found[-1]].text, heads):
        return found
    return right


def _from_nominative_head(found: list[int], toks: Sequence[Token], heads: frozenset[str]) -> list[int]:
    """The heads from the leftmost nominative-only one on, when the leftmost head is in no nominative: no
    word governs a nominative, so the words before it end another phrase ("... органов государств-членов
    ОДКБ в Астане директор Агентства ... X")."""
    if len(found) < 2 or "nomn" in word_info(toks[found[-1]].text, heads).title_cases:
        return found
    for at in range(len(found) - 2, -1, -1):
        if word_info(toks[found[at]].text, heads).title_cases == {"nomn"}:
            return found[: at + 1]
    return found


def _agreeing_heads(
    found: list[int],
    attached: set[int],
    name_cases: frozenset[str],
    toks: Sequence[Token],
    heads: frozenset[str],
) -> list[int]:
    """The heads from the one that agrees with the name on: when the leftmost head's case is none the name
    can be in, the leftmost head to its right that is ("избрала своим председателем на трехлетний срок
    спикера ... Вячеслава Володина"), never the object of "при"; as found when none agrees."""
    if not found or not name_cases:
        return found
    for at in range(len(found) - 1, -1, -1):
        head = found[at]
        if word_info(toks[head].text, heads).title_cases & name_cases and head not in attached:
            return found[: at + 1]
    if word_info(toks[found[-1]].text, heads).title_cases == {"ablt"}:
        return []  # "избрала своим председателем Вячеслава Володина": the verb's complement, not his title
    return found


def _name_cases(toks: Sequence[Token], first: int, heads: frozenset[str]) -> frozenset[str]:
    """The cases the name starting at token `first` can be in, as its given name (or, surname first, the
    word after it) or its initials' surname tells; empty when nothing tells."""
    tok = toks[first]
    if tok.initials:
        m = INITIALS_SPLIT.match(tok.text)
        oblique = oblique_masculine_case(m.group(2)) if m is not None else None
        return frozenset((oblique,)) if oblique else frozenset()
    if not is_capitalised(tok.text):  # a verb of appointment before the name: its title is instrumental
        return frozenset()
    for at in (first, first + 1):
        if at < len(toks):
            info = word_info(toks[at].text, heads)
            cases = info.name_cases or info.guessed_name_cases
            if cases:
                return frozenset(c for c, _ in cases)
    return frozenset()


@functools.lru_cache(maxsize=1_024)
def _singular_head(word: str, heads: frozenset[str]) -> bool:
    """Has this word a singular reading as a title's head ("представитель", not "представители")?"""
    return any(
        p.tag.POS == "NOUN" and p.tag.number == "sing" and is_title_head(p.normal_form, heads)
        for p in analyzer().parse(word)
    )


def _title_start(
    toks: Sequence[Token],
    head: int,
    head_cases: frozenset[str],
    lowest: int,
    sentence: str,
    heads: frozenset[str],
) -> int:
    """Where a title whose head noun is at `head` starts: over the adjectives that agree with it."""
    start = head
    while start - 1 >= lowest:
        prev = toks[start - 1]
        if _gap(sentence, prev, toks[start]) != " " or prev.initials:
            break
        info = word_info(prev.text, heads)
        low = prev.text.casefold()
        if low in _NEWS_ADJECTIVES or _possessive(low):  # "новый", "своим": news of the post, not its name
            break
        if info.modifier_cases & head_cases or low in ("обязанности", "временно"):
            start -= 1
            continue
        if low == "и" and _coordinated_modifier(toks, start - 1, lowest, sentence, heads, head_cases):
            start -= 2  # "Чрезвычайного и Полномочного Посла", "постоянный и полномочный представитель"
            continue
        break
    return start


@functools.lru_cache(maxsize=1_024)
def _possessive(word: str) -> bool:
    """A possessive pronoun ("своим председателем", "его заместитель"): no part of a title."""
    return any("Apro" in p.tag for p in analyzer().parse(word))


def _coordinated_modifier(
    toks: Sequence[Token], conj: int, lowest: int, sentence: str, heads: frozenset[str], cases: frozenset[str]
) -> bool:
    """Is token conj an "и" joining an adjective that agrees with the title's head to the one after it?"""
    if conj - 1 < lowest or _gap(sentence, toks[conj - 1], toks[conj]) != " " or toks[conj - 1].initials:
        return False
    return bool(word_info(toks[conj - 1].text, heads).modifier_cases & cases)


# "и.о." (исполняющий обязанности) before a title: its dots and lower-case letters stop the look-back
_ACTING = re.compile(r"(?:^|(?<=[\s(«\"]))[иИ]\.\s?[оО]\.\s{0,2}$")
_ACTING_MAX_CHARS = 8  # longer than the longest match ("и. о.  "): the character before it is in view


def _acting_before(sentence: str, start: int) -> int:
    """Where a title starting at `start` really starts: before an "и.о." written right before it."""
    window_start = max(0, start - _ACTING_MAX_CHARS)
    # one character more on the left, so that "^" or the look-behind sees what stands before "и"
    context_start = max(0, window_start - 1)
    m = _ACTING.search(sentence[context_start:start])
    return context_start + m.start() if m is not None else start


# Who wrote or photographed the story, not whom it is about: "Автор: Name", "Фото: Name", and the
# agency's dateline "Москва, 28 января. (Агентство «X», Name)."
_BYLINE_LABEL = re.compile(
    r"(?:^|[\s(])(?:[Аа]втор\w{0,2}|[Тт]екст|[Фф]ото\w{0,4}|[Ии]нтервью|[Бб]еседовал\w?|[Пп]одготовил\w?)"
    r"\s?[:—–-]\s{0,3}$"
)
# A photo credit "/ Name/ Agency" or "© Name/ Agency": a slash (or ©) before the name and a slash after it.
_CREDIT_BEFORE = re.compile(r"(?:^|\s)[/©]\s?$")
_CREDIT_AFTER = re.compile(r"\s?/")
# ... or the agency first, as a handle or after ©: "@Sputnik/Name", "© РИА Новости / Name".
_AGENCY_CREDIT_BEFORE = re.compile(r"(?:^|\s)[@©]\s?[^\W\d][\w.\- ]{0,30}\s?/\s?$")
# An author line: the name and the time it was posted ("Name 24-10-2019 01:28:15").
_POSTED_AFTER = re.compile(r"\s{1,3}\d{1,2}[-./]\d{1,2}[-./]\d{2,4}(?:,?\s{1,3}\d{1,2}:\d{2})?(?:\D|$)")
_DATELINE_OPEN = re.compile(r"\([^()]{1,40},\s?$")
# ... or "13 марта, Москва /Name - БЕЛТА/.": a name between a slash and a dash before an agency in capitals.
_SLASH_BEFORE = re.compile(r"/\s?$")
_AGENCY_AFTER = re.compile(r"\s?[-\u2013\u2014]\s?[A-Z\u0410-\u042f\u0401]{3,}\b")
_BYLINE_WINDOW = 48  # characters before a name read for a byline's label or a dateline's agency
# A namesake in the name of a unit or a body ("дивизии имени И.В. Панфилова", "МГИМО им. Горчакова"):
# not a person the story is about.
_NAMED_AFTER = re.compile(r"(?:^|\s)(?:имени|им\.)\s?$")
# The outlet's own reporter handing over ("Наш корреспондент Name продолжит тему"): a byline too.
_OWN_REPORTER = re.compile(r"(?:^|\s)[Нн]аш(?:им|его|ему|ем)?\s+(?:\w+\s+)?корреспондент\w{0,3}\s$")


def _byline(sentence: str, start: int, end: int) -> bool:
    """Is the name at [start, end) no one the story is about: a byline (after "Автор:", "Интервью:",
    "Tекст:" with a Latin letter, in a dateline's "/Name - AGENCY/", closing a dateline's parenthesis,
    "наш корреспондент", a photo credit "/ Name/ Agency" or "@Agency/Name", an author line "Name 24-10-2019 01:28") or a
    namesake ("дивизии имени …")?"""
    before = sentence[max(0, start - _BYLINE_WINDOW) : start].translate(
        TO_CYRILLIC
    )  # "Tекст:" with a Latin T
    if any(
        rule.search(before) is not None
        for rule in (_BYLINE_LABEL, _NAMED_AFTER, _OWN_REPORTER, _AGENCY_CREDIT_BEFORE)
    ):
        return True
    if _SLASH_BEFORE.search(before) is not None and _AGENCY_AFTER.match(sentence, end) is not None:
        return True
    if _CREDIT_BEFORE.search(before) is not None and _CREDIT_AFTER.match(sentence, end) is not None:
        return True
    if _POSTED_AFTER.match(sentence, end) is not None:
        return True
    return sentence[end : end + 1] == ")" and _DATELINE_OPEN.search(before) is not None


def _title_after(toks: Sequence[Token], last: int, sentence: str, heads: frozenset[str]) -> str | None:
    """The title written after a name and a comma: "Николай Бордюжа, бывший генеральный секретарь ОДКБ",
    or after a verb of appointment: "Станислав Зась назначен генеральным секретарем ОДКБ". It opens
    with a head noun (after at most three adjectives) and runs to the next comma or stop word."""
    k = last + 1
    n = len(toks)
    if k >= n:
        return None
    predicate = _predicate(toks, k, last, sentence)
    if predicate:
        k += 1
        if k >= n or _gap(sentence, toks[k - 1], toks[k]) != " " or "ablt" not in _head_cases(toks, k, heads):
            return None
    elif _gap(sentence, toks[last], toks[k]).strip() != ",":
        return None
    head = _head_after(toks, k, sentence, heads)
    if head is None:
        return None
    end = head
    while end + 1 < n and end - head < _TITLE_LOOKBACK:
        nxt = toks[end + 1]
        gap = _gap(sentence, toks[end], nxt).strip()
        if gap not in _TITLE_GAPS or gap == "," or nxt.initials:
            break
        info = word_info(nxt.text, heads)
        low = nxt.text.casefold()
        if _title_preposition(toks, end + 1, head) and low not in ("в", "во", "на"):
            end += 1
            continue
        if is_acronym(nxt.text) or (
            info.pos & {"NOUN", "ADJF", "PRTF"}
            and not info.pos & {"PREP", "CONJ"}
            and not (info.name_cases and is_capitalised(nxt.text))
        ):
            end += 1
            continue
        break
    if predicate and end == k:  # "назначен заместителем.": a post without its body names no title
        return None
    if _name_follows(toks, end, sentence, heads):  # "X, председатель комитета Леонид Калашников": his
        return None
    return sentence[toks[k].start : toks[end].end]


def _name_follows(toks: Sequence[Token], end: int, sentence: str, heads: frozenset[str]) -> bool:
    """Does a name follow token `end` one space away? Then the title ending there is that name's."""
    if end + 1 >= len(toks) or _gap(sentence, toks[end], toks[end + 1]) != " ":
        return False
    nxt = toks[end + 1]
    return nxt.initials or (is_capitalised(nxt.text) and bool(word_info(nxt.text, heads).name_cases))


def _head_after(toks: Sequence[Token], k: int, sentence: str, heads: frozenset[str]) -> int | None:
    """The singular head noun a title after a name opens with, at token k or after at most three
    adjectives; None when the words open no title or a plural one ("X, представители института":
    others, not his)."""
    for j in range(k, min(k + 4, len(toks))):
        if j > k and _gap(sentence, toks[j - 1], toks[j]) != " ":
            return None
        info = word_info(toks[j].text, heads)
        if info.title_head:
            return j if _singular_head(toks[j].text, heads) else None
        if not (info.pos & LEFT_MODIFIER_POS or toks[j].text.casefold() in ("обязанности", "временно")):
            return None
    return None


# Verbs of appointment between a name and its title in the instrumental: "Генеральным секретарем
# назначен X", "X избран председателем", "новым генсеком стал X".
# fmt: off
_APPOINTED = frozenset((
    "назначен", "назначена", "назначены", "избран", "избрана", "избраны", "утвержден", "утверждена",
    "утверждён", "стал", "стала", "станет", "становится", "будет",
))
# fmt: on


def _predicate(toks: Sequence[Token], verb: int, other: int, sentence: str) -> bool:
    """Is token `verb` a verb of appointment one space from token `other` (the name beside it)?"""
    a, b = sorted((verb, other))
    return toks[verb].text.casefold() in _APPOINTED and _gap(sentence, toks[a], toks[b]) == " "


def _head_cases(toks: Sequence[Token], k: int, heads: frozenset[str]) -> frozenset[str]:
    """The cases of the title head the words from token k open with (after at most three adjectives)."""
    for j in range(k, min(k + 4, len(toks))):
        info = word_info(toks[j].text, heads)
        if info.title_head:
            return info.title_cases
        if not info.pos & LEFT_MODIFIER_POS:
            break
    return frozenset()


def _list_places(
    toks: Sequence[Token], prev_end: int, first: int, sentence: str, heads: frozenset[str]
) -> int | None:
    """Where the places before token `first` start when the name there continues a list after the titled
    name ending at `prev_end`: "президенты России Владимир Путин, Белоруссии Александр Лукашенко",
    "министрами обороны Беларуси В.Хрениным, Казахстана Р.Жаксылыковым и Кыргызстана Б.Бекболотовым".
    None when anything else stands between them."""
    k = prev_end + 1
    if k >= first:
        return None
    gap = _gap(sentence, toks[prev_end], toks[k]).strip()
    if toks[k].text == "и" and gap == "":
        k += 1
    elif gap != ",":
        return None
    if not 1 <= first - k <= 3:
        return None
    for t in toks[k:first]:
        if not (is_capitalised(t.text) and not t.initials and word_info(t.text, heads).place):
            return None
    return k


def _carried_title(
    previous: str, toks: Sequence[Token], places_at: int, first: int, heads: frozenset[str]
) -> str:
    """The previous person's title in the nominative with its place replaced by this one's:
    "министрами обороны Беларуси" + "Казахстана" -> "министр обороны Казахстана"."""
    nominative = title_nominative(previous, heads).split(" ")
    places = [t.text for t in toks[places_at:first]]
    while len(nominative) > 1 and is_capitalised(nominative[-1]) and word_info(nominative[-1], heads).place:
        nominative.pop()
    return " ".join(nominative + places)


def _joined_by_and(toks: Sequence[Token], previous_last: int, first: int, sentence: str) -> bool:
    """Does the name starting at token `first` follow the previous name's last token and " и " or a
    comma ("депутаты Николай Рыжак, Анатолий Выборный и ...")?"""
    if first == previous_last + 1:
        return _gap(sentence, toks[previous_last], toks[first]) == ", "
    return (
        first == previous_last + 2
        and toks[previous_last + 1].text == "и"
        and _gap(sentence, toks[previous_last], toks[previous_last + 1]) == " "
        and _gap(sentence, toks[previous_last + 1], toks[first]) == " "
    )


def _plural_title(title: str, case: str, heads: frozenset[str]) -> bool:
    """Is the title's head noun plural in the case its name is written in ("главы ... Токаев": the heads
    of two states, shared by the names joined by "и")?"""
    return any(
        p.tag.POS == "NOUN"
        and p.tag.number == "plur"
        and p.tag.case == case
        and is_title_head(p.normal_form, heads)
        for word in title.split(" ")
        for p in analyzer().parse(word)
    )


def find_people_ru(sentence: str, title_heads: frozenset[str] = DEFAULT_TITLE_HEADS) -> list[RuFound]:
    """The people of one Russian sentence, in order: names in the nominative, titles as written and in
    the nominative."""
    sentence = sentence[:SENTENCE_MAX_CHARS]
    toks = tokenize(sentence)
    found: list[RuFound] = []
    floor = 0
    # the previous titled name: (its last token, its title as written, the cases of the title's head)
    last_titled: tuple[int, str, frozenset[str]] | None = None
    shared = False  # that title is plural in that name's case: the next name joined by "и" holds it too
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if not (tok.initials or is_capitalised(tok.text)):
            i += 1
            continue
        title, title_end = _title_before(toks, i, floor, sentence, title_heads), tok.start
        if title is None and i - 1 > floor and _predicate(toks, i - 1, i, sentence):  # the verb before it
            # "Генеральным секретарем ОДКБ назначен X": a title in the instrumental, a verb, the name
            title = _title_before(toks, i - 1, floor, sentence, title_heads)
            if title is not None and ("ablt" not in title[1] or title[0] >= i - 2):  # a post and its body
                title = None
            title_end = toks[i - 1].start
        carried: str | None = None
        cases = title[1] if title else frozenset()
        if title is None and last_titled is not None:
            places = _list_places(toks, last_titled[0], i, sentence, title_heads)
            if places is not None:
                carried = _carried_title(last_titled[1], toks, places, i, title_heads)
                cases = last_titled[2]
            elif shared and _joined_by_and(toks, last_titled[0], i, sentence):
                carried, cases = last_titled[1], last_titled[2]  # "главы Казахстана и Беларуси A и B"
        name = _read_name(toks, i, sentence, title_heads, title is not None or carried is not None, cases)
        if name is None:
            i += 1
            continue
        after = (
            _title_after(toks, name.last, sentence, title_heads)
            if title is None and carried is None
            else None
        )
        # the title as written and in the nominative: after the name, before it, or carried along a list
        written_title: str | None
        nominative: str | None
        if after is not None:
            written_title, nominative = after, title_nominative(after, title_heads)
            last_titled = None
        elif title is not None:
            written_title = sentence[_acting_before(sentence, toks[title[0]].start) : title_end].strip(" ,–-")
            nominative = title_nominative(written_title, title_heads)
            last_titled = (name.last, written_title, cases)
            shared = name.case is not None and _plural_title(written_title, name.case, title_heads)
        else:
            written_title = nominative = carried
            if carried is not None and shared:  # a shared plural title, in the singular for one holder
                nominative = title_nominative(carried, title_heads)
            if carried is None:
                last_titled = None
            else:
                last_titled = (name.last, last_titled[1], cases) if last_titled else None
        end = toks[name.last].end
        if written_title is not None or not _byline(sentence, tok.start, end):
            found.append(
                RuFound(name.name, written_title, tok.start, end, nominative, sentence[tok.start : end])
            )
        floor = name.last + 1
        i = name.last + 1
    return found


_ADDRESS_WORDS = frozenset(("господин", "госпожа", "г-н", "г-жа"))


def title_before_ru(
    sentence: str, offset: int, title_heads: frozenset[str] = DEFAULT_TITLE_HEADS
) -> str | None:
    """The title, in the nominative, written right before the word at `offset`: a known person named by
    surname alone ("генеральный секретарь ОДКБ Тасмагамбетов заявил"), whom find_people_ru cannot name."""
    sentence = sentence[:SENTENCE_MAX_CHARS]
    toks = tokenize(sentence)
    at = next((k for k, tok in enumerate(toks) if tok.start == offset), None)
    if not at or toks[at - 1].text.casefold() in _ADDRESS_WORDS:  # "господин Масадыков": no title
        return None
    title = _title_before(toks, at, 0, sentence, title_heads)
    if title is None:
        return None
    written = sentence[_acting_before(sentence, toks[title[0]].start) : toks[at].start].strip(" ,–-")
    return title_nominative(written, title_heads) if written else None


def _initials_on_page(found: RuFound, surnames: set[str]) -> RuFound:
    """An initials-form name in a case its title did not show ("С.Зася") takes the nominative of a
    surname the page writes in full ("Станислав Зась")."""
    m = INITIALS_SPLIT.match(found.name)
    if m is None or m.group(2) in surnames:
        return found
    for case in CASES[1:]:
        nominative = surname_nominative(m.group(2), case, "masc")
        if nominative in surnames:
            return found._replace(name=m.group(1) + nominative)
    return found


def find_people_ru_page(
    sentences: Iterable[str], title_heads: frozenset[str] = DEFAULT_TITLE_HEADS
) -> list[list[RuFound]]:
    """find_people_ru for each sentence of a page, with at most PAGE_PEOPLE_MAX finds in all (the
    sentences after the cap get none); initials are then read against the surnames the page writes
    in full."""
    out: list[list[RuFound]] = []
    total = 0
    for sentence in sentences:
        found = find_people_ru(sentence, title_heads) if total < PAGE_PEOPLE_MAX else []
        found = found[: PAGE_PEOPLE_MAX - total]
        total += len(found)
        out.append(found)
    surnames = {f.name.rpartition(" ")[2] for finds in out for f in finds if " " in f.name}
    if surnames:
        out = [[_initials_on_page(f, surnames) if "." in f.name else f for f in finds] for finds in out]
    return _one_spelling_per_person(out)


_FLEETING_END = "аяоеёиыуюь"  # what an oblique ending or a misread one adds to or takes from a stem
_FEMININE_SURNAME = ("ова", "ева", "ёва", "ина", "ына", "ская", "цкая")


def _name_stems(name: str) -> tuple[str, str] | None:
    """(given name or initials, surname) without a final vowel: "Николы Пашиняна" read as "Никола
    Пашинян" and "Никол Пашинян" give one pair, "Н.Бордюжи" and "Н.Бордюжа" another."""
    m = INITIALS_SPLIT.match(name)
    if m is not None:
        given, surname = m.group(1).replace(" ", ""), m.group(2)
    else:
        given, _, surname = name.partition(" ")
        surname = surname.rpartition(" ")[2]
    if not given or not surname:
        return None
    return given.casefold().rstrip(_FLEETING_END), surname.casefold().rstrip(_FLEETING_END)


def _nominative_evidence(found: RuFound) -> int:
    """How surely a find's name is in the nominative: 3 when written so beside a title in the nominative;
    1 for initials with no title, read as written for want of anything that tells their case ("Н.
    Бордюжи"); 2 otherwise (a given name or a title told the case)."""
    as_written = found.name == _spaced_initials(found.written)
    if found.title is not None and found.title == found.title_nominative and as_written:
        return 3
    return 1 if found.title is None and as_written and "." in found.name else 2


def _spaced_initials(written: str) -> str:
    return written.replace(". ", ".")


def _one_spelling_per_person(out: list[list[RuFound]]) -> list[list[RuFound]]:
    """One spelling for one person on a page: a name brought to the nominative from an oblique case the
    page misdeclined ("Николы Пашиняна" -> "Никола Пашинян"), or an untitled one read as written in a
    case ("Н.Бордюжи"), takes the spelling the page writes in the nominative with a title or as written
    ("Никол Пашинян", "Н.Бордюжа") when exactly one such spelling shares its stems."""
    best: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for finds in out:
        for f in finds:
            stems = _name_stems(f.name)
            if stems is None:
                continue
            score = _nominative_evidence(f)
            held = best.get(stems)
            if held is None or score > held[0]:
                best[stems] = (score, {f.name})
            elif score == held[0]:
                held[1].add(f.name)
    if not best:
        return out

    def respelled(f: RuFound) -> RuFound:
        stems = _name_stems(f.name)
        held = best.get(stems) if stems is not None else None
        if held is None or len(held[1]) != 1 or f.name in held[1]:
            return f
        score = _nominative_evidence(f)
        (name,) = held[1]
        as_written = f.name == _spaced_initials(f.written)
        if score >= held[0] or as_written and f.name.casefold().endswith(_FEMININE_SURNAME):
            return f  # as sure as the other, or a woman beside a man of her family
        return f._replace(name=name)

    return [[respelled(f) for f in finds] for finds in out]
