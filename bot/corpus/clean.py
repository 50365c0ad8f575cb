"""Line cleaning: navigation debris out, spacing normalised, stray Cyrillic fragments off English lines."""

from __future__ import annotations

import re
from itertools import islice

from .dates import date_line
from .sentences import ends_sentence
from .vocab import PUNCT_TAIL as _PUNCT_TAIL
from .vocab import Vocab, navigation_form

_SPACE_CHARS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Runs of spacing that need rewriting: any exotic space, or two or more plain spaces (a lone " " is left
# alone, which keeps the pass cheap).
# The pattern opens with one character class (the engine then skips ahead fast); the lookbehind re-reads
# the first character: an exotic space alone is a run, a plain space needs company.
_SPACES = re.compile(f"[ {_SPACE_CHARS}](?:(?<=[{_SPACE_CHARS}])[ {_SPACE_CHARS}]*|[ {_SPACE_CHARS}]+)")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# "Back to the section", "Go back to news": short site navigation whatever the exact wording.
_BACK_TO = re.compile(r"^(?:go\s+)?back(?:\s+to\b.*)?$", re.IGNORECASE)
_BACK_TO_MAX_CHARS = 60

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[A-Za-z]")
# A short Cyrillic fragment glued to a Latin word or to punctuation ("sovereignty.та."), with its own
# trailing punctuation.
_GLUED_FRAGMENT = re.compile("(?<=[A-Za-z.,;:!?])[\u0400-\u04ff]{1,6}(?![\u0400-\u04ff\\w])([.,;:!?]*)")
# A lone one-to-three-letter Cyrillic word between spaces in an English line.
_LONE_FRAGMENT = re.compile("(?:(?<=\\s)|^)[\u0400-\u04ff]{1,3}[.,;:!?]*(?=\\s|$)")
# An image's file name left in front of a paragraph or on a line of its own ("эмблема.jpg The Council
# ..."): a caption's debris, never part of a headline. Bounded: a name is one short token.
# Glued to the text too ("IMG-20190301-WA0012.jpgIn the period ..."): a capital letter opens the text.
_IMAGE_NAME_MAX_CHARS = 80  # before its extension's dot
_IMAGE_NAME = re.compile(
    rf"[^\s]{{1,{_IMAGE_NAME_MAX_CHARS}}}?\.(?i:jpe?g|png|gif|webp|svg|bmp|tiff?)(?:\s+|$|(?=[A-ZА-ЯЁ«\"“]))"
)
# A scraper's stamp in front of a line (" date 2025-11-24 Рейтинг@Mail.ru", " date 2025-09-17 На ..."):
# the page's date, given a line of its own; what follows it is the line. A stamp with no day (" date
# 2022-01 ...") dates nothing and goes.
_STAMP = re.compile(r"date\s+(\d{4}-\d{2}-\d{2}|\d{4}(?:-\d{2})?)\b\s*")
_STAMP_DATE_CHARS = len("2025-11-24")
# A date line glued to the teaser it dates ("21.05.2020On May 26, 2020, ..."): two lines.
_GLUED_DATE = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{4})(?=[A-ZА-ЯЁ])")
# A bullet in front of a date or a time ("• 24 ноября, 2025", "• 14:33").
_BULLET = re.compile(r"[\u2022\u00b7]\s*")
# A line of figures alone (a counter "256", "1 880", a time "20:17", a rate "79.0671", "13/03"): no news.
_FIGURES = re.compile(r"[\d\s.,:/%+\-\u2212|]{1,16}")
# Site furniture of news pages, the whole line: template placeholders, buttons, counters, menus.
_FURNITURE = re.compile(
    r"\{\{[^{}]{0,80}\}\}|(?:show\s+more|load\s+more|share|read\s+also|read\s+more|print|comments?"
    r"|читайте\s+также|показать\s+(?:ещё|еще)|поделиться|котировки|кнопка\s+меню\s+закрыть"
    r"|рейтинг@mail\.ru|(?:usd|eur|rub|cny)(?:\s+[\d.,]+)?)[\s:.!]*",
    re.IGNORECASE,
)
_FURNITURE_MAX_CHARS = 40
# An embedded image left by the scraper ("<image>data:image/s3,"s3://crabby-images/1749f/1749f6ab19dfa0148d5735d6a5f5c2d6ab11e2c4" alt=""</image>", "![](photo.jpg)"): no text.
_EMBED = re.compile(r"<image>[^<]{0,4000}</image>|!\[[^\]\n]{0,200}\]\([^)\n]{0,4000}\)")
_LATIN_DOMINANCE = 4  # Latin letters per Cyrillic letter for a line to count as English
# Credits, "more on this" pointers, "last updated" stamps and tag lists of news sites, whatever follows
# them: never news (an update's time dates no story).
_DEBRIS_OPENING = re.compile(
    r"^(?:©|Подробнее\s+(?:в\s+сюжете|читайте\s+на)\b|Подписывайтесь\s+на\b|Фото\s?:|Photo\s?:"
    # a credit with no colon: «Фото пресс-службы ...», «Фото “Agency”», "Photo by ...", "Photo courtesy of"
    r"|(?:Фото|Photo)\s+(?:пресс-служб|предоставлен|с\s+сайта|press\s+service|by\s|courtesy|credit|[«“\"])"
    r"|Last\s+update[ds]?\s*:|Updated\s*:|Обновлено\s*:|Теги\s*:|Метки\s*:|Tags\s*:"
    # a news ticker's row, its time glued to the headline of other news: "17:14Госдума приняла ..."
    r"|[0-2]?\d:[0-5]\d(?=[^\W\d_]))",
    re.IGNORECASE,
)
# A photo caption closed by its credit, an agency and the photographer ("... ITAR-TASS/Ivan Petrov"):
# a picture's words, no story. Short lines only; read from the end.
_PHOTO_CREDIT_END = re.compile(r"\s[A-ZА-ЯЁ][A-ZА-ЯЁ-]{2,20}/[A-ZА-ЯЁ][\w'-]+(?:\s[A-ZА-ЯЁ][\w'-]+){0,2}$")
_CAPTION_MAX_CHARS = 200
# Cyrillic read as Latin-1 ("ÑÎÎÁÙÅÍÈÅ ÄËß ÏÅ×ÀÒÈ"): letters almost all from À-ÿ.
# A byline or a credit on a line of its own ("Автор: <name>", "Author: <name>, observer with ..."): who
# wrote the story or took its photo, never a person of the story. Short: a paragraph is never one.
_BYLINE = re.compile(
    # the label may follow the author's name, as a byline card writes it ("Name Surname Автор: ...")
    r"(?:(?-i:[A-ZА-ЯЁ][\w'\u2019-]+ [A-ZА-ЯЁ][\w'\u2019-]+) )?"
    r"(?:Автор[ыа]?(?:\s+(?:текста|фото|материала))?|[ТT][еe]кст|Корреспондент|Фотограф|Author|Text|Photographer)"
    r"\s*:\s*\S",
    re.IGNORECASE,
)
# A byline of a name alone, as news sites set it apart: after a dash ("- Name Surname") or "By", before the
# page's counters of reads and comments ("Name Surname 38 0"), or with the author's role in brackets
# ("Name Surname (редактор отдела ...)").
_NAME = r"[A-ZА-ЯЁ][a-zа-яё'\u2019-]+ [A-ZА-ЯЁ][a-zа-яё'\u2019-]+"
_NAME_BYLINE = re.compile(
    rf"[-\u2013\u2014] ?{_NAME}|{_NAME}(?: \d{{1,6}}){{2,3}}"
    # "By Name Surname • 01 October 2022 • 14:16": the name and the story's day and time set apart by dots
    rf"|By {_NAME}(?: ?[\u2022\u00b7|] ?[^\u2022\u00b7|\n]{{1,40}}){{0,3}}"
    rf"|{_NAME} ?\((?i:редактор|корреспондент|обозреватель|журналист|автор|editor|correspondent|reporter"
    r"|columnist|staff writer)[^)\n]{0,60}\)"
)
_BYLINE_MAX_CHARS = 160
# A news site's "read more" link closing a teaser ("... на заместителя … Читать далее →."): the link
# goes, the teaser keeps an ellipsis (the site cut it there: a whole paragraph, not the excerpt's cut).
_READ_MORE = re.compile(
    r"\s*(?:Читать\s+(?:далее|дальше|полностью)|Read\s+(?:more|further)|Continue\s+reading)"
    r"\s*(?:→|»|>{1,2}|\.\.\.|…)?[\s.]*$",
    re.IGNORECASE,
)
_READ_MORE_MAX_CHARS = 40  # how much of a line's end the link's words are looked for in
# A news agency's dateline that names its reporter ("Москва, 28 января. (<agency>, <name>). — ...",
# "20 декабря, Москва /<name> - <agency>/. ..."): the credit's parts, one of them the agency. The reporter
# is a byline, not a person of the story: dropped, the agency kept. Bounded: the credit opens within the
# line's first characters.
_DATELINE_CREDIT = re.compile(
    r"[^()/\n]{0,40}?\d{1,2}\s+[^\W\d]{3,9}\.?,?(?:\s+\d{4}\s*(?:г\.?)?)?[.,]?\s*"
    r"(?:[A-ZА-ЯЁ][\w-]*[.,]?\s*)?[(/](?P<credit>[^()/\n]{3,80})(?=[)/]|\.\s)"
)
_CREDIT_OPENS_WITHIN = 80  # the credit's bracket or slash stands within a dateline's first characters
_CREDIT_PART = re.compile(r"\s*(?:,|\s[-\u2013\u2014]\s)\s*")
# A reporter's name: two or three capitalised words of one script ("<First> <Last>").
_REPORTER = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:\s+[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?){1,2}"
    r"|[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}"
)
# "02/03/2010": on a Russian page the day comes first, as in "02.03.2010" (an English site may write the
# month first, so there a slashed date stays as written: dates.py reads it only when the order is sure).
_SLASHED_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
# Page chrome: the widgets, stamps and trails a news site wraps around its stories. Each is told by its
# shape (a short line, a sign or a symbol where a headline has words), so any site's chrome goes; a
# headline or a sentence that merely names a temperature, a search or an update reads on.
_CHROME_MAX_CHARS = 120  # chrome is a short line
_PARAGRAPH_MIN_CHARS = 100  # a story's full paragraph (a site's header and a tag line are shorter)
# A story's tag line under its last paragraph, closing an English page ("Cyber security").
_TAG_MAX_CHARS = 30
_TAG_MAX_WORDS = 3
_TAG_WORD_MIN_CHARS = 3
# A weather widget: a temperature with its degree sign ("+5°C", "-3 °С") closing a short line after a place
# ("Minsk +5°C", "In Minsk: +6 °C") or a sky ("Overcast +5°C"), or opening one ("+5°C Cloudy").
_TEMPERATURE = re.compile(r"[+\-\u2212\u2013]?\d{1,2}(?:[.,]\d)?\s?°\s?[CСF]?(?!\w)")
_WEATHER_MAX_CHARS = 60
_SKY = re.compile(
    r"(?:облачн|ясн|пасмурн|дожд|снег|туман|гроз|ливн|морос|cloud|sunny|clear|overcast|rain|snow|fog|shower|drizzl|mist)",
    re.IGNORECASE,
)
_WIDGET_TAIL_MAX_WORDS = 3
# Account, search and social buttons ("Войти в почту", "log in or register", "Поиск по сайту", "Follow us
# on", "Читайте и смотрите нас в"): a verb of the button and its object, the whole (short) line. The
# account and search buttons stand in a site's header, above the story.
_ACCOUNT_VERB = (
    r"(?:войти|вход|выйти|регистрация|зарегистрироваться|log\s?in|log\s?out|sign\s?in|sign\s?up|register)"
)
_HEADER_BUTTON = (
    r"личный\s+кабинет|my\s+account"
    rf"|{_ACCOUNT_VERB}(?:\s*(?:или|or|/|\|)\s*{_ACCOUNT_VERB})?"
    r"(?:\s+(?:в|на|to|into|with)\s+(?:почту|аккаунт|(?:личный\s+)?кабинет|профиль|систему|сайт|account|profile"
    r"|e-?mail|mail|the\s+site))?"
    r"|(?:поиск|искать|найти|search|find)(?:\s+(?:по|on|in|the|this|our)(?:\s+(?:the|this|our))?"
    r"\s+(?:сайту|site|website|новостям|архиву|news|archive))?"
)
_OTHER_BUTTON = (
    r"to\s+(?:participate|take\s+part)\s+in\s+the\s+discussion|to\s+(?:leave|post)\s+a\s+comment"
    r"|\d{1,3}\s+pages?\s+in\s+this\s+(?:article|story)"
    r"|(?:фото|photo)\s+(?:из\s+архива|from\s+(?:the\s+)?archives?|archive)(?:\s+[^\W\d][\w-]*)?"
    r"|(?:читайте|смотрите|слушайте|следите|подписывайтесь|присоединяйтесь|follow|join|find|watch|like)"
    r"(?:\s+(?:и|and)\s+[^\W\d]+)?(?:\s+(?:за|на|к))?\s+(?:нас|нами|us)(?:\s+(?:в|на|on|in|at)\b[^.!?\n]{0,50})?"
)
_HEADER_WIDGET = re.compile(rf"(?:{_HEADER_BUTTON})[\s.:!…]*", re.IGNORECASE)
_WIDGET = re.compile(rf"(?:{_HEADER_BUTTON}|{_OTHER_BUTTON})[\s.:!…]*", re.IGNORECASE)
_WIDGET_MAX_CHARS = 60
_HEADER_MAX_LINES = 12  # a site's header above its first story: logo, tagline, languages, menu, clock
# A text-size control ("Размер текста: - o +", "Font size: A- A A+"): a label, then only signs and letters.
_SIZE_CONTROL = re.compile(r"[^:\n]{1,30}:\s*(?:[+\-\u2212\u2013AaАаOoОо]\s*){2,6}")
# ... or with no label, its buttons around the size it sets ("+ ↺ − 16 px", "A- 100% A+").
_SIZE_BUTTON = r"(?:[+\-\u2212\u2013\u21ba\u21bb\u27f2\u27f3]|[AaАа][+\-\u2212]?)\s*"
_SIZE_STEPPER = re.compile(rf"(?:{_SIZE_BUTTON}){{1,4}}\d{{1,3}}\s*(?:px|pt|%)\s*(?:{_SIZE_BUTTON}){{0,4}}")
# A breadcrumb trail ("Site name → Section", "Home » News » World"): short capitalised sections parted by
# an arrow; "/" and "|" part a trail only after the home page's name (a title "Story | Agency" keeps).
_CRUMB_SEPARATOR = re.compile(r"\s+(?:→|»|›|>{1,2}|/|\||·)\s+")
_CRUMB_MARK = re.compile(r"[→»›>/|·]")  # a separator's mark: a C-speed test before the separator's search
_CRUMB_ARROWS = ("→", "»", "›", ">")
_CRUMB_HOME = frozenset({"главная", "главная страница", "home", "home page", "main", "main page"})
_CRUMB_PART_MAX_CHARS = 40
_CRUMB_PART_MAX_WORDS = 5
# A page-update stamp ("Обновлено в 13:12", "Последнее обновление: 23.11.2024 14:59", "Updated at 14:05
# GMT"): the page's edit time, which dates no story. Glued to the words before it ("...УкраинеОбновлено
# в 13:12"), it closes a run of glued menu entries: the whole line is chrome.
_UPDATE_STAMP = re.compile(
    r"(?:последнее\s+обновление|обновлено|дата\s+обновления|изменено|дата\s+изменения|last\s+updated?|updated"
    r"|last\s+modified|modified)"
    r"(?:\s+(?:в|at|on))?\s*:?\s*"
    r"(?P<when>(?:(?:\d{1,4}|(?:[^\W\d]{3,9}\.?)(?=[\s,]*\d))[\s.,:/\-]*){1,6})"
    r"(?:\s*(?:GMT|UTC|МСК|MSK)(?:[+\-]\d{1,2})?)?",
    re.IGNORECASE,
)
# What makes it a time stamp: a clock time, a date in figures, or a month's name ("5 times" is none).
_STAMP_TIME = re.compile(r"\d[:./\-]\d|[^\W\d]{3}")
# A weekday and a day without its year ("вторник, апрель 30", "Friday, 12 May"): a site's "today", no date.
_MONTH_WORD = (
    r"(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[^\W\d]{0,7}\.?"
)
_WEEKDAY_LINE = re.compile(
    r"(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"(?:,?\s+(?:\d{{1,2}}\s+{_MONTH_WORD}|{_MONTH_WORD}\s+\d{{1,2}}))?(?:,?\s+\d{{1,2}}:\d{{2}})?[\s.,]*",
    re.IGNORECASE,
)
_WEEKDAY_MAX_CHARS = 40
# A news site's clock stamp with its time zone and no year ("May 25, 13:00 UTC+3 MOSCOW"): the page's
# time, which a story's own dateline states again with its place.
_ZONED_STAMP = re.compile(
    r"(?:[^\W\d]{3,9}\.?\s+\d{1,2}|\d{1,2}\s+[^\W\d]{3,9}\.?),?\s+\d{1,2}:\d{2}\s*(?:UTC|GMT|MSK|МСК)"
    r"(?:\s*[+\-\u2212]\s*\d{1,2})?(?:\s+[^\W\d][\w\- ]{0,30})?"
)
# Markup a scraper left in the text: a script or style with its code, any other tag ("<div class=...>",
# "</p>", "<amp-youtube ...>"), a comment. A tag's name is Latin: "<ОДКБ>" or "<5" is no tag.
_MARKUP_WITH_CONTENT = re.compile(
    r"<(script|style|noscript|template|image)\b[^<>]{0,2000}>[^\n]{0,4000}?</\1\s*>", re.IGNORECASE
)
_MARKUP_TAG = re.compile(r"<!--[^\n]{0,4000}?-->|<!?/?[A-Za-z][\w:-]{0,40}(?:\s[^<>]{0,2000})?/?>")
# A tag the excerpt cut before it closed, opening the line ("<script async src=\"https://...").
_CUT_TAG = re.compile(r"<[A-Za-z][\w:-]{0,40}\s[^<>]*$")
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")
_MOJIBAKE_MIN_LETTERS = 4
_MOJIBAKE_SHARE = 0.6


def is_debris(line: str) -> bool:
    """A credit line (or a photo caption closed by one), a "more on this story" pointer, site furniture
    (a button, a counter, a template placeholder), or a header in mis-decoded Cyrillic."""
    if _DEBRIS_OPENING.match(line) is not None:
        return True
    if "/" in line and len(line) <= _CAPTION_MAX_CHARS and _PHOTO_CREDIT_END.search(line) is not None:
        return True
    if len(line) <= _BYLINE_MAX_CHARS and (_BYLINE.match(line) is not None or _NAME_BYLINE.fullmatch(line)):
        return True
    if line[:1] in "<!" and _EMBED.fullmatch(line) is not None:
        return True
    if is_chrome(line):
        return True
    if len(line) <= _FURNITURE_MAX_CHARS and (
        _FURNITURE.fullmatch(line) is not None
        or (_FIGURES.fullmatch(line) is not None and date_line(line) is None)
    ):
        return True
    if line.isascii() or _LATIN1_LETTER.search(line) is None:  # most lines: no count needed
        return False
    accented = len(_LATIN1_LETTER.findall(line))
    letters = sum(ch.isalpha() for ch in line)
    return accented >= _MOJIBAKE_MIN_LETTERS and accented >= _MOJIBAKE_SHARE * letters


def is_chrome(line: str) -> bool:
    """A widget of the page around the stories: the weather, a login, search, text-size or "follow us"
    button, an agency's boilerplate, a breadcrumb trail, a weekday with a day but no year, a clock stamp
    with its time zone. Short lines only: each test is cheap."""
    size = len(line)
    if size > _CHROME_MAX_CHARS:
        return False
    if "°" in line and _is_weather(line):
        return True
    if size <= _WIDGET_MAX_CHARS:
        if _WIDGET.fullmatch(line) is not None:
            return True
        colon = ":" in line
        if colon and _SIZE_CONTROL.fullmatch(line) is not None:
            return True
        if ("px" in line or "pt" in line or "%" in line) and _SIZE_STEPPER.fullmatch(line) is not None:
            return True
        if (size <= _WEEKDAY_MAX_CHARS and _WEEKDAY_LINE.fullmatch(line) is not None) or (
            colon and _ZONED_STAMP.fullmatch(line) is not None
        ):
            return date_line(line) is None  # with its year, the line is the page's date: dates.py reads it
    return _is_breadcrumb(line)


def _is_header_widget(line: str) -> bool:
    """A widget of a site's header, above its stories: the weather, an account or a search button ("Войти
    в почту", "Поиск по сайту"); a bare "Search" or "Поиск" (also an exercise's name) tells too little."""
    if len(line) > _WIDGET_MAX_CHARS:
        return False
    if "°" in line:
        return _is_weather(line)
    return " " in line.strip() and _HEADER_WIDGET.fullmatch(line) is not None


def _is_weather(line: str) -> bool:
    """A weather widget: a temperature closing a short line after a place, a colon or a sky ("Minsk +5°C",
    "В Минске: +6 °C", "Overcast +5°C"), or opening one before a few words ("+5°C Cloudy"); never a
    temperature in a sentence ("... up to +5°C") or a headline's ("Frost down to -30°C in the north")."""
    if len(line) > _WEATHER_MAX_CHARS:
        return False
    temperature = _TEMPERATURE.search(line)
    if temperature is None:
        return False
    before = line[: temperature.start()].rstrip()
    after = line[temperature.end() :].strip()
    if not before:
        return len(after.split()) <= _WIDGET_TAIL_MAX_WORDS and not ends_sentence(after)
    if after:
        return False
    last = before.split()[-1]
    return before.endswith(":") or last[:1].isupper() or _SKY.match(last) is not None


def _is_breadcrumb(line: str) -> bool:
    """A breadcrumb trail: two or more short capitalised sections parted by an arrow ("Site → Section",
    "Home » News"), or by "/" or "|" after the home page's name; a section holds no quote or colon (a
    headline quoting "A → B" reads on)."""
    if _CRUMB_MARK.search(line) is None or _CRUMB_SEPARATOR.search(line) is None:
        return False
    parts = _CRUMB_SEPARATOR.split(line.strip(" >»→›"))
    if len(parts) < 2:
        return False
    if not any(arrow in line for arrow in _CRUMB_ARROWS) and parts[0].casefold() not in _CRUMB_HOME:
        return False
    if "»" in line and "«" in line:
        return False  # a closing guillemet of a quote, not a trail's arrow
    return all(_crumb_section(part) for part in parts)


def _crumb_section(part: str) -> bool:
    return (
        0 < len(part) <= _CRUMB_PART_MAX_CHARS
        and part[:1].isupper()
        and len(part.split()) <= _CRUMB_PART_MAX_WORDS
        and not any(ch in part for ch in ':"\u201c\u201d\u00ab\u00bb')
        and not ends_sentence(part)
    )


def without_markup(line: str) -> str:
    """The line without the HTML a scraper left in it: a script or style with its code, any tag, a
    comment, a tag cut open at the line's end; a line of markup alone reads as nothing."""
    if "<" not in line:
        return line
    text = _MARKUP_WITH_CONTENT.sub(" ", line)
    text = _MARKUP_TAG.sub(" ", text)
    cut = _CUT_TAG.search(text)
    if cut is not None:
        text = text[: cut.start()]
    return text if text == line else _SPACES.sub(" ", text).strip()


def without_update_stamp(line: str) -> str:
    """The line without a page-update stamp ("Обновлено в 13:12", "Last updated: 23.11.2024 14:59"), which
    dates no story: a stamp opening the line or closing a short one goes; glued to the words before it
    ("...УкраинеОбновлено в 13:12"), it ends a run of glued menu entries, and the line goes whole. A
    sentence's own "was updated on ..." reads on."""
    window = (line if len(line) <= _CHROME_MAX_CHARS else line[:_WIDGET_MAX_CHARS]).lower()
    if "бновл" not in window and "зменен" not in window and "pdate" not in window and "odified" not in window:
        return line  # no stamp's word in any case, where a stamp can stand: most lines
    stamp = _UPDATE_STAMP.match(line)
    if stamp is not None and _STAMP_TIME.search(stamp.group("when")) is not None:
        return line[stamp.end() :].lstrip(" ,;|-\u2013\u2014")
    if len(line) > _CHROME_MAX_CHARS:
        return line
    for stamp in _UPDATE_STAMP.finditer(line):
        if (
            line[stamp.end() :].strip()
            or not line[stamp.start()].isupper()
            or _STAMP_TIME.search(stamp.group("when")) is None
        ):
            continue  # a stamp closes the line, written as a label: a sentence's "updated on" reads on
        before = line[stamp.start() - 1]
        return "" if before.isalpha() else line[: stamp.start()].rstrip(" ,;|-\u2013\u2014")
    return line


def _unglued(line: str) -> list[str]:
    """The line as the page meant it: a scraper's date stamp or a glued date line parted from the text
    it dates (each a line of its own), a bullet off a date line, an image's file name off the text."""
    out: list[str] = []
    if line.startswith("date"):
        stamp = _STAMP.match(line)
        if stamp is not None:
            if len(stamp.group(1)) == _STAMP_DATE_CHARS:
                out.append(stamp.group(1))
            line = line[stamp.end() :]
    elif line[:1].isdigit():
        glued = _GLUED_DATE.match(line)
        if glued is not None:
            out.append(glued.group(1))
            line = line[glued.end() :]
    elif line[:1] in "\u2022\u00b7":
        bullet = _BULLET.match(line)
        rest = line[bullet.end() :] if bullet is not None else line
        if date_line(rest) is not None or _FIGURES.fullmatch(rest) is not None:
            line = rest  # a list's entry keeps its bullet
    line = without_read_more(without_dateline_reporter(without_image_name(without_markup(line))))
    line = without_photo_credit(without_update_stamp(line))
    if line:
        out.append(line)
    return out


# A photo's credit after the text of a line ("... command-staff exercise. Image: gov.kz/Official"): the
# label, a colon, a source of a few words and no sentence of its own.
_TRAILING_CREDIT = re.compile(
    r"(?<=[.!?\u201d\u00bb\"])\s+(?:Image|Photo|Фото)\s*:\s*[^.!?:\n]{1,50}(?:\.[a-z]{2,6}[^.!?:\n]{0,30})?$"
)


def without_photo_credit(line: str) -> str:
    """The line without a photo's credit after its last sentence."""
    if ":" not in line or "Image" not in line and "Photo" not in line and "Фото" not in line:
        return line
    credit = _TRAILING_CREDIT.search(line)
    return line if credit is None else line[: credit.start()]


def without_read_more(line: str) -> str:
    """The line without a "read more" link at its end; a teaser it closed ends with an ellipsis."""
    start = max(0, len(line) - _READ_MORE_MAX_CHARS)
    tail = line[start:].casefold()
    if "далее" not in tail and "дальше" not in tail and "полностью" not in tail and "read" not in tail:
        return line  # most lines: no link words at their end
    link = _READ_MORE.search(line, start)
    if link is None or link.start() == 0:
        return line  # a bare "Read more" is furniture (is_debris)
    text = line[: link.start()].rstrip()
    return text if ends_sentence(text) else f"{text} \u2026"


def without_dateline_reporter(line: str) -> str:
    """The line without the reporter an agency's dateline credits ("(<agency>, <name>)" -> "(<agency>)")."""
    if not (line[:1].isupper() or line[:1].isdigit()):
        return line
    opening = line[:_CREDIT_OPENS_WITHIN]
    if "(" not in opening and "/" not in opening:
        return line
    head = _DATELINE_CREDIT.match(line)
    if head is None:
        return line
    parts = _CREDIT_PART.split(head.group("credit").strip())
    kept = [p for p in parts if _REPORTER.fullmatch(p) is None]
    if not kept or len(kept) == len(parts):
        return line  # no reporter, or no agency beside the names: leave the credit as written
    start, end = head.span("credit")
    return f"{line[:start]}{', '.join(kept)}{line[end:]}"


def without_image_name(line: str) -> str:
    """The line without an image file name in front of it."""
    if line.find(".", 1, _IMAGE_NAME_MAX_CHARS + 1) < 0:  # the name's dot: most lines have none so early
        return line
    name = _IMAGE_NAME.match(line)
    return line[name.end() :] if name is not None else line


def is_navigation(line: str, vocab: Vocab) -> bool:
    """A site navigation line (never news): listed in the lexicon, or a short "Back to ..." line."""
    if _may_be_listed(line, vocab.navigation_max_chars) and navigation_form(line) in vocab.navigation:
        return True
    # No character but these four matches the pattern's first letter, even ignoring case.
    return len(line) <= _BACK_TO_MAX_CHARS and line[:1] in "bBgG" and _BACK_TO.match(line) is not None


def _may_be_listed(line: str, limit: int) -> bool:
    """False when navigation_form(line) is surely longer than every listed line (most lines), so the
    casefolded copy need not be made. Casefolding never shortens text, and a letter or digit (the end
    of the line once its punctuation tail is off) does not fold into that punctuation or into spaces."""
    core = line.rstrip(_PUNCT_TAIL)
    return len(core) <= limit or not core[-1].isalnum() or core[0].isspace()


def _drop_glued(match: re.Match[str]) -> str:
    # Keep the fragment's punctuation only when the fragment was glued to a letter (no double "..").
    before = match.string[match.start() - 1]
    return match.group(1) if before.isalpha() else ""


# Cyrillic letters a reader of a Latin line takes for Latin ones: a Cyrillic "Х" typed in a Roman numeral
# ("the ХХ session"), a Cyrillic "о" or "е" inside an English word.
_LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХУаеорсухІіЈјЅѕ",
    "ABEKMHOPCTXYaeopcyxIiJjSs",
)
_ROMAN_LOOKALIKES = frozenset("ХІСМXIVLCDM")  # a Roman numeral's letters, Cyrillic look-alikes among them
_CYRILLIC_WORD = re.compile("(?<!\\w)\\w*[\u0400-\u04ff]\\w*")  # a word start tried once: linear


def _as_read(match: re.Match[str]) -> str:
    """A word with Cyrillic letters in a Latin line as a reader sees it: Latin, when it mixes Latin and
    look-alike letters, is a Roman numeral or a single letter; else as written (it may be debris)."""
    word = match.group()
    folded = word.translate(_LOOKALIKES)
    if _CYRILLIC.search(folded) is not None:
        return word  # a letter no Latin one looks like: Russian, left to the debris rules
    if len(word) == 1 or _LATIN.search(word) is not None or _ROMAN_LOOKALIKES.issuperset(word):
        return folded
    return word


def _latin_line(line: str) -> bool:
    """The line holds Cyrillic letters but is predominantly Latin (an English line with stray ones).
    Letters are counted only as far as the answer needs: more Cyrillic ones than a fifth of the line
    leave too few Latin ones (a Russian line), and a few stray ones need only a few Latin ones each."""
    most = len(line) // (_LATIN_DOMINANCE + 1)
    cyrillic = _count(_CYRILLIC, line, most + 1)
    if not cyrillic or cyrillic > most:
        return False
    needed = _LATIN_DOMINANCE * cyrillic
    return _count(_LATIN, line, needed) >= needed


def _count(pattern: re.Pattern[str], text: str, limit: int) -> int:
    """How many times the pattern matches in the text, counted up to limit."""
    return sum(1 for _ in islice(pattern.finditer(text), limit))


def fold_lookalikes(text: str) -> str:
    """A predominantly Latin text with its Cyrillic look-alike letters as a reader sees them ("The ХХ
    session" -> "The XX session"); Russian text is left alone."""
    if text.isascii() or not _latin_line(text):
        return text
    return _CYRILLIC_WORD.sub(_as_read, text)


def strip_stray_cyrillic(line: str) -> str:
    """Remove short Cyrillic debris from a predominantly Latin line (its look-alike letters read as the
    Latin ones); Russian lines are left alone."""
    if not _latin_line(line):
        return line
    line = _CYRILLIC_WORD.sub(_as_read, line)
    if _CYRILLIC.search(line) is None:
        return line
    line = _GLUED_FRAGMENT.sub(_drop_glued, line)
    line = _LONE_FRAGMENT.sub("", line)
    return _SPACES.sub(" ", line).strip()


def clean_lines(text: str, vocab: Vocab) -> list[str]:
    """The page's non-empty lines (each one a paragraph), debris removed."""
    return clean_lines_with_gaps(text, vocab)[0]


def clean_lines_with_gaps(text: str, vocab: Vocab) -> tuple[list[str], list[int]]:
    """The page's non-empty lines, debris removed, and for each the number of blank lines right above it
    (capped at 2): a site that parts its stories with two blank lines parts one story's paragraphs with
    one, so the gaps tell a story's second paragraph from the next story."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    gaps: list[int] = []
    blank = 0
    header = True  # no story's paragraph above yet: the lines so far may be the site's header
    get, put = vocab.line_cache.get, vocab.line_cache.put
    for raw in text.split("\n"):
        # Line by line (no pattern spans a newline): every invisible, control and exotic space character
        # is unprintable, so one cheap printability test spares most lines all but the double-space check.
        if not raw.isprintable():
            raw = _SPACES.sub(" ", _CONTROL.sub("", _INVISIBLE.sub("", raw)))
        elif "  " in raw:
            raw = _SPACES.sub(" ", raw)
        line = raw.strip()
        if not line:
            blank += 1
            continue
        parts = get(line)
        if parts is None:
            parts = put(line, _kept_parts(line, vocab))
        if not parts and out:
            if header and len(out) <= _HEADER_MAX_LINES and _is_header_widget(line):
                out.clear()  # the site's header above its widget: logo, tagline, language, menu, clock
                gaps.clear()
            elif "°" in line and _is_weather(line) and date_line(out[-1]) is not None:
                out.pop()  # the site's clock beside its weather widget: today's date, not a story's
                gaps.pop()
            elif _byline_names(line, out[-1]):
                out.pop()  # "Name / Name (editor of ...)": a byline card writes the name twice
                gaps.pop()
        for part in parts:
            out.append(part)
            if header and len(part) >= _PARAGRAPH_MIN_CHARS and ends_sentence(part):
                header = False
            gaps.append(blank if blank < 2 else 2)
            blank = 0
    return out, gaps


_LEADING_NAME = re.compile(rf"[-\u2013\u2014]? ?({_NAME})\b")


def _byline_names(dropped: str, above: str) -> bool:
    """Is the line above a dropped byline the same author's name alone?"""
    m = _LEADING_NAME.match(dropped)
    return m is not None and m.group(1) == above and len(above) < len(dropped)


def _kept_parts(line: str, vocab: Vocab) -> tuple[str, ...]:
    """What one stripped line of a page reads as (see _unglued), navigation and debris dropped: a pure
    function of the line, which clean_lines_with_gaps remembers (menus and sidebars repeat)."""
    kept: list[str] = []
    for part in _unglued(line):
        if is_navigation(part, vocab) or is_debris(part):
            continue
        if not part.isascii() and _CYRILLIC.search(part) is not None:
            part = strip_stray_cyrillic(part)
            if not part:
                continue
        kept.append(part)
    return tuple(kept)


def as_the_page_means(lines: list[str], gaps: list[int]) -> tuple[list[str], list[int]]:
    """The cleaned lines read with the page's own conventions, which no single line tells: a document's
    kind in capitals over the rest of its title ("ПОЛОЖЕНИЕ / о Совете ...") is one line, a slashed
    date on a Russian page reads day first ("02/03/2010" is 2 March), and a line that repeats another
    line as "Title / Section / Site" (the window's title a scraper kept) is dropped."""
    out: list[str] = []
    out_gaps: list[int] = []
    russian: bool | None = None  # the page is mostly Cyrillic: asked only when a slashed date needs it
    titles = _titles_echoed(lines)
    for line, gap in zip(lines, gaps, strict=True):
        if titles and " / " in line and line.partition(" / ")[0] in titles:
            continue  # "Title / News / Agency": the browser's title line over the page's own title
        if gap == 0 and line[:1].islower() and out and _title_word_above(out[-1]):
            out[-1] = f"{out[-1]} {line}"
            continue
        if "/" in line and _SLASHED_DATE.search(line) is not None:
            if russian is None:
                russian = _mostly_cyrillic(lines)
            if russian:
                line = _SLASHED_DATE.sub(r"\1.\2.\3", line)
        out.append(line)
        out_gaps.append(gap)
    if len(out) > 2 and out_gaps[-1] and _is_tag_line(out[-1], out[-2]):
        del out[-1], out_gaps[-1]  # a story's tags under its last paragraph ("Cyber security")
    return out, out_gaps


def _is_tag_line(line: str, above: str) -> bool:
    """An English news site's tag under a story's last full paragraph, closing the page: one to three
    whole words, the first alone capitalised ("Cyber security", "Terrorism"). A headline cut by the
    excerpt is Title Case or ends in a fragment. (Russian sites label their tags: "Теги: ...".)"""
    words = line.split()
    return (
        len(line) <= _TAG_MAX_CHARS
        and len(words) <= _TAG_MAX_WORDS
        and line.isascii()
        and len(above) >= _PARAGRAPH_MIN_CHARS
        and ends_sentence(above)
        and words[0][:1].isupper()
        and all(len(w) >= _TAG_WORD_MIN_CHARS and w.replace("-", "").isalpha() for w in words)
        and all(w[:1].islower() for w in words[1:])
    )


def _titles_echoed(lines: list[str]) -> set[str]:
    """The lines that another line repeats before " / " (empty when no line holds " / ": one test)."""
    heads = {line.partition(" / ")[0] for line in lines if "/" in line and " / " in line}
    return heads.intersection(lines) if heads else set()


def _mostly_cyrillic(lines: list[str]) -> bool:
    text = "\n".join(lines)
    return not text.isascii() and _CYRILLIC.search(text) is not None and not _latin_line(text)


TITLE_WORD_MAX_WORDS = 2


def _title_word_above(line: str) -> bool:
    """A document's kind in capitals on a line of its own ("ПОЛОЖЕНИЕ", "AGREEMENT"), whose title goes on
    in lower case on the next line ("о Совете ...", "on the Council ...")."""
    return (
        len(line) <= _BACK_TO_MAX_CHARS
        and line.isupper()
        and len(line.split(None, TITLE_WORD_MAX_WORDS)) <= TITLE_WORD_MAX_WORDS
        and line[-1:].isalpha()
    )
