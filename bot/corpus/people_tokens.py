"""The words of a capitalised run ("the CSTO Secretary General Imangali Tasmagambetov"): what kind each
token is (title word, name, connector, acronym, ...), and the titled names that one run holds on its own.

Split from the sentence scan (people_runs) because this is the part that reads a run's tokens and
nothing else: a pure function of the run's text and the vocab, which people_runs caches per run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from .dates import MONTH_NAMES
from .name_keys import fold_word
from .vocab import Vocab

CONNECTORS = ("of", "the", "for", "on", "and", "under", "to", "at")
CONNECTOR_SET = frozenset(CONNECTORS)
# After a name these end it ("... Imangali Tasmagambetov to the TASS agency"); inside a title they join
# its parts ("Ambassador of Kazakhstan to the Russian Federation").
_NAME_ENDERS = ("to", "at")
# Initials standing for a given name (and patronymic): "T.", "T.S.", "Sh.", "I.N." (digraphs Sh, Kh, Ch,
# Zh, Yu, Ya; not "Mr." or "Ms.").
INITIALS = r"(?:[A-Z\u0400-\u042f][hua]?\.)++"
_INITIALS_RE = re.compile(INITIALS)
_PATRONYMIC_ENDINGS = tuple("ovich evich ich ovna evna ichna ович евич ич овна евна ична".split())
_POSSESSIVE = ("'s", "\u2019s")
_NON_NAME_SUFFIXES = (
    "tion", "sion", "ism", "ment", "ity", "ness", "ance", "ence", "ship", "ology",
    "ential", "erial",  # adjectives of an office ("Presidential Aide", "Ministerial Council")
)  # fmt: skip
# Capitalised grammar words: sentence openers, pronouns, forms of address. Never part of a name.
# fmt: off
_FUNCTION_WORDS = frozenset((
    "the", "a", "an", "in", "on", "at", "by", "for", "from", "with", "without", "to", "of", "and", "but",
    "or", "nor", "as", "during", "after", "before", "since", "until", "under", "over", "among", "between",
    "through", "within", "according", "following", "starting", "this", "that", "these", "those", "it",
    "its", "he", "his", "she", "her", "we", "our", "they", "their", "i", "my", "me", "you", "your", "dear",
    "mr", "mrs", "ms", "dr", "sir", "madam", "ladies", "gentlemen", "let", "thank", "thanks", "yes", "no",
    "not", "if", "when", "while", "where", "what", "who", "whom", "whose", "how", "why", "which", "also",
    "however", "moreover", "furthermore", "meanwhile", "today", "yesterday", "tomorrow", "here", "there",
    "both", "all", "each", "every", "some", "many", "most", "other", "such", "one", "two", "three", "last",
    "next", "new", "speaking", "regarding", "concerning", "despite", "unlike", "like"
))
# fmt: on
# A longer word is no name (the longest real one is far shorter): junk text never makes a person of it.
NAME_WORD_MAX_CHARS = 40
_WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])

# Token kinds
CONN, PAREN, TITLE, FUNC, ACRONYM, POSS, NAME, OTHER = range(8)
_MODIFIERS = frozenset({ACRONYM, POSS, OTHER, TITLE})  # may stand before a title word: "CSTO", "Kyrgyz"


class Found(NamedTuple):  # a tuple: cached per sentence, and tuples of strings escape the collector
    """A person located in a sentence, before canonicalisation."""

    name: str  # as written (patronymic dropped from three-part names)
    title: str | None
    offset: int


def is_initials(token: str) -> bool:
    """ "T.S.", "Sh.", "A.": initials written for a given name."""
    return token.endswith(".") and _INITIALS_RE.fullmatch(token) is not None


def is_patronymic(token: str) -> bool:
    # removesuffix: as a regex's "$", which also matched before one final newline
    return len(token) >= 5 and token.casefold().removesuffix("\n").endswith(_PATRONYMIC_ENDINGS)


def name_shaped(token: str) -> bool:
    """Capitalised word with lowercase letters in every hyphen part: "Kassym-Jomart", not "OSCE-wide"."""
    for part in token.split("-"):
        if len(part) < 2 or not part[0].isupper() or not any(c.islower() for c in part[1:]):
            return False
        if not all(c.isalpha() or c in "'\u2019" for c in part):
            return False
    return True


def strip_possessive(token: str) -> tuple[str, bool]:
    if token.endswith(_POSSESSIVE):
        return token[:-2], True
    return token, False


def token_kind(token: str, vocab: Vocab) -> int:
    """Classify one token of a capitalised run."""
    if token in CONNECTORS:
        return CONN
    if token.startswith("("):
        return PAREN
    base, possessive = strip_possessive(token)
    if vocab.is_title_word(base) or base.casefold() in RANK_WORDS or _hyphenated_title(base, vocab):
        return TITLE
    if is_initials(base):
        return NAME
    folded = base.casefold()
    if folded in _FUNCTION_WORDS:
        return FUNC
    if not any(c.islower() for c in base):
        return ACRONYM
    if possessive:
        return POSS
    if (
        len(base) > NAME_WORD_MAX_CHARS
        or folded in MONTH_NAMES
        or folded in _WEEKDAYS
        or vocab.is_non_name_word(base)
        or folded in _TITLE_ADJECTIVES
        or folded.endswith(_NON_NAME_SUFFIXES)
        or not name_shaped(base)
    ):
        return OTHER
    return NAME


# Adjectives of diplomatic and honorary titles: never a name, they may open a title ("Plenipotentiary
# Representative of ...", "Ambassador Extraordinary and Plenipotentiary").
_TITLE_ADJECTIVES = frozenset(("plenipotentiary", "extraordinary", "honorary", "authorized", "authorised"))
# Rank words the lexicon's title words lack ("Major General"), and ranks as agencies abbreviate them
# ("Lt. Gen.", "Col.-Gen."): title words of a run.
RANK_WORDS = frozenset(
    (
        "major",
        "brigadier",
        "col.",
        "gen.",
        "lt.",
        "maj.",
        "brig.",
        "adm.",
        "col.-gen.",
        "lt.-gen.",
        "maj.-gen.",
    )
)


def _hyphenated_title(token: str, vocab: Vocab) -> bool:
    """ "Editor-in-Chief", "Secretary-General", "Vice-Minister": a hyphenated word with a title part."""
    return "-" in token and any(vocab.is_title_word(part) for part in token.split("-") if len(part) > 2)


def shouted_surnames(tokens: Sequence[str], kinds: list[int]) -> list[int]:
    """A word in capitals right after a given name is a surname written in capitals ("Igor PETROV"),
    not an acronym: letters only, at least three of them."""
    out = list(kinds)
    for i in range(1, len(tokens)):
        if out[i] != ACRONYM or out[i - 1] != NAME:
            continue
        token = strip_possessive(tokens[i])[0]
        if len(token) >= 3 and all(part.isalpha() for part in token.split("-")):
            out[i] = NAME
    return out


def cached_kind(token: str, vocab: Vocab) -> int:
    kind = vocab.kind_cache.get(token)
    if kind is None:
        kind = vocab.kind_cache.put(token, token_kind(token, vocab))
    return kind


def name_span(tokens: Sequence[str], start: int, end: int, titled: bool = False) -> tuple[int, str] | None:
    """The name at the end of a block of name tokens [start, end): two tokens, or three when the middle
    one is a patronymic (which the name then drops). Returns (first token index, name). After a title
    (`titled`) a second word shaped like a patronymic is a surname ("... to the CSTO Alexander
    Grinevich"): an address names by given name and patronymic, but no title stands before it."""
    if end - start < 2:  # one word names no one, whatever it is (each branch below needs two)
        return None
    last = strip_possessive(tokens[end - 1])[0]
    if is_initials(last):
        return None
    if end - start >= 2 and is_initials(tokens[end - 2]):
        return _initials_span(tokens, start, end, last)
    if end - start >= 3 and is_patronymic(tokens[end - 2]) and not is_patronymic(last):
        return end - 3, f"{tokens[end - 3]} {last}"
    if end - start == 3 and last.casefold().endswith(_FATHERS_NAME_SURNAMES):
        # Tajik official names: given name, father's name, surname ("Rahmon Yusuf Ahmadzoda"); the
        # father's name goes as a patronymic does. Three words exactly: more are an organisation's
        # name before the person's ("... Computer Incidents Gulnara Iskakzoda")
        return end - 3, f"{tokens[end - 3]} {last}"
    if is_patronymic(last):
        # surname first ("Ivanov Pyotr Sergeyevich", as staff lists write it): given name and surname;
        # a given name and a patronymic alone name no one surely (an address, see find_addressed)
        if end - start >= 3 and not is_patronymic(tokens[end - 2]):
            return end - 3, f"{tokens[end - 2]} {tokens[end - 3]}"
        if titled and end - start == 2 and not is_patronymic(tokens[end - 2]) and not _from_given_name(last):
            return end - 2, f"{tokens[end - 2]} {last}"
        return None
    if end - start >= 2:
        return end - 2, f"{tokens[end - 2]} {last}"
    return None


# Folded stems of the given names Russian patronymics are made of ("Semyonovich" -> "semen"): a word
# ending -ovich/-evich/-ich on one of these is a patronymic; on another ("Grinevich") a surname.
# fmt: off
_PATRONYMIC_STEMS = frozenset((
    "aleks", "aleksandr", "anatol", "andr", "anton", "arkad", "arsen", "artur", "bogdan", "boris",
    "daniil", "danil", "denis", "dmitr", "eduard", "efim", "egor", "evgen", "fedor", "filip", "genad",
    "georg", "german", "gleb", "grigor", "ignat", "igor", "il", "iakovl", "iosif", "iur", "ivan", "kiril",
    "konstantin", "kuzm", "leonid", "lv", "maksim", "mark", "matv", "mihail", "nikit", "nikola", "oleg",
    "pavl", "petr", "roman", "ruslan", "semen", "serg", "stanislav", "stepan", "taras", "timof",
    "vadim", "valentin", "valer", "vasil", "viacheslav", "viktor", "vital", "vladimir", "vladislav",
    "vsevolod", "iaroslav", "zahar", "zinov", "mihal", "afanas", "fom", "luk", "sav",
))
# fmt: on
_PATRONYMIC_SUFFIX = re.compile(r"(?:ovich|evich|ich)$")


_FATHERS_NAME_SURNAMES = ("zoda", "zod", "zade")


def _from_given_name(token: str) -> bool:
    """Is this -vich/-ich word made of a given name (a patronymic) rather than a surname ("Grinevich")?"""
    folded = fold_word(token)
    stem = _PATRONYMIC_SUFFIX.sub("", folded)
    return stem in _PATRONYMIC_STEMS or stem.removesuffix("i") in _PATRONYMIC_STEMS


def ends_with_date_word(tokens: Sequence[str]) -> bool:
    """Does a run end with a connector and a weekday or month ("... Petrov on Monday", "... in May")? They
    end the name before them."""
    return (
        len(tokens) >= 3
        and tokens[-2] in CONNECTOR_SET
        and (tokens[-1].casefold() in _WEEKDAYS or tokens[-1].casefold() in MONTH_NAMES)
    )


def _initials_span(tokens: Sequence[str], start: int, end: int, last: str) -> tuple[int, str]:
    """A name whose surname follows initials: "T.S. Sultangaziev", "I. N. Tasmagambetov", or a given
    name with a middle initial, "Alexander G. Lukashenko" (the given name not after a connector: in
    "of Finland A. Stubb" the word before the initial is a place)."""
    k = end - 1
    while k > start and is_initials(tokens[k - 1]):
        k -= 1
    middle = k == end - 2 and len(tokens[k]) == 2  # one single-letter initial
    if middle and k > start and (k - 1 == 0 or tokens[k - 2] not in CONNECTOR_SET):
        k -= 1
    return k, " ".join([*tokens[k : end - 1], last])


def _person_follows(tokens: Sequence[str], kinds: Sequence[int], k: int) -> bool:
    """After "and" at k: does another person start ("and the President of ...", "and Ivan Petrov")?
    If so, the name before "and" is complete; otherwise "and" continues an organisation's name."""
    k += 1
    if k < len(tokens) and tokens[k] == "the":
        k += 1
    if k + 1 < len(tokens) and kinds[k] == NAME and kinds[k + 1] in (NAME, POSS):
        return True
    while k < len(tokens) and kinds[k] in _MODIFIERS:
        if kinds[k] == TITLE:
            return True
        k += 1
    return False


def _block_end(kinds: Sequence[int], i: int, tokens: Sequence[str]) -> tuple[int, bool]:
    """End of the block of name tokens starting at i; a trailing possessive name closes it."""
    j = i
    n = len(kinds)
    while j < n and kinds[j] == NAME:
        j += 1
    if j < n and kinds[j] == POSS and name_shaped(strip_possessive(tokens[j])[0]):
        return j + 1, True
    return j, False


def _organisation_start(kinds: Sequence[int], floor: int, s: int, i: int) -> int:
    """Where a title starts whose modifiers (from s) follow a word of a name the rules can't read: the
    organisation's name is part of it when a national or possessive word opens the run ("Russian State
    Duma Speaker", "Kazakhstan's Air Assault Forces Major General"); else its end is no part of the
    title ("... Cooperation Organization Secretary General"), which starts at its first title word i."""
    k = s - 1
    while k > floor and kinds[k - 1] in _ORGANISATION_WORDS:
        k -= 1
    return k if k == floor and kinds[k] in (OTHER, POSS) else i


_ORGANISATION_WORDS = frozenset({NAME, OTHER, ACRONYM, POSS})


def _join_title(tokens: Sequence[str]) -> str | None:
    parts = list(tokens)
    while parts and (parts[0] in CONNECTORS or parts[0].casefold() in _FUNCTION_WORDS):
        parts.pop(0)
    while parts and parts[-1] in CONNECTORS:
        parts.pop()
    return " ".join(parts) or None


TITLE_BEFORE_MAX_WORDS = 12  # "Chairman of the Council of Ministers of Foreign Affairs of the CSTO"
_TITLE_BEFORE_MAX_CHARS = 200
_TITLE_RUN_KINDS = frozenset((TITLE, OTHER, ACRONYM, CONN))


def title_just_before(sentence: str, end: int, vocab: Vocab) -> str | None:
    """The title written right before a name found without one, a known person's surname alone ("Later,
    CSTO Secretary General Zas said"): the capitalised title and organisation words and connectors back
    to the first other word, the nearest one a title word; else None."""
    if end < 2 or sentence[end - 1] != " ":
        return None
    nearest = sentence[sentence.rfind(" ", max(0, end - 1 - NAME_WORD_MAX_CHARS), end - 1) + 1 : end - 1]
    if not nearest[:1].isupper() or cached_kind(nearest, vocab) != TITLE:  # the usual case: no title
        return None
    window = max(0, end - _TITLE_BEFORE_MAX_CHARS)
    words = sentence[window : end - 1].split(" ")[-TITLE_BEFORE_MAX_WORDS:]
    if window and len(words) > 1:
        words = words[1:]  # the window may start inside a word
    if not words or cached_kind(words[-1], vocab) != TITLE:
        return None
    start = len(words) - 1
    while start > 0:
        word = words[start - 1]
        kind = CONN if word in CONNECTOR_SET else cached_kind(word, vocab)
        if kind not in _TITLE_RUN_KINDS or not word[-1:].isalnum():
            break
        start -= 1
    return _join_title(words[start:])


def titled_before(tokens: Sequence[str], kinds: Sequence[int]) -> list[tuple[int, str, str | None]]:
    """Names that follow a title phrase inside one run: (token index, name, title).

    A bare name joined to a titled one ("the Minister of Defence Ivan Petrov and Anna Ivanova signed")
    is a person too, with no title.
    """
    found: list[tuple[int, str, str | None]] = []
    if TITLE not in kinds:  # every find follows a title (a partner follows a titled find)
        return found
    n = len(tokens)
    title_start: int | None = None
    floor = 0
    partner_at = -1  # index right after "and" that follows a titled name
    i = 0
    while i < n:
        kind = kinds[i]
        if kind == TITLE:
            if title_start is None:
                s = i
                while s > floor and kinds[s - 1] in _MODIFIERS:
                    s -= 1
                if s > floor and kinds[s - 1] == NAME:
                    title_start = _organisation_start(kinds, floor, s, i)
                else:
                    title_start = s
            i += 1
            continue
        if kind == NAME:
            j, closed = _block_end(kinds, i, tokens)
            span = name_span(tokens, i, j, titled=title_start is not None)
            ends_here = (
                closed
                or j == n
                or tokens[j] in _NAME_ENDERS
                or (j + 2 == n and ends_with_date_word(tokens))
                or (tokens[j] == "and" and _person_follows(tokens, kinds, j))
            )
            if title_start is not None and span is not None and ends_here:
                first, name = span
                # "Heads of Competent Authorities", "the Russian Federation": a capitalised pair right
                # after a connector is the object of the title (an organisation or place), not a person.
                if first > title_start and tokens[first - 1] not in CONNECTORS:
                    title = _join_title(tokens[title_start:first])
                    if title is not None:
                        found.append((first, name, title))
                        title_start = None
                        floor = j
                        partner_at = j + 1 if j < n and tokens[j] == "and" else -1
            elif title_start is None and i == partner_at and span is not None and span[0] == i and ends_here:
                found.append((i, span[1], None))
                floor = j
            i = max(j, i + 1)
            continue
        i += 1
    return found


def trailing_title(tokens: Sequence[str], kinds: Sequence[int], last_find: int) -> str | None:
    """The title a run ends with after its last find, "... Samat Ordabayev and the Special Representative
    of the UN Secretary General for Central Asia": the first part of the title of a name further on."""
    j, _ = _block_end(kinds, last_find, tokens)
    if j >= len(tokens) or tokens[j] != "and":
        return None
    k = j + 1
    if k < len(tokens) and tokens[k] == "the":
        k += 1
    return opening_title(tokens[k:], kinds[k:])


def opening_title(tokens: Sequence[str], kinds: Sequence[int]) -> str | None:
    """The title phrase of a run that opens with a title ("Chairman of ...", "the CSTO Deputy ...")."""
    if TITLE not in kinds:
        return None
    k = 0
    while k < len(tokens) and kinds[k] == FUNC:
        k += 1
    j = k
    # modifiers, also joined by "and" ("Permanent and Plenipotentiary Representative of ...")
    while j < len(tokens) and (kinds[j] in _MODIFIERS or (j > k and tokens[j] == "and")):
        if kinds[j] == TITLE:
            return _join_title(tokens[k:])
        j += 1
    return None
