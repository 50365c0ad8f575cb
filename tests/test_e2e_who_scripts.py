"""/who across scripts, end to end through the fake Bot API: an English page and a Russian page name one
person; /who in either script gives the same card with both spellings, and a different name is never
answered in someone's place. The pages are made up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ENGLISH = """News of the Alliance

12.03.2024
The Chief of the Joint Staff of the Alliance Andrey Kalinov held a briefing on joint training.

14.03.2024
The Secretary General of the Alliance Viktor Zorin met the ambassadors in Minsk.
"""
RUSSIAN = """Новости Союза

15.03.2024
Начальник Объединенного штаба Союза Андрей Калинов провел совещание с офицерами.
"""


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    root = tmp_path_factory.mktemp("who_scripts")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "en.txt").write_text(ENGLISH, "utf-8")
    (corpus / "ru.txt").write_text(RUSSIAN, "utf-8")
    async with running_bot(root, corpus=corpus, polling=False) as rig:
        yield rig


async def _card(bot: BotRig, query: str) -> str:
    return shown(single(await bot.handle(f"/who {query}")))


async def test_latin_and_cyrillic_queries_give_the_same_card(bot: BotRig) -> None:
    latin = await _card(bot, "Kalinov")
    assert latin == await _card(bot, "Калинов") == await _card(bot, "Андрей Калинов")
    lines = latin.splitlines()
    assert lines[0] in ("Andrey Kalinov", "Андрей Калинов")
    also = next(line for line in lines if line.startswith("Also written: "))
    assert {"Andrey Kalinov", "Андрей Калинов"} == {lines[0], *also[len("Also written: ") :].split(", ")}
    assert "Mentioned in 2 items" in latin


async def test_another_name_is_offered_as_closest_not_answered(bot: BotRig) -> None:
    reply = single(await bot.handle("/who Viktor Ivanov"))
    text = shown(reply)
    assert text.startswith("No one called Viktor Ivanov in the corpus.")
    assert "Viktor Zorin" in text.split("Closest names:", 1)[1]
    assert "Viktor Zorin" in [label for row in reply.buttons() for label, _ in row]
