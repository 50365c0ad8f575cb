""" "message is too long" and "can't parse entities" never happen to our replies.

The fake Bot API parses every sendMessage and editMessageText as Telegram does (HTML tags, entities,
4,096 characters after parsing) and refuses what Telegram would. Typical use of every command, with
every button followed to its end — each /doc page, each search page, each person and operation — on
the seed corpus and on a larger synthetic one holding a hostile page (markup, entities, RTL and
zero-width characters, emoji, one enormous word, a very long article): not one call is refused.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from bench.generate import generate_corpus
from fakebotapi import Call
from tests.html_check import assert_telegram_html
from tests.rig import SEEDS, BotRig, LoggedErrors, running_bot, shown

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(60)]

APOLOGY = "Sorry, something went wrong"
MARKER = "zqxhostile"


def hostile_page() -> str:
    """A page in the seeds' shape (teasers, then an article) full of what breaks HTML and lengths."""
    nasty = (
        f'<b>Bold</b> & "quoted" &amp; &lt;tag&gt; <script>alert(1)</script> </i> <a href="x">link '
        f"\u202eRTL override\u202c \u200bzero\u200dwidth\ufeff 🙂👨‍👩‍👧🇰🇿 e\u0301 𝔪𝔢𝔯𝔠 {MARKER} CSTO"
    )
    teasers = [
        f"On October 30, 2025, in Astana, the CSTO Secretary General Imangali Tasmagambetov met {nasty}.",
        f"The CSTO <i>Secretary</i> General spoke about terrorism & extremism {MARKER}.",
    ]
    headline = f"The CSTO Secretary General & <b>friends</b> discussed security {MARKER}"
    paragraphs = [
        f"On October 29, 2025, Secretary General Imangali Tasmagambetov said: {nasty} " * 6 for _ in range(40)
    ]
    paragraphs.insert(5, "W" * 6000)  # one enormous word
    paragraphs.insert(9, "&" * 3000 + " " + "<" * 3000)
    return "\n".join([*teasers, headline, *paragraphs, "Go back"]) + "\n"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("synthetic") / "corpus"
    generate_corpus(corpus, 300, seed=11)
    (corpus / "999999_0123456789abcdef.txt").write_text(hostile_page(), encoding="utf-8")
    return corpus


async def _session(
    bot: BotRig, *, max_pages: int, max_buttons: int, doc_ids: range | list[int]
) -> tuple[int, int]:
    """Use every command and follow the buttons (the first ``max_buttons`` of a list, ``max_pages``
    of a result); returns (search pages, /doc pages) seen."""
    chat = 4242

    async def send(text: str) -> Call | None:
        sent = [c for c in await bot.handle(text, chat_id=chat) if c.method == "sendMessage"]
        assert len(sent) <= 1
        return sent[0] if sent else None

    async def follow(message: Call | None, label: str = "▶") -> int:
        """Press ``label`` until it is gone (or ``max_pages``); the number of pages seen."""
        pages = 1
        while (
            message is not None
            and pages < max_pages
            and label in {t for row in message.buttons() for t, _ in row}
        ):
            edits = [c for c in await bot.handle_press(message, label) if c.method == "editMessageText"]
            assert len(edits) == 1 and edits[0].ok, [(c.method, c.response) for c in edits]
            message, pages = edits[0], pages + 1
        return pages

    for text in ("/start", "/help", "/stats", "/latest", "/latest 1", "/latest 20", "/latest 999999"):
        await send(text)
    people = await send("/who")
    assert people is not None
    for label, _ in itertools.islice(itertools.chain.from_iterable(people.buttons()), max_buttons):
        await bot.handle_press(people, label)
        await send(f"/who {label}")
    for text in (
        "/who tasmagambetov",
        "/who tasmagambetow",
        "/who Semerikov",
        "/who nobody-at-all",
        "/who a",
    ):
        await send(text)
    operations = await send("/operations")
    assert operations is not None
    for label, _ in itertools.islice(itertools.chain.from_iterable(operations.buttons()), max_buttons):
        await bot.handle_press(operations, label)
        await send(f"/operations {label}")
    search_pages = 0
    for query in (
        "CSTO",
        "ter*",
        "mercenary",
        '"illegal migration"',
        "the",
        "security -Afghanistan",
        MARKER,
        "secretary general",
        "xyzzy",
        "<b>&amp;",
    ):
        search_pages += await follow(await send(f"/search {query}"))
    doc_pages = 0
    for item_id in doc_ids:
        reply = await send(f"/doc {item_id}")
        assert reply is not None
        if not shown(reply).startswith("No item"):
            doc_pages += await follow(reply)
    for text in (
        '/subscribe person:Tasmagambetov "illegal migration" op:Channel',
        "/subscriptions",
        "/unsubscribe",
    ):
        await send(text)
    return search_pages, doc_pages


def _nothing_refused(bot: BotRig, mark: int) -> list[Call]:
    said = [c for c in bot.api.calls() if c.index >= mark and c.method in ("sendMessage", "editMessageText")]
    assert [(c.method, c.response) for c in said if not c.ok] == []
    for call in said:
        assert_telegram_html(call.text)
        assert not shown(call).startswith(APOLOGY), shown(call)
    return said


async def test_seed_corpus_every_command_and_page(tmp_path: Path) -> None:
    with LoggedErrors.installed() as errors:
        async with running_bot(tmp_path, corpus=SEEDS, polling=False) as bot:
            with bot.unthrottled():
                mark = bot.api.mark()
                stats = await bot.app.bot_data.store.stats()
                search_pages, doc_pages = await _session(
                    bot, max_pages=500, max_buttons=100, doc_ids=range(1, stats.items + 20)
                )
                said = _nothing_refused(bot, mark)
    assert search_pages > 10 and doc_pages > stats.items  # big result sets and long items were paged
    assert len(said) > 60
    assert errors.messages() == []


async def test_synthetic_corpus_with_a_hostile_page(tmp_path: Path, synthetic: Path) -> None:
    with LoggedErrors.installed() as errors:
        async with running_bot(tmp_path, corpus=synthetic, polling=False) as bot:
            with bot.unthrottled():
                mark = bot.api.mark()
                found = await bot.handle(f"/search {MARKER}")
                hostile_ids = sorted({int(n) for c in found for n in re.findall(r"/doc (\d+)", shown(c))})
                assert hostile_ids, "the hostile page was loaded and is searchable"
                stats = await bot.app.bot_data.store.stats()
                doc_ids = sorted({*range(1, stats.items + 5, 7), *hostile_ids})
                search_pages, doc_pages = await _session(bot, max_pages=12, max_buttons=8, doc_ids=doc_ids)
                said = _nothing_refused(bot, mark)
    assert search_pages > 40 and doc_pages > len(doc_ids)  # several big results; some long items
    long_pages = [c for c in said if MARKER in (c.text or "") and len(c.text or "") > 3000]
    assert long_pages, "the hostile article filled whole pages"
    assert errors.messages() == []
