"""Bytes to text: UTF-8 first, a charset guess for legacy Russian pages, refusal for binary or empty data."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# Control characters other than \t and \n (C0, DEL, C1) and the BOM. \x02/\x03 are the store's
# highlight markers, so they must never survive into corpus text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_NEWLINES = re.compile(r"\r\n?")
_BINARY_NUL_SHARE = 0.01  # text files have no NUL bytes; a few stray ones are stripped, more means binary
_BINARY_CONTROL_SHARE = 0.05  # share of control/replacement characters in decoded text that means binary
_BINARY_CONTROL_MIN = 3  # ... counted only past a few: a stray marker in a short line is stripped, not fatal
_NOISE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_NOISE_OR_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffd]"
)  # one scan for the usual clean page


class UndecodableError(ValueError):
    """The bytes are not a text page: empty, binary, or in no encoding we can recognise."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _guess(data: bytes) -> str:
    """Best charset-normalizer guess (cp1251, koi8-r, ...) for bytes that are not UTF-8."""
    best = from_bytes(data).best()
    if best is None:
        raise UndecodableError("undecodable: no text encoding fits")
    return str(best)


def decode_page(data: bytes) -> str:
    """Decode a page's bytes to clean text with \\n line endings and no control characters."""
    if not data or not data.strip():
        raise UndecodableError("empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UndecodableError("undecodable: broken UTF-16") from exc
    else:
        if data.count(b"\x00") > len(data) * _BINARY_NUL_SHARE:
            raise UndecodableError("binary: NUL bytes")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _guess(data)
    text = _NEWLINES.sub("\n", text)
    if _NOISE_OR_CONTROL.search(text) is not None:
        noise = sum(1 for _ in _NOISE.finditer(text))
        if noise >= _BINARY_CONTROL_MIN and noise > len(text) * _BINARY_CONTROL_SHARE:
            raise UndecodableError("binary: control characters")
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise UndecodableError("empty")
    return spaced_initials(one_script_words(text))


# Latin initials glued to the surname ("Sh.J.Faizullozoda", "T.S.Sultanov"): written apart, as the
# people rules read them ("Sh. J. Faizullozoda"). Cyrillic ones are read glued by the Russian rules.
# The capital comes first, then the look back at the character before it: a search then skips to the next
# capital, where a look back first is tried at every character.
_GLUED_INITIALS = re.compile(r"([A-Z](?<![\w.][A-Z])[hua]?\.(?:[A-Z][hua]?\.){0,2})(?=[A-Z][a-z])")
_DOT_CAPITAL = re.compile(r"\.[A-Z]")  # what every glued initial has: a cheap test for the usual page
_ONE_INITIAL = re.compile(r"[A-Z][hua]?\.")


def spaced_initials(text: str) -> str:
    """`text` with a space after each Latin initial glued to the next one or to the surname."""
    if _DOT_CAPITAL.search(text) is None:
        return text
    return _GLUED_INITIALS.sub(lambda m: _ONE_INITIAL.sub(r"\g<0> ", m.group(1)), text)


# Letters that look alike in the two scripts. A word written in one script with a lookalike of the other
# slipped in ("Hиколай" with a Latin H, "Тashkent" with a Cyrillic Т) is read, searched and keyed as the
# word it looks like; a word with letters of both scripts that look like nothing else is left alone.
_LATIN_LOOKALIKES = "ABCEHKMOPTXaceopxy"
_CYRILLIC_LOOKALIKES = "АВСЕНКМОРТХасеорху"
TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)  # also read by people_ru
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES, _LATIN_LOOKALIKES)
_LATIN_LOOKALIKE_SET = frozenset(_LATIN_LOOKALIKES)
_CYRILLIC_LOOKALIKE_SET = frozenset(_CYRILLIC_LOOKALIKES)
# A Cyrillic letter after or before a Latin one. The Cyrillic letter comes first in the pattern, so a search
# skips from one to the next; English pages hold few.
_SCRIPT_CHANGE = re.compile("[\u0400-\u04ff](?:(?<=[A-Za-z].)|(?=[A-Za-z]))")
_LETTERS = re.compile(r"[^\W\d_]+")


def one_script_words(text: str) -> str:
    """`text` with each word that mixes the scripts written in the one its other letters are in."""
    if _SCRIPT_CHANGE.search(text) is None:
        return text
    return _LETTERS.sub(_one_script, text)


def _one_script(match: re.Match[str]) -> str:
    word = match.group()
    if _SCRIPT_CHANGE.search(word) is None:
        return word
    latin = {c for c in word if "A" <= c <= "z"}
    cyrillic = {c for c in word if "\u0400" <= c <= "\u04ff"}
    if latin <= _LATIN_LOOKALIKE_SET:
        return word.translate(TO_CYRILLIC)
    if cyrillic <= _CYRILLIC_LOOKALIKE_SET:
        return word.translate(_TO_LATIN)
    return word
