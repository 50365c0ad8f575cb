"""/latest [n] on the seed corpus: parse the count, ask the store, render what an analyst reads."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]

ENTRY = re.compile(r"^(\d+)\. (\d{1,2} \w{3} \d{4}) — ", re.MULTILINE)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("latest"), polling=False) as rig:
        yield rig


def entries(text: str) -> list[tuple[int, dt.date]]:
    return [(int(n), dt.datetime.strptime(day, "%d %b %Y").date()) for n, day in ENTRY.findall(text)]


async def test_latest_starts_with_the_31_october_2025_meeting(bot: BotRig) -> None:
    reply = single(await bot.handle("/latest"))
    assert reply.parse_mode == "HTML" and reply.chat_id == 42
    text = shown(reply)
    assert text.startswith(
        "Latest 5 of 16 items — 10 dated, 6 undated\nThe undated ones: /latest undated\n\n"
        "1. 31 Oct 2025 — On October 31, 2025, in Astana"
    )
    first = text.split("\n\n")[1]
    assert "Imangali Tasmagambetov met with the President of the Republic of Kazakhstan" in first
    assert "/doc " in first
    found = entries(text)
    assert [n for n, _ in found] == [1, 2, 3, 4, 5]  # the default is five
    days = [day for _, day in found]
    assert days == sorted(days, reverse=True)
    assert days[:3] == [dt.date(2025, 10, 31), dt.date(2025, 10, 29), dt.date(2025, 10, 23)]
    assert not reply.buttons()


async def test_a_teaser_on_two_pages_appears_once_with_both_sources(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/latest 20")))
    assert text.count("Kassym-Jomart") == 1
    meeting = text.split("\n\n")[1]
    assert "000_d0de08699f229ee4.txt, 003_2c3cdd234001bc51.txt" in meeting
    doc_ids = re.findall(r"/doc (\d+)", text)
    assert len(doc_ids) == len(set(doc_ids))  # no item twice


async def test_each_entry_has_date_headline_source_and_doc_id(bot: BotRig) -> None:
    reply = single(await bot.handle("/latest 3"))
    html_entries = reply.text.split("\n\n")[1:] if reply.text else []
    assert len(html_entries) == 3
    for entry in html_entries:
        assert re.match(r"\d\. \d{1,2} \w{3} \d{4} — <b>.+</b>", entry)
        assert re.search(r"<i>\d{3}_[0-9a-f]+\.txt.*</i> · <code>/doc \d+</code>$", entry)


async def test_asking_for_more_than_the_corpus_holds(bot: BotRig) -> None:
    store_latest = await bot.app.bot_data.store.latest(100)
    dated = len(store_latest)
    assert 5 < dated < 20  # the seed corpus: fewer dated items than the cap
    text = shown(single(await bot.handle("/latest 20")))
    assert text.startswith(
        f"Latest {dated} of 16 items — {dated} dated, {16 - dated} undated (you asked for 20)"
    )
    assert [n for n, _ in entries(text)] == list(range(1, dated + 1))
    assert "14 Sep 2020" in text.split("\n\n")[-1]  # the oldest dated item comes last
    capped = shown(single(await bot.handle("/latest 500")))
    assert capped.startswith(
        f"Latest {dated} of 16 items — {dated} dated, {16 - dated} undated (you asked for 500)"
    )


async def test_the_undated_items_are_listed_by_latest_undated(bot: BotRig) -> None:
    dated = {int(i) for i in re.findall(r"/doc (\d+)", shown(single(await bot.handle("/latest 20"))))}
    reply = single(await bot.handle("/latest undated 20"))
    text = shown(reply)
    assert text.startswith(
        "6 of 6 undated items — the most recently loaded first (you asked for 20)\n\n1. undated — "
    )
    undated = [int(i) for i in re.findall(r"/doc (\d+)", text)]
    assert len(undated) == 6 and not dated & set(undated)  # with /latest 20: every item of the 16
    assert undated == sorted(undated, reverse=True)
    two = shown(single(await bot.handle("/latest UNDATED 2")))
    assert two.startswith("2 of 6 undated items") and re.findall(r"/doc (\d+)", two) == [
        str(i) for i in undated[:2]
    ]


@pytest.mark.parametrize(
    "argument",
    ["0", "abc", "-3", "3.5", "1e3", "99999999999", "²", "1/2", "5 5", "undated 0", "undated x", "5 undated"],
)
async def test_bad_counts_get_the_usage(bot: BotRig, argument: str) -> None:
    reply = single(await bot.handle(f"/latest {argument}"))
    assert (
        shown(reply) == "Usage: /latest [n] — n from 1 to 20; /latest undated [n]: the items without a date."
    )


async def test_latest_with_the_bot_name_in_a_group(bot: BotRig) -> None:
    reply = single(await bot.handle("/latest@csto_test_bot 2", chat_id=-300, chat_type="group"))
    assert reply.chat_id == -300
    assert [n for n, _ in entries(shown(reply))] == [1, 2]
