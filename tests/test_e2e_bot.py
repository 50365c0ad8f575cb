"""End to end over real HTTP: the real Application polls the fake Bot API on 127.0.0.1.

One bot for the module: start-up (menu, polling), private and group commands, forum topics, button
page turns that edit in place, stale buttons, and many chats at once.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

import handlers
from tests.rig import BOT_USERNAME, PRIVATE_CHAT, BotRig, message_id, running_bot, shown

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

MENU = ["help", "latest", "who", "search", "operations", "exercises", "doc", "stats"]
EXPIRED = "This button has expired — send the command again."


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("e2e")) as rig:
        yield rig


async def test_start_up_sets_the_menu_and_polls(bot: BotRig) -> None:
    assert bot.app.bot.username == BOT_USERNAME
    [menu] = [c for c in bot.api.calls("setMyCommands") if "language_code" not in c.params]  # the default
    commands = menu.params["commands"]
    names = [c["command"] for c in commands]
    assert names[: len(MENU)] == MENU  # then whatever else is registered (subscriptions)
    assert names == [c.name for m in handlers.MODULES for c in m.COMMANDS if c.in_menu]
    assert all(c["description"] for c in commands)
    await bot.api.wait_for("getUpdates", count=1)
    stats = await bot.app.bot_data.store.stats()
    assert stats.documents == 5 and stats.items > 0  # the corpus was loaded before polling began


async def test_a_private_command_is_answered_in_html_without_link_previews(bot: BotRig) -> None:
    reply = await bot.send("/latest 3")
    assert reply.ok and reply.chat_id == PRIVATE_CHAT
    assert reply.parse_mode == "HTML"
    assert reply.params.get("link_preview_options") == {"is_disabled": True}
    assert reply.text and reply.text.startswith("<b>Latest 3 items</b>\n\n1. 31 Oct 2025 — <b>")
    assert "reply_parameters" not in reply.params  # answers, not quotes


async def test_who_with_a_typo(bot: BotRig) -> None:
    reply = await bot.send("/who tasmagambetow")
    assert shown(reply).startswith("Imangali Tasmagambetov\n")
    assert "Secretary General" in shown(reply)


async def test_group_commands_for_this_bot_work_and_for_another_bot_are_ignored(bot: BotRig) -> None:
    group = -1001
    reply = await bot.send(f"/search@{BOT_USERNAME} mercenary", chat_id=group, chat_type="supergroup")
    assert reply.chat_id == group
    assert shown(reply).startswith("Results 1–2 of 2 for mercenary")
    plain = await bot.send("/stats", chat_id=group, chat_type="supergroup")
    assert shown(plain).startswith("Corpus\n")
    await bot.expect_silence("/latest@other_bot", chat_id=group, chat_type="supergroup")
    await bot.expect_silence("/search@OtherBot mercenary", chat_id=group, chat_type="supergroup")
    await bot.expect_silence("/nosuchcommand", chat_id=group, chat_type="supergroup")
    await bot.expect_silence(f"/nosuchcommand@{BOT_USERNAME}", chat_id=group, chat_type="supergroup")
    await bot.expect_silence("just chatting about /latest", chat_id=group, chat_type="supergroup")


async def test_unknown_command_in_private_gets_a_hint(bot: BotRig) -> None:
    reply = await bot.send("/nosuchcommand")
    assert shown(reply) == "I don't know that command. Send /help to see what I can do."


async def test_a_reply_goes_to_the_forum_topic_it_came_from(bot: BotRig) -> None:
    reply = await bot.send("/who Semerikov", chat_id=-1002, chat_type="supergroup", thread_id=77)
    assert reply.message_thread_id == 77
    assert shown(reply).startswith("Valery Semerikov\n")


async def test_search_pages_turn_in_place_with_buttons(bot: BotRig) -> None:
    first = await bot.send("/search ter*")
    assert shown(first).startswith("Results 1–5 of 6 for ter*")
    [[(label, data)]] = first.buttons()
    assert label == "▶" and data and len(data.encode()) <= 64

    answer, second = await bot.press(first, "▶")
    assert answer.ok and "text" not in answer.params
    assert second is not None and second.ok
    assert second.message_id == message_id(first) and second.chat_id == PRIVATE_CHAT
    assert second.parse_mode == "HTML"
    assert shown(second).startswith("Results 6–")
    assert [label for label, _ in second.buttons()[0]] == ["◀"]

    _, back = await bot.press(second, "◀")
    assert back is not None and back.text == first.text


async def test_a_person_choice_becomes_the_profile(bot: BotRig) -> None:
    choices = await bot.send("/who Sa")
    _, profile = await bot.press(choices, "Sadyr Japarov")
    assert profile is not None and profile.message_id == message_id(choices)
    assert shown(profile).startswith("Sadyr Japarov\n")


async def test_doc_pages(bot: BotRig) -> None:
    found = re.search(r"/doc (\d+)", shown(await bot.send("/search Semerikov OSCE")))
    assert found
    first = await bot.send(f"/doc {found.group(1)}")
    _, second = await bot.press(first, "▶")
    assert second is not None and shown(second).endswith(f"Page 2 of 2 · /doc {found.group(1)}")


@pytest.mark.parametrize("data", ["s:gone0000:1", "who:0", "doc:0:0", "op:0", "forged", "x" * 64])
async def test_stale_or_forged_buttons_have_expired(bot: BotRig, data: str) -> None:
    message = await bot.send("/latest 1")
    mark = bot.api.mark()
    answer, _ = await bot.press_data(PRIVATE_CHAT, message_id(message), data)
    assert answer.params["text"] == EXPIRED
    await asyncio.sleep(0.1)
    assert not [c for c in bot.api.calls()[mark:] if c.method in ("editMessageText", "sendMessage")]


async def test_an_edited_command_is_not_run_again(bot: BotRig) -> None:
    sent = await bot.send("/stats")
    mark = bot.api.mark()
    bot.api.push_update(
        {
            "edited_message": {
                "message_id": 5000,
                "date": 0,
                "edit_date": 1,
                "chat": {"id": PRIVATE_CHAT, "type": "private", "first_name": "Tester"},
                "from": {"id": PRIVATE_CHAT, "is_bot": False, "first_name": "Tester"},
                "text": "/latest",
                "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
            }
        }
    )
    again = await bot.send("/stats")
    assert again.text == sent.text
    assert [c.text for c in bot.api.calls()[mark:] if c.method == "sendMessage"] == [again.text]


async def test_many_chats_at_once_are_all_answered(bot: BotRig) -> None:
    mark = bot.api.mark()
    chats = range(7001, 7021)
    for chat in chats:
        bot.api.push_message(chat, "/who tasmagambetov")
    calls = await bot.api.wait_for("sendMessage", lambda c: c.chat_id in chats, count=len(chats), after=mark)
    assert sorted(c.chat_id for c in calls) == list(chats)
    assert all(c.ok and shown(c).startswith("Imangali Tasmagambetov") for c in calls)
