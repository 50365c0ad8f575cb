"""The Russian catalog is complete and matches the code; dates, numbers and plurals in Russian.

A string the code translates but the catalog lacks (or a msgid left untranslated) would reach a
Russian-speaking user in English: these tests fail instead. The code's strings are found with `ast`,
which sees calls inside f-strings too (Babel's extractor on Python 3.11 does not: such a call would
never reach the catalog).
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot import render
from bot.i18n import ENGLISH, LANGUAGES, LOCALE_DIR, language_code, translator

PROJECT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(PROJECT / "bot").rglob("*.py"), *(PROJECT / "handlers").rglob("*.py")])
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def catalog(code: str) -> Catalog:
    return read_catalog(LOCALE_DIR / code / "LC_MESSAGES" / "messages.po", code)


def read_catalog(path: Path, code: str | None = None) -> Catalog:
    with open(path, "rb") as po:
        return read_po(po, locale=code)


def msgids(cat: Catalog) -> set[Any]:
    return {message.id for message in cat if message.id}


def strings_in_code() -> dict[str | tuple[str, str], str]:
    """Every literal passed to ._(…), .ngettext(…, …) or N_(…), with where it is."""
    found: dict[str | tuple[str, str], str] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            literals = [
                a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            where = f"{path.relative_to(PROJECT)}:{node.lineno}"
            if name in ("_", "N_") and len(literals) == 1:
                found[literals[0]] = where
            elif name == "ngettext" and len(literals) == 2:
                found[(literals[0], literals[1])] = where
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_msgid_has_a_translation(code: str) -> None:
    cat = catalog(code)
    untranslated = [
        message.id
        for message in cat
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
            or (isinstance(message.id, tuple) and len(message.string) != cat.num_plurals)
        )
    ]
    assert untranslated == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalog_holds_exactly_the_strings_the_code_translates(code: str) -> None:
    in_code = strings_in_code()
    assert len(in_code) > 100
    in_catalog = msgids(catalog(code))
    missing = {text: where for text, where in in_code.items() if text not in in_catalog}
    assert missing == {}, "run pybabel extract/update (see bot/i18n.py) and translate"
    assert in_catalog - set(in_code) == set(), "msgids the code no longer uses"
    template = msgids(read_catalog(LOCALE_DIR / "messages.pot"))
    assert template == in_catalog


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_fill_only_the_placeholders_their_msgid_has(code: str) -> None:
    """A {name} the code does not pass would raise KeyError in a handler; one left out loses the data."""
    wrong = []
    for message in catalog(code):
        if not message.id:
            continue
        ids: tuple[str, ...] = message.id if isinstance(message.id, tuple) else (str(message.id),)
        strings: tuple[str, ...] = (
            message.string if isinstance(message.string, tuple) else (str(message.string),)
        )
        allowed = set().union(*map(fields, ids))
        for text in strings:
            if not fields(text) <= allowed or (len(ids) == 1 and fields(text) != allowed):
                wrong.append((message.id, text))
    assert wrong == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_committed_mo_is_compiled_from_the_po(code: str) -> None:
    """The .mo ships in the wheel; it must say what the .po says (pybabel compile -d bot/locale)."""
    with open(LOCALE_DIR / code / "LC_MESSAGES" / "messages.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    source = catalog(code)
    plural_form = gettext.c2py(source.plural_expr)
    for message in source:
        msgid: Any = message.id
        translated: Any = message.string
        if not msgid:
            continue
        if isinstance(msgid, tuple):
            for n in (1, 2, 5):
                assert compiled.ngettext(msgid[0], msgid[1], n) == translated[plural_form(n)]
        else:
            assert compiled.gettext(msgid) == translated


def test_russian_dates_numbers_and_plurals() -> None:
    ru = translator("ru")
    assert render.format_date(dt.date(2026, 11, 12), ru) == "12 ноября 2026"
    assert render.format_date(dt.date(2026, 11, 12)) == "12 Nov 2026"
    assert render.format_date(None, ru) == "без даты"
    assert ru.number(12345) == "12\xa0345" and ENGLISH.number(12345) == "12,345"
    forms = [ru.ngettext("{count} item", "{count} items", n) for n in (1, 3, 5, 11, 21)]
    assert forms == ["1 материал", "3 материала", "5 материалов", "11 материалов", "21 материал"]


@pytest.mark.parametrize(
    ("telegram", "chosen"),
    [("ru", "ru"), ("ru-RU", "ru"), ("RU", "ru"), ("en", "en"), ("en-GB", "en"), ("de", "en"), (None, "en")],
)
def test_a_telegram_language_code_chooses_a_catalog(telegram: str | None, chosen: str) -> None:
    assert language_code(telegram) == chosen
    assert translator(telegram).code == chosen
