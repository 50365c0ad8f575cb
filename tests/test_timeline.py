"""The Timeline button: a person's or an operation's items over time as a PNG, people named with them.

End to end through the fake Bot API (the photo is uploaded as multipart and checked as a PNG), in the
console (saved as a file), and the pure pieces: the caption's bounds and the drawing process's life.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import io
import os
import re
import signal
import struct
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import load_settings
from bot.console import pictures_folder, run_console
from bot.i18n import translator
from bot.records import CoMention, MonthCount, Timeline, TitleSpan
from bot.timeline import MAX_CAPTION, caption, draw_timeline
from fakebotapi import Call
from tests.rig import SEEDS, BotRig, button_data, running_bot, single

pytestmark = pytest.mark.timeout(90)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PROJECT = Path(__file__).resolve().parent.parent
# On the seeds, the items naming Tasmagambetov name these people too (one item each). Manturov is on
# the same page as Tasmagambetov (seed 000) but in another item: not mentioned *with* him.
WITH_TASMAGAMBETOV = {
    "Kassym-Jomart Tokayev",
    "Emomali Rahmon",
    "Nurlan Seitimov",
    "Yevgeny Sysoev",
    "Piao Yangfan",
    "Ararat Mirzoyan",
    "Nikolai Patrushev",
}
IN_CHANNEL_ITEMS = {
    "Imangali Tasmagambetov",
    "Nurlan Seitimov",
    "Piao Yangfan",
    "Valery Semerikov",
    "Yevgeny Sysoev",
}


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; AssertionError when it is no PNG."""
    assert data[:8] == PNG_SIGNATURE, data[:16]
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def caption_people(text: str) -> dict[str, int]:
    """The "• Name — N item(s)" lines of a caption as shown: name -> shared items."""
    return {m[1]: int(m[2]) for m in re.finditer(r"^• (.+) — (\d+) items?$", text, re.MULTILINE)}


def shown_caption(call: Call) -> str:
    return str(call.response.get("caption", ""))


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("timeline"), polling=False) as rig:
        yield rig


async def press_timeline(bot: BotRig, command: str) -> tuple[Call, list[Call]]:
    """Send `command`, press Timeline on its answer; the answer and every call the press made."""
    card = single(await bot.handle(command))
    return card, await bot.handle_press(card, "Timeline")


@pytest.mark.asyncio(loop_scope="module")
async def test_a_persons_timeline_is_a_png_with_the_people_named_with_them(bot: BotRig) -> None:
    card, calls = await press_timeline(bot, "/who tasmagambetov")
    assert button_data(card, "Timeline").startswith("tl:p:")
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendPhoto"]  # the press answered first
    photo = single(calls, "sendPhoto")
    assert photo.chat_id == card.chat_id and photo.parse_mode == "HTML"
    width, height = png_size(photo.files["photo"])
    assert 600 <= width <= 2000 and 300 <= height <= 2000

    text = shown_caption(photo)
    assert len(photo.caption or "") <= MAX_CAPTION
    assert text.startswith("Imangali Tasmagambetov\n9 items · dated Nov 2023 – Oct 2025 · 4 undated\n")
    assert "Mentioned with" in text
    assert caption_people(text) == dict.fromkeys(WITH_TASMAGAMBETOV, 1)
    assert "Denis Manturov" not in text


@pytest.mark.asyncio(loop_scope="module")
async def test_a_second_press_sends_the_same_picture_from_the_cache(bot: BotRig) -> None:
    _, first = await press_timeline(bot, "/who Tokayev")
    timelines = bot.app.bot_data.timelines
    kept = timelines.nbytes
    assert kept > 0
    _, second = await press_timeline(bot, "/who Tokayev")
    assert single(second, "sendPhoto").files["photo"] == single(first, "sendPhoto").files["photo"]
    assert timelines.nbytes == kept  # nothing drawn again


@pytest.mark.asyncio(loop_scope="module")
async def test_an_operations_timeline_names_the_people_in_its_items(bot: BotRig) -> None:
    card, calls = await press_timeline(bot, "/operations channel")
    assert button_data(card, "Timeline").startswith("tl:o:")
    photo = single(calls, "sendPhoto")
    png_size(photo.files["photo"])
    text = shown_caption(photo)
    assert text.startswith("Operation Channel\n2 items · dated Sep 2020 – Oct 2025\n")
    assert "People in its items" in text
    assert caption_people(text) == dict.fromkeys(IN_CHANNEL_ITEMS, 1)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("data", ["tl:p:987654", "tl:o:987654"])
async def test_a_stale_timeline_button_says_it_has_expired(bot: BotRig, data: str) -> None:
    card = single(await bot.handle("/who tasmagambetov"))
    calls = await bot.handle_press(card, data=data)
    assert single(calls, "answerCallbackQuery").params["text"].startswith("This button has expired")
    assert [c.method for c in calls] == ["answerCallbackQuery"]


@pytest.mark.asyncio(loop_scope="module")
async def test_the_drawing_process_ends_when_no_picture_is_asked_for_a_while(bot: BotRig) -> None:
    """Its memory (matplotlib, numpy) is held only around the presses; the next press starts it again."""
    timelines = bot.app.bot_data.timelines
    idle, timelines.idle_seconds = timelines.idle_seconds, 1.0
    try:
        await press_timeline(bot, "/who Shoigu")
        assert timelines._pool is not None  # well within the second after the picture
        [worker] = list(timelines._pool._processes)
        deadline = time.monotonic() + 20
        while timelines.drawing_process_running or _alive(worker):
            assert time.monotonic() < deadline, "the drawing process stayed"
            await asyncio.sleep(0.05)
        _, calls = await press_timeline(bot, "/who Rahmon")
        png_size(single(calls, "sendPhoto").files["photo"])
    finally:
        timelines.idle_seconds = idle


async def test_the_console_saves_the_picture_and_prints_its_path(tmp_path: Path) -> None:
    settings = load_settings(env={}, corpus=SEEDS, db=tmp_path / "console.sqlite3")
    out = io.StringIO()
    lines = "/who tasmagambetov\n1\n"
    assert await run_console(dataclasses.replace(settings, watch=False), io.StringIO(lines), out) == 0
    saved = re.search(r"> \(picture saved to (.+\.png)\)\nImangali Tasmagambetov\n", out.getvalue())
    assert saved, out.getvalue()
    path = Path(saved.group(1))
    assert path.parent == pictures_folder(settings.db_path) and path.is_file()
    png_size(path.read_bytes())
    assert "• Kassym-Jomart Tokayev — 1 item" in out.getvalue()


# ------------------------------------------------------------------ the pure pieces


def test_the_caption_is_escaped_and_fits_telegrams_1024_characters() -> None:
    crowd = tuple(CoMention(i, f"<b>Person</b> & {'X' * 70} {i}", 100 - i) for i in range(40))
    timeline = Timeline("person", "<i>Evil</i> & Co", (MonthCount(dt.date(2024, 1, 1), 3),), 1, (), crowd)
    text = caption(timeline)
    assert len(text) <= MAX_CAPTION
    assert text.startswith("<b>&lt;i&gt;Evil&lt;/i&gt; &amp; Co</b>\n4 items · dated Jan 2024 · 1 undated")
    listed = text.splitlines()[4:]
    assert 3 <= len(listed) < 40 and all(
        line.startswith("• &lt;b&gt;Person&lt;/b&gt; &amp; X") for line in listed
    )
    assert listed[0].endswith(" — 100 items")  # the most shared first, cut from the end


def test_the_caption_speaks_the_readers_language() -> None:
    crowd = (CoMention(1, "Андрей Сердюков", 3),)
    months = (MonthCount(dt.date(2024, 1, 1), 2), MonthCount(dt.date(2024, 11, 1), 3))
    timeline = Timeline("operation", "Канал", months, 2, (), crowd)
    text = caption(timeline, translator("ru"))
    assert text.startswith(
        "<b>Операция Канал</b>\n7 материалов · с датой: январь 2024 – ноябрь 2024 · 2 без даты"
    )
    assert "<b>Люди в её материалах</b>" in text and "• Андрей Сердюков — 3 материала" in text


@pytest.mark.parametrize(
    "months",
    [
        (),  # only undated items
        tuple(MonthCount(dt.date(2000 + y, 1 + y % 12, 1), y + 1) for y in range(20)),  # 20 years: per year
    ],
)
def test_drawing_copes_with_no_dates_and_long_histories(months: tuple[MonthCount, ...]) -> None:
    spans = (TitleSpan("Minister of " + "Д" * 90, dt.date(2001, 1, 1), dt.date(2010, 5, 1), 7),)
    width, height = png_size(draw_timeline(Timeline("person", "Иван Иванов", months, 2, spans)))
    assert 600 <= width <= 2000 and 300 <= height <= 2000


_ORPHAN_SCRIPT = """
import asyncio, os, time
from bot.timelines import Timelines
async def main():
    pool = Timelines()._executor()
    print(await asyncio.get_running_loop().run_in_executor(pool, os.getpid), flush=True)
    time.sleep(60)
asyncio.run(main())
"""


def test_the_drawing_process_ends_when_the_bot_is_killed() -> None:
    """SIGKILL gives the bot no time to shut its pool down: the drawing process must notice alone."""
    bot = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN_SCRIPT],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # the killed bot's resource tracker complains of its semaphores
        text=True,
    )
    assert bot.stdout is not None
    with bot.stdout:
        try:
            worker = int(bot.stdout.readline())
        finally:
            bot.send_signal(signal.SIGKILL)
            bot.wait(10)
    deadline = time.monotonic() + 20
    while _alive(worker):
        if time.monotonic() > deadline:
            os.kill(worker, signal.SIGKILL)
            pytest.fail("the drawing process outlived the bot")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (ended, not yet reaped by its new parent) counts as gone
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
