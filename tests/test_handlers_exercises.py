"""/operations and /exercises on the seeds plus two made-up pages in the site's shape: one operation across
spellings, years and phases; exercises listed as their own kind, never as operations."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import SEEDS, BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

# Made-up news in the shape of the CSTO's pages (headline, date line, story).
RAID = """Operation "Channel - Far Eastern Raid" is over

Operation "Channel - Far Eastern Raid" is over 20.09.2024

From 16 to 20 September 2024, the competent authorities of the CSTO member states held the sub-regional anti-drug operation "Channel - Far Eastern Raid". The operation "Channel - Far Eastern Raid" was conducted to cut the supply of synthetic drugs to the region. In parallel, the CSTO peacekeeping forces held the exercise "Indestructible Brotherhood-2024" in Kyrgyzstan.
"""
ILLEGAL = """Results of the operation Illegal-2023 were summed up

Results of the operation Illegal-2023 were summed up 12.10.2023

The heads of the migration services reviewed the results of the operation «Nelegal-2023» aimed at stopping illegal migration, and of the command-staff exercise "Rubezh-2023". The exercise "Interaction-2023" will follow in Belarus.
"""


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    root = tmp_path_factory.mktemp("exercises")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "raid.txt").write_text(RAID, encoding="utf-8")
    (corpus / "illegal.txt").write_text(ILLEGAL, encoding="utf-8")
    async with running_bot(root, corpus=corpus, polling=False) as rig:
        yield rig


def _listed(text: str) -> list[str]:
    return [line[2:].split(" — ")[0] for line in text.splitlines() if line.startswith("• ")]


async def test_operations_are_one_row_each_and_no_exercise(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/operations")))
    assert text.startswith("Operations in the corpus (4)")
    assert sorted(_listed(text)) == ["Channel", "Illegal", "Mercenary", "Proxy"]


async def test_a_phase_and_years_are_instances_of_one_operation(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/operations channel")))
    assert text.startswith("Operation Channel\n")
    assert "Also written: Channel - Far Eastern Raid" in text
    assert "Phases: Far Eastern Raid" in text
    assert "Years: 2020, 2024–2025" in text
    excerpts = text.split("Excerpts\n", 1)[1]
    dated = [line for line in excerpts.splitlines() if line.startswith("• 20 Sep 2024 · ")]
    assert len(dated) == 1  # the item names it in three sentences: it is one excerpt


async def test_a_russian_spelling_with_a_year_is_the_same_operation(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/operations illegal")))
    assert text.startswith("Operation Illegal\n")
    assert "Nelegal-2023" in text and "Illegal-2023" in text
    assert "Years: 2020, 2023, 2025" in text


async def test_exercises_are_their_own_list(bot: BotRig) -> None:
    reply = single(await bot.handle("/exercises"))
    text = shown(reply)
    assert text.startswith("Exercises in the corpus (3)")
    assert sorted(_listed(text)) == ["Indestructible Brotherhood", "Interaction", "Rubezh"]
    assert "2024 · 1 document" in text


async def test_one_exercise_in_detail_and_an_unknown_one(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/exercises indestructible brotherhood")))
    assert text.startswith("Exercise Indestructible Brotherhood\n")
    assert "Years: 2024" in text
    unknown = shown(single(await bot.handle("/exercises Zapad")))
    assert unknown.startswith("No exercise matches “Zapad”.\nExercises in the corpus (3)")


async def test_an_exercise_asked_of_operations_answers_with_its_card_and_back(bot: BotRig) -> None:
    exercise = shown(single(await bot.handle("/operations rubezh")))
    assert exercise.startswith("Exercise Rubezh\n")  # the heading says what it is
    operation = shown(single(await bot.handle("/exercises channel")))
    assert operation.startswith("Operation Channel\n")
    neither = shown(single(await bot.handle("/operations Zapad")))
    assert neither.startswith("No operation matches “Zapad”.\nOperations in the corpus (4)")


async def test_a_name_in_the_other_script_finds_its_operation_or_exercise(bot: BotRig) -> None:
    card = shown(single(await bot.handle("/exercises рубеж")))  # the pages write Rubezh-2023
    assert card.startswith("Exercise Rubezh\n")
    neither = shown(single(await bot.handle("/exercises заслон")))
    assert neither.startswith("No exercise matches “заслон”.")
