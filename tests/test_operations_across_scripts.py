"""One operation or exercise across scripts, found by transliteration where the lexicon knows nothing
of it, and its purpose shown in the reader's language when pages state it in both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.corpus import operation_key
from bot.corpus.operations import find_operations
from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.timeout(60)]
ON_THE_BOT = pytest.mark.asyncio(loop_scope="module")

# Made-up pages: a joint exercise the lexicon does not list, written in both scripts, and an operation
# (Channel, a lexicon family) whose purpose is stated in English on one page and in Russian on another.
PAGES = {
    "001_en.txt": (
        "Joint exercise\n\n"
        "On 3 March 2025 the CSTO Joint Staff observed the joint anti-terrorist exercise "
        "“Zarnitsa-Anti-Terror 2025” in Dushanbe.\n\n"
        "On 5 March 2025 the anti-drug operation “Channel” was held to cut the routes of heroin smuggling.\n"
    ),
    "002_ru.txt": (
        "Совместные учения\n\n"
        "4 марта 2025 года прошли совместные антитеррористические учения «Зарница-Антитеррор – 2025».\n\n"
        "6 марта 2025 года проведена операция «Канал» с целью перекрытия маршрутов контрабанды героина.\n"
    ),
}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    corpus: Path = tmp_path_factory.mktemp("scripts-corpus")
    for name, text in PAGES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    async with running_bot(tmp_path_factory.mktemp("scripts"), corpus=corpus, polling=False) as rig:
        yield rig


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Sahand-Anti-Terror", "Саханд-Антитеррор"),
        ("Vzaimodeystvie", "Взаимодействие"),
        ("Kobalt", "Кобальт"),
        ("Proxy", "Прокси"),
        ("Rubezh", "Рубеж"),
    ],
)
def test_one_key_for_a_name_in_both_scripts(latin: str, cyrillic: str) -> None:
    assert operation_key(latin) == operation_key(cyrillic)


def test_spacing_dashes_and_case_do_not_split_a_name_but_other_names_stay_apart() -> None:
    assert (
        operation_key("Channel Center")
        == operation_key("Channel-Center")
        == operation_key("CHANNEL – center")
    )
    assert (
        len({operation_key(n) for n in ("Channel", "Illegal", "Mercenary", "Proxy", "Search", "Echelon")})
        == 6
    )


def test_a_quoted_training_centre_is_not_an_exercise() -> None:
    sentence = (
        "Учения «Рубеж-2025» начались на территории учебно-тренировочного центра «Эдельвейс» в Киргизии."
    )
    assert [m.name for m in find_operations([sentence])] == ["Рубеж-2025"]


@ON_THE_BOT
async def test_an_exercise_the_lexicon_does_not_know_is_one_row_in_both_scripts(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/exercises")))
    assert "Zarnitsa-Anti-Terror · 2 documents" in text.replace("\n  2025", "")
    assert "Зарница" not in text.split("\n[", 1)[0]  # one row, named in Latin letters
    card = shown(single(await bot.handle("/exercises zarnitsa")))
    assert "Зарница-Антитеррор" in card  # the other script is kept as a spelling


@ON_THE_BOT
async def test_the_purpose_is_shown_in_the_readers_language(bot: BotRig) -> None:
    english = shown(single(await bot.handle("/operations")))
    assert "Channel — to cut the routes of heroin smuggling" in english
    russian = shown(single(await bot.handle("/operations", language_code="ru")))
    assert "Channel — с целью перекрытия маршрутов контрабанды героина" in russian
    card = shown(single(await bot.handle("/operations channel", language_code="ru")))
    assert "перекрытия маршрутов контрабанды героина" in card
