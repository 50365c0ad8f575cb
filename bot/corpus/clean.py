"""Line cleaning: navigation debris out, spacing normalised, stray Cyrillic fragments off English lines."""

from __future__ import annotations

import re

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
_IMAGE_NAME = re.compile(r"[^\s]{1,80}?\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?)(?:\s+|$)", re.IGNORECASE)
_LATIN_DOMINANCE = 4  # Latin letters per Cyrillic letter for a line to count as English
# Credits and "more on this" pointers of news sites, whatever follows them: never news.
_DEBRIS_OPENING = re.compile(r"^(?:©|Подробнее\s+в\s+сюжете\b|Подписывайтесь\s+на\b)", re.IGNORECASE)
# Cyrillic read as Latin-1 ("ÑÎÎÁÙÅÍÈÅ ÄËß ÏÅ×ÀÒÈ"): letters almost all from À-ÿ.
_LATIN1_LETTER = re.compile("[\u00c0-\u00ff]")
_MOJIBAKE_MIN_LETTERS = 4
_MOJIBAKE_SHARE = 0.6


def is_debris(line: str) -> bool:
    """A credit line, a "more on this story" pointer, or a header in mis-decoded Cyrillic."""
    if _DEBRIS_OPENING.match(line) is not None:
        return True
    if line.isascii() or _LATIN1_LETTER.search(line) is None:  # most lines: no count needed
        return False
    accented = len(_LATIN1_LETTER.findall(line))
    letters = sum(ch.isalpha() for ch in line)
    return accented >= _MOJIBAKE_MIN_LETTERS and accented >= _MOJIBAKE_SHARE * letters


def without_image_name(line: str) -> str:
    """The line without an image file name in front of it."""
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


def strip_stray_cyrillic(line: str) -> str:
    """Remove short Cyrillic debris from a predominantly Latin line; Russian lines are left alone."""
    cyrillic = len(_CYRILLIC.findall(line))
    latin = len(_LATIN.findall(line))
    if cyrillic == 0 or latin < _LATIN_DOMINANCE * cyrillic:
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
    # One scan of the page spares the per-line Cyrillic test on most pages (those with none at all).
    cyrillic = not text.isascii() and _CYRILLIC.search(text) is not None
    out: list[str] = []
    gaps: list[int] = []
    blank = 0
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
        if is_navigation(line, vocab) or is_debris(line):
            continue
        line = without_image_name(line)
        if not line:
            continue
        if cyrillic and not line.isascii() and _CYRILLIC.search(line) is not None:
            line = strip_stray_cyrillic(line)
            if not line:
                continue
        out.append(line)
        gaps.append(min(blank, 2))
        blank = 0
    return out, gaps
