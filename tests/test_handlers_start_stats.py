"""/start, /help and /stats on the seed corpus; unknown commands."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

MENU = ["help", "latest", "who", "search", "operations", "doc", "stats"]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("start"), polling=False) as rig:
        yield rig


@pytest.mark.parametrize("command", ["/start", "/help", "/help@csto_test_bot"])
async def test_help_names_the_corpus_and_every_command_with_an_example(bot: BotRig, command: str) -> None:
    stats = await bot.app.bot_data.store.stats()
    reply = single(await bot.handle(command))
    assert reply.parse_mode == "HTML"
    text = shown(reply)
    assert text.startswith(
        f"CSTO public record\n{stats.items} items from 5 documents, 14 Sep 2020 – 31 Oct 2025.\n"
    )
    lines = text.splitlines()
    for name in MENU:
        at = lines.index(next(line for line in lines if line.startswith(f"/{name} — ")))
        assert lines[at + 1].startswith(f"   e.g. /{name}"), name
    assert "e.g. /who tasmagambetov" in text
    assert 'e.g. /search "illegal migration"' in text


async def test_stats_counts_what_the_corpus_holds(bot: BotRig) -> None:
    stats = await bot.app.bot_data.store.stats()
    text = shown(single(await bot.handle("/stats")))
    assert text.splitlines()[:6] == [
        "Corpus",
        "Documents: 5",
        f"Items: {stats.items}",
        f"People: {stats.people}",
        "Operations: 4",
        "Dates: 14 Sep 2020 – 31 Oct 2025",
    ]
    assert text.splitlines()[6].startswith("Last loaded: ") and text.endswith(" UTC")
    assert stats.items >= 10 and stats.people >= 10


async def test_unknown_command_gets_a_hint_in_private_and_silence_in_groups(bot: BotRig) -> None:
    reply = single(await bot.handle("/frobnicate now"))
    assert shown(reply) == "I don't know that command. Send /help to see what I can do."
    assert await bot.handle("/frobnicate", chat_id=-500, chat_type="group") == []
    assert await bot.handle("/frobnicate@csto_test_bot", chat_id=-500, chat_type="supergroup") == []


async def test_commands_for_another_bot_are_ignored_in_groups(bot: BotRig) -> None:
    assert await bot.handle("/latest@other_bot", chat_id=-501, chat_type="group") == []
    assert await bot.handle("/who@other_bot tasmagambetov", chat_id=-501, chat_type="supergroup") == []
    mine = single(await bot.handle("/who@csto_test_bot tasmagambetov", chat_id=-501, chat_type="group"))
    assert shown(mine).startswith("Imangali Tasmagambetov\n") and mine.chat_id == -501


async def test_plain_text_gets_no_answer(bot: BotRig) -> None:
    assert await bot.handle("hello, bot") == []
    assert await bot.handle("what about tasmagambetov?", chat_id=-502, chat_type="group") == []
