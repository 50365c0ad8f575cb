"""People named in Russian text, with their titles, brought to the nominative.

"Генеральный секретарь ОДКБ Имангали Тасмагамбетов", "с начальником Объединенного штаба ОДКБ Андреем
Сердюковым" (-> Андрей Сердюков), "И.Тасмагамбетов", "Станиславом Засем" (-> Станислав Зась),
"Андрей Николаевич Сердюков", "Семериков Валерий Анатольевич", "президенты России Владимир Путин,
Белоруссии Александр Лукашенко" (the title carried along the list).

pymorphy3 with its Russian dictionary (OpenCorpora) tells given names (Name), patronymics (Patr),
known surnames (Surn), title nouns, and their case and gender. Its guesses for surnames it does not
know are unreliable ("Тасмагамбетов" reads as a plural genitive of "тасмагамбет"), so an unknown
surname is brought to the nominative by the paradigm of Russian surnames in the case and gender that
the given name (or the title's head noun) shows: a surname agrees with the given name it follows.

The analyzer is loaded lazily, once per process (`analyzer()`); every word's analysis is cached.
Pure apart from loading the library's packaged dictionary; linear in the sentence (a bounded look-back
per name; sentences are cut at SENTENCE_MAX_CHARS, a page at PAGE_PEOPLE_MAX finds).
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pymorphy3  # type: ignore[import-untyped]

SENTENCE_MAX_CHARS = 2_000  # a longer "sentence" is a table or a run-on list: only its start is read
PAGE_PEOPLE_MAX = 200  # finds per page, like the English rules' cap on candidates
_TITLE_LOOKBACK = 16  # words looked at before a name for its title

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
))
# fmt: on
# inside titles: "по делам", "в Армении", "Договора о коллективной безопасности"
_ALLOWED_PREPOSITIONS = frozenset(("по", "при", "в", "во", "на", "о", "об"))
_LEFT_MODIFIER_POS = frozenset(("ADJF", "PRTF"))  # "Генеральный", "бывший", "исполняющий"
_STOP_POS = frozenset(
    ("VERB", "INFN", "GRND", "PRTS", "ADJS", "ADVB", "NPRO", "PRED", "CONJ", "PRCL", "INTJ")
)
# Endings of surnames (any case of the usual ones): a word the dictionary knows as a common noun is still
# a surname after a given name when it ends so ("Токаев").
_SURNAME_ENDINGS = (
    "ов",
    "ев",
    "ёв",
    "ин",
    "ын",
    "ова",
    "ева",
    "ина",
    "ым",
    "ому",
    "ский",
    "цкий",
    "ская",
    "ян",
    "яна",
    "яном",
    "янц",
    "енко",
    "дзе",
    "швили",
    "ук",
    "юк",
    "бек",
    "бекова",
)
_TITLE_GAPS = frozenset(("", "–", "-", "—", ",", "(", ")"))  # what may stand between two words of a title
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")

_UPPER = "А-ЯЁ"
_LOWER = "а-яё"
_LETTER = "А-ЯЁа-яёA-Za-z\u04d8\u04d9\u0492\u0493\u049a\u049b\u04a2\u04a3\u04e8\u04e9\u04b0\u04b1\u04ae\u04af\u04ba\u04bb\u0406\u0456"
# Initials glued to a surname: "И.Тасмагамбетов", "В. В. Путин", "Ш.Д.Файзуллозода".
_INITIALS = rf"(?:[{_UPPER}][{_LOWER}]?\.\s?){{1,2}}[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_WORD = rf"[{_LETTER}]+(?:-[{_LETTER}]+)*"
_TOKEN = re.compile(rf"({_INITIALS})|({_WORD})")
_INITIALS_SPLIT = re.compile(rf"((?:[{_UPPER}][{_LOWER}]?\.\s?)+)(.+)$")


class RuFound(NamedTuple):
    """A person found in one Russian sentence. The first three fields are those of people.Found
    (name, title, offset), so the English pipeline can take these as they are."""

    name: str  # nominative: "Андрей Сердюков", "И.Тасмагамбетов" (initials kept as written)
    title: str | None  # as written: "начальника Объединенного штаба ОДКБ"
    offset: int  # where the name starts in the sentence
    end: int  # where it ends
    title_nominative: str | None  # the title's head brought to the nominative singular
    written: str  # the name as written: "Андрея Сердюкова"


_lock = threading.Lock()


@functools.cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """The one Russian analyzer of this process (loading its dictionary takes a noticeable moment and
    memory, so only a process that reads Russian pays for it)."""
    with _lock:
        import pymorphy3  # type: ignore[import-untyped]  # loaded on first use only

        return pymorphy3.MorphAnalyzer(lang="ru")


class _Word(NamedTuple):
    """What the rules need of one word's analyses."""

    name_cases: frozenset[tuple[str, str]]  # (case, gender) of known given-name readings, singular
    guessed_name: bool  # pymorphy guesses a given name (unknown word that looks like one)
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


@functools.lru_cache(maxsize=_WORD_CACHE_MAX)
def _word(word: str, heads: frozenset[str]) -> _Word:
    parses = analyzer().parse(word)
    name_cases: set[tuple[str, str]] = set()
    guessed = False
    patr: set[str] = set()
    title_cases: set[str] = set()
    head = False
    pos: set[str] = set()
    known = False
    place = False
    modifier_cases: set[str] = set()
    surname = fixed = False
    personal = False  # some reading may name a person: animate, a name, a surname or an unknown word
    for p in parses:
        tag = p.tag
        pos.add(str(tag.POS))
        known = known or p.is_known
        if "Name" in tag and tag.number == "sing":
            if p.is_known:
                name_cases.add((str(tag.case), str(tag.gender)))
            else:
                guessed = True
        if "Patr" in tag and p.is_known:
            patr.add(str(tag.case))
        if "Surn" in tag and p.is_known:
            surname = True
            fixed = fixed or "Fixd" in tag
        if tag.POS in _LEFT_MODIFIER_POS:
            modifier_cases.add(str(tag.case))
        if not p.is_known or "anim" in tag or "Name" in tag or "Surn" in tag:
            personal = True
        if ("Geox" in tag or "Orgn" in tag) and p.is_known:
            place = True
        if tag.POS == "NOUN" and p.normal_form in heads:
            head = True
            title_cases.add(str(tag.case))
    return _Word(
        frozenset(name_cases),
        guessed,
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


class _Tok(NamedTuple):
    text: str
    start: int
    end: int
    initials: bool  # "И.Тасмагамбетов"


def _tokens(sentence: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end(), m.group(1) is not None) for m in _TOKEN.finditer(sentence)]


def _capitalised(word: str) -> bool:
    return word[0].isupper() and any(c.islower() for c in word[1:])


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


# ------------------------------------------------------------------ surnames to the nominative

_SOFT_OR_HISSING = "жшчщц"
_CONSONANTS = "бвгджзйклмнпрстфхцчшщ"
_VOWELS = "аеёиоуыэюя"


def _recase(model: str, word: str) -> str:
    """word (lower case) written with model's capitals: per hyphen part, first letter."""
    out = []
    for m_part, w_part in zip(model.split("-"), word.split("-")):
        out.append(w_part[:1].upper() + w_part[1:] if m_part[:1].isupper() else w_part)
    return "-".join(out) if len(out) == len(word.split("-")) else word.capitalize()


def _masculine_nominative(w: str, case: str) -> str:
    """A masculine surname (lower case) in `case` brought to the nominative by the paradigms of Russian
    surnames: -ов/-ин and consonant stems (Сердюкова, Асряном), soft stems (Зася, Засем, Макеем),
    adjectival ones (Вишневского), a-stems (Бордюжи, Бордюжей). Anything else (Шойгу, Лукашенко) is
    indeclinable and stays as written."""

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
    if _word(surname, DEFAULT_TITLE_HEADS).fixed_surname:
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
)


def _case_from_surname(surname: str, cases: Iterable[str]) -> str:
    """Of the cases a given name allows (an indeclinable "Имангали" allows all), the one a masculine
    surname's ending shows; the nominative when the ending says nothing."""
    allowed = set(cases)
    low = surname.casefold()
    for endings, case in _OBLIQUE_MASCULINE:
        if case in allowed and low.endswith(endings):
            return case
    return "nomn" if "nomn" in allowed or not allowed else min(allowed, key=_CASES.index)


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


def title_nominative(title: str, heads: frozenset[str] = DEFAULT_TITLE_HEADS) -> str:
    """The title with its head noun and the words before it in the nominative singular, the rest (its
    genitive complement) as written: "начальника Объединенного штаба ОДКБ" -> "начальник Объединенного
    штаба ОДКБ", "министрами обороны Беларуси" -> "министр обороны Беларуси"."""
    words = title.split(" ")
    head_at = next((i for i, w in enumerate(words) if _is_word(w) and _word(w, heads).title_head), None)
    if head_at is None:
        return title
    out = [
        _head_nominative(w) if _is_word(w) and w.casefold() != "обязанности" else w
        for w in words[: head_at + 1]
    ]
    if words[0].casefold().startswith("исполняющ") or words[0].casefold() == "временно":
        out = [_head_nominative(words[0]) if words[0].casefold() != "временно" else words[0], *words[1:]]
        return " ".join(out)
    return " ".join(out + words[head_at + 1 :])


def _is_word(text: str) -> bool:
    return bool(text) and _TOKEN.fullmatch(text) is not None


# ------------------------------------------------------------------ finding people


class _Name(NamedTuple):
    first: int  # token index where the name starts
    last: int  # token index where it ends (inclusive)
    name: str  # nominative
    case: str | None  # the case the name is written in, when known


def _gap(sentence: str, a: _Tok, b: _Tok) -> str:
    return sentence[a.end : b.start]


def _surname_shaped(tok: _Tok, info: _Word) -> bool:
    """Could this capitalised word be a surname? Not a title word, place, acronym, given name or
    patronymic."""
    return (
        _capitalised(tok.text)
        and not info.title_head
        and (not info.place or info.surname)
        and not info.patronymic_cases
        and not _acronym(tok.text)
    )


_FEMININE_NOMINATIVE = ("ова", "ева", "ёва", "ина", "ына", "ая")


def _plausible(surname: str, case: str, gender: str) -> bool:
    """Can a surname be in this case and gender? A woman's nominative surname ends in -ова/-ина/-ая or
    does not decline (consonant, -о, -у, -и, -е): "Станислава Зася" is Станислав Зась in the genitive,
    not a woman called Зася; "Александра Иванова" stays a woman."""
    if case != "nomn" or gender != "femn":
        return True
    low = surname.casefold()
    return low.endswith(_FEMININE_NOMINATIVE) or low[-1:] not in "ая"


def _agreeing(
    name_cases: Iterable[tuple[str, str]], patronymic: frozenset[str] | None
) -> list[tuple[str, str]]:
    cases = sorted(set(name_cases), key=lambda cg: _CASES.index(cg[0]) if cg[0] in _CASES else 9)
    if patronymic is not None:
        cases = [cg for cg in cases if cg[0] in patronymic] or cases
    return cases


def _read_name(
    toks: Sequence[_Tok],
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

    if tok.initials:
        # Initials tell no gender: masculine is assumed, and without a title only endings that no
        # nominative has ("-ым", "-ову", "-ове") undo a case ("-ова" may be a woman's nominative).
        case = _case_from_surname(tok.text, title_cases or ("nomn", "ablt", "datv", "loct"))
        m = _INITIALS_SPLIT.match(tok.text)
        assert m is not None  # the token matched _INITIALS
        return _Name(i, i, m.group(1).replace(" ", "") + surname_nominative(m.group(2), case, "masc"), case)
    if not _capitalised(tok.text):
        return None
    info = _word(tok.text, heads)
    # Given name [patronymic] surname; after a title any capitalised word may be a given name the
    # dictionary does not know ("пресс-секретарь МИД Азербайджана Хазар Ибрагим")
    if info.name_cases or (titled and _surname_shaped(tok, info) and not info.thing):
        j = i + 1
        patronymic = None
        if joined(i) and _word(toks[j].text, heads).patronymic_cases and not toks[j].initials:
            patronymic = _word(toks[j].text, heads).patronymic_cases
            j += 1
        if j < n and (j == i + 1 and joined(i) or j > i + 1 and joined(j - 1)) and not toks[j].initials:
            sinfo = _word(toks[j].text, heads)
            if (
                _surname_shaped(toks[j], sinfo)
                and (info.name_cases or not sinfo.thing or toks[j].text.casefold().endswith(_SURNAME_ENDINGS))
                and not (
                    sinfo.name_cases
                    and not titled
                    and j + 1 < n
                    and _word(toks[j + 1].text, heads).patronymic_cases
                )
            ):
                cases = _agreeing(info.name_cases, patronymic) or [
                    (c, "masc") for c in (title_cases or {"nomn"})
                ]
                if title_cases:
                    cases = [cg for cg in cases if cg[0] in title_cases] or cases
                cases = [cg for cg in cases if _plausible(toks[j].text, *cg)] or cases
                gender = cases[0][1] if cases[0][1] in ("masc", "femn") else "masc"
                possible = [c for c, g in cases if g == gender]
                case = possible[0] if len(possible) == 1 else _case_from_surname(toks[j].text, possible)
                given = _given_nominative(tok.text, case, gender)
                surname = surname_nominative(toks[j].text, case, gender)
                return _Name(i, j, f"{given} {surname}", case)
    # Surname given-name patronymic ("Семериков Валерий Анатольевич")
    if _surname_shaped(tok, info) and not info.name_cases and joined(i) and i + 2 < n and joined(i + 1):
        given_info = _word(toks[i + 1].text, heads)
        patr = _word(toks[i + 2].text, heads).patronymic_cases
        if given_info.name_cases and patr:
            cases = _agreeing(given_info.name_cases, patr)
            case, gender = cases[0]
            gender = gender if gender in ("masc", "femn") else "masc"
            given = _given_nominative(toks[i + 1].text, case, gender)
            return _Name(i, i + 2, f"{given} {surname_nominative(tok.text, case, gender)}", case)
    return None


def _given_nominative(word: str, case: str, gender: str) -> str:
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


def _title_before(
    toks: Sequence[_Tok], first: int, floor: int, sentence: str, heads: frozenset[str]
) -> tuple[int, frozenset[str]] | None:
    """The token where the title before a name starts, and the cases of its head; None if no title.

    Looks back over words that can sit in a title (nouns, adjectives, acronyms, capitalised names of
    bodies and places, "по"/"в"/"при", "и" or a comma between capitalised words, a dash in
    "государств – членов") to the leftmost head noun, then over the adjectives right before it."""
    head: int | None = None
    k = first - 1
    lowest = max(floor, first - _TITLE_LOOKBACK)
    while k >= lowest:
        tok = toks[k]
        gap = _gap(sentence, tok, toks[k + 1]).strip()
        if gap not in _TITLE_GAPS:
            break
        low = tok.text.casefold()
        if gap == "," and (
            not (_capitalised(tok.text) and _capitalised(toks[k + 1].text)) or toks[k + 1].initials
        ):
            break
        if tok.initials:
            break
        info = _word(tok.text, heads)
        if info.title_head:
            head = k
        elif low in ("и",):
            if not (k > lowest and _capitalised(toks[k - 1].text) and _capitalised(toks[k + 1].text)):
                break
        elif low in _ALLOWED_PREPOSITIONS or low == "обязанности" or _acronym(tok.text):
            pass
        elif (info.pos & _STOP_POS and not info.pos & {"NOUN", "ADJF", "PRTF"}) or "PREP" in info.pos:
            break
        k -= 1
    if head is None:
        return None
    start = head
    head_cases = _word(toks[head].text, heads).title_cases
    while start - 1 >= lowest:
        prev = toks[start - 1]
        if _gap(sentence, prev, toks[start]) != " " or prev.initials:
            break
        info = _word(prev.text, heads)
        low = prev.text.casefold()
        if info.modifier_cases & head_cases or low in ("обязанности", "временно"):
            start -= 1
            continue
        break
    return start, _word(toks[head].text, heads).title_cases


def _title_after(toks: Sequence[_Tok], last: int, sentence: str, heads: frozenset[str]) -> str | None:
    """The title written after a name and a comma: "Николай Бордюжа, бывший генеральный секретарь ОДКБ".
    It opens with a head noun (after at most three adjectives) and runs to the next comma or stop word."""
    k = last + 1
    n = len(toks)
    if k >= n or _gap(sentence, toks[last], toks[k]).strip() != ",":
        return None
    head = None
    j = k
    while j < n and j - k <= 3:
        if j > k and _gap(sentence, toks[j - 1], toks[j]) != " ":
            return None
        info = _word(toks[j].text, heads)
        if info.title_head:
            head = j
            break
        if not (info.pos & _LEFT_MODIFIER_POS or toks[j].text.casefold() in ("обязанности", "временно")):
            return None
        j += 1
    if head is None:
        return None
    end = head
    while end + 1 < n and end - head < _TITLE_LOOKBACK:
        nxt = toks[end + 1]
        gap = _gap(sentence, toks[end], nxt).strip()
        if gap not in _TITLE_GAPS or gap == "," or nxt.initials:
            break
        info = _word(nxt.text, heads)
        low = nxt.text.casefold()
        if low in _ALLOWED_PREPOSITIONS and low not in ("в", "во", "на"):
            end += 1
            continue
        if _acronym(nxt.text) or (
            info.pos & {"NOUN", "ADJF", "PRTF"}
            and not info.pos & {"PREP", "CONJ"}
            and not (info.name_cases and _capitalised(nxt.text))
        ):
            end += 1
            continue
        break
    return sentence[toks[k].start : toks[end].end]


def _list_places(
    toks: Sequence[_Tok], prev_end: int, first: int, sentence: str, heads: frozenset[str]
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
        if not (_capitalised(t.text) and not t.initials and _word(t.text, heads).place):
            return None
    return k


def _carried_title(
    previous: str, toks: Sequence[_Tok], places_at: int, first: int, heads: frozenset[str]
) -> str:
    """The previous person's title in the nominative with its place replaced by this one's:
    "министрами обороны Беларуси" + "Казахстана" -> "министр обороны Казахстана"."""
    nominative = title_nominative(previous, heads).split(" ")
    places = [t.text for t in toks[places_at:first]]
    while len(nominative) > 1 and _capitalised(nominative[-1]) and _word(nominative[-1], heads).place:
        nominative.pop()
    return " ".join(nominative + places)


def find_people_ru(sentence: str, title_heads: frozenset[str] = DEFAULT_TITLE_HEADS) -> list[RuFound]:
    """The people of one Russian sentence, in order: names in the nominative, titles as written."""
    sentence = sentence[:SENTENCE_MAX_CHARS]
    toks = _tokens(sentence)
    found: list[RuFound] = []
    floor = 0
    # the previous titled name: (its last token, its title as written, the cases of the title's head)
    last_titled: tuple[int, str, frozenset[str]] | None = None
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if not (tok.initials or _capitalised(tok.text)):
            i += 1
            continue
        title = _title_before(toks, i, floor, sentence, title_heads)
        carried: str | None = None
        cases = title[1] if title else frozenset()
        if title is None and last_titled is not None:
            places = _list_places(toks, last_titled[0], i, sentence, title_heads)
            if places is not None:
                carried = _carried_title(last_titled[1], toks, places, i, title_heads)
                cases = last_titled[2]
        name = _read_name(toks, i, sentence, title_heads, title is not None or carried is not None, cases)
        if name is None:
            i += 1
            continue
        after = (
            _title_after(toks, name.last, sentence, title_heads)
            if title is None and carried is None
            else None
        )
        if after is not None:
            found.append(
                RuFound(
                    name.name,
                    after,
                    tok.start,
                    toks[name.last].end,
                    title_nominative(after, title_heads),
                    sentence[tok.start : toks[name.last].end],
                )
            )
            last_titled = None
        elif title is not None:
            start = toks[title[0]].start
            written_title = sentence[start : tok.start].strip(" ,–-")
            found.append(
                RuFound(
                    name.name,
                    written_title,
                    tok.start,
                    toks[name.last].end,
                    title_nominative(written_title, title_heads),
                    sentence[tok.start : toks[name.last].end],
                )
            )
            last_titled = (name.last, written_title, cases)
        else:
            found.append(
                RuFound(
                    name.name,
                    carried,
                    tok.start,
                    toks[name.last].end,
                    carried,
                    sentence[tok.start : toks[name.last].end],
                )
            )
            if carried is None:
                last_titled = None
            else:
                last_titled = (name.last, last_titled[1], cases) if last_titled else None
        floor = name.last + 1
        i = name.last + 1
    return found


def _initials_on_page(found: RuFound, surnames: set[str]) -> RuFound:
    """An initials-form name in a case its title did not show ("С.Зася") takes the nominative of a
    surname the page writes in full ("Станислав Зась")."""
    m = _INITIALS_SPLIT.match(found.name)
    if m is None or m.group(2) in surnames:
        return found
    for case in _CASES[1:]:
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
    return out
