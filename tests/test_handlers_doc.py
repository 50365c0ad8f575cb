"""/doc <id> on the seed corpus: full cleaned text, date, headline, people, sources, paged with buttons."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("doc"), polling=False) as rig:
        yield rig


async def doc_id_of(bot: BotRig, search: str) -> int:
    """The /doc id a user would copy from the first search result."""
    text = shown(single(await bot.handle(f"/search {search}")))
    found = re.search(r"/doc (\d+)", text)
    assert found, text
    return int(found.group(1))


async def test_a_long_speech_is_paged_with_buttons(bot: BotRig) -> None:
    item_id = await doc_id_of(bot, "Semerikov OSCE")
    first = single(await bot.handle(f"/doc {item_id}"))
    text = shown(first)
    lines = text.splitlines()
    assert lines[0].startswith("Speech by the CSTO Deputy Secretary General Valery Semerikov")
    assert lines[1] == "14 Sep 2020 · 001_504378d597eb2cf0.txt"
    assert lines[2] == "People: Valery Semerikov"
    assert lines[3].startswith("Operations: ") and "Mercenary" in lines[3]
    assert "Let me thank the Albanian Chairmanship" in text  # the body, not a summary
    assert text.endswith(f"Page 1 of 2 · /doc {item_id}")
    assert first.buttons() == [[("▶", f"doc:{item_id}:1")]]

    calls = await bot.handle_press(first, "▶")
    second = single(calls, "editMessageText")
    assert second.message_id == first.response["message_id"]
    page_two = shown(second)
    assert page_two.splitlines()[0] == lines[0]  # every page keeps the header
    assert page_two.endswith(f"Page 2 of 2 · /doc {item_id}")
    assert second.buttons() == [[("◀", f"doc:{item_id}:0")]]
    body_one = text.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
    body_two = page_two.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
    assert body_one[-80:] not in body_two  # pages follow each other, nothing repeated


async def test_a_short_item_is_one_message_without_buttons(bot: BotRig) -> None:
    item_id = await doc_id_of(bot, '"Kassym-Jomart Tokayev"')
    reply = single(await bot.handle(f"/doc {item_id}"))
    text = shown(reply)
    assert "31 Oct 2025 · 000_d0de08699f229ee4.txt, 003_2c3cdd234001bc51.txt" in text
    assert "People: Imangali Tasmagambetov, Kassym-Jomart Tokayev" in text
    assert not reply.buttons() and "Page " not in text


@pytest.mark.parametrize(
    ("argument", "answer"),
    [
        ("", "Usage: /doc <id> — the number shown next to each item."),
        ("abc", "Usage: /doc <id> — the number shown next to each item."),
        ("../../etc/passwd", "Usage: /doc <id> — the number shown next to each item."),
        ("seeds/000_d0de08699f229ee4.txt", "Usage: /doc <id> — the number shown next to each item."),
        ("-1", "Usage: /doc <id> — the number shown next to each item."),
        ("999999", "No item 999999. Try /latest or /search."),
    ],
)
async def test_only_ids_are_accepted(bot: BotRig, argument: str, answer: str) -> None:
    assert shown(single(await bot.handle(f"/doc {argument}".strip()))) == answer


async def test_a_page_button_for_a_missing_item_has_expired(bot: BotRig) -> None:
    item_id = await doc_id_of(bot, "Semerikov OSCE")
    first = single(await bot.handle(f"/doc {item_id}"))
    calls = await bot.handle_press(first, data="doc:999999:1")
    assert single(calls, "answerCallbackQuery").params["text"] == (
        "This button has expired — send the command again."
    )
    far = single(await bot.handle_press(first, data=f"doc:{item_id}:9999"), "editMessageText")
    assert shown(far).endswith(f"Page 2 of 2 · /doc {item_id}")  # a page past the end: the last one
