"""Page structure: teasers (dated or not), a salutation block, then the main article from its headline on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import NamedTuple

from .dates import (
    DATELINE_MAX_CHARS,
    date_line,
    dateline,
    first_unquoted_date,
    lead_day_month,
    opening_dateline,
    trailing_date,
)
from .sentences import ends_sentence, split_sentences

_SALUTATION = re.compile(
    r"^(?:Dear|Distinguished|Esteemed|Ladies\s+and\s+Gentlemen|Уважаем\w*|Дорог\w*)\b.{0,80}!$",
    re.IGNORECASE,
)
# "Dear colleagues," is never a headline.
_ADDRESS = re.compile(r"^(?:Dear|Уважаем\w*)\b", re.IGNORECASE)
HEADLINE_MIN_WORDS = 4
HEADLINE_MIN_CHARS = 20
HEADLINE_MAX_CHARS = 300
FRAGMENT_MAX_WORDS = 2  # a teaser-zone line this short without end punctuation is a label, not news
_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_LIST_NUMBER = re.compile(r"\d{1,2}[.)](?!\d)")
_BULLETS = ("- ", "\u2013 ", "\u2014 ", "\u2022")  # a list entry (related links, members), no headline
# Openings that refer to what the paragraph above told: the parties, the meeting, its participants.
_BACK_REFERENCE = re.compile(
    r"(?:The\s+(?:two\s+)?(?:sides|parties|participants|interlocutors)\b"
    # a personal pronoun as the subject: the person was named above ("He informed ...", «Он отметил ...»)
    r"|(?:He|She|They|His|Her|Their|Он|Она|Они)\s+(?=[a-zа-яё])"
    r"|(?:During|In\s+the\s+course\s+of|At)\s+the\s+(?:time\s+of\s+the\s+)?(?:meeting|talks|conversation|visit|event)\b"
    r"|(?:Стороны|Собеседники|Участники\s+(?:встречи|заседания|совещания|беседы|переговоров))\b"
    r"|(?:В\s+ходе|Во\s+время|По\s+итогам|По\s+завершении)\s+(?:встречи|беседы|переговоров|визита"
    r"|заседания|совещания|мероприятия)\b)"
)
# A quote's attribution on a line of its own ("– пресс-служба штаба", "— the Joint Staff"): short,
# dash-led, no sentence of its own.
_ATTRIBUTION = re.compile(r"[\u2013\u2014]\s*[^\W\d][^.!?\n]{0,60}")
SECTION_MIN_WORDS = 2
SECTION_MAX_WORDS = 6
SECTION_MAX_CHARS = 80  # six words of a section's name fit in this; longer lines need no look
SECTION_SPLIT_MIN_WORDS = 3  # "Chapter I" inside a document is no section of an index page
SECTION_CONTENT_WORD_CHARS = 4  # words this long carry content (and are capitalised in a section name)
HEADER_SPAN_LINES = 4  # a header's title lines and its date line
LEAD_WINDOW_CHARS = 600  # how much of the next paragraph is compared with a title
HEADS_SHARE = 0.5  # share of a title's content words its own lead repeats
DATED_ZONE_MIN_LINES = 2  # date lines that make a zone's teasers a dated list (one may head a section)
ARTICLE_MIN_PARAGRAPHS = 2  # full paragraphs that make an untitled text an article rather than a teaser
LEAD_DATE_CHARS = 40  # a story's own date opens its lead within this many characters
PARAGRAPH_MIN_CHARS = 80  # shorter lines ("The May of the Great Victory is ahead!") are titles
_SITE_CUT = ("\u2026", "...")  # a paragraph the site itself cut short: whole as far as the page goes
STORY_GAP = 2  # blank lines between two stories where a site parts one story's paragraphs with fewer


class Block(NamedTuple):  # a tuple, not a frozen dataclass: made for every block of every page
    """A page region that becomes one item. headline_line is set for the main article only."""

    kind: str  # "teaser" | "salutation" | "article"
    paragraphs: tuple[str, ...]
    headline_line: str | None
    date: dt.date | None  # from a date line or the headline; the lead sentence is consulted later


def is_salutation(line: str) -> bool:
    """A short address line: "Dear Sergey Kuzhugetovich!", "Dear colleagues!"."""
    return _SALUTATION.match(line) is not None


def is_headline(line: str) -> bool:
    """A line that reads like a title: no end punctuation, not a date or salutation, title-sized, not a
    paragraph pointing back at the story above."""
    return _headline_shape(line) and not continues_story(line)


def _headline_shape(line: str) -> bool:
    """is_headline but for the back-reference test: the page's first line points back at nothing ("At the
    meeting of the Permanent Council, an action plan was agreed ...")."""
    if not HEADLINE_MIN_CHARS <= len(line) <= HEADLINE_MAX_CHARS or ends_sentence(line):
        return False
    if line.endswith((":", ",", ";")) or line[0].islower() or _ADDRESS.match(line):
        return False
    if (line[0] == "(" and line[-1] == ")") or _LIST_NUMBER.match(line) is not None:
        return False  # an aside "(as amended by ...)", an entry of a numbered list "5. Case management ..."
    if is_role_entry(line):
        return False
    if len(line.split(None, HEADLINE_MIN_WORDS - 1)) < HEADLINE_MIN_WORDS:  # fewer words than that
        return False
    return date_line(line) is None and not is_salutation(line)


# "<role>: <First Last>", "<label>: <address>" - an entry of a list (office holders, links), the name or
# the address alone after the colon.
_ROLE_ENTRY = re.compile(
    r"[^:\n]{20,300}:\s+(?:[A-Z][a-z\u2019'\-]+(?:\s+[A-Z][a-z\u2019'\-]+){1,2}"
    r"|[А-ЯЁ][а-яё\-]+(?:\s+[А-ЯЁ][а-яё\-]+){1,2}|(?:https?://|www\.)\S{1,200})"
)


def is_role_entry(line: str) -> bool:
    """An entry of a list of office holders ("Plenipotentiary representative of the Assembly: <First
    Last>") or of links ("Website of the Assembly: <address>"): a label, a colon, a name or an address
    alone. No headline: a title's colon is followed by what was said
    or done ("<Name>: Year by year, ..."), not by a bare name."""
    return ":" in line and _ROLE_ENTRY.fullmatch(line) is not None


def is_section_label(line: str) -> bool:
    """A short English title-case line without digits ("Sessions of the Collective Security Council",
    "Trainings of Collective Forces"): the name of a site section, not a story's headline, when a story
    follows."""
    if len(line) > SECTION_MAX_CHARS:
        return False
    words = line.split()
    if not SECTION_MIN_WORDS <= len(words) <= SECTION_MAX_WORDS or ends_sentence(line):
        return False
    if not line.isascii() or line.endswith((",", ";", ":")):
        return False  # title case is an English habit; a Russian heading is written as a sentence
    if any(ch.isdigit() for ch in line) or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() for w in words if len(w) >= SECTION_CONTENT_WORD_CHARS and w.isalpha())


STEM_CHARS = 5  # a word's first letters stand for all its forms ("Министром", "Министра"; "meetings")


def _content_words(text: str) -> set[str]:
    return {w[:STEM_CHARS] for w in _WORD.findall(text.casefold()) if len(w) >= SECTION_CONTENT_WORD_CHARS}


def _heads(title: str, lead: str, share: float = HEADS_SHARE) -> bool:
    """The lead tells the title's story: most of the title's content words (or the share given) come back
    in its opening."""
    return _told_in(title, _content_words(lead[:LEAD_WINDOW_CHARS]), share)


def _told_in(title: str, told: set[str], share: float) -> bool:
    """At least that share of the title's content words is among the words told."""
    want = _content_words(title)
    return bool(want) and len(want & told) >= share * len(want)


def _header_at(lines: list[str], i: int) -> bool:
    """A "Title / Title DD.MM.YYYY" header: the title again (maybe with its date), or a date line, within
    a few short title lines below it ("Statement by ... / Mr. N. Name / the 16th meeting ... / Helsinki,
    4-5 Dec 2008")."""
    title = lines[i]
    for nxt in lines[i + 1 : i + 1 + HEADER_SPAN_LINES]:
        if date_line(nxt) is not None or _same_text(nxt, title):
            return True
        tail = trailing_date(nxt)
        if tail is not None and _same_text(tail[0], title):
            return True
        if ends_sentence(nxt) or len(nxt) > HEADLINE_MAX_CHARS:
            return False
    return False


def find_headline(lines: list[str]) -> int | None:
    """Index of the main article's headline.

    A list entry after a "Composition of ...:" line is none. A "Title / Title DD.MM.YYYY" header wins;
    else the first title-like line whose next paragraph tells its story; else the first title-like
    line; the page's last line comes last of all (an excerpt cut mid-word ends without punctuation, and
    there it only marks the end of the teasers above it). On pages that list one story per line, a
    teaser without a final full stop is thus not taken for the headline.
    """
    candidates: list[int] = []
    listing = False
    for i, line in enumerate(lines[:-1]):
        if line.endswith(":"):
            listing = True  # a list follows: its entries are no headlines
            continue
        if listing and not ends_sentence(line) and not ends_sentence(lines[i + 1]):
            continue  # an entry with more entries below it
        listing = False
        if _is_trail(line, lines[i + 1]) or is_attribution(lines[i + 1]):
            continue  # a breadcrumb trail; a quote above its attribution
        if _titled_twice(line, lines[i + 1]) or _over_doubled_date(lines, i):
            return i  # "Interview of ... to NEWS.ru. / Interview of ... to NEWS.ru. 16.04.2024"
        titled = is_headline(line) if i else _headline_shape(line)
        if titled and not (is_section_label(line) and _names_a_section(lines, i)):
            if _header_at(lines, i):
                return i
            candidates.append(i)
    if candidates:
        return _first_heading(lines, candidates)
    last = lines[-1]
    if listing or last.startswith(_BULLETS) or not is_headline(last):
        return None
    return len(lines) - 1


def _titled_twice(line: str, nxt: str) -> bool:
    """A "Title / Title DD.MM.YYYY" header, whatever the title ends with."""
    if len(line) > HEADLINE_MAX_CHARS:
        return False
    tail = trailing_date(nxt)
    return tail is not None and _same_text(tail[0], line)


def _over_doubled_date(lines: list[str], i: int) -> bool:
    """A title over its date line written twice ("Title. / 07.02.2019 / 07.02.2019"), whatever the title
    ends with: the header of the story below. A date line is no title, nor is a salutation."""
    return (
        i + 2 < len(lines)
        and lines[i + 1] == lines[i + 2]
        and len(lines[i]) <= HEADLINE_MAX_CHARS
        and date_line(lines[i + 1]) is not None
        and date_line(lines[i]) is None
        and not is_salutation(lines[i])
    )


def _is_trail(line: str, nxt: str) -> bool:
    """A breadcrumb trail ending in the title below it ("Домой Армения <title>", "Главная > Новости >
    <title>"): no headline, no item."""
    return len(line) > len(nxt) >= HEADLINE_MIN_CHARS and line.casefold().endswith(nxt.casefold())


def _names_a_section(lines: list[str], i: int) -> bool:
    """The section-like line at i names the section of what follows: a title stands right below it, or
    dated teasers do ("News of the Organization / 18.03.2021 / teaser / 21.05.2020 / teaser"): a second
    date line within a teaser of the first."""
    if is_headline(lines[i + 1]):
        return True
    dated = [k for k in range(i + 1, min(i + 2 + 2 * HEADER_SPAN_LINES, len(lines))) if date_line(lines[k])]
    return len(dated) >= DATED_ZONE_MIN_LINES and dated[0] == i + 1 and dated[1] - dated[0] <= 3


def _first_heading(lines: list[str], candidates: list[int]) -> int | None:
    """The first candidate whose next paragraph tells its story, else the first candidate."""
    for i in candidates:
        nxt = lines[i + 1]
        if date_line(nxt) is not None or not _heads(lines[i], nxt):
            continue
        if not is_headline(nxt):
            return i
        if i + 2 < len(lines) and _heads(nxt, lines[i + 2]):
            return i  # a title over its subtitle, which the lead tells: "Session ... 2015, Dushanbe / On the
            # results of the Session ... / The 2015 Session ... completed its work."
    return candidates[0] if candidates else None


def _teasers(zone: list[str], gaps: Sequence[int] = ()) -> tuple[list[Block], dt.date | None]:
    """Teaser-zone lines to blocks: date line + paragraph, Dear-lines + one paragraph, or a paragraph.

    Section names and stray labels ("Photo") are not news. A line ending with ":" ("Composition of the
    Council:") joins the block before it, with the list that follows it up to the next date line.
    A teaser's second paragraph stays with it: where date lines open the teasers, a paragraph with no
    date line of its own; where two blank lines part the teasers, a paragraph one blank line below.
    Also returns a date line left over at the end of the zone: it stands right above the headline.
    """
    blocks: list[Block] = []
    pending: dt.date | None = None
    listing = False
    n = len(zone)
    dated_zone = sum(date_line(line) is not None for line in zone) >= DATED_ZONE_MIN_LINES
    spaced_zone = not dated_zone and len(gaps) >= n and _spaced_zone(gaps[1:n])
    told = -2  # index of the zone line that last became a teaser's paragraph
    i = 0
    while i < n:
        line = zone[i]
        day = date_line(line)
        if day is not None:
            pending, listing = day, False
            i += 1
            continue
        if told == i - 1 and (
            continues_story(line)
            or ((dated_zone or spaced_zone) and _continues(line, blocks[-1], gaps[i], spaced_zone))
            or _repeats_above(line, blocks[-1].paragraphs[-1])
            or _names_again(line, blocks[-1].paragraphs[-1])
        ):
            last = blocks[-1]
            blocks[-1] = last._replace(paragraphs=(*last.paragraphs, line))
            told = i
            i += 1
            continue
        if listing or ((line.endswith(":") or is_role_entry(line)) and blocks and pending is None):
            last = blocks[-1]
            blocks[-1] = last._replace(paragraphs=(*last.paragraphs, line))
            listing = True
            i += 1
            continue
        if is_salutation(line):
            j = i
            while j < n and is_salutation(zone[j]):
                j += 1
            if j < n and date_line(zone[j]) is None:
                j += 1
            blocks.append(Block("salutation", tuple(zone[i:j]), None, pending))
        elif is_section_label(line):
            j = i + 1  # a section's name: not news
            i = j
            continue
        elif not _is_label(line):
            blocks.append(Block("teaser", (line,), None, pending))
            told = i
            j = i + 1
        else:
            j = i + 1  # a stray label such as "Photo": not news
            if pending is not None and _rubric_under_date(line, zone[i - 1]):
                i = j
                continue  # "20.03.2019 19:58 / Власть / <headline>": the date still dates the story below
        pending = None
        i = j
    return blocks, pending


# Who else took part in what the paragraph above told: "the event" with nothing after it that would say
# which one ("Representatives of ... took part in the event via videoconferencing.", "The ministers of A
# (<rank> <name>), of B (...) ... participated in the meeting.", "В мероприятии приняли участие ...",
# "В заседании также приняли участие ..."). "took part in the meeting of the Council ...", "... in the
# conference "<name>"", "В заседании Совета приняли участие ..." open a story of their own.
_RU_GATHERINGS = (
    r"(?:мероприятии|брифинге|заседании|совещании|встрече|церемонии|переговорах|конференции|сессии)"
)
_JOINED_THE_EVENT = re.compile(
    r"(?:\b(?:took|take|takes|taking)\s+part\s+in|\bparticipated\s+in|\battended)\s+the\s+"
    r"(?:event|meeting|briefing|ceremony|talks|conference|session|forum)\b"
    r"(?=\s*[.;]|\s+(?:via|by\s+video\w*|online|remotely|as\s+well|too|also)\b)"
    rf"|\bв\s+{_RU_GATHERINGS}\s+(?:также\s+)?(?:приняли|принял[аи]?|принимали)\b"
    rf"|\b(?:приняли|принял[аи]?|принимали)\s+(?:также\s+)?участие\s+в\s+{_RU_GATHERINGS}(?=\s*[.,;]|\s+по\s+видео)",
    re.IGNORECASE,
)
_JOINED_CUES = ("part in the", "participated in the", "attended the", "участие", "принял", "принимали")
# The back reference stands in the paragraph's first sentence, which may be a long list of who took part
# ("The defense ministers of A (<rank> <name>), of B (...), ... participated in the meeting.").
JOINED_LOOK_CHARS = 1_000


def continues_story(line: str) -> bool:
    """A paragraph that points back at the story above it ("The sides exchanged views ...", "Стороны
    обменялись мнениями ...", "During the meeting ...", a quote's attribution "– пресс-служба штаба",
    "... took part in the event."): no story opens so, whatever its length or cut."""
    return _BACK_REFERENCE.match(line) is not None or is_attribution(line) or _joins_the_event(line)


def _joins_the_event(line: str) -> bool:
    """The paragraph's first sentence says who else took part in "the event" told above."""
    head = line[:JOINED_LOOK_CHARS]
    if not any(cue in head for cue in _JOINED_CUES):  # most paragraphs: no regex pass
        return False
    end = head.find(". ")
    return _JOINED_THE_EVENT.search(head, 0, len(head) if end < 0 else end + 1) is not None


REPEAT_MIN_CHARS = 40  # a sentence this long, written again, is the same story's, not a coincidence
REPEAT_MAX_CHARS = 400


def _repeats_above(line: str, above: str) -> bool:
    """The paragraph opens with a whole sentence of the paragraph above it: a site's lead, then its body
    telling the same again ("<lead: A. B.>" / "<B. C. D.>"). One story, not two."""
    if line[:REPEAT_MIN_CHARS] not in above:  # most paragraphs: no sentence split needed
        return False
    opening = split_sentences(line[:REPEAT_MAX_CHARS])
    if len(opening) < 2 and len(line) > REPEAT_MAX_CHARS:
        return False  # the opening sentence is longer than looked at
    return len(opening[0]) >= REPEAT_MIN_CHARS and ends_sentence(opening[0]) and opening[0] in above


# A paragraph opening with a definite common noun and no "of ..." to say which ("The relay torch was first
# lit ...", "The drills envisage ..."): the thing was introduced above.
DEFINITE_LOOK_WORDS = 3  # the noun and its modifiers stand in the first words after "The"
_SAYS_WHICH = frozenset(("of", "for"))


def _names_again(line: str, above: str) -> bool:
    """The paragraph opens with a definite common noun ("The relay torch ...") that the paragraph above
    named ("... the relay race ..."): the same story goes on. A story of its own names its subject
    ("The CSTO Secretary General ...", "The meeting of the Council ...")."""
    if not line.startswith("The ") or not line[4:5].islower():  # most paragraphs: no more look
        return False
    opening = line.split(None, DEFINITE_LOOK_WORDS + 1)[1 : DEFINITE_LOOK_WORDS + 1]
    if any(w in _SAYS_WHICH for w in opening):
        return False
    noun = []
    for w in opening[:-1]:  # the last word looked at is the verb or the noun's last word
        if not w.isalpha() or not w.islower():
            break
        noun.append(w)
    named = _content_words(above[:LEAD_WINDOW_CHARS])
    return any(w in named for w in _content_words(" ".join(noun)))


def is_attribution(line: str) -> bool:
    """A quote's attribution on a line of its own: "– пресс-служба штаба"."""
    return line[:1] in "\u2013\u2014" and _ATTRIBUTION.fullmatch(line) is not None


def _rubric_under_date(line: str, above: str) -> bool:
    """A news site's rubric ("Власть", "В мире", "Politics") right under the story's date line: a word or
    two of letters, no time or number (a clock's "06:02" under a date line is a widget, not a rubric)."""
    return date_line(above) is not None and all(w.isalpha() for w in line.split())


def _spaced_zone(gaps: Sequence[int]) -> bool:
    """Two blank lines are the zone's usual break between paragraphs: there, one blank line (the rarer
    break) parts a story's own paragraphs. Where one blank line is as usual, it parts stories too."""
    return 2 * sum(gap >= STORY_GAP for gap in gaps) > len(gaps)


def _is_label(line: str) -> bool:
    """A stray label ("Photo", "News", "Март 28"): a line this short without end punctuation is no news."""
    return len(line.split(None, FRAGMENT_MAX_WORDS)) <= FRAGMENT_MAX_WORDS and not ends_sentence(line)


def _untitled_article(lines: list[str], gaps: Sequence[int]) -> bool:
    """Paragraphs of one article, not a list of stories: a few full paragraphs above the cut line (one
    teaser above a short cut page stays a teaser), no date lines, no two blank lines as the usual break,
    and at most one paragraph opening with its own date ("On 14 August 2023, ...", "On 13
    February, ...": each story of a list is dated by its lead), no entries of a list ("<role>: <name>")."""
    if _spaced_zone(gaps[1 : len(lines)]) or any(date_line(line) is not None for line in lines):
        return False
    if any(is_role_entry(line) for line in lines):
        return False  # a list of office holders or links, not paragraphs
    # The last line is the excerpt's cut unless the site cut it itself ("... …", a teaser's "read more").
    told = sum(ends_sentence(line) for line in lines[:-1]) + (bool(lines) and lines[-1].endswith(_SITE_CUT))
    # A news agency's story opens with its dateline ("БИШКЕК, 3 сен — Sputnik. ..."): its date is the
    # story's own, and one later paragraph may open with the date of what it announces.
    agency = bool(lines) and dateline(split_sentences(lines[0][:DATELINE_MAX_CHARS])[0]) is not None
    return (
        not _later_full_dated(lines)
        and told >= ARTICLE_MIN_PARAGRAPHS
        and sum(opens_dated(line) for line in lines[agency:]) <= 1
    )


def _later_full_dated(lines: Sequence[str]) -> bool:
    """A paragraph after the first opens with a full date: an article's later paragraph never restates
    its date with the year, so another story opens there (a list of teasers without date lines)."""
    return any(first_unquoted_date(line[:LEAD_DATE_CHARS]) is not None for line in lines[1:])


def opens_dated(line: str) -> bool:
    """The paragraph opens with its own date ("On 14 August 2023, ...", "On 13 February, ...")."""
    return first_unquoted_date(line[:LEAD_DATE_CHARS]) is not None or lead_day_month(line) is not None


def _continues(line: str, teaser: Block, gap: int, spaced_zone: bool) -> bool:
    """The line is the teaser's next paragraph (it follows the teaser's paragraph directly): a full
    paragraph longer than a title: in a dated list, under a teaser opened by a date line; where two
    blank lines part the stories, less than that below it."""
    if teaser.kind != "teaser" or len(line) < PARAGRAPH_MIN_CHARS or not ends_sentence(line):
        return False
    return gap < STORY_GAP if spaced_zone else teaser.date is not None


def _sections(lines: list[str]) -> list[list[str]]:
    """An article's lines cut where a section's name stands between stories (a section index page):
    after a story's full paragraph and before the next story. The name is dropped and each part is told
    by its own lead; a subtitle right under the headline stays in the body."""
    parts: list[list[str]] = [[]]
    told = False  # the current part holds a full paragraph
    for i, line in enumerate(lines):
        if (
            told
            and len(line) <= SECTION_MAX_CHARS
            and i + 1 < len(lines)
            and len(line.split()) >= SECTION_SPLIT_MIN_WORDS
            and is_section_label(line)
        ):
            parts.append([])
            told = False
            continue
        parts[-1].append(line)
        if not told:
            told = ends_sentence(line)
    return [p for p in parts if p]


def _same_text(a: str, b: str) -> bool:
    return _spaced(a).casefold() == _spaced(b).casefold()


def _spaced(text: str) -> str:
    """text with every whitespace run as one space; printable text without double spaces already is."""
    if text.isprintable() and "  " not in text:
        return text
    return _WS.sub(" ", text)


def _not_repeated_below(lines: list[str], gaps: Sequence[int], h: int) -> tuple[list[str], list[int]]:
    """The teaser zone (lines above the headline at h, with their gaps) without the lines the article
    repeats: a news site shows its headline and photo caption above the story and again in it."""
    below = set(lines[h:])
    kept = [i for i in range(h) if lines[i] not in below and not _is_trail(lines[i], lines[h])]
    if len(kept) == h:
        return lines[:h], list(gaps[:h])
    return [lines[i] for i in kept], [gaps[i] for i in kept if i < len(gaps)]


def _exclaimed_title(line: str) -> bool:
    """A short title-case exclamation ("The May of the Great Victory is ahead!") or a title trailing off
    ('"The Road of Memory", that unites ...'): one sentence, shorter than a paragraph, not an address."""
    return (
        line.endswith(("!", "...", "\u2026"))
        and len(line) < PARAGRAPH_MIN_CHARS
        and len(line.split(None, HEADLINE_MIN_WORDS - 1)) >= HEADLINE_MIN_WORDS
        and line.lstrip("\"'\u201c\u00ab")[:1].isupper()
        and not is_salutation(line)
        and len(split_sentences(line)) == 1
    )


def _page_opening(lines: list[str]) -> tuple[int, dt.date | None]:
    """(index of the first line of text, the date of the page's opening): the section's name, a menu's
    labels ("News", "Москва") and the page's date lines ("13 марта 2026 / 06:02", a scraper's stamp)
    above an untitled text."""
    start, first = 0, None
    shown: dict[str, int] = {}  # the opening's date lines as written -> where last seen
    widget = False
    while start < len(lines) - 1:
        line = lines[start]
        day = date_line(line)
        if day is None and not (is_section_label(line) or _is_label(line)):
            break
        if day is not None:
            widget = widget or shown.get(line, start - 1) < start - 1
            shown[line] = start
        first = first or day
        start += 1
    # A site's clock widget ("<city> / 13 марта 2026 / 06:02", shown twice for two screen sizes): the same
    # date line again after other lines above the text tells today's date, not the story's. (The same
    # line twice in a row is a header's date, written again.)
    return start, None if widget else first


def split_page(lines: list[str], gaps: Sequence[int] = ()) -> list[Block]:
    """Cut the cleaned lines of a page into item blocks, in page order. gaps: the blank lines above
    each line (clean.clean_lines_with_gaps), when known."""
    if not lines:
        return []
    h = find_headline(lines)
    start, first = _page_opening(lines)
    told = len(gaps) >= len(lines) and _untitled_article(lines[start:], gaps[start:])
    if first is not None and any(is_section_label(line) for line in lines[:start]):
        told = False  # a section's name over a date line: the section's teasers follow, newest first
    if h is not None and h == len(lines) - 1 and h > 0 and _exclaimed_title(lines[h - 1]):
        h -= 1  # "The May of the Great Victory is ahead!" over the cut first paragraph of its story
    elif h == len(lines) - 1 and told:
        h = None  # the cut last line of an article told in paragraphs, no headline
    elif h is not None and h > start and told and opening_dateline(lines[start]) is not None:
        h = None  # a story opened by its agency's dateline: a title-like line below it links elsewhere
    if h is None or (h == len(lines) - 1 and len(lines[h]) >= PARAGRAPH_MIN_CHARS):
        titled = _title_over_dated_lede(lines, start, gaps)  # no headline, or only a paragraph's cut end
        h = h if titled is None else titled
    elif h > start:
        h = _title_over_standfirst(lines, start, h)
    if h is None:
        dated_below = any(date_line(line) is not None for line in lines[start:])
        if not told and (dated_below or first is not None or _later_full_dated(lines)):
            return _teasers(lines, gaps)[0]  # dated stories one after another, no article of its own
        body = lines[start:]
        return [Block("article", tuple(body), None, first)] if body else []
    blocks, date_above = _teasers(*_not_repeated_below(lines, gaps, h))
    headline = lines[h]
    j, date = _header_date(lines, h)
    body = lines[j:]
    if date is None:
        date, body = _date_under_standfirst(body)
    if date is None:
        tail = trailing_date(headline)
        date = tail[1] if tail is not None else date_above
    lead_part, *rest = _sections(body) or [[]]
    blocks.append(Block("article", tuple(lead_part), headline, date))
    blocks.extend(Block("article", tuple(part), None, None) for part in rest)
    return blocks


TITLE_MAX_SENTENCES = 2  # "<what happened>. <the figure that says how much>." is still a title
TWO_SENTENCE_TITLE_MAX_CHARS = 150  # a title of two sentences is short; a longer pair is a lede
_TITLE_ENDS = (".", "?", "!")


def _sentence_title(line: str) -> bool:
    """A title written as a sentence or two ("Remarks by ... at the UN Security Council meeting.", "The
    results of the operation were summed up. More than 11 tons were seized.", "What is next for ...?"):
    title-sized and -shaped but for its end, opening with neither a date nor an agency's dateline (those
    open a lead)."""
    if not line.endswith(_TITLE_ENDS) or line.endswith(_SITE_CUT):
        return False
    if not _headline_shape(line[:-1]) or continues_story(line) or opens_dated(line):
        return False
    if opening_dateline(line) is not None:
        return False
    sentences = len(split_sentences(line))
    return sentences == 1 or (sentences == TITLE_MAX_SENTENCES and len(line) <= TWO_SENTENCE_TITLE_MAX_CHARS)


def _between_title_and_lede(line: str) -> bool:
    """A short line that is no sentence, between a title and its date line or lede: a label ("Must
    read"), a byline, a rubric. Text of neither."""
    return len(line) <= SECTION_MAX_CHARS and not ends_sentence(line)


TITLE_LEDE_SHARE = 1 / 3  # a title over a lede opening with its date shares this much with it


def _title_over_dated_lede(lines: list[str], start: int, gaps: Sequence[int]) -> int | None:
    """Index of a title written as a sentence over the one article of the page ("<title>. / July 19,
    2024 / <paragraphs>", "<title>. / MOSCOW, May 25. /TASS/. ... / <paragraphs>", "<title>. / In the
    period from 26 February to 1 March 2019, ... / <paragraphs>"), else None.

    The article's lede is dated: by the page's one date line right above it, by its agency's dateline,
    or by its own opening date. Below it, as in any article, no paragraph opens with a full date and at
    most one with a day (where more do, the page lists stories and the line is one of them); under a
    lede dated by its opening alone, none does. Such a lede, or a title below other text (teasers of
    other news), needs more: a blank line sets the title apart and the title tells the lede's story (a
    list's teaser is followed by another story's dated lead). The title stands no further from its lede
    than the paragraphs stand from each other, and the lede has a paragraph below it (a teaser has
    not)."""
    dated = [k for k in range(start, len(lines)) if date_line(lines[k]) is not None]
    if len(dated) > 1:
        return None
    agency = next((k for k in range(start + 1, len(lines)) if opening_dateline(lines[k]) is not None), None)
    if dated:
        lede = dated[0] + 1
    elif agency is not None:
        lede = agency
    else:
        lede = next((k for k in range(len(lines) - 1, start, -1) if opens_dated(lines[k])), -1)
    if not start < lede < len(lines) - 1 or date_line(lines[lede]) is not None or _is_label(lines[lede]):
        return None
    if _later_full_dated(lines[lede:]) or sum(opens_dated(line) for line in lines[lede + 1 :]) > 1:
        return None
    title = lede - 1 - bool(dated)
    while title > max(start, lede - HEADER_SPAN_LINES) and _between_title_and_lede(lines[title]):
        title -= 1
    if not start <= title < lede - bool(dated) or not _sentence_title(lines[title]):
        return None
    spaced = len(gaps) >= len(lines)
    if spaced and gaps[lede] >= STORY_GAP and not _spaced_zone(gaps[lede + 1 : len(lines)]):
        return None  # two blank lines part the title from its lede, one the paragraphs: two stories
    if title == start and (dated or agency is not None):
        return title
    # Below other text, or over a lede dated by its opening alone: a blank line sets the title apart (a
    # page with none lists its stories line by line), and the title tells the lede's story.
    set_apart = spaced and gaps[title + 1] > 0
    return title if set_apart and _heads(lines[title], lines[lede], TITLE_LEDE_SHARE) else None


STANDFIRST_MAX_LINES = 2  # a summary line, or a quote and its speaker, between a title and its lede


def _title_over_standfirst(lines: list[str], start: int, h: int) -> int:
    """The headline's index: the page's first line when it is a title over a standfirst of a line or two
    that stands over the agency's dateline lede ("<title> / <standfirst> / YEREVAN, September 30. /TASS/.
    ..."), else h. The standfirst is part of the article, whatever it looks like."""
    lede = next((k for k in range(h, min(h + 2, len(lines))) if opening_dateline(lines[k]) is not None), None)
    if lede is None or lede - start - 1 > STANDFIRST_MAX_LINES or not _headline_shape(lines[start]):
        return h
    if _is_trail(lines[start], lines[start + 1]):
        return h  # "Home > News > <title>" over the title
    below = set().union(*[_content_words(line[:LEAD_WINDOW_CHARS]) for line in lines[start + 1 : lede + 1]])
    return start if _told_in(lines[start], below, TITLE_LEDE_SHARE) else h  # it tells the story below


STANDFIRST_MAX_CHARS = 400  # a summary line under the headline; a longer one is the lead itself


def _date_under_standfirst(body: list[str]) -> tuple[dt.date | None, list[str]]:
    """ "Title / a standfirst that sums the story up / 14:41 16.09.2020 / the story": the date line under
    the standfirst dates the story (not a date the standfirst names, "from 12 to 16 October"); the
    standfirst stays the body's first paragraph."""
    if len(body) < 3 or len(body[0]) > STANDFIRST_MAX_CHARS or date_line(body[0]) is not None:
        return None, body
    date = date_line(body[1])
    if date is None or any(date_line(line) is not None for line in body[2:]):
        return None, body  # more date lines below: a list of stories, each dated by its own
    return date, [body[0], *body[2:]]


def _header_date(lines: list[str], h: int) -> tuple[int, dt.date | None]:
    """(index of the article's first body line, the header's date) below the headline at h: the title
    again (maybe with its date), a date line under a few short title lines, maybe written twice, maybe
    with the title again under it."""
    headline = lines[h]
    j = h + 1
    date: dt.date | None = None
    if j < len(lines):
        nxt = lines[j]
        if _same_text(nxt, headline):
            j += 1
        else:
            tail = trailing_date(nxt)
            if tail is not None and _same_text(tail[0], headline):
                date = tail[1]
                j += 1
    for k in range(j, min(j + HEADER_SPAN_LINES, len(lines)) if date is None else 0):
        own = date_line(lines[k])
        if own is not None:  # the header's date line, maybe under a few short title lines
            date = own
            j = k + 1
            break
        if ends_sentence(lines[k]) or len(lines[k]) > HEADLINE_MAX_CHARS:
            break
    if date is not None and j < len(lines) and date_line(lines[j]) == date:
        j += 1  # the date line written twice
    if date is not None and j < len(lines) and _same_text(lines[j], headline):
        j += 1  # the headline again under its date line ("Title / 20:42 24.11.2025 / Title / lead")
    return j, date
