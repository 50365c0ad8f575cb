"""decode_page: what bytes become text, and which bytes are refused."""

from __future__ import annotations

import codecs
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.corpus import UndecodableError, decode_page

RUSSIAN = (
    "Организация Договора о коллективной безопасности провела заседание Совета министров "
    "иностранных дел. Генеральный секретарь ОДКБ выступил с докладом о ситуации в зоне ответственности."
)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-8", "utf-16"])
def test_russian_pages_decode_in_their_legacy_encodings(encoding: str) -> None:
    assert decode_page(RUSSIAN.encode(encoding)) == RUSSIAN


def test_utf8_bom_is_stripped() -> None:
    assert decode_page(codecs.BOM_UTF8 + b"CSTO news") == "CSTO news"


def test_line_endings_are_normalised() -> None:
    assert decode_page(b"one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"


def test_highlight_markers_and_other_controls_are_stripped_but_tabs_kept() -> None:
    tail = b" The meeting was attended by the Foreign Ministers of the member states and observers."
    text = decode_page(b"The \x02CSTO\x03 Secretary General met the President\tin Astana.\x0c" + tail)
    assert text == "The CSTO Secretary General met the President\tin Astana." + tail.decode()


def test_typographic_characters_survive() -> None:
    source = "\u201cChannel\u201d \u2014 to combat drug-related crimes\u2026"
    assert decode_page(source.encode()) == source


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \n"])
def test_empty_or_blank_data_is_refused(data: bytes) -> None:
    with pytest.raises(UndecodableError, match="empty"):
        decode_page(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00" * 20,
        bytes(range(256)) * 8,
        b"text\x00with\x00many\x00nul\x00bytes\x00" * 10,
    ],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(UndecodableError, match="binary|undecodable"):
        decode_page(data)


def test_undecodable_error_is_a_value_error_with_a_reason() -> None:
    with pytest.raises(ValueError) as info:
        decode_page(b"")
    assert isinstance(info.value, UndecodableError)
    assert info.value.reason == "empty"


@given(st.binary(max_size=400))
def test_any_bytes_give_clean_text_or_a_refusal(data: bytes) -> None:
    try:
        text = decode_page(data)
    except UndecodableError:
        return
    assert text.strip()
    assert "\r" not in text
    assert not any(ch in text for ch in "\x00\x02\x03\x1b\x7f\ufeff")


@given(st.text(min_size=1, max_size=300).filter(lambda s: s.strip()))
def test_utf8_text_round_trips_apart_from_controls(text: str) -> None:
    try:
        decoded = decode_page(text.encode("utf-8"))
    except UndecodableError:
        return  # mostly control characters: refused as binary, never garbled
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert decoded == "".join(ch for ch in expected if ch in "\n\t" or not _is_control(ch))


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or ch == "\ufeff"


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("H\u0438\u043a\u043e\u043b\u0430\u0439 Бордюжа", "Николай Бордюжа"),  # a Latin H in a Russian name
        ("заседание Cовета министров", "заседание Совета министров"),  # a Latin C
        ("вмеcте", "вместе"),  # a Latin c inside the word
        ("\u0422ashkent", "Tashkent"),  # a Cyrillic Т in an English word
        ("SMS-сообщение и iPhone", "SMS-сообщение и iPhone"),  # each word in one script already
    ],
)
def test_a_lookalike_letter_of_the_other_script_is_read_as_the_word_it_looks_like(
    written: str, read: str
) -> None:
    """Search for «Совета» finds a page whose markup wrote its «С» as a Latin C, and one person keeps one name."""
    assert decode_page(written.encode("utf-8")) == read


def test_a_page_of_mixed_script_words_decodes_in_linear_time() -> None:
    page = ("a\u044f " * 200_000).encode("utf-8")  # every word mixes the scripts
    started = time.perf_counter()
    decode_page(page)
    assert time.perf_counter() - started < 10.0  # ~0.3 s: a quadratic reading would take hours


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Council Sh.J.Faizullozoda spoke", "Council Sh. J. Faizullozoda spoke"),
        ("Secretary T.S.Sultanov spoke", "Secretary T. S. Sultanov spoke"),
        ("He told Cronos.Asia about it", "He told Cronos.Asia about it"),  # a site's name, no initial
        ("St.Petersburg and Ph.D", "St.Petersburg and Ph.D"),
    ],
)
def test_latin_initials_glued_to_a_surname_are_written_apart(written: str, read: str) -> None:
    """The people rules read "Sh. J. Faizullozoda" (a name the issue saw missed when glued)."""
    assert decode_page(written.encode("utf-8")) == read
