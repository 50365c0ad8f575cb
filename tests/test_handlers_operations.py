"""/operations [name] on the seed corpus: every operation once, then one in detail with excerpts."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

OPERATIONS = {
    "Channel": "to combat drug-related crimes",
    "Illegal": "to suppress illegal migration",
    "Mercenary": "to block the channels of recruitment",
    "Proxy": "to combat crimes related to innovative technologies",
}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("operations"), polling=False) as rig:
        yield rig


async def test_every_operation_once_with_purpose_dates_and_sources(bot: BotRig) -> None:
    reply = single(await bot.handle("/operations"))
    text = reply.text or ""
    assert text.startswith("<b>Operations in the corpus</b> (4)")
    for name, purpose in OPERATIONS.items():
        assert text.count(f"<b>{name}</b>") == 1, name
        entry = text.split(f"• <b>{name}</b> — ", 1)[1].split("\n• ", 1)[0]
        assert entry.startswith(purpose)
        # first and last dated mention, and how many documents name it
        assert (
            "\n  2020, 2025 · 2 documents" in entry
        )  # the years its items are dated, and how many documents
    assert sorted(label for row in reply.buttons() for label, _ in row) == sorted(OPERATIONS)
    assert all(re.fullmatch(r"op:\d+", data or "") for row in reply.buttons() for _, data in row)


@pytest.mark.parametrize(
    "query", ["channel", "Chanel", "CHANNEL", "Operation Channel", "«Channel»", "chanell"]
)
async def test_one_operation_by_a_fuzzy_name(bot: BotRig, query: str) -> None:
    text = shown(single(await bot.handle(f"/operations {query}")))
    assert text.startswith("Operation Channel\n")
    assert "Purpose: to combat drug-related crimes" in text
    assert "Seen: 14 Sep 2020 – 23 Oct 2025 · 2 documents" in text
    excerpts = text.split("Excerpts\n", 1)[1]
    assert re.findall(r"^• (\d{1,2} \w{3} \d{4}) · ", excerpts, re.MULTILINE) == [
        "23 Oct 2025",
        "14 Sep 2020",
    ]
    assert "“Channel” — to combat drug-related crimes" in excerpts
    assert "000_d0de08699f229ee4.txt" in excerpts and "001_504378d597eb2cf0.txt" in excerpts


async def test_other_spellings_are_listed(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/operations proxy")))
    assert text.splitlines()[:2] == ["Operation Proxy", "Also written: PROXY"]


async def test_unknown_operation_says_so_and_lists_them_all(bot: BotRig) -> None:
    reply = single(await bot.handle("/operations Barbarossa"))
    text = shown(reply)
    assert text.startswith("No operation matches “Barbarossa”.\nOperations in the corpus (4)")
    assert len([b for row in reply.buttons() for b in row]) == 4


async def test_an_operation_button_sends_its_details(bot: BotRig) -> None:
    listing = single(await bot.handle("/operations"))
    calls = await bot.handle_press(listing, "Mercenary")
    single(calls, "answerCallbackQuery")
    detail = shown(single(calls))
    assert detail.startswith("Operation Mercenary\n")
    assert "Purpose: to block the channels of recruitment" in detail
    expired = await bot.handle_press(listing, data="op:987654")
    assert single(expired, "answerCallbackQuery").params["text"].startswith("This button has expired")
