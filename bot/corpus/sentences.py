"""Sentence splitting that survives "Mr.", initials, decimals, "Cronos.Asia" and closing quotes."""

from __future__ import annotations

import re

# End punctuation, any closing quotes/brackets, then whitespace and something that can open a sentence:
# an uppercase letter or digit, possibly behind an opening quote, bracket or dialogue dash.
# The first character is spelled out ("[...][...]*", not "[...]+"): a match opens with one mark, so it is
# tried at the marks only (see _boundaries). Linear in the paragraph: a match starts only at the first mark
# of a run (the lookbehind re-reads the character before it), and the
# repeats are possessive, so a run of marks that ends no sentence is read once, not once per mark with
# every shorter split of it tried (which made a page of dots quadratic).
_BOUNDARY = re.compile(
    "[.!?\u2026](?<![.!?\u2026].)[.!?\u2026]*+[\"'\u201d\u2019\u00bb)\\]]*+"
    "(?=\\s++(?:[\"'\u201c\u2018\u00ab(\\[]|[\u2014\u2013-]\\s*+)?"
    "[A-Z\u00c0-\u00d6\u00d8-\u00de\u0400-\u042f0-9])"
)
# fmt: off
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "jr", "sr", "gen", "col", "lt", "maj", "brig", "sgt", "capt",
    "cmdr", "adm", "gov", "rep", "sen", "amb", "dept", "est", "approx", "fig", "vol", "art", "para", "ed",
    "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "г", "гг", "им", "ул", "т.е", "т.д"
))
# fmt: on
# Initials a transliteration writes with two letters: Sh, Kh, Ch, Zh, Ts, Yu, Ya (Шухрат, Хайрулло, ...)
_DIGRAPH_INITIALS = frozenset(("Sh", "Kh", "Ch", "Zh", "Ts", "Yu", "Ya"))
_DOTTED = re.compile(r"^(?:[^\W\d_]\.)+[^\W\d_]?$")  # U.S, e.g, i.e
# The longest word looked at before a period: abbreviations and dotted initials are shorter, and looking
# further back for the word's start would read the paragraph again at every period.
_ABBREVIATION_MAX_CHARS = 40
_END_CHARS = (".", "!", "?", "\u2026")
# People and operations are looked for only in sentences up to this long (real ones are a few hundred
# characters): a page without sentence ends is one endless "sentence", junk to be stored, not read.
RULE_SENTENCE_MAX_CHARS = 5_000
_CLOSING = "\"'\u201d\u2019\u00bb)]"


def ends_sentence(text: str) -> bool:
    """True when text ends like a sentence (. ! ? … possibly inside closing quotes or brackets)."""
    # String methods, not a regex search: a search anchored at the end still tries every position.
    text = text.removesuffix("\n")  # a regex "$" also matched before one final newline
    return text.rstrip(_CLOSING).endswith(_END_CHARS)


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    """Is the word ending at text[end] (before a period) an abbreviation or an initial?"""
    floor = max(start, end - _ABBREVIATION_MAX_CHARS - 1)
    space = max(text.rfind(" ", floor, end), text.rfind("\n", floor, end))
    if space < 0 and floor > start:  # a word longer than any abbreviation
        return False
    word = text[max(space + 1, start) : end].lstrip("\"'(\u201c\u00ab[")
    if not word:
        return False
    if (
        len(word) == 1 and word.isupper()
    ) or word in _DIGRAPH_INITIALS:  # an initial: "V. Putin", "Sh. J. ..."
        return True
    folded = word.casefold()
    if folded in _ABBREVIATIONS or _DOTTED.match(word) is not None:
        return True
    # abbreviations joined by a hyphen: a rank written "Col.-Gen." or "Lt.-Gen."
    return "-" in folded and all(part.rstrip(".") in _ABBREVIATIONS for part in folded.split("-"))


def _boundaries(paragraph: str) -> list[tuple[int, int]]:
    """The spans _BOUNDARY.finditer(paragraph) gives, the regex tried only where an end mark stands (a match
    opens with one): str.find reaches the marks at C speed, where a search tests a character class at every
    position of the paragraph. The lookbehind still reads the character before each mark."""
    marks = [at for mark in _END_CHARS if mark in paragraph for at in _positions(paragraph, mark)]
    if len(marks) > 1:
        marks.sort()
    spans: list[tuple[int, int]] = []
    end = 0
    # matches do not overlap (the next is looked for after the last one's end), and a match holds a space and
    # the next sentence's first character after its mark (a paragraph's closing mark ends no sentence here)
    last = len(paragraph) - 2
    for at in marks:
        if end <= at < last:
            m = _BOUNDARY.match(paragraph, at)
            if m is not None:
                end = m.end()
                spans.append((at, end))
    return spans


def _positions(text: str, mark: str) -> list[int]:
    """Where a one-character mark stands in text."""
    out: list[int] = []
    at = text.find(mark)
    while at != -1:
        out.append(at)
        at = text.find(mark, at + 1)
    return out


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, stripped, in order."""
    out: list[str] = []
    start = 0
    for mark_start, mark_end in _boundaries(paragraph):
        if (
            paragraph[mark_start] == "."
            and mark_end - mark_start == 1
            and _is_abbreviation(paragraph, start, mark_start)
        ):
            continue
        piece = paragraph[start:mark_end].strip()
        if piece:
            out.append(piece)
        start = mark_end
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out
