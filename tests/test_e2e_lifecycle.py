"""Start, shut down, start again: over real HTTP against the fake Bot API, one database across restarts."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from fakebotapi import FakeBotApi
from tests.rig import BOT_USERNAME, PRIVATE_CHAT, TOKEN, message_id, running_bot, shown

pytestmark = pytest.mark.timeout(60)

EXPIRED = "This button has expired — send the command again."


async def test_start_command_shutdown_and_a_button_from_before_the_restart(tmp_path: Path) -> None:
    async with FakeBotApi(token=TOKEN, bot_username=BOT_USERNAME) as api:
        async with running_bot(tmp_path, api=api) as bot:
            assert [c.method for c in api.calls()][:2] == ["getMe", "setMyCommands"]
            first = await bot.send("/search ter*")
            assert first.buttons()[0][0][0] == "▶"
            _, turned = await bot.press(first, "▶")
            assert turned is not None and shown(turned).startswith("Results 6–")
            app = bot.app
        # shut down: polling stopped, the store closed, nothing polls any more
        assert not app.running and app.updater is not None and not app.updater.running
        assert app.bot_data._store is None
        polls = len(api.calls("getUpdates"))
        await asyncio.sleep(0.3)
        assert len(api.calls("getUpdates")) == polls

        async with running_bot(tmp_path, api=api) as bot:
            assert bot.app.bot_data.loader is not None
            stats = await bot.app.bot_data.store.stats()
            assert stats.documents == 5  # the same database, loaded again incrementally
            answer, _ = await bot.press_data(PRIVATE_CHAT, message_id(first), first.buttons()[0][0][1] or "")
            assert answer.params["text"] == EXPIRED  # its search lived in the previous process
            again = await bot.send("/search ter*")
            _, turned = await bot.press(again, "▶")
            assert turned is not None and shown(turned).startswith("Results 6–")


async def test_a_user_who_floods_gets_one_warning_then_silence(tmp_path: Path) -> None:
    async with running_bot(tmp_path, polling=False, commands_per_user=3, per_seconds=60) as bot:
        for _ in range(3):
            assert [c.method for c in await bot.handle("/stats")] == ["sendMessage"]
        [warning] = await bot.handle("/stats")
        assert shown(warning) == "Slow down a little: too many commands at once."
        assert await bot.handle("/stats") == []
        assert [c.method for c in await bot.handle("/stats", chat_id=43)] == ["sendMessage"]  # others not


async def test_commands_for_another_bot_do_not_count_as_flooding(tmp_path: Path) -> None:
    async with running_bot(tmp_path, polling=False, commands_per_user=2, per_seconds=60) as bot:
        for _ in range(5):
            assert await bot.handle("/latest@other_bot", chat_id=-900, chat_type="group", user_id=7) == []
        reply = await bot.handle(f"/stats@{BOT_USERNAME}", chat_id=-900, chat_type="group", user_id=7)
        assert shown(reply[0]).startswith("Corpus\n")
